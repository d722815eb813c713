// Package dltestctx: in tests, ctxdeadline's remedy names the test's context
// (dl2_test.go).
package dltestctx

// Package ownserver: under -ctxdeadline.tests, a test's call to a service
// that its program registers on a server of its own (here, through package
// server, and in the test file itself in the oldest generated style) is
// not reported: whether it can hang is what the test's handler does. A
// call to a service the program does not register is.
package ownserver

// Package bydesc registers the Echo service of echov13 by its service
// descriptor (grpc.ServiceRegistrar.RegisterService), in a test file.
package bydesc

// Package server is the service a test runs itself: the registration is in
// another package than the test, which links it.
package server

import (
	"google.golang.org/grpc"

	"example.com/fixtures/pb/echo"
)

type echoServer struct{ echo.UnimplementedEchoServer }

// Register registers the Echo service (generic generated style).
func Register(s grpc.ServiceRegistrar) { echo.RegisterEchoServer(s, &echoServer{}) }

package buildtags

import "example.com/fixtures/pb/echo"

type srv struct {
	echo.UnimplementedEchoServer
	up echo.EchoClient
}

// Fixtures for grpccancelcheck's analyzers: a module that type-checks
// against the real google.golang.org/grpc and real generated code.
module example.com/fixtures

go 1.26.0

require (
	github.com/golang/protobuf v1.5.4
	github.com/grpccancelcheck/grpccancelcheck v0.0.0
	golang.org/x/sync v0.24.0
	google.golang.org/grpc v1.85.0
	google.golang.org/protobuf v1.36.12
)

require (
	golang.org/x/net v0.61.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.43.0 // indirect
	google.golang.org/genproto/googleapis/rpc v0.0.0-20260817212433-ac3dfec99bb1 // indirect
)

replace github.com/grpccancelcheck/grpccancelcheck => ../

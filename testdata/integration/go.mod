// A small Go module for the channel tests in integration/ (golangci-lint
// plugin, pre-commit, GitHub Actions): the kind of code a user runs
// grpccancelcheck on, with findings of every analyzer, using the generated
// gRPC code of the fixture module one directory up.
module example.com/integration

go 1.26.0

require example.com/fixtures v0.0.0-00010101000000-000000000000

require (
	golang.org/x/net v0.61.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.43.0 // indirect
	google.golang.org/genproto/googleapis/rpc v0.0.0-20260817212433-ac3dfec99bb1 // indirect
	google.golang.org/grpc v1.85.0 // indirect
	google.golang.org/protobuf v1.36.12 // indirect
)

replace example.com/fixtures => ../

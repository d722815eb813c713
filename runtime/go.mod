// HashFinder, the reference gRPC service grpccancelcheck lints and
// measures (runtime/README.md). A module of its own so that its gRPC and
// protobuf requirements stay out of the linter's go.mod, which
// `golangci-lint custom` merges into every user's build.
module github.com/grpccancelcheck/grpccancelcheck/runtime

go 1.26.0

require (
	google.golang.org/grpc v1.85.0
	google.golang.org/protobuf v1.36.12
)

require (
	golang.org/x/net v0.61.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.43.0 // indirect
	google.golang.org/genproto/googleapis/rpc v0.0.0-20260817212433-ac3dfec99bb1 // indirect
)

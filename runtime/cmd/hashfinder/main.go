// Command hashfinder serves and calls the HashFinder reference gRPC service
// of grpccancelcheck: a brute-force search for strings whose base64 SHA-1
// contains a target. See runtime/README.md.
//
//	hashfinder serve -addr 127.0.0.1:50051 -max-hashes 50000000 [-naive]
//	hashfinder find -addr 127.0.0.1:50051 -target doctor -max-distance 1 -timeout 10s
//	hashfinder findrange -addr 127.0.0.1:50051 -target doc -timeout 2s
//
// SIGINT or SIGTERM stops a server (cancelling its RPCs in flight) or
// cancels a call.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/grpccancelcheck/grpccancelcheck/runtime/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

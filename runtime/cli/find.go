package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/grpccancelcheck/grpccancelcheck/runtime/hashfinderpb"
)

// runFind calls Find, or FindRange when stream is set, and prints the
// matches to stdout, one a line. A failed call prints its status to stderr.
func runFind(ctx context.Context, args []string, stdout, stderr io.Writer, stream bool) int {
	name := "hashfinder find"
	if stream {
		name = "hashfinder findrange"
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", defaultAddr, "`host:port` of the server")
	target := fs.String("target", "", "string to look for in the base64 SHA-1 of candidates (required)")
	maxDistance := fs.Uint("max-distance", 0, "largest Hamming distance that still counts as a match")
	timeout := fs.Duration("timeout", 10*time.Second, "deadline of the call; must be positive")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *target == "" || *timeout <= 0 {
		fmt.Fprintf(stderr, "%s: -target is required and -timeout must be positive\n", name)
		return ExitUsage
	}

	conn, err := grpc.NewClient(*addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		fmt.Fprintf(stderr, "%s: connect to %s: %v\n", name, *addr, err)
		return ExitFailed
	}
	defer conn.Close()
	client := hashfinderpb.NewHashFinderClient(conn)
	req := &hashfinderpb.FindRequest{Target: *target, MaxDistance: uint32(*maxDistance)}

	// Every call carries a deadline; ctx (Ctrl-C) cancels it sooner.
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	if stream {
		err = findRange(ctx, client, req, stdout)
	} else {
		err = find(ctx, client, req, stdout)
	}
	if err != nil {
		st := status.Convert(err)
		fmt.Fprintf(stderr, "%s: %s: %s\n", name, st.Code(), st.Message())
		return ExitFailed
	}
	return ExitOK
}

// find calls Find and prints its match.
func find(ctx context.Context, client hashfinderpb.HashFinderClient, req *hashfinderpb.FindRequest, stdout io.Writer) error {
	m, err := client.Find(ctx, req)
	if err != nil {
		return err
	}
	printMatch(stdout, m)
	return nil
}

// findRange calls FindRange and prints its matches as they arrive.
func findRange(ctx context.Context, client hashfinderpb.HashFinderClient, req *hashfinderpb.FindRequest, stdout io.Writer) error {
	stream, err := client.FindRange(ctx, req)
	if err != nil {
		return err
	}
	// Recv fails soon after ctx ends, though it may first return matches
	// already received; the loop stops at once.
	for ctx.Err() == nil {
		m, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		printMatch(stdout, m)
	}
	return status.FromContextError(ctx.Err()).Err()
}

func printMatch(w io.Writer, m *hashfinderpb.Match) {
	fmt.Fprintf(w, "secret=%q hash=%s distance=%d hashes=%d\n", m.GetSecret(), m.GetHash(), m.GetDistance(), m.GetHashes())
}

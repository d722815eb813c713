package dials

import (
	"testing"

	"google.golang.org/grpc"
)

// The tests' own dials wait for the connection.
func TestDial(t *testing.T) {
	p := newOptsProvider()
	p.opts = append(p.opts, grpc.WithBlock())
	_ = p
}

package ctxdeadline

import (
	"context"
	"time"

	"google.golang.org/grpc/metadata"

	"example.com/fixtures/pb/echo"
)

// Long chains of rewrites of one context variable, as SDK clients make
// before every request (aws-sdk-go-v2's generated invokeOperation rewrites
// ctx nine times). Every rewrite reads the one before it, so the model has
// to follow one definition per step. It used to evaluate every definition
// again from each one it visited, in every order: minutes for nine
// rewrites, forever for the twenty-four below. These fixtures finish in
// milliseconds or the test times out.

type chainKey int

// chained rewrites a detached context twenty-four times; none of the
// rewrites adds a deadline, so the call is reported.
func chained(c echo.EchoClient) error {
	ctx := context.Background()
	ctx = metadata.AppendToOutgoingContext(ctx, "k0", "v")
	ctx = context.WithValue(ctx, chainKey(0), 0)
	ctx = metadata.AppendToOutgoingContext(ctx, "k1", "v")
	ctx = context.WithValue(ctx, chainKey(1), 1)
	ctx = metadata.AppendToOutgoingContext(ctx, "k2", "v")
	ctx = context.WithValue(ctx, chainKey(2), 2)
	ctx = metadata.AppendToOutgoingContext(ctx, "k3", "v")
	ctx = context.WithValue(ctx, chainKey(3), 3)
	ctx = metadata.AppendToOutgoingContext(ctx, "k4", "v")
	ctx = context.WithValue(ctx, chainKey(4), 4)
	ctx = metadata.AppendToOutgoingContext(ctx, "k5", "v")
	ctx = context.WithValue(ctx, chainKey(5), 5)
	ctx = metadata.AppendToOutgoingContext(ctx, "k6", "v")
	ctx = context.WithValue(ctx, chainKey(6), 6)
	ctx = metadata.AppendToOutgoingContext(ctx, "k7", "v")
	ctx = context.WithValue(ctx, chainKey(7), 7)
	ctx = metadata.AppendToOutgoingContext(ctx, "k8", "v")
	ctx = context.WithValue(ctx, chainKey(8), 8)
	ctx = metadata.AppendToOutgoingContext(ctx, "k9", "v")
	ctx = context.WithValue(ctx, chainKey(9), 9)
	ctx = metadata.AppendToOutgoingContext(ctx, "k10", "v")
	ctx = context.WithValue(ctx, chainKey(10), 10)
	ctx = metadata.AppendToOutgoingContext(ctx, "k11", "v")
	ctx = context.WithValue(ctx, chainKey(11), 11)
	_, err := c.Unary(ctx, msg) // want `gRPC call echo.EchoClient.Unary uses ctx \(from context.Background\(\)\), which has no deadline`
	return err
}

// chainedParam rewrites its context parameter through functions the model
// does not know (function values), as invokeOperation does through its
// middleware; they may add a deadline, so
// neither chainedParam nor its callers are reported.
func chainedParam(ctx context.Context, c echo.EchoClient) error {
	ctx = rewrite(ctx, 0)
	ctx = context.WithValue(ctx, chainKey(0), 0)
	ctx = rewrite(ctx, 1)
	ctx = context.WithValue(ctx, chainKey(1), 1)
	ctx = rewrite(ctx, 2)
	ctx = context.WithValue(ctx, chainKey(2), 2)
	ctx = rewrite(ctx, 3)
	ctx = context.WithValue(ctx, chainKey(3), 3)
	ctx = rewrite(ctx, 4)
	ctx = context.WithValue(ctx, chainKey(4), 4)
	ctx = rewrite(ctx, 5)
	ctx = context.WithValue(ctx, chainKey(5), 5)
	ctx = rewrite(ctx, 6)
	ctx = context.WithValue(ctx, chainKey(6), 6)
	ctx = rewrite(ctx, 7)
	ctx = context.WithValue(ctx, chainKey(7), 7)
	ctx = rewrite(ctx, 8)
	ctx = context.WithValue(ctx, chainKey(8), 8)
	ctx = rewrite(ctx, 9)
	ctx = context.WithValue(ctx, chainKey(9), 9)
	ctx = rewrite(ctx, 10)
	ctx = context.WithValue(ctx, chainKey(10), 10)
	ctx = rewrite(ctx, 11)
	ctx = context.WithValue(ctx, chainKey(11), 11)
	_, err := c.Unary(ctx, msg)
	return err
}

// rewrite is a function value: the model does not know what it does.
var rewrite = func(ctx context.Context, i int) context.Context {
	return context.WithValue(ctx, chainKey(-i), i)
}

func callsChainedParam(c echo.EchoClient) error {
	return chainedParam(context.Background(), c) // silent: rewrite may add a deadline
}

// branches rewrites its context on both arms of sixteen if statements in a
// row: 2^16 paths, which the model must not walk one by one. No path adds
// a deadline: reported.
func branches(c echo.EchoClient, flags []bool) error {
	ctx := context.Background()
	if flags[0] {
		ctx = context.WithValue(ctx, chainKey(0), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b0", "v")
	}
	if flags[1] {
		ctx = context.WithValue(ctx, chainKey(1), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b1", "v")
	}
	if flags[2] {
		ctx = context.WithValue(ctx, chainKey(2), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b2", "v")
	}
	if flags[3] {
		ctx = context.WithValue(ctx, chainKey(3), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b3", "v")
	}
	if flags[4] {
		ctx = context.WithValue(ctx, chainKey(4), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b4", "v")
	}
	if flags[5] {
		ctx = context.WithValue(ctx, chainKey(5), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b5", "v")
	}
	if flags[6] {
		ctx = context.WithValue(ctx, chainKey(6), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b6", "v")
	}
	if flags[7] {
		ctx = context.WithValue(ctx, chainKey(7), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b7", "v")
	}
	if flags[8] {
		ctx = context.WithValue(ctx, chainKey(8), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b8", "v")
	}
	if flags[9] {
		ctx = context.WithValue(ctx, chainKey(9), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b9", "v")
	}
	if flags[10] {
		ctx = context.WithValue(ctx, chainKey(10), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b10", "v")
	}
	if flags[11] {
		ctx = context.WithValue(ctx, chainKey(11), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b11", "v")
	}
	if flags[12] {
		ctx = context.WithValue(ctx, chainKey(12), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b12", "v")
	}
	if flags[13] {
		ctx = context.WithValue(ctx, chainKey(13), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b13", "v")
	}
	if flags[14] {
		ctx = context.WithValue(ctx, chainKey(14), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b14", "v")
	}
	if flags[15] {
		ctx = context.WithValue(ctx, chainKey(15), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b15", "v")
	}
	_, err := c.Unary(ctx, msg) // want `gRPC call echo.EchoClient.Unary uses ctx \(from context.Background\(\)\), which has no deadline`
	return err
}

// branchesTimeout is branches with a timeout on one arm of the last if:
// a deadline on some path keeps it silent.
func branchesTimeout(c echo.EchoClient, flags []bool) error {
	ctx := context.Background()
	if flags[0] {
		ctx = context.WithValue(ctx, chainKey(0), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b0", "v")
	}
	if flags[1] {
		ctx = context.WithValue(ctx, chainKey(1), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b1", "v")
	}
	if flags[2] {
		ctx = context.WithValue(ctx, chainKey(2), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b2", "v")
	}
	if flags[3] {
		ctx = context.WithValue(ctx, chainKey(3), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b3", "v")
	}
	if flags[4] {
		ctx = context.WithValue(ctx, chainKey(4), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b4", "v")
	}
	if flags[5] {
		ctx = context.WithValue(ctx, chainKey(5), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b5", "v")
	}
	if flags[6] {
		ctx = context.WithValue(ctx, chainKey(6), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b6", "v")
	}
	if flags[7] {
		ctx = context.WithValue(ctx, chainKey(7), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b7", "v")
	}
	if flags[8] {
		ctx = context.WithValue(ctx, chainKey(8), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b8", "v")
	}
	if flags[9] {
		ctx = context.WithValue(ctx, chainKey(9), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b9", "v")
	}
	if flags[10] {
		ctx = context.WithValue(ctx, chainKey(10), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b10", "v")
	}
	if flags[11] {
		ctx = context.WithValue(ctx, chainKey(11), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b11", "v")
	}
	if flags[12] {
		ctx = context.WithValue(ctx, chainKey(12), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b12", "v")
	}
	if flags[13] {
		ctx = context.WithValue(ctx, chainKey(13), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b13", "v")
	}
	if flags[14] {
		ctx = context.WithValue(ctx, chainKey(14), true)
	} else {
		ctx = metadata.AppendToOutgoingContext(ctx, "b14", "v")
	}
	if flags[15] {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Second)
		defer cancel()
	}
	_, err := c.Unary(ctx, msg)
	return err
}

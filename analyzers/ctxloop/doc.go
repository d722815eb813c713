// Package ctxloop defines an Analyzer that reports loops in gRPC handlers
// that never observe cancellation.
//
// # Analyzer ctxloop
//
// ctxloop: check that loops in gRPC handlers observe cancellation
//
// gRPC cannot interrupt a running handler: when the client cancels or the
// deadline passes, the request context is done, and the handler must notice
// and stop. A loop that never looks keeps a core busy and its goroutine alive
// after nobody wants the answer.
//
// WRONG:
//
//	func (s *server) Find(ctx context.Context, req *pb.FindRequest) (*pb.Match, error) {
//		var search hashsearch.Searcher
//		for {
//			if !search.Next() {
//				return nil, status.Error(codes.NotFound, "no match")
//			}
//			if d, ok := search.Match([]byte(req.Target), int(req.MaxDistance)); ok {
//				return &pb.Match{Secret: string(search.Secret()), Distance: uint32(d)}, nil
//			}
//		}
//	}
//
// RIGHT:
//
//	for {
//		if search.Hashes()%1024 == 0 && ctx.Err() != nil {
//			return nil, status.FromContextError(ctx.Err()).Err()
//		}
//		...
//	}
//
// Scope is the model shared with ctxdetach: methods of types that implement
// a generated service server interface, server interceptors, and function
// literals inside them, goroutines included.
//
// Loops worth reporting: a loop with no condition (for {}, for i := 0; ; i++);
// a search or poll condition, that is a boolean variable or field or its
// negation (for !found); a loop whose condition is a call (for !ready()) when
// its body waits (time.Sleep, a receive from time.After or any channel) or is
// empty; any non-counted loop whose body waits; and range over a channel.
//
// Not worth reporting: range over slices, arrays, maps, strings, integers and
// iterator functions; counted loops (a comparison condition with a post
// statement, such as i < n; i++); loops whose condition is a call and whose
// body does not wait, which is how finite results are iterated
// (rows.Next(), scanner.Scan()); and loops that leave on the error of a call
// made in the loop (for { tok, err := dec.Token(); if err != nil { break } }),
// which iterate a finite source the same way.
//
// Observing cancellation, anywhere in the loop's condition, post statement
// or body, on any path: ctx.Err(), ctx.Done() (a select with a <-ctx.Done()
// case included) or context.Cause(ctx) on any context that is not detached;
// a receive from a channel obtained from ctx.Done(); passing a context that
// is not detached, or the stream, to a call, unless the callee only reads
// values from its context (metadata.FromIncomingContext, peer.FromContext,
// a loggerFrom(ctx) of yours: the model's readsValues fact, any package);
// and Send, Recv, SendMsg or RecvMsg on a stream when an error from it
// leaves the loop (return, break, or the loop's condition). A Send whose error is ignored or only logged does
// not count: such a loop spins once the client is gone.
//
// Borderline decisions, each backed by a fixture:
//
//   - A counted loop bounded by a client-supplied count (i < int(req.N)) is
//     not reported: it is bounded, and bounding client input is validation,
//     not cancellation.
//   - A check behind a rare condition (every 1024th iteration) observes
//     cancellation: that is the recommended way to keep the check cheap.
//   - A loop over a channel is not reported when a goroutine started in the
//     same handler that sends on or closes the channel observes cancellation:
//     the producer ends the loop by closing the channel.
//   - Nested loops are judged one by one: an unbounded inner loop is reported
//     even when the outer loop ranges over finite data, and an outer loop
//     whose inner loop checks the context observes cancellation.
//
// Through helpers: a function (in any package) that takes no context (no
// context.Context parameter, no parameter with a Context method such as a
// stream) and contains a reportable loop gets a fact; a call to it from
// handler scope is reported, with the loop as related position. The fact is
// transitive through calls made directly in such functions' bodies. A call
// that is a loop's condition (for it.Next()) is not reported and passes no
// fact on: the loop is judged by its shape, which takes the call for an
// iterator over finite results, and a loop inside the iterator (skipping
// duplicates, refilling a buffer) is one of its steps.
//
// A suggested fix inserts a cancellation check at the top of the loop body
// that returns the context's error, as a gRPC status error
// (status.FromContextError) in handlers and interceptors, when the loop sits
// directly in the handler, exactly one request context is in scope, and the
// results of the function allow it (an error last, other results nil-able).
//
// # Flags
//
// ctxloop has no flags.
package ctxloop

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
// literals inside them, goroutines included. A literal passed straight to
// (*sync.Once).Do is in the scope too: Do runs it in the calling handler,
// which waits for it; a goroutine it starts is the server's. So is a stream
// function: a function that takes a gRPC server stream and no context
// (go-control-plane's StreamHandler(stream, typeURL), which the generated
// handler calls with its stream), judged as a handler of its own with the
// stream's Context() as request context; fields of its receiver count as
// the server's only when the receiver is a server type (one with handler
// methods), since a per-stream object may hold the stream's context. A
// function that also takes a *testing.T, B, F or TB is a test's helper,
// and one whose stream parameter has a concrete type (a test's buffering
// fake; gRPC hands handlers an interface) serves no RPC: neither is a
// stream function.
//
// Not the RPC's work: code that runs deferred (defer cleanup(), defer
// func() { ... }()) and dead code (the branch a constant condition skips,
// if false { ... }). A handler's deferred cleanup (shut a shared buffer
// down after waiting for its flush) runs as the handler returns and must
// run to its end: checking the RPC's context there would drop the
// cleanup, not end a leak. The same code in the handler's body is judged.
//
// Tests: _test.go files are checked, with one difference: a call into a
// helper whose loop never checks (a report through a fact) is not
// reported there. The loop is out of sight of whoever reads the test, and
// a test that hangs in it ends at go test's -timeout. Loops written in a
// test's own handlers (a fake server's Recv loop) are still reported.
//
// The rule: a loop in handler scope observes cancellation only if every
// point where it can block wakes when the request context ends, and the
// loop then leaves.
//
// Blocking points: a select without a default clause, a channel send or
// receive outside a select (a range over a channel included), time.Sleep,
// and a call of a function that blocks (below). sync.Cond.Wait and
// sync.WaitGroup.Wait are not counted: they wait for work in progress
// (another goroutine's critical section, the handler's own goroutines,
// each judged on its own), as Mutex.Lock does.
//
// What wakes: a receive from Done() of the request context or a context
// derived from it (a server or component lifetime context, such as a field
// of the handler's receiver, s.ctx, or a quit channel, does not wake on the
// RPC's end), or from a variable holding one; a receive from a local
// channel whose producers, started in the handler, observe cancellation, or
// that the handler closes, from a struct field's channel that the handler
// closes, itself or in a function of the package it calls
// (close(sws.closec) in sws.close(), when the stream ends: etcd-io/etcd#18739's
// fix), or that a goroutine the handler starts closes when it returns and
// that observes cancellation (istio's receiveDelta: defer
// close(con.deltaReqChan), then Recv until the stream ends), the field
// named directly or through an accessor method of any package, one whose
// body is return c.f (con.ErrorCh(): the chanAccessor fact); a receive in
// a return statement waits once, on the way out, and makes no loop a
// polling one; from a channel returned by a call given the
// request context or a stream (eventq, errq := events.Subscribe(ctx); for
// m := range readChannel(clientStream): what feeds them knows when the RPC
// ends) or passed to such a call (c.solver.Status(ctx,
// ref, ch), run by an errgroup's Go), itself or in a struct passed to it
// (stackruntime.Plan(ctx, &req, &resp), resp holding the channels, or
// taken out of it: hashicorp/terraform's plan and apply streams), or from
// a channel parameter (its producers are out of sight); a select that
// receives from such a channel wakes whatever else it waits on (a
// server-wide stop channel beside the RPC producer's channels); a send on the channel of a request handed over, a value
// received from a channel or type-asserted from a queue (case r := <-s.send:
// r.reply <- err; req := item.(*request); req.response <- resp): a reply
// on the requester's channel, made where the request was with room for its
// one reply or a receiver that waits for it, neither side in view; a
// worker's one send on a results channel made with a buffer of len(X),
// once per job received from a jobs channel on which the handler sends
// once per element of a range over the same X (at most len(X) results are
// ever sent: grafana/tempo's FindTraces worker pool); a send on a local channel that the handler
// drains with a range loop that never leaves early, or that the handler's
// own code makes (not a goroutine it starts: the receivers are the
// handler's goroutines, judged at their loops), a send on a struct field's
// channel that a worker outside any RPC's scope serves with a loop that
// ends only with the channel (a constructor's go func() { for r := range
// s.q { ... } }(), or that leaves only on a signal, case <-s.quit: or
// case <-ctx.Done(): the send waits for the worker's backlog, not for
// good, while the worker's owner keeps it; a worker that can return on its
// own, on a value or after a timer, or one the RPC starts, is no such
// server), a send on a struct field's channel that the package neither
// makes nor receives from, nor any channel of its element type (the other
// side is out of view: skywalking-satellite's receivers send on their
// pipeline's channel; grpc-go's grpclb tests, which make and drain the
// fake balancer's stats channel in locals, stay judged), a
// send in a select with a case on a signal that the
// serving worker closes as it returns (gobgp's mgmtOperation) or on which
// alone it leaves, a field nothing sends on, only closes (open-match's
// cutoffSender: the worker, which may be the RPC's, is there to take the
// value or the signal is closed; a worker that can also leave on another
// channel is no such server), and a last send just before the loop leaves
// (errCh <- err; return) unless the channel is local and unbuffered. A
// worker receiving from a local channel that the package stores in one
// field (c := &T{in: in}) serves that field. A send on a local channel
// made with a constant buffer, each send on it followed at once by its
// close and the channel handed to no other code, runs at most once (a
// second would panic) into an empty buffer: silent (bazel-remote's
// ByteStream Write hands over the first message's resource name so).
// Stream Recv, Send, RecvMsg and SendMsg return when the stream's context
// ends: they observe cancellation when their error leaves the loop. A
// blocking point that does not wake is reported there, naming what it waits
// on (related position: the loop):
//
// WRONG (envoyproxy/go-control-plane#430):
//
//	go func() {
//		for {
//			req, err := stream.Recv()
//			if err != nil {
//				return
//			}
//			select { // blocks for good once the handler has returned
//			case reqCh <- req:
//			case <-s.ctx.Done(): // the server's lifetime
//				return
//			}
//		}
//	}()
//
// RIGHT:
//
//	select {
//	case reqCh <- req:
//	case <-stream.Context().Done():
//		return
//	}
//
// A bounded wait (time.Sleep, a receive from a timer) ends by itself; it is
// reported only when the loop can come back to it without passing a point
// where it observes cancellation: tail -f, which sleeps at EOF and reads
// again, never reaching the Send whose error would end the loop. That is a
// question for the function's control-flow graph, built only for loops that
// observe cancellation somewhere and hold such a wait, at most eight per
// function. A periodic loop whose every round passes a check or a Send is
// silent.
//
// Loops worth reporting at the loop, when nothing in them observes
// cancellation: a loop with no condition (for {}, for i := 0; ; i++: a loop
// without a condition is unbounded whatever its init and post); a search
// condition: a boolean variable or field or its negation (for !found), or
// a variable or field compared equal to its type's zero value (for found
// == "", for res == nil: the loop runs while nothing is found yet); a loop
// whose condition is a call (for !ready()) when its body waits or is
// empty; any non-counted loop whose body waits; and range over a channel.
//
// Not worth reporting: range over slices, arrays, maps, strings, integers and
// iterator functions; range over a channel that a snapshot iterator returns
// (concurrent-map's IterBuffered: a function, in any package, that makes
// the channel with a buffer sized by the data, len or cap summed, and
// closes it, itself or in a goroutine it starts: the snapshotChan fact),
// which ends with the data, unlike a channel of changes that is never
// closed; counted loops (a comparison condition with a post
// statement, such as i < n; i++); a loop whose condition compares with
// another value (for e != nil { e = e.Next() }, for tok != EOF), which
// iterates to an end; loops whose condition is a call and whose body does
// not wait, which is how finite results are iterated (rows.Next(),
// scanner.Scan()), and so are loops on an iterator's "more" flag, every
// assignment of which is the bool beside the item of a Next step
// (for more { frame, more = frames.Next() }); loops that leave on the error of a call made in the loop
// (for { tok, err := dec.Token(); if err != nil { break } }), which iterate
// a finite source the same way, unless they wait (tail -f polls); and
// bounded computations.
//
// Bounded computations and searches: what separates them is what a loop's
// exits test. A bounded computation's exit compares local state that the
// loop itself advances, computed without calls, with a bound the loop does
// not change: a counter it steps (y++ and y > maxYear), a cursor it moves
// through data in memory (v, ok := m[cur]; !ok; cur = v.next; cur ==
// target; err = errors.Unwrap(err) down an error's chain to nil, with any
// package's func(error) error named Unwrap), the
// bounds of a binary search. How long it runs is a property of that data. A search's exits test what calls compute (!s.Next(),
// hash(n) == target, a value assigned from a call): how long it runs
// depends on work whose bound the analyzer cannot see, and it is reported.
// So is a loop whose exit reads shared state (a field, a package variable,
// an atomic load: another goroutine ends it), and a loop that waits. A
// loop that indexes, on every iteration, an array, or a local slice or
// string it does not assign, with a counter it steps by a constant on
// every iteration (for { if yyExca[xi] == -1 && yyExca[xi+1] == state {
// break }; xi += 2 }, goyacc's table scan) is bounded by that length too,
// whatever its exits test: past the end the index panics. A counter that
// only feeds calls (hash(n) == target) bounds nothing. So is a loop that
// iterates a call to its fixed point (for { parent := path.Dir(s); if
// parent == s { break }; s = parent }): each round computes on the last
// one's result and compares the two; a walk that waits to meet a target
// instead (parent == root, which path.Dir may never reach) is a search. A
// helper whose loop is a bounded computation has no fact. Nor is an
// optimistic update a spin: a loop that leaves when its sync/atomic
// CompareAndSwap succeeds (alone or as an operand of ||: if cur <= peak ||
// v.CompareAndSwap(peak, cur)) goes round again only when another
// goroutine changed the value in between, and never waits for anyone.
// Nor is rejection sampling: a loop that draws a random candidate
// (math/rand, math/rand/v2, crypto/rand) on every round and leaves when it
// is not taken (id = rand.Uint64(); if reg.Get(id) == nil { break }) goes
// round again only on a collision; a random search that leaves on a hit
// (if hash(n) < target) is still reported. A select wakes when any of its cases does: a receive from a server's
// shutdown channel next to one from a local channel whose producers
// observe cancellation (the error of the RPC's Recv goroutine) is no wait.
//
// Observing cancellation, anywhere in the loop's condition, post statement
// or body, on any path: ctx.Err(), ctx.Done() (a select with a <-ctx.Done()
// case included) or context.Cause(ctx) on any context that is not detached
// and not the server's (a field of the handler's receiver);
// a receive from a channel obtained from ctx.Done(); passing a context that
// is not detached, or the stream, to a call, unless the callee only reads
// values from its context (metadata.FromIncomingContext, peer.FromContext,
// a loggerFrom(ctx) of yours: the model's readsValues fact, any package);
// and Send, Recv, SendMsg or RecvMsg on a stream when an error from it
// leaves the loop (return, break, or the loop's condition). A Send whose
// error is ignored or only logged does not count: such a loop spins once
// the client is gone. Nor does a test that leaves on named errors only
// (if err == io.EOF { return nil }, errors.Is(err, io.EOF)) while other
// errors are logged: after a cancel, Recv returns the same error forever.
// A stream operation in a return statement (return stream.Send(m)) is a
// way out, not a check.
//
// Borderline decisions, each backed by a fixture:
//
//   - A counted loop bounded by a client-supplied count (i < int(req.N)) is
//     not reported: it is bounded, and bounding client input is validation,
//     not cancellation.
//   - A check behind a rare condition (every 1024th iteration) observes
//     cancellation: that is the recommended way to keep the check cheap.
//   - A loop over a channel is not reported when a goroutine started in the
//     same handler that sends on or closes the channel observes cancellation
//     (in its literal, or in the body of a function of the package it runs:
//     go receiveThread(con, ch), go func() { errc <- sws.recvLoop() }()):
//     the producer ends the loop by closing the channel.
//   - Nested loops are judged one by one: an unbounded inner loop is reported
//     even when the outer loop ranges over finite data, and an outer loop
//     whose inner loop checks the context observes cancellation. A sleep
//     inside an inner loop that is reported on its own is that loop's
//     finding: the loop around it is judged without it (a drain of a queue
//     that retries each write with a sleep is an iterator; the retry loop
//     is reported).
//   - for s.rebuilding { s.cond.Wait() } is not reported: a Cond waits for
//     another goroutine's critical section, like Lock, and no context check
//     can wake it (ctx.Err() runs only once Wait returns). Where the wait can
//     be long, the remedy is context.AfterFunc(ctx, cond.Broadcast) with
//     ctx.Err() in the loop's condition.
//   - Finite loops that do heavy work per iteration (etcd-io/etcd#12459 read
//     1M revisions one by one; uber/tango#58 ran CPU-heavy nested loops) are
//     silent by default: they are bounded. -ctxloop.finite reports those
//     that, without any check, call on every iteration a function of
//     another package outside the standard library, in handler scope and
//     through helpers.
//   - A poll inside a literal passed straight to (*sync.Once).Do is the
//     handler's and reported: Do runs it in the calling handler, which waits
//     for it. A goroutine that literal starts, and a literal given to
//     sync.OnceFunc or OnceValue, run for the server: not judged.
//   - Only loops that may be unbounded are judged by their blocking points:
//     a send in a range over a slice is not (the loop ends with the data).
//
// Through helpers: a function (in any package) that takes no context (no
// context.Context parameter, no parameter with a Context method such as a
// stream) and contains a reportable loop gets a fact; a call to it from
// handler scope is reported, with the loop as related position. The fact is
// transitive through calls made directly in such functions' bodies, but not
// through a go statement in a helper: a goroutine a helper starts (Start
// running go s.loop(), ended by its own quit channel) belongs to the object
// it is started for, not to the RPC of a handler that calls the helper. A
// go statement directly in handler scope stays judged. A call
// that is a loop's condition (for it.Next()) is not reported and passes no
// fact on: the loop is judged by its shape, which takes the call for an
// iterator over finite results, and a loop inside the iterator (skipping
// duplicates, refilling a buffer) is one of its steps. Nor does a helper's
// loop that does not wait and leaves when a call it makes reports that
// there is nothing more (if !p.more() { break }; tok, ok := p.next(); if
// !ok { return }; c := l.next(); if c == eof { return }, where the call's
// arguments mention nothing the loop carries from one round to the next
// but a cursor set from what the call returned, and len(page) == 0 counts
// as nothing more: a walk page by page, start = page[len(page)-1].End)
// give a fact: that is how a parser, lexer or decoder consumes
// its input (spicedb's schema parser, three packages below the handler
// that calls it), as for it.Next() iterates results. A search leaves when
// it finds (if _, ok := s.Match(t); ok { return }), and its helper keeps
// the fact. In handler scope the same loop is still reported: there it is
// the RPC's own work, in code the reader has in front of them; through a
// fact it is a step of a library the tool cannot see the input of, and
// the decision leans to silence. For the same reason a helper's loop that
// does not wait and computes on memory only (no call other than a builtin,
// a conversion or an Unwrap, no receive: for endorsers == nil { ...;
// p.next++ } over a plan it holds) gives no fact, whatever its exits test,
// unless an exit spins on shared state (for p.pending == 0 {}: an exit
// that reads a field or package variable and mentions nothing the loop
// assigns), which waits for another goroutine. Nor does a helper's loop
// that does not wait and carries nothing from one round to the next (it
// assigns no variable declared before it, writes no field or element,
// steps nothing, calls no method on a local it keeps across rounds: for {
// vl := t.layout(name); if vl.register(v) { return } }): every round starts
// afresh, and it goes round again only when another goroutine changed what
// it reads in between, an optimistic retry like a CompareAndSwap loop.
// Nor does a walk of a finite tree or list through a field of a node's own
// type that leaves where the field is nil (for { for i, n := range starts
// { if n.hasIdle() { return n }; if n.parent == nil { return nil };
// starts[i] = n.parent } }): every round moves the cursors a step toward
// the root.
//
// A call that hands the helper the RPC's stream, as an argument or
// receiver, directly (HandleChaincodeStream(stream), a helper whose
// parameter is a narrower interface without Context) or through a value
// the handler built on the stream or its context (conn :=
// store.onConnected(stream, info); conn.serve()), is not reported: the
// helper's loop waits on what the stream feeds (its Recv goroutine's
// error) and ends with it, behind a type the tool cannot see through. A go
// statement so stays judged (go agg.Start(), an aggregator built on the
// stream whose loop has no exit at all).
//
// Goroutines the handler starts: go f(args), or a go statement whose
// literal calls f directly (go func() { errc <- sws.recvLoop() }()), where
// f is a function of the package that takes no context.Context and the
// call hands it something of the handler's own (its stream, its request, a
// channel or object it made). The loops of f that are not reported as a
// whole are judged as the goroutine's, with f's parameters standing for
// what the handler passed (a channel the handler drains is always
// received); a blocking point that does not wake is reported in f:
//
// WRONG (istio/istio#10822):
//
//	func receiveThread(con *xdsConnection, reqCh chan *pb.Request) {
//		for {
//			req, err := con.stream.Recv()
//			if err != nil {
//				return
//			}
//			reqCh <- req // the handler's main loop may have returned
//		}
//	}
//	...
//	go receiveThread(con, reqCh)
//
// RIGHT:
//
//	select {
//	case reqCh <- req:
//	case <-con.stream.Context().Done():
//		return
//	}
//
// A goroutine that a unary handler starts and does not wait for (no
// receive, range over a channel or Wait call in the handler outside its
// go statements: grpcctx's HandlerWaits) is work meant to outlive the RPC:
// a restore the client polls for, a notification sent after the answer.
// gRPC cancels the request context as the handler returns, so waking on
// it would abandon the work at once: none of that goroutine's loops,
// waits or helper calls is judged. A streaming handler's goroutines serve
// its stream and stay judged, as does a goroutine the handler waits for.
//
// Not followed: go s.loop() whose receiver and arguments are the server's
// own (a worker of the server), go statements in helpers (a constructor or
// Start method starts a worker for its object), goroutines under
// sync.Once.
//
// Calls of functions that block: a function of the module gets the blocks
// fact when its body (outside literals, go and defer statements) can block
// where no context wakes it: a send, outside a select, on a channel in an
// unexported field of one of its package's types that no process-lifetime
// worker serves (see What wakes); a receive from such a channel that the
// package sends on and makes only unbuffered (a buffered one is as often a
// semaphore's release, one never sent on is a signal closed once, a ready
// gate or a worker's done, waited for as WaitGroup.Wait is); a select
// without default whose every case is such a send or receive, one of them
// on a queue (a case on any context's Done(), a timer, a parameter, local
// or returned channel wakes it: when unsure, stay silent); or a call of a
// function with the fact made on every path (not in a branch of an if,
// switch or select, which the caller's arguments may steer around the
// wait). A loop in handler scope that calls such a function, directly in
// its body, blocks there, whatever else it observes (a Recv whose error
// leaves, a context passed to the call): reported at the call, with the
// blocking point as related position. A function with a blindLoop fact is
// reported as a blind helper instead.
//
// WRONG:
//
//	func (w *watcher) next() *pb.Event { return <-w.events }
//	...
//	for {
//		if err := stream.Send(w.next()); err != nil { // parked in next after the client has gone
//			return err
//		}
//	}
//
// RIGHT:
//
//	func (w *watcher) next(ctx context.Context) (*pb.Event, error) {
//		select {
//		case ev := <-w.events:
//			return ev, nil
//		case <-ctx.Done():
//			return nil, ctx.Err()
//		}
//	}
//
// A hand-off outside any loop: a send in handler scope, outside a select,
// on a struct field's channel that the package makes only unbuffered and
// no loop of the package receives from, waits for a receiver that comes
// once, if at all (grpc/grpc-go#8911: a fake service handed each request to
// a test that had given up). It is reported; a buffered field, one whose
// making is out of sight, one a worker loop drains, and a local channel
// are not.
//
// A suggested fix inserts a cancellation check at the top of the loop body
// that returns the context's error, as a gRPC status error
// (status.FromContextError) in handlers and interceptors, when the loop sits
// directly in the handler, exactly one request context is in scope, and the
// results of the function allow it (an error last, other results nil-able).
// For a select that does not wake, the fix adds the missing case,
// case <-ctx.Done(), returning what the function around the select allows:
// nothing in a goroutine, ctx.Err() in a function whose results end in an
// error, a gRPC status in a handler.
//
// A for {} loop whose body starts with if c { break } is judged as for !c
// { ... } would be (a walk of an input until its end), unless the body
// steps a counter, which makes it a search over candidates. A loop that
// leaves when a wall-clock deadline fixed before it passes
// (time.Now().After(deadline), time.Since(start) > d) ends by itself and is
// not reported. A poll that leaves when a timer of its own fires (select {
// case <-timeout.C: return ...; case <-tick.C: ... }) is still reported:
// it polls on after the client has gone until the timer fires, the bug
// containerd/cri#44 fixed by adding the request context's Done. An exit
// that tests a field which a cursor method called in the loop steps
// (l.readChar(), a method that only computes from its receiver and assigns
// its fields, and l.ch == 0) is a walk of the receiver's data, like cur =
// cur.next.
//
// A helper's range over a channel parameter is judged at each call, by the
// channel the caller passes: silent when that channel's producers end with
// the RPC (a receive goroutine that closes it when Recv fails). A range
// over a channel that a call given the request context returns (changes,
// errs := w.Watch(ctx, ...)) ends with the RPC, as a select on it does.
//
// # Flags
//
// -ctxloop.finite: also report finite loops (ranges, counted loops) that
// call a function of another package, outside the standard library, on
// every iteration without any check. Off by default.
package ctxloop

// Package buggy reduces temporalio/temporal#1031, before the fix.
//
// Upstream: https://github.com/temporalio/temporal/pull/1031 (commit
// a6ce2f45, "Use proper context deadline when pushing activity to
// matching"). Original: service/history/timerQueueActiveTaskExecutor.go
// (executeActivityRetryTimerTask).
//
// The history service's timer-queue executor pushed a retried activity to
// the matching service through the generated client on
// context.Background(): when a matching host stopped answering, the call,
// and the queue processor slot running it, waited without limit. The fix
// gave the call transferActiveTaskDefaultTimeout.
package buggy

import (
	"context"

	"example.com/bugs/pb"
)

type timerTask struct {
	Queue string
	ID    int64
}

type timerQueueActiveTaskExecutor struct {
	matching pb.MatchingClient
}

func (e *timerQueueActiveTaskExecutor) execute(task timerTask) error {
	return e.executeActivityRetryTimerTask(task)
}

func (e *timerQueueActiveTaskExecutor) executeActivityRetryTimerTask(task timerTask) error {
	_, err := e.matching.AddActivityTask(context.Background(), &pb.Request{Key: task.Queue, Revision: task.ID}) // want ctxdeadline "no deadline"
	return err
}

// Package buggy reduces temporalio/temporal#1031, before the fix.
//
// Upstream: https://github.com/temporalio/temporal/pull/1031. Original:
// service/history/transferQueueActiveTaskExecutor.go (processActivityTask
// and its siblings), which push tasks to the matching service.
//
// The history service's transfer-queue executor pushed each activity task
// to the matching service through the generated client on
// context.Background(): when a matching host stopped answering, the call,
// and the queue processor slot running it, waited without limit. The fix
// gave each call a context with a timeout.
package buggy

import (
	"context"

	"example.com/bugs/pb"
)

type transferTask struct {
	Queue string
	ID    int64
}

type activeTaskExecutor struct {
	matching pb.MatchingClient
}

func (e *activeTaskExecutor) execute(task transferTask) error {
	return e.processActivityTask(task)
}

func (e *activeTaskExecutor) processActivityTask(task transferTask) error {
	_, err := e.matching.AddActivityTask(context.Background(), &pb.Request{Key: task.Queue, Revision: task.ID}) // want ctxdeadline "no deadline"
	return err
}

// Package fixed is temporalio/temporal#1031 after the fix: each push to the
// matching service has its own timeout. See ../buggy for the links.
package fixed

import (
	"context"
	"time"

	"example.com/bugs/pb"
)

const transferActiveTaskDefaultTimeout = 20 * time.Second

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
	ctx, cancel := context.WithTimeout(context.Background(), transferActiveTaskDefaultTimeout)
	defer cancel()
	_, err := e.matching.AddActivityTask(ctx, &pb.Request{Key: task.Queue, Revision: task.ID})
	return err
}

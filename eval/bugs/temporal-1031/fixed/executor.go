// Package fixed is temporalio/temporal#1031 after the fix: the push to the
// matching service has its own timeout. See ../buggy for the links.
package fixed

import (
	"context"
	"time"

	"example.com/bugs/pb"
)

const transferActiveTaskDefaultTimeout = 20 * time.Second

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
	ctx, cancel := context.WithTimeout(context.Background(), transferActiveTaskDefaultTimeout)
	defer cancel()
	_, err := e.matching.AddActivityTask(ctx, &pb.Request{Key: task.Queue, Revision: task.ID})
	return err
}

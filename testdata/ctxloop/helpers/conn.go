package helpers

// Conn is a per-stream connection of another package whose channels its
// owner's goroutines close and wait on through accessor methods (istio's
// pkg/xds.Connection).
type Conn struct {
	errorChan chan error
	stop      chan struct{}
}

func NewConn() *Conn { return &Conn{errorChan: make(chan error, 1), stop: make(chan struct{})} }

func (c *Conn) ErrorCh() chan error { return c.errorChan } // want ErrorCh:`chanAccessor\(errorChan\)`

func (c *Conn) StopCh() chan struct{} { return c.stop } // want StopCh:`chanAccessor\(stop\)`

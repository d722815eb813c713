// Package fixed is etcd-io/etcd#18739 after the fix: the receive loop's
// send also leaves when the handler closes closec. closec is closed by the
// handler itself once the stream is over, so it ends with the RPC even
// though it is not the stream context: a checker must accept it. See
// ../buggy for the links.
package fixed

import (
	"sync"

	"example.com/bugs/pb"
)

type serverWatchStream struct {
	gRPCStream pb.KV_WatchServer
	ctrlStream chan *pb.Response
	closec     chan struct{}
	wg         sync.WaitGroup
}

type watchServer struct {
	pb.UnimplementedKVServer
}

func (ws *watchServer) Watch(stream pb.KV_WatchServer) error {
	sws := &serverWatchStream{
		gRPCStream: stream,
		ctrlStream: make(chan *pb.Response, 16),
		closec:     make(chan struct{}),
	}
	sws.wg.Add(1)
	go func() {
		sws.sendLoop()
		sws.wg.Done()
	}()
	errc := make(chan error, 1)
	go func() {
		errc <- sws.recvLoop()
	}()
	var err error
	select {
	case err = <-errc:
	case <-stream.Context().Done():
		err = stream.Context().Err()
	}
	close(sws.closec)
	sws.wg.Wait()
	return err
}

func (sws *serverWatchStream) recvLoop() error {
	for {
		req, err := sws.gRPCStream.Recv()
		if err != nil {
			return err
		}
		select {
		case sws.ctrlStream <- &pb.Response{Key: req.Key, Revision: req.Revision}:
		case <-sws.closec:
			return nil
		}
	}
}

func (sws *serverWatchStream) sendLoop() {
	for {
		select {
		case wr := <-sws.ctrlStream:
			if err := sws.gRPCStream.Send(wr); err != nil {
				return
			}
		case <-sws.closec:
			return
		}
	}
}

// Package buggy reduces etcd-io/etcd#18739 (issue etcd-io/etcd#18704),
// before the fix.
//
// Upstream: https://github.com/etcd-io/etcd/issues/18704,
// https://github.com/etcd-io/etcd/pull/18739 ("terminate recvLoop on
// serverWatchStream.close()"). Original: server/etcdserver/api/v3rpc/
// watch.go (watchServer.Watch, serverWatchStream.recvLoop and sendLoop).
//
// The Watch handler runs a receive loop and a send loop; the receive loop
// answers control requests by sending on ctrlStream, which only the send
// loop reads. When the stream ended, the send loop left on closec and the
// receive loop's next send blocked forever: tens of thousands of leaked
// goroutines on a cluster with many clients. The fix put the send in a
// select with closec, which the handler closes when the stream ends.
package buggy

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
		sws.ctrlStream <- &pb.Response{Key: req.Key, Revision: req.Revision} // want ctxloop "ctrlStream|Done|closec"
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

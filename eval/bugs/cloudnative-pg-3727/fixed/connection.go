// Package fixed is cloudnative-pg/cloudnative-pg#3727 after the fix: the
// connection carries a timeout interceptor, so every unary call on clients
// made from it has a deadline. See ../buggy for the links.
package fixed

import (
	"context"
	"time"

	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/timeout"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"example.com/bugs/pb"
)

// defaultTimeout bounds every unary call on a plugin connection.
const defaultTimeout = 30 * time.Second

type pluginData struct {
	name     string
	instance pb.InstanceClient
}

func loadPlugin(socket, name string) (*pluginData, error) {
	conn, err := grpc.NewClient("unix://"+socket,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithUnaryInterceptor(timeout.UnaryClientInterceptor(defaultTimeout)),
	)
	if err != nil {
		return nil, err
	}
	return &pluginData{name: name, instance: pb.NewInstanceClient(conn)}, nil
}

func (p *pluginData) ready() (bool, error) {
	resp, err := p.instance.Status(context.Background(), &pb.Request{Key: p.name})
	if err != nil {
		return false, err
	}
	return resp.Revision > 0, nil
}

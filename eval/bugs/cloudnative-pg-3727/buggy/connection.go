// Package buggy reduces cloudnative-pg/cloudnative-pg#3727, before the fix.
//
// Upstream: https://github.com/cloudnative-pg/cloudnative-pg/pull/3727 ("use
// a deadline for the GRPC calls"). Original:
// internal/cnpi/plugin/client/connection.go (the connection to a CNPG-I
// plugin and the clients made from it).
//
// The operator talked to its plugins (sidecars speaking gRPC over a unix
// socket) through clients made from one connection, on contexts without a
// deadline: a plugin that stopped answering blocked the operator's call for
// good. The fix added go-grpc-middleware's timeout.UnaryClientInterceptor
// (30 s) to the connection, so every unary call on it is bounded. Here the
// caller's deadline-less context is context.Background().
package buggy

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"example.com/bugs/pb"
)

type pluginData struct {
	name     string
	instance pb.InstanceClient
}

func loadPlugin(socket, name string) (*pluginData, error) {
	conn, err := grpc.NewClient("unix://"+socket, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, err
	}
	return &pluginData{name: name, instance: pb.NewInstanceClient(conn)}, nil
}

func (p *pluginData) ready() (bool, error) {
	resp, err := p.instance.Status(context.Background(), &pb.Request{Key: p.name}) // want ctxdeadline "no deadline"
	if err != nil {
		return false, err
	}
	return resp.Revision > 0, nil
}

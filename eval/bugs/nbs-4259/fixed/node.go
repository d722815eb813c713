// Package fixed is ydb-platform/nbs#4259 after the fix: the probe runs
// under the request context. See ../buggy for the links.
package fixed

import (
	"context"
	"os/exec"
	"strings"

	"example.com/bugs/pb"
)

type nodeService struct {
	pb.UnimplementedInstanceServer
}

func (s *nodeService) Status(ctx context.Context, req *pb.Request) (*pb.Response, error) {
	fsType, err := s.probeFilesystem(ctx, req.Key)
	if err != nil {
		return nil, err
	}
	return &pb.Response{Key: req.Key, Payload: []byte(fsType)}, nil
}

func (s *nodeService) probeFilesystem(ctx context.Context, device string) (string, error) {
	out, err := exec.CommandContext(ctx, "blkid", "-o", "value", "-s", "TYPE", device).Output()
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

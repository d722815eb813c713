// Package buggy reduces ydb-platform/nbs#4259, before the fix.
//
// Upstream: https://github.com/ydb-platform/nbs/pull/4259 ("[CSI] Pass
// context to blockdev/blkid command execution"). Original:
// cloud/blockstore/tools/csi_driver/internal/driver/node.go
// (nodeService.NodeStageVolume and the helpers that run blockdev/blkid).
//
// The CSI node service's NodeStageVolume ran blockdev and blkid with
// exec.Command. When one of them hung on a bad device, the handler hung
// with it: the kubelet's deadline and cancellation never reached the child
// process. The fix ran the commands with exec.CommandContext on the
// request context.
package buggy

import (
	"context"
	"os/exec"
	"strings"

	"example.com/bugs/pb"
)

type nodeService struct {
	pb.UnimplementedInstanceServer
}

// Status stands for NodeStageVolume: probe the device before mounting.
func (s *nodeService) Status(ctx context.Context, req *pb.Request) (*pb.Response, error) {
	fsType, err := s.probeFilesystem(req.Key) // want ctxdetach "exec.Command, which takes no context.*CommandContext"
	if err != nil {
		return nil, err
	}
	return &pb.Response{Key: req.Key, Payload: []byte(fsType)}, nil
}

func (s *nodeService) probeFilesystem(device string) (string, error) {
	out, err := exec.Command("blkid", "-o", "value", "-s", "TYPE", device).Output()
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

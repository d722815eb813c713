// Package probes holds commands run in handler scope: a fixed command by
// which a library checks its environment serves no request (round 6's
// V6-A1: k8s mount-utils' constructor runs umount on a fresh temporary
// directory to learn its "not mounted" message); a command built from the
// request does the request's work.
package probes

import (
	"context"
	"os"
	"os/exec"

	"example.com/fixtures/pb/echo"
)

// notMountedMessage runs umount on a directory it has just made: its
// arguments are a constant and that temporary path. No fact.
func notMountedMessage() (string, error) {
	d, err := os.MkdirTemp("", "probe")
	if err != nil {
		return "", err
	}
	defer os.Remove(d)
	out, _ := exec.Command("umount", d).CombinedOutput()
	return string(out), nil
}

// version asks a binary for its version: constant arguments. No fact.
func version() error { return exec.Command("nsenter", "-V").Run() }

// unmount runs umount on a path it is given: the request's work.
func unmount(path string) error { // want unmount:`detachedCall\(exec.Command`
	return exec.Command("umount", path).Run()
}

type server struct {
	echo.UnimplementedEchoServer
}

func (s *server) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	if _, err := notMountedMessage(); err != nil { // silent: a self-probe, see notMountedMessage
		return nil, err
	}
	if err := version(); err != nil { // silent: constant arguments
		return nil, err
	}
	if err := unmount(in.Text); err != nil { // want `call to unmount in handler Unary reaches exec.Command`
		return nil, err
	}
	return in, nil
}

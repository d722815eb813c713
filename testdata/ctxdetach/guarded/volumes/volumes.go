// Package volumes makes volumes as csi-driver-host-path's createVolume
// does: a directory for one access type, a process that takes no context
// (fallocate, losetup) only for another. Its callers pass the access type
// as a constant, and the constant decides whether anything is exec'd
// (validation round 10).
package volumes

import (
	"errors"
	"os"
	"os/exec"
)

// Access is a volume's access type.
type Access int

const (
	Mount Access = iota
	Block
)

// Create makes a directory for Mount and a block file for Block: only
// Block runs a process.
func Create(path string, access Access) error { // want Create:`detachedCall\(.*, if \[1 is 1\]\)`
	switch access {
	case Mount:
		return os.MkdirAll(path, 0o777)
	case Block:
		return exec.Command("fallocate", "-l", "1M", path).Run()
	default:
		return errors.New("unsupported access type")
	}
}

// Attach runs losetup for every kind but "dir".
func Attach(path, kind string) error { // want Attach:`detachedCall\(.*, if \[1 not in \{"dir"\}\]\)`
	switch kind {
	case "dir":
		return nil
	default:
		return exec.Command("losetup", "-f", path).Run()
	}
}

// Wipe runs dd for Block and, whatever the access type, rm: no guard.
func Wipe(path string, access Access) error { // want Wipe:`detachedCall\([^,]*, not [^,]*, at [^,]*\)`
	if access == Block {
		if err := exec.Command("dd", "if=/dev/zero", "of="+path).Run(); err != nil {
			return err
		}
	}
	return exec.Command("rm", "-rf", path).Run()
}

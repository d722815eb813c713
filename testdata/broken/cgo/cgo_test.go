package cgo

import "testing"

func TestCount(t *testing.T) { _ = Count() }

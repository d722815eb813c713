// Package cgo's cgo code does not compile: the header it includes is on
// no machine (as a vendor's SDK header is not on a CI runner). The run
// says so in one line, and analyzes the rest.
package cgo

// #include <grpccancelcheck_no_such_header.h>
import "C"

func Count() int { return int(C.count()) }

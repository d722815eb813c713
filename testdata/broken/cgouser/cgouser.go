// Package cgouser imports a package whose cgo code does not compile.
package cgouser

import "example.com/broken/cgo"

func Twice() int { return 2 * cgo.Count() }

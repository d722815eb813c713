// Package uses type-checks, but imports a package that does not: the
// driver cannot analyze it either (its facts would come from bad), and
// says so in one line.
package uses

import (
	"context"

	"example.com/broken/bad"
)

func Call(ctx context.Context) error { return bad.Handler(ctx) }

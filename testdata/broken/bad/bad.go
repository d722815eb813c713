// Package bad does not type-check.
package bad

import "context"

func Handler(ctx context.Context) error {
	return undefinedCall(ctx)
}

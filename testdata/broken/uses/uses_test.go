package uses

import (
	"context"
	"testing"
)

func TestCall(t *testing.T) { _ = Call(context.Background()) }

package editors

import (
	"os"
	"testing"

	"github.com/grpccancelcheck/grpccancelcheck/integration/internal/itest"
)

// TestMain runs the tests with itest.Main: they share one build of the
// command (itest.Command).
func TestMain(m *testing.M) { os.Exit(itest.Main(m)) }

package cli

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"net"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grpccancelcheck/grpccancelcheck/runtime/serve"
)

// waitLimit bounds every wait of the tests.
const waitLimit = 20 * time.Second

// syncBuffer is a bytes.Buffer safe for concurrent use: a server logs from
// its handlers' goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startServer runs serve.Run on a loopback port until the test ends and
// returns its address.
func startServer(t *testing.T, cfg serve.Config) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen on loopback: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve.Run(ctx, lis, cfg) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve.Run: %v", err)
		}
	})
	return lis.Addr().String()
}

// run runs the command line args and returns its exit code, stdout and
// stderr.
func run(ctx context.Context, args ...string) (int, string, string) {
	var stdout, stderr syncBuffer
	code := Run(ctx, args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

var matchLine = regexp.MustCompile(`^secret="([^"]*)" hash=(\S+) distance=(\d+) hashes=(\d+)$`)

// checkMatchLine fails unless line is a printed match whose hash is the
// base64 SHA-1 of its secret and contains target.
func checkMatchLine(t *testing.T, line, target string) {
	t.Helper()
	m := matchLine.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("output line %q is not a match", line)
	}
	sum := sha1.Sum([]byte(m[1]))
	if want := base64.StdEncoding.EncodeToString(sum[:]); m[2] != want || !strings.Contains(m[2], target) {
		t.Errorf("output line %q: want hash %s, containing %q", line, want, target)
	}
}

func TestUsage(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		args []string
		want int
	}{
		{nil, ExitUsage},
		{[]string{"bogus"}, ExitUsage},
		{[]string{"help"}, ExitOK},
		{[]string{"find", "-h"}, ExitOK},
		{[]string{"find"}, ExitUsage},
		{[]string{"find", "-target", "do", "-timeout", "0s"}, ExitUsage},
		{[]string{"find", "-target", "do", "extra"}, ExitUsage},
		{[]string{"findrange", "-no-such-flag"}, ExitUsage},
		{[]string{"serve", "-max-hashes", "0"}, ExitUsage},
	} {
		if code, _, stderr := run(ctx, tt.args...); code != tt.want {
			t.Errorf("hashfinder %q exit code = %d, want %d (stderr %q)", tt.args, code, tt.want, stderr)
		}
	}
}

func TestFind(t *testing.T) {
	addr := startServer(t, serve.Config{MaxHashes: 20000})
	ctx := context.Background()

	t.Run("match", func(t *testing.T) {
		code, stdout, stderr := run(ctx, "find", "-addr", addr, "-target", "do", "-timeout", "10s")
		if code != ExitOK {
			t.Fatalf("exit code %d, stderr %q", code, stderr)
		}
		checkMatchLine(t, strings.TrimSpace(stdout), "do")
	})
	t.Run("budget", func(t *testing.T) {
		code, _, stderr := run(ctx, "find", "-addr", addr, "-target", "!!!!!!", "-timeout", "10s")
		if code != ExitFailed || !strings.Contains(stderr, "ResourceExhausted") {
			t.Errorf("exit code %d, stderr %q; want %d and ResourceExhausted", code, stderr, ExitFailed)
		}
	})
	t.Run("findrange", func(t *testing.T) {
		code, stdout, stderr := run(ctx, "findrange", "-addr", addr, "-target", "Go", "-timeout", "10s")
		if code != ExitFailed || !strings.Contains(stderr, "ResourceExhausted") {
			t.Errorf("exit code %d, stderr %q; want %d and ResourceExhausted at the end of the budget", code, stderr, ExitFailed)
		}
		lines := strings.Split(strings.TrimSpace(stdout), "\n")
		if len(lines) < 2 {
			t.Fatalf("findrange printed %q, want several matches", stdout)
		}
		for _, line := range lines {
			checkMatchLine(t, line, "Go")
		}
	})
}

func TestFindEnds(t *testing.T) {
	addr := startServer(t, serve.Config{MaxHashes: 1 << 40})
	for _, cmd := range []string{"find", "findrange"} {
		t.Run(cmd+"/timeout", func(t *testing.T) {
			code, _, stderr := run(context.Background(), cmd, "-addr", addr, "-target", "!!!!!!", "-timeout", "100ms")
			if code != ExitFailed || !strings.Contains(stderr, "DeadlineExceeded") {
				t.Errorf("exit code %d, stderr %q; want %d and DeadlineExceeded", code, stderr, ExitFailed)
			}
		})
		t.Run(cmd+"/cancel", func(t *testing.T) {
			// The context of Run ends as on Ctrl-C.
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(100*time.Millisecond, cancel)
			code, _, stderr := run(ctx, cmd, "-addr", addr, "-target", "!!!!!!", "-timeout", "10s")
			if code != ExitFailed || !strings.Contains(stderr, "Canceled") {
				t.Errorf("exit code %d, stderr %q; want %d and Canceled", code, stderr, ExitFailed)
			}
		})
	}
}

// logLines decodes the JSON lines of a server log.
func logLines(t *testing.T, log string) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for _, text := range strings.Split(strings.TrimSpace(log), "\n") {
		var line map[string]any
		if err := json.Unmarshal([]byte(text), &line); err != nil {
			t.Fatalf("log line %q is not JSON: %v", text, err)
		}
		lines = append(lines, line)
	}
	return lines
}

// serveProcess is "hashfinder serve" running on a loopback port.
type serveProcess struct {
	addr string
	log  *syncBuffer
	// stop ends the command and returns its exit code.
	stop func() int
}

// serveCommand runs "hashfinder serve args" on a loopback port until the
// test stops it.
func serveCommand(t *testing.T, args ...string) serveProcess {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	p := serveProcess{log: new(syncBuffer)}
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, append([]string{"serve", "-addr", "127.0.0.1:0"}, args...), &bytes.Buffer{}, p.log)
	}()
	p.stop = func() int {
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(waitLimit):
			t.Fatalf("serve did not stop within %v", waitLimit)
			return 0
		}
	}
	// The first log line tells the port.
	wait, cancelWait := context.WithTimeout(context.Background(), waitLimit)
	defer cancelWait()
	for wait.Err() == nil {
		if log := p.log.String(); strings.Contains(log, "\n") {
			line := logLines(t, log)[0]
			if line["msg"] != "serving" {
				p.stop()
				t.Fatalf("first log line %v, want serving", line)
			}
			p.addr = line["addr"].(string)
			return p
		}
		time.Sleep(time.Millisecond)
	}
	p.stop()
	t.Fatalf("serve logged nothing within %v", waitLimit)
	return p
}

// rpcLines returns the "rpc" lines of a server log.
func rpcLines(t *testing.T, log string) []map[string]any {
	var out []map[string]any
	for _, line := range logLines(t, log) {
		if line["msg"] == "rpc" {
			out = append(out, line)
		}
	}
	return out
}

func TestServeLogs(t *testing.T) {
	t.Run("reference", func(t *testing.T) {
		p := serveCommand(t, "-max-hashes", "100000000")
		if code, _, stderr := run(context.Background(), "find", "-addr", p.addr, "-target", "do"); code != ExitOK {
			t.Fatalf("find: exit code %d, stderr %q", code, stderr)
		}
		if code, _, _ := run(context.Background(), "find", "-addr", p.addr, "-target", "!!!!!!", "-timeout", "50ms"); code != ExitFailed {
			t.Fatalf("find with a short timeout: exit code %d, want %d", code, ExitFailed)
		}
		// The server logs the timed-out RPC once its handler returned,
		// within a millisecond; stop waits longer than that.
		time.Sleep(50 * time.Millisecond)
		code := p.stop()
		log := p.log.String()
		if code != ExitOK {
			t.Errorf("serve exit code %d, want %d", code, ExitOK)
		}
		rpcs := rpcLines(t, log)
		if len(rpcs) != 2 {
			t.Fatalf("log has %d rpc lines, want 2:\n%s", len(rpcs), log)
		}
		if rpcs[0]["code"] != "OK" || rpcs[0]["hashes"].(float64) == 0 || rpcs[0]["duration_ms"] == nil || rpcs[0]["after_cancel_ms"] != nil {
			t.Errorf("log of a successful find = %v, want code OK, hashes, duration_ms and no after_cancel_ms", rpcs[0])
		}
		timedOut := rpcs[1]
		if timedOut["after_cancel_ms"] == nil || timedOut["hashes_after_cancel"].(float64) > 1024 {
			t.Errorf("log of a timed-out find = %v, want after_cancel_ms and at most 1024 hashes_after_cancel", timedOut)
		}
		t.Logf("reference server: %v", timedOut)
		if !strings.Contains(log, `"msg":"stopped"`) || !strings.Contains(log, `"handlers_abandoned":0`) {
			t.Errorf("log has no stopped line with no handlers abandoned:\n%s", log)
		}
	})
	t.Run("naive", func(t *testing.T) {
		const budget = 300000
		p := serveCommand(t, "-max-hashes", "300000", "-naive")
		if code, _, _ := run(context.Background(), "find", "-addr", p.addr, "-target", "!!!!!!", "-timeout", "5ms"); code != ExitFailed {
			t.Fatalf("find with a short timeout: exit code %d, want %d", code, ExitFailed)
		}
		// The naive handler runs on to its budget; wait for its log line.
		wait, cancel := context.WithTimeout(context.Background(), waitLimit)
		defer cancel()
		for wait.Err() == nil {
			if strings.Contains(p.log.String(), `"msg":"rpc"`) {
				break
			}
			time.Sleep(time.Millisecond)
		}
		p.stop()
		log := p.log.String()
		rpcs := rpcLines(t, log)
		if len(rpcs) != 1 {
			t.Fatalf("log has %d rpc lines, want 1:\n%s", len(rpcs), log)
		}
		line := rpcs[0]
		if line["code"] != "ResourceExhausted" || line["hashes"].(float64) != budget || line["hashes_after_cancel"] == nil || line["hashes_after_cancel"].(float64) == 0 {
			t.Errorf("log of the naive find = %v, want its whole budget spent, part of it after the cancel", line)
		}
		t.Logf("naive server: %v", line)
	})
}

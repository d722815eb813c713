package observe

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// callUnary runs handler through the unary interceptor and returns the
// report it produced.
func callUnary(t *testing.T, ctx context.Context, handler grpc.UnaryHandler) Report {
	t.Helper()
	var got []Report
	var started []string
	hooks := Hooks{
		Started:  func(method string) { started = append(started, method) },
		Finished: func(r Report) { got = append(got, r) },
	}
	info := &grpc.UnaryServerInfo{FullMethod: "/test.Service/Method"}
	UnaryServerInterceptor(hooks)(ctx, "request", info, handler)
	if len(started) != 1 || started[0] != info.FullMethod {
		t.Fatalf("Started calls = %q, want one with %q", started, info.FullMethod)
	}
	if len(got) != 1 {
		t.Fatalf("Finished calls = %d, want 1", len(got))
	}
	return got[0]
}

func TestUnaryReportsHashes(t *testing.T) {
	r := callUnary(t, context.Background(), func(ctx context.Context, req any) (any, error) {
		MeterFrom(ctx).Store(1234)
		return "response", nil
	})
	if r.Method != "/test.Service/Method" || r.Code != codes.OK || r.Err != nil || r.Hashes != 1234 {
		t.Errorf("report = %+v, want method /test.Service/Method, code OK, 1234 hashes", r)
	}
	if r.ContextEnded || r.AfterContextEnd() != 0 || r.HashesAfterContextEnd() != 0 {
		t.Errorf("report = %+v, want no context end", r)
	}
	if r.Duration() < 0 {
		t.Errorf("Duration() = %v, want >= 0", r.Duration())
	}
}

func TestUnaryReportsWorkAfterContextEnd(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const pause = 50 * time.Millisecond
	r := callUnary(t, ctx, func(ctx context.Context, req any) (any, error) {
		meter := MeterFrom(ctx)
		meter.Store(100)
		cancel()
		<-ctx.Done()
		// Keep working, as a handler blind to cancellation would; the
		// pause lets the interceptor take its snapshot at 100.
		time.Sleep(pause)
		meter.Store(500)
		return nil, status.FromContextError(ctx.Err()).Err()
	})
	if r.Code != codes.Canceled || !r.ContextEnded {
		t.Fatalf("report = %+v, want code Canceled and the context ended", r)
	}
	if r.HashesAtContextEnd != 100 || r.HashesAfterContextEnd() != 400 {
		t.Errorf("hashes at context end = %d, after = %d; want 100, 400", r.HashesAtContextEnd, r.HashesAfterContextEnd())
	}
	if r.AfterContextEnd() < pause*8/10 {
		t.Errorf("AfterContextEnd() = %v, want about %v", r.AfterContextEnd(), pause)
	}
}

func TestUnaryContextEndedBeforeStart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 0)
	defer cancel()
	r := callUnary(t, ctx, func(ctx context.Context, req any) (any, error) {
		return nil, status.FromContextError(ctx.Err()).Err()
	})
	if r.Code != codes.DeadlineExceeded || !r.ContextEnded || r.HashesAfterContextEnd() != 0 {
		t.Errorf("report = %+v, want DeadlineExceeded, the context ended, no hashes after", r)
	}
	if r.AfterContextEnd() < 0 {
		t.Errorf("AfterContextEnd() = %v, want >= 0", r.AfterContextEnd())
	}
}

func TestNilMeter(t *testing.T) {
	m := MeterFrom(context.Background())
	if m != nil {
		t.Fatalf("MeterFrom(Background) = %v, want nil", m)
	}
	m.Store(3) // must not panic
	if got := m.Load(); got != 0 {
		t.Errorf("nil Meter Load() = %d, want 0", got)
	}
}

func TestLogger(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, nil))
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	Logger(logger)(Report{
		Method:             "/test.Service/Method",
		Code:               codes.Canceled,
		Err:                errors.New("boom"),
		Hashes:             5000,
		Start:              start,
		End:                start.Add(30 * time.Millisecond),
		ContextEnded:       true,
		ContextEndedAt:     start.Add(10 * time.Millisecond),
		HashesAtContextEnd: 1000,
	})
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("log line %q is not one JSON object: %v", buf.String(), err)
	}
	want := map[string]any{
		"msg":                 "rpc",
		"method":              "/test.Service/Method",
		"code":                "Canceled",
		"hashes":              5000.0,
		"duration_ms":         30.0,
		"after_cancel_ms":     20.0,
		"hashes_after_cancel": 4000.0,
		"error":               "boom",
	}
	for k, v := range want {
		if line[k] != v {
			t.Errorf("log field %s = %v, want %v (line %s)", k, line[k], v, buf.String())
		}
	}
}

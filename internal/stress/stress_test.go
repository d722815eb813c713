// Package stress benchmarks grpccancelcheck's analyzers on adversarial
// inputs, each at three or four sizes so that growth shows: a function of
// thousands of statements (mixed, and a third of them detached RPCs with
// fixes), closures nested a hundred deep, branches that rewrite a context,
// thousands of go statements in one file, a service of thousands of
// methods and a generated .pb.go of ten megabytes (generated with protoc
// at benchmark time, never committed). Every size is also checked once, as a test, for the
// invariants the fuzzer checks: it type-checks, no analyzer fails.
//
// Each benchmark reports, besides the time of a whole iteration (type
// checking included), the CPU time of the analysis alone and of the type
// checking alone (garbage collection included: analysis-cpu-ms/op,
// typecheck-cpu-ms/op), allocs of the analysis per AST node (allocs/node),
// the input's size (nodes), and the analysis's CPU time and allocations per
// unit of the input's size (analysis-cpu-ns/method, allocs/method...): flat
// across the sizes when the analysis is linear.
package stress_test

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fuzzgen"
)

var (
	loadOnce sync.Once
	uni      *fuzzgen.Universe
	uniErr   error
)

// universe is what the inputs import, generated protobuf code included,
// analyzed once, with every analyzer flag on.
func universe(t testing.TB) (*fuzzgen.Universe, string) {
	t.Helper()
	dir := fixturetest.Dir(t)
	loadOnce.Do(func() {
		imports := append([]string{
			"google.golang.org/protobuf/reflect/protoreflect",
			"google.golang.org/protobuf/runtime/protoimpl",
		}, fuzzgen.Imports...)
		uni, uniErr = fuzzgen.Load(dir, fuzzgen.EveryFlag(), imports...)
	})
	if uniErr != nil {
		t.Fatal(uniErr)
	}
	return uni, dir
}

// An input is one adversarial program at one size: size units (a
// statement, a method, a message...), whose name the per-unit metrics
// carry.
type input struct {
	name string
	size int
	unit string
	prog func(tb testing.TB, size int) []fuzzgen.Package
}

var inputs = []input{
	{"LongFunction", 1250, "stmt", longFunction},
	{"LongFunction", 2500, "stmt", longFunction},
	{"LongFunction", 5000, "stmt", longFunction},
	{"DetachedCalls", 1250, "stmt", detachedCalls},
	{"DetachedCalls", 2500, "stmt", detachedCalls},
	{"DetachedCalls", 5000, "stmt", detachedCalls},
	{"Loops", 1000, "loop", loops},
	{"Loops", 2000, "loop", loops},
	{"Loops", 4000, "loop", loops},
	{"NestedClosures", 25, "level", nestedClosures},
	{"NestedClosures", 50, "level", nestedClosures},
	{"NestedClosures", 100, "level", nestedClosures},
	{"BranchRewrites", 4, "branch", branchRewrites},
	{"BranchRewrites", 8, "branch", branchRewrites},
	{"BranchRewrites", 12, "branch", branchRewrites},
	{"FlagSwitch", 1000, "case", flagSwitch},
	{"FlagSwitch", 2000, "case", flagSwitch},
	{"FlagSwitch", 4000, "case", flagSwitch},
	{"GoStatements", 1000, "go", goStatements},
	{"GoStatements", 2000, "go", goStatements},
	{"GoStatements", 4000, "go", goStatements},
	{"Service", 250, "method", service},
	{"Service", 500, "method", service},
	{"Service", 1000, "method", service},
	{"Service", 2000, "method", service},
	{"Workers", 250, "chan", workers},
	{"Workers", 500, "chan", workers},
	{"Workers", 1000, "chan", workers},
	{"Interfaces", 500, "iface", interfaces},
	{"Interfaces", 1000, "iface", interfaces},
	{"Interfaces", 2000, "iface", interfaces},
	{"ConnLayers", 320, "call", connLayers},
	{"ConnLayers", 1280, "call", connLayers},
	{"ConnLayers", 5120, "call", connLayers},
	{"LargePB", 775, "msg", largePB},  // 2.5 MB of big.pb.go
	{"LargePB", 1550, "msg", largePB}, // 5 MB
	{"LargePB", 3100, "msg", largePB}, // 10 MB
}

var allSizes = flag.Bool("stress.all", false, "TestInputs: check every size, not only the smallest")

// TestInputs checks every input once, at its smallest size (-stress.all:
// every size): it type-checks and no analyzer fails; it logs the findings'
// count and the time of the analysis.
func TestInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("loads grpc and generates large programs")
	}
	u, dir := universe(t)
	done := make(map[string]bool)
	for _, in := range inputs {
		if done[in.name] && !*allSizes {
			continue // the larger sizes are the benchmark's
		}
		done[in.name] = true
		t.Run(fmt.Sprintf("%s/%d", in.name, in.size), func(t *testing.T) {
			prog := in.prog(t, in.size)
			bytes := 0
			for _, p := range prog {
				for _, f := range p.Files {
					bytes += len(f.Src)
				}
			}
			c := u.Check(dir, prog)
			if c.TypeErr != nil {
				t.Fatalf("input does not type-check: %v", c.TypeErr)
			}
			for _, r := range c.Results {
				if r.Err != nil {
					t.Fatal(r.Err)
				}
			}
			t.Logf("%.1f MB of source, %d nodes, %d findings, type-check %v CPU, analysis %v CPU, %d allocations (%.1f per node)",
				float64(bytes)/1e6, c.Nodes, len(c.Diagnostics()), c.TypeCheckTime, c.AnalysisTime, c.Analysis, float64(c.Analysis)/float64(c.Nodes))
		})
	}
}

func BenchmarkInputs(b *testing.B) {
	u, dir := universe(b)
	for _, in := range inputs {
		b.Run(fmt.Sprintf("%s/%d", in.name, in.size), func(b *testing.B) {
			prog := in.prog(b, in.size)
			var c *fuzzgen.Check
			var analysis, typecheck float64
			for b.Loop() {
				c = u.Check(dir, prog)
				if c.TypeErr != nil {
					b.Fatal(c.TypeErr)
				}
				analysis += float64(c.AnalysisTime.Microseconds()) / 1000
				typecheck += float64(c.TypeCheckTime.Microseconds()) / 1000
			}
			b.ReportMetric(analysis/float64(b.N), "analysis-cpu-ms/op")
			b.ReportMetric(typecheck/float64(b.N), "typecheck-cpu-ms/op")
			b.ReportMetric(float64(c.Analysis)/float64(c.Nodes), "allocs/node")
			b.ReportMetric(float64(c.Nodes), "nodes")
			// Per unit of size: flat when the analysis is linear.
			b.ReportMetric(analysis/float64(b.N)*1e6/float64(in.size), "analysis-cpu-ns/"+in.unit)
			b.ReportMetric(float64(c.Analysis)/float64(in.size), "allocs/"+in.unit)
		})
	}
}

const svcHeader = `package svc

import (
	"context"
	"time"

	pb "example.com/fixtures/pb/echo"
)

type key struct{}

var (
	events = make(chan int, 1)
	_      = time.Second
)

type server struct {
	pb.UnimplementedEchoServer
	c pb.EchoClient
}
`

func svc(body string) []fuzzgen.Package {
	return []fuzzgen.Package{{Path: fuzzgen.Module + "/stress/svc", Files: []fuzzgen.File{{Name: "svc.go", Src: []byte(svcHeader + body)}}}}
}

// longFunction is a handler of n statements: context definitions and
// rewrites, RPCs, branches and loops, in a straight line.
func longFunction(_ testing.TB, n int) []fuzzgen.Package {
	var b strings.Builder
	b.WriteString("func (s *server) Unary(ctx context.Context, req *pb.Msg) (*pb.Msg, error) {\n\tn := int(req.N)\n\tc := ctx\n")
	for i := range n {
		switch i % 8 {
		case 0:
			fmt.Fprintf(&b, "\tc = context.WithValue(c, key{}, %d)\n", i)
		case 1:
			fmt.Fprintf(&b, "\tif _, err := s.c.Unary(c, req); err != nil {\n\t\treturn nil, err\n\t}\n")
		case 2:
			fmt.Fprintf(&b, "\tif n > %d {\n\t\tn--\n\t}\n", i)
		case 3:
			fmt.Fprintf(&b, "\tfor j := 0; j < n; j++ {\n\t\tn += j\n\t}\n")
		case 4:
			fmt.Fprintf(&b, "\tc%d, cancel%d := context.WithTimeout(c, time.Second)\n\t_, _ = s.c.Unary(c%d, req)\n\tcancel%d()\n", i, i, i, i)
		case 5:
			fmt.Fprintf(&b, "\tselect {\n\tcase <-c.Done():\n\t\treturn nil, c.Err()\n\tcase events <- %d:\n\tdefault:\n\t}\n", i)
		case 6:
			fmt.Fprintf(&b, "\t_, _ = s.c.Unary(context.Background(), req)\n")
		case 7:
			fmt.Fprintf(&b, "\tn = n*%d + 1\n", i)
		}
	}
	b.WriteString("\t_ = n\n\treturn req, nil\n}\n")
	return svc(b.String())
}

// detachedCalls is a handler of n statements, a third of them detached
// RPCs, each with a fix that looks for the one request context in scope
// among hundreds of contexts and checks the goroutines of the handler for
// the variable it replaces: the report path of ctxdetach, per finding.
func detachedCalls(_ testing.TB, n int) []fuzzgen.Package {
	var b strings.Builder
	b.WriteString("func (s *server) Unary(ctx context.Context, req *pb.Msg) (*pb.Msg, error) {\n")
	for i := range n / 3 {
		fmt.Fprintf(&b, "\tb%d := context.Background()\n\tif _, err := s.c.Unary(b%d, req); err != nil {\n\t\treturn nil, err\n\t}\n", i, i)
		if i%8 == 0 {
			fmt.Fprintf(&b, "\tgo func() { events <- %d }()\n", i)
		} else {
			fmt.Fprintf(&b, "\t_ = %d\n", i)
		}
	}
	b.WriteString("\treturn req, nil\n}\n")
	return svc(b.String())
}

// loops is a handler of n loops, one after another: counted loops, loops
// that check the context, selects, labeled loops with continue, polls of
// an RPC and loops that never check (a finding each).
func loops(_ testing.TB, n int) []fuzzgen.Package {
	var b strings.Builder
	b.WriteString("func (s *server) Unary(ctx context.Context, req *pb.Msg) (*pb.Msg, error) {\n\tn := int(req.N)\n")
	for i := range n {
		switch i % 6 {
		case 0:
			fmt.Fprintf(&b, "\tfor i := 0; i < n; i++ {\n\t\tn += i\n\t}\n")
		case 1:
			fmt.Fprintf(&b, "\tfor {\n\t\tif ctx.Err() != nil {\n\t\t\tbreak\n\t\t}\n\t\tn += %d\n\t}\n", i)
		case 2:
			fmt.Fprintf(&b, "\tfor range n {\n\t\tselect {\n\t\tcase <-ctx.Done():\n\t\t\treturn nil, ctx.Err()\n\t\tcase events <- %d:\n\t\t}\n\t}\n", i)
		case 3:
			fmt.Fprintf(&b, "L%d:\n\tfor j := range n {\n\t\tif j > %d {\n\t\t\tcontinue L%d\n\t\t}\n\t\tn += j\n\t}\n", i, i, i)
		case 4:
			fmt.Fprintf(&b, "\tfor {\n\t\tif _, err := s.c.Unary(ctx, req); err == nil {\n\t\t\tbreak\n\t\t}\n\t}\n")
		case 5:
			fmt.Fprintf(&b, "\tfor n > %d {\n\t\tn = <-events\n\t}\n", i)
		}
	}
	b.WriteString("\treturn req, nil\n}\n")
	return svc(b.String())
}

// nestedClosures nests depth function literals in a handler, each in a
// goroutine, with a detached RPC and a loop at the bottom.
func nestedClosures(_ testing.TB, depth int) []fuzzgen.Package {
	var b strings.Builder
	b.WriteString("func (s *server) Unary(ctx context.Context, req *pb.Msg) (*pb.Msg, error) {\n")
	for i := range depth {
		if i%2 == 0 {
			fmt.Fprintf(&b, "go func(c%d context.Context) {\n", i)
		} else {
			fmt.Fprintf(&b, "f%d := func(c%d context.Context) error {\n", i, i)
		}
	}
	b.WriteString("_, _ = s.c.Unary(context.Background(), req)\nfor {\nif _, err := s.c.Unary(ctx, req); err != nil {\nbreak\n}\n}\n")
	for i := depth - 1; i >= 0; i-- {
		if i%2 == 0 {
			fmt.Fprintf(&b, "}(ctx)\n")
		} else {
			fmt.Fprintf(&b, "return nil\n}\n_ = f%d(ctx)\n", i)
		}
	}
	b.WriteString("return req, nil\n}\n")
	return svc(b.String())
}

// goStatements is a file of n functions and, after them, a handler that
// starts each in a goroutine feeding one channel (go wK(ch)) and then
// loops receiving from it: ctxloop follows each goroutine's function
// (findSpawns) and judges the loop by its producers' bodies
// (goCalleeObserves), looking up the declaration of each callee.
func goStatements(_ testing.TB, n int) []fuzzgen.Package {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "func w%d(ch chan int) {\n\tch <- %d\n}\n\n", i, i)
	}
	b.WriteString("func (s *server) Unary(ctx context.Context, req *pb.Msg) (*pb.Msg, error) {\n\tch := make(chan int)\n")
	for i := range n {
		fmt.Fprintf(&b, "\tgo w%d(ch)\n", i)
	}
	b.WriteString("\tfor {\n\t\tif v := <-ch; v < 0 {\n\t\t\tbreak\n\t\t}\n\t}\n\treturn req, nil\n}\n")
	return svc(b.String())
}

// workers is a hub of n queue fields that one worker loop serves, in a
// select of n+1 cases that leaves on a quit signal alone (ctxloop's served
// and leaves rules: the loop's exits computed once, not once per case), and
// a handler whose loop sends on every queue.
func workers(_ testing.TB, n int) []fuzzgen.Package {
	var b strings.Builder
	b.WriteString("type hub struct {\n\tquit chan struct{}\n")
	each(&b, n, "\tq%d chan int\n")
	b.WriteString("}\n\nfunc newHub() *hub {\n\th := &hub{quit: make(chan struct{})}\n")
	each(&b, n, "\th.q%d = make(chan int)\n")
	b.WriteString("\tgo h.run()\n\treturn h\n}\n\nfunc (h *hub) run() {\n\tfor {\n\t\tselect {\n\t\tcase <-h.quit:\n\t\t\treturn\n")
	each(&b, n, "\t\tcase v := <-h.q%d:\n\t\t\t_ = v\n")
	b.WriteString("\t\t}\n\t}\n}\n\nvar theHub = newHub()\n\nfunc (s *server) Unary(ctx context.Context, req *pb.Msg) (*pb.Msg, error) {\n\tfor i := 0; i < int(req.N); i++ {\n")
	each(&b, n, "\t\ttheHub.q%d <- i\n")
	b.WriteString("\t}\n\treturn req, nil\n}\n")
	return svc(b.String())
}

// each writes format, whose one verb is the index, for 0 to n-1.
func each(b *strings.Builder, n int, format string) {
	for i := range n {
		fmt.Fprintf(b, format, i)
	}
}

// flagSwitch is a helper whose context reaches an RPC in each of n cases
// of a switch on its flag (the guards of every case clause, grpcctx's
// GuardScan: computed once per switch, not once per clause), and a handler
// that calls it on context.Background() with a constant.
func flagSwitch(_ testing.TB, n int) []fuzzgen.Package {
	var b strings.Builder
	b.WriteString("func (s *server) fwd(ctx context.Context, mode int, req *pb.Msg) (*pb.Msg, error) {\n\tswitch mode {\n")
	for i := range n {
		fmt.Fprintf(&b, "\tcase %d:\n\t\treturn s.c.Unary(ctx, req)\n", i)
	}
	b.WriteString("\t}\n\treturn req, nil\n}\n\n")
	fmt.Fprintf(&b, "func (s *server) Unary(ctx context.Context, req *pb.Msg) (*pb.Msg, error) {\n\t_, _ = s.fwd(context.Background(), %d, req)\n\treturn s.fwd(ctx, -1, req)\n}\n", n/2)
	return svc(b.String())
}

// branchRewrites rewrites the context under n successive branches, then
// uses it: the shape on which an origin engine that walks every path is
// exponential.
func branchRewrites(_ testing.TB, n int) []fuzzgen.Package {
	var b strings.Builder
	b.WriteString("func (s *server) Unary(ctx context.Context, req *pb.Msg) (*pb.Msg, error) {\n\tc := context.Background()\n")
	for i := range n {
		fmt.Fprintf(&b, "\tif req.N > %d {\n\t\tc = context.WithValue(c, key{}, %d)\n\t}\n", i, i)
	}
	b.WriteString("\treturn s.c.Unary(c, req)\n}\n")
	return svc(b.String())
}

// generatorVersions are the code generators testdata/pb was generated with.
const generatorVersions = "google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12 google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.6.2"

var (
	genOnce sync.Once
	genBin  string
	genErr  error
)

// generators installs protoc-gen-go and protoc-gen-go-grpc, at the versions
// testdata/pb was generated with, into a temporary directory.
func generators(tb testing.TB) string {
	tb.Helper()
	if _, err := exec.LookPath("protoc"); err != nil {
		tb.Skip("protoc not found (Debian: apt-get install protobuf-compiler)")
	}
	genOnce.Do(func() {
		genBin, genErr = os.MkdirTemp("", "stress-protoc")
		if genErr != nil {
			return
		}
		for _, mod := range strings.Fields(generatorVersions) {
			cmd := exec.Command("go", "install", mod)
			cmd.Env = append(os.Environ(), "GOBIN="+genBin, "GOFLAGS=-mod=mod")
			if out, err := cmd.CombinedOutput(); err != nil {
				genErr = fmt.Errorf("go install %s: %v\n%s", mod, err, out)
				return
			}
		}
	})
	if genErr != nil {
		tb.Fatal(genErr)
	}
	return genBin
}

// protoc compiles proto (the file big.proto, package path
// example.com/fixtures/stress/bigpb) and returns the generated package.
// The output is kept in the temporary directory, by the proto's hash:
// protoc-gen-go's own time grows faster than its output (15 minutes of
// wall time on the loaded machine here for the 10 MB file), and TestInputs
// and BenchmarkInputs, run one after the other, ask for the same files.
func protoc(tb testing.TB, proto string) fuzzgen.Package {
	tb.Helper()
	sum := sha256.Sum256([]byte(generatorVersions + proto))
	dir := filepath.Join(os.TempDir(), "grpccancelcheck-stress-protoc", hex.EncodeToString(sum[:8]))
	names := []string{"big.pb.go", "big_grpc.pb.go"}
	if _, err := os.Stat(filepath.Join(dir, names[1])); err != nil {
		bin := generators(tb)
		tmp := tb.TempDir()
		if err := os.WriteFile(filepath.Join(tmp, "big.proto"), []byte(proto), 0o666); err != nil {
			tb.Fatal(err)
		}
		cmd := exec.Command("protoc", "-I", tmp,
			"--plugin=protoc-gen-go="+filepath.Join(bin, "protoc-gen-go"),
			"--plugin=protoc-gen-go-grpc="+filepath.Join(bin, "protoc-gen-go-grpc"),
			"--go_out="+tmp, "--go_opt=paths=source_relative",
			"--go-grpc_out="+tmp, "--go-grpc_opt=paths=source_relative", "big.proto")
		if out, err := cmd.CombinedOutput(); err != nil {
			tb.Fatalf("protoc: %v\n%s", err, out)
		}
		if err := os.MkdirAll(dir, 0o777); err != nil {
			tb.Fatal(err)
		}
		for _, name := range names { // big_grpc.pb.go last: its presence says the entry is whole
			if err := os.Rename(filepath.Join(tmp, name), filepath.Join(dir, name)); err != nil {
				tb.Fatal(err)
			}
		}
	}
	pkg := fuzzgen.Package{Path: fuzzgen.Module + "/stress/bigpb"}
	for _, name := range names {
		src, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			tb.Fatal(err)
		}
		pkg.Files = append(pkg.Files, fuzzgen.File{Name: name, Src: src})
	}
	return pkg
}

const protoHeader = "syntax = \"proto3\";\npackage stress.big.v1;\noption go_package = \"example.com/fixtures/stress/bigpb\";\n"

// service is a generated service of n unary methods and its
// implementation: every method a handler, every other one with a detached
// RPC.
func service(tb testing.TB, n int) []fuzzgen.Package {
	var p strings.Builder
	p.WriteString(protoHeader + "message Req { string id = 1; }\nmessage Resp { int64 n = 1; }\nservice Big {\n")
	for i := range n {
		fmt.Fprintf(&p, "  rpc M%d(Req) returns (Resp);\n", i)
	}
	p.WriteString("}\n")
	pb := protoc(tb, p.String())
	var b strings.Builder
	b.WriteString("package svc\n\nimport (\n\t\"context\"\n\n\tpb \"example.com/fixtures/stress/bigpb\"\n)\n\ntype server struct {\n\tpb.UnimplementedBigServer\n\tc pb.BigClient\n}\n\n")
	for i := range n {
		ctx := "ctx"
		if i%2 == 1 {
			ctx = "context.Background()"
		}
		fmt.Fprintf(&b, "func (s *server) M%d(ctx context.Context, req *pb.Req) (*pb.Resp, error) {\n\treturn s.c.M%d(%s, req)\n}\n\n", i, (i+1)%n, ctx)
	}
	return []fuzzgen.Package{pb, {Path: fuzzgen.Module + "/stress/svc", Files: []fuzzgen.File{{Name: "svc.go", Src: []byte(b.String())}}}}
}

// interfaces is a package of n interfaces of one context-taking method
// each, n types that implement one each with an RPC, and n functions that
// call through an interface (aws-sdk-go-v2's service/ec2: a paginator's
// client interface per operation among 9,000 types): the model's
// implementation indexes must not pair every type with every interface.
func interfaces(_ testing.TB, n int) []fuzzgen.Package {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "type API%d interface{ Op%d(ctx context.Context, n int) error }\n\n", i, i)
		fmt.Fprintf(&b, "type impl%d struct{ c pb.EchoClient }\n\n", i)
		fmt.Fprintf(&b, "func (x *impl%d) Op%d(ctx context.Context, n int) error {\n\t_, err := x.c.Unary(ctx, &pb.Msg{N: int64(n)})\n\treturn err\n}\n\n", i, i)
		fmt.Fprintf(&b, "func call%d(a API%d) error { return a.Op%d(context.Background(), %d) }\n\n", i, i, i, i)
	}
	return svc(b.String())
}

// connLayers hands a connection down six layers of n unexported helpers,
// each helper calling every helper of the layer below (about size calls:
// 5n²), so that the connection a client is made on at the bottom is what
// every caller passes: n^6 ways within the walk's depth unless each
// helper's parameter is answered once (paramDial; at n = 12, 8.2 s of CPU
// before its answers were kept, 0.2 after).
func connLayers(_ testing.TB, size int) []fuzzgen.Package {
	n := int(math.Sqrt(float64(size) / 5))
	var b strings.Builder
	b.WriteString("func layer0(conn *grpc.ClientConn) {\n\t_, _ = pb.NewEchoClient(conn).Unary(context.Background(), &pb.Msg{})\n}\n\n")
	for d := 1; d <= 6; d++ {
		for j := range n {
			fmt.Fprintf(&b, "func layer%d_%d(conn *grpc.ClientConn) {\n", d, j)
			if d == 1 {
				b.WriteString("\tlayer0(conn)\n")
			} else {
				for i := range n {
					fmt.Fprintf(&b, "\tlayer%d_%d(conn)\n", d-1, i)
				}
			}
			b.WriteString("}\n\n")
		}
	}
	b.WriteString("func Top(target string) {\n\tconn, _ := grpc.NewClient(target)\n")
	for j := range n {
		fmt.Fprintf(&b, "\tlayer6_%d(conn)\n", j)
	}
	b.WriteString("}\n")
	src := strings.Replace(svcHeader, "\t\"time\"\n", "\t\"time\"\n\n\t\"google.golang.org/grpc\"\n", 1) + b.String()
	return []fuzzgen.Package{{Path: fuzzgen.Module + "/stress/svc", Files: []fuzzgen.File{{Name: "svc.go", Src: []byte(src)}}}}
}

// largePB is the generated code of n messages of eight fields each (3,100
// messages make a big.pb.go of ten megabytes) and one small service.
func largePB(tb testing.TB, n int) []fuzzgen.Package {
	var p strings.Builder
	p.WriteString(protoHeader)
	for i := range n {
		fmt.Fprintf(&p, "message M%d {\n  string name = 1;\n  int64 id = 2;\n  repeated string tags = 3;\n  map<string, int64> counts = 4;\n  bytes data = 5;\n  double score = 6;\n  bool ok = 7;\n  M%d next = 8;\n}\n", i, (i+1)%n)
	}
	p.WriteString("service Big {\n  rpc Get(M0) returns (M1);\n  rpc Watch(M0) returns (stream M1);\n}\n")
	pb := protoc(tb, p.String())
	src := "package svc\n\nimport (\n\t\"context\"\n\n\tpb \"example.com/fixtures/stress/bigpb\"\n)\n\n" +
		"type server struct {\n\tpb.UnimplementedBigServer\n\tc pb.BigClient\n}\n\n" +
		"func (s *server) Get(ctx context.Context, req *pb.M0) (*pb.M1, error) {\n\treturn s.c.Get(context.Background(), req)\n}\n"
	return []fuzzgen.Package{pb, {Path: fuzzgen.Module + "/stress/svc", Files: []fuzzgen.File{{Name: "svc.go", Src: []byte(src)}}}}
}

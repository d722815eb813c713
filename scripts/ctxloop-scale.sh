#!/usr/bin/env bash
# Measures how ctxloop's cost grows with the size of one handler: generates a
# streaming handler with N loops (each a select on its own channel fed by a
# goroutine, a tail -f style sleep on a path that skips the Send, a search
# and a bounded walk) in a copy of the fixture module, and times the
# standalone command on it with only ctxloop enabled. The first size should
# be 0: its time (loading and type-checking the dependencies) is the floor
# the others are compared with. Linear growth shows as a constant time per
# loop above the floor.
#   scripts/ctxloop-scale.sh [N...]     (default: 0 1000 2000 4000)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/gcc" ./cmd/grpccancelcheck
cp -r testdata "$tmp/mod"
sed -i "s|=> ../|=> $root/|" "$tmp/mod/go.mod"
mkdir -p "$tmp/mod/scale"
floor=
for n in "${@:-0 1000 2000 4000}"; do
  for n1 in $n; do
    f="$tmp/mod/scale/scale.go"
    {
      echo 'package scale'
      echo 'import ("time"; "google.golang.org/grpc"; "example.com/fixtures/pb/echo")'
      echo 'type srv struct { echo.UnimplementedEchoServer; quit chan struct{} }'
      echo 'func (s *srv) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {'
      echo '	_ = time.Second'
      for i in $(seq 1 "$n1"); do
        cat <<GO
	ch$i := make(chan *echo.Msg)
	go func() { for { select { case ch$i <- in: case <-stream.Context().Done(): return } } }()
	for k := 0; ; k++ {
		if k > 3 { break }
		select {
		case m := <-ch$i:
			if m.N == 0 { time.Sleep(time.Millisecond); continue }
			if err := stream.Send(m); err != nil { return err }
		case <-s.quit:
			return nil
		}
	}
	cur$i := in.Text
	for { if len(cur$i) < 2 { break }; cur$i = cur$i[1:] }
GO
      done
      echo '	return nil'
      echo '}'
    } > "$f"
    (cd "$tmp/mod" && gofmt -w scale/scale.go)
    start=$(date +%s.%N)
    (cd "$tmp/mod" && "$tmp/gcc" -ctxdetach=false -ctxdeadline=false ./scale/ >/dev/null 2>&1) || true
    end=$(date +%s.%N)
    lines=$(wc -l < "$f")
    t=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }')
    [ -n "$floor" ] || floor=$t
    awk -v n="$n1" -v l="$lines" -v t="$t" -v f="$floor" 'BEGIN { printf "loops %5d  lines %6d  %6.2f s  above the floor %6.2f s  %s\n", n, l, t, t - f, n ? sprintf("%.3f ms/loop", 1000 * (t - f) / n) : "(floor)" }'
  done
done

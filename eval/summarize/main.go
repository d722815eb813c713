// Command summarize turns the raw results of eval/run.sh into the Markdown
// tables of docs/evaluation.md.
//
//	summarize findings DIR [TRIAGE...]  # DIR/NAME.{1,2}.json, .err, .status, .size, .root, .determinism
//	summarize bench DIR                 # DIR/NAME.tsv
//	summarize rows DIR [ROOT]           # DIR/NAME.json and NAME.tests.json (eval/firstread.sh)
//
// rows prints one line per finding of a first read, for its readers:
// project, position (ROOT/ trimmed off), analyzer, the runs that report it
// (both, default or tests: the run with -ctxdeadline.tests), prod or test
// (by the file's name), message and related positions, separated by tabs.
//
// A TRIAGE file (eval/triage.tsv, eval/triage-tuning-round3.tsv) holds the
// verdict on each finding, read from the code: lines "project, position,
// analyzer, TP or FP, why", separated by tabs; several files are merged. A position is a file path relative to the project's module
// directory with line and column, or a file path alone for every finding
// of that analyzer in the file that has no line of its own. A finding
// judged in two files must get the same verdict in both, unless the later
// read says so: a file with a header line "# supersedes: NAME" (the base
// name of another triage file, e.g. an after-run that re-reads findings
// whose reason changed) is read after the others and its verdicts replace
// theirs.
package main

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
)

func main() {
	if len(os.Args) < 3 || (os.Args[1] == "bench" && len(os.Args) > 3) || (os.Args[1] == "rows" && len(os.Args) > 4) {
		fmt.Fprintln(os.Stderr, "usage: summarize findings DIR [TRIAGE...] | summarize bench DIR | summarize rows DIR [ROOT]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "findings":
		t := make(triage)
		var later []string
		for _, path := range os.Args[3:] {
			if supersedes(path) {
				later = append(later, path)
				continue
			}
			if err = t.read(path, false); err != nil {
				break
			}
		}
		for _, path := range later {
			if err != nil {
				break
			}
			err = t.read(path, true)
		}
		if err == nil {
			err = findings(os.Stdout, os.Args[2], t)
		}
	case "bench":
		err = bench(os.Stdout, os.Args[2])
	case "rows":
		root := ""
		if len(os.Args) == 4 {
			root = strings.TrimSuffix(os.Args[3], "/") + "/"
		}
		err = rows(os.Stdout, os.Args[2], root)
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "summarize:", err)
		os.Exit(1)
	}
}

// names returns the project names of the files in dir with suffix, in
// eval/projects.txt order when given, else sorted.
func names(dir, suffix string) ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(dir, "*"+suffix))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range matches {
		out = append(out, strings.TrimSuffix(filepath.Base(m), suffix))
	}
	order := projectOrder()
	slices.SortFunc(out, func(a, b string) int {
		ia, ib := slices.Index(order, a), slices.Index(order, b)
		if ia < 0 || ib < 0 {
			return cmp.Compare(a, b)
		}
		return cmp.Compare(ia, ib)
	})
	return out, nil
}

// projectOrder reads the project names from eval/projects.txt next to
// this program's source, when run with go run from the repository.
func projectOrder() []string {
	f, err := os.Open(filepath.Join("eval", "projects.txt"))
	if err != nil {
		return nil
	}
	defer f.Close()
	var order []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		order = append(order, strings.Fields(line)[0])
	}
	return order
}

// A diagnostic as the x/tools checker prints it with -json.
type diagnostic struct {
	Category string `json:"category"`
	Posn     string `json:"posn"`
	Message  string `json:"message"`
	Related  []struct {
		Posn    string `json:"posn"`
		Message string `json:"message"`
	} `json:"related"`
}

// rows writes the first-read rows of DIR's runs (see the package comment).
func rows(w io.Writer, dir, root string) error {
	all, err := names(dir, ".json")
	if err != nil {
		return err
	}
	type row struct {
		project string
		f       finding
		runs    map[string]bool
	}
	var out []*row
	for _, name := range all {
		if strings.HasSuffix(name, ".tests") {
			continue
		}
		byKey := make(map[string]*row)
		for _, run := range []string{"default", "tests"} {
			path := filepath.Join(dir, name+".json")
			if run == "tests" {
				path = filepath.Join(dir, name+".tests.json")
			}
			if _, err := os.Stat(path); err != nil && run == "tests" {
				continue
			}
			found, _, err := parse(path)
			if err != nil {
				return err
			}
			for _, f := range found {
				key := f.analyzer + " " + f.Posn + " " + f.Message
				r := byKey[key]
				if r == nil {
					r = &row{project: name, f: f, runs: make(map[string]bool)}
					byKey[key] = r
					out = append(out, r)
				}
				r.runs[run] = true
			}
		}
	}
	slices.SortStableFunc(out, func(a, b *row) int {
		return cmp.Or(cmp.Compare(a.project, b.project), cmp.Compare(a.f.Posn, b.f.Posn), cmp.Compare(a.f.analyzer, b.f.analyzer))
	})
	clean := func(s string) string {
		return strings.NewReplacer("\t", " ", "\n", " ").Replace(strings.TrimPrefix(s, root))
	}
	for _, r := range out {
		runs := "both"
		if len(r.runs) == 1 {
			for k := range r.runs {
				runs = k
			}
		}
		kind := "prod"
		if strings.Contains(r.f.Posn, "_test.go:") {
			kind = "test"
		}
		var related []string
		for _, rel := range r.f.Related {
			related = append(related, clean(rel.Posn)+" "+clean(rel.Message))
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.project, clean(r.f.Posn), r.f.analyzer, runs, kind, clean(r.f.Message), strings.Join(related, " | "))
	}
	return nil
}

type finding struct {
	analyzer string
	diagnostic
}

// parse reads a -json output: package -> analyzer -> diagnostics, or
// {"error": ...} for an analysis that failed.
func parse(path string) (found []finding, failed map[string]string, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	var raw map[string]map[string]json.RawMessage
	if len(strings.TrimSpace(string(data))) > 0 {
		if err := json.Unmarshal(data, &raw); err != nil {
			return nil, nil, fmt.Errorf("%s: %v", path, err)
		}
	}
	failed = make(map[string]string)
	seen := make(map[string]bool)
	pkgs := make([]string, 0, len(raw))
	for pkg := range raw {
		pkgs = append(pkgs, pkg)
	}
	sort.Strings(pkgs)
	for _, pkg := range pkgs {
		for analyzer, msg := range raw[pkg] {
			var e struct{ Error string }
			if json.Unmarshal(msg, &e) == nil && e.Error != "" {
				failed[pkg+" "+analyzer] = e.Error
				continue
			}
			var ds []diagnostic
			if err := json.Unmarshal(msg, &ds); err != nil {
				return nil, nil, fmt.Errorf("%s: %s: %v", path, pkg, err)
			}
			for _, d := range ds {
				// A package and its test variant report the same
				// finding once each.
				if key := analyzer + " " + d.Posn; !seen[key] {
					seen[key] = true
					found = append(found, finding{analyzer, d})
				}
			}
		}
	}
	slices.SortFunc(found, func(a, b finding) int {
		return cmp.Or(cmp.Compare(a.Posn, b.Posn), cmp.Compare(a.analyzer, b.analyzer))
	})
	return found, failed, nil
}

func readTrim(path string) string {
	data, _ := os.ReadFile(path)
	return strings.TrimSpace(string(data))
}

var analyzerNames = []string{"ctxloop", "ctxdetach", "ctxdeadline"}

// A verdict is the triage of one finding.
type verdict struct {
	tp  bool
	why string
}

// triage maps "project analyzer position" (or "project analyzer file") to
// a verdict.
type triage map[string]verdict

// supersedes reports whether the triage file at path has a
// "# supersedes: NAME" header line.
func supersedes(path string) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return false // read reports it
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "# supersedes:") {
			return true
		}
	}
	return false
}

// read adds the verdicts of the triage file at path; a finding judged in
// two files must get the same verdict in both, unless override is set
// (the file supersedes those read before it).
func (t triage) read(path string, override bool) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	for i, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 5 || (f[3] != "TP" && f[3] != "FP") {
			return fmt.Errorf("%s:%d: want project, position, analyzer, TP|FP, why separated by tabs", path, i+1)
		}
		key, v := f[0]+" "+f[2]+" "+f[1], verdict{tp: f[3] == "TP", why: f[4]}
		if old, ok := t[key]; ok && old.tp != v.tp && !override {
			return fmt.Errorf("%s:%d: %s %s %s judged both TP and FP", path, i+1, f[0], f[1], f[2])
		}
		t[key] = v
	}
	return nil
}

// lookup returns the verdict on the finding at pos (relative), exact first.
func (t triage) lookup(project, analyzer, pos string) (verdict, bool) {
	key := t.key(project, analyzer, pos)
	v, ok := t[key]
	return v, ok
}

// key returns the triage entry that covers the finding at pos, exact
// first, else its file's; "" when there is none.
func (t triage) key(project, analyzer, pos string) string {
	if k := project + " " + analyzer + " " + pos; has(t, k) {
		return k
	}
	file, _, _ := strings.Cut(pos, ":")
	if k := project + " " + analyzer + " " + file; has(t, k) {
		return k
	}
	return ""
}

func has(t triage, key string) bool { _, ok := t[key]; return ok }

type counts struct{ n, tests, tp, fp, untriaged, testTP, testFP int }

func findings(w io.Writer, dir string, t triage) error {
	projects, err := names(dir, ".1.json")
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "| project | packages | .go files (tests) | analyzer | findings | in tests | TP | FP | untriaged | load failures | crashes | two runs identical |")
	fmt.Fprintln(w, "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|")
	details := make(map[string][]finding)
	reported := make(map[string]bool) // triage keys that cover a finding
	prefixes := make(map[string]string)
	total := make(map[string]*counts)
	for _, a := range analyzerNames {
		total[a] = new(counts)
	}
	for _, name := range projects {
		base := filepath.Join(dir, name)
		found, failed, err := parse(base + ".1.json")
		if err != nil {
			return err
		}
		details[name] = found
		prefix := ""
		if len(found) > 0 {
			prefix = commonDir(found)
		}
		if root := readTrim(base + ".root"); root != "" {
			prefix = root + "/"
		}
		prefixes[name] = prefix
		size := strings.Fields(readTrim(base + ".size"))
		for len(size) < 3 {
			size = append(size, "?")
		}
		status := readTrim(base + ".1.status")
		stderr := readTrim(base + ".1.err")
		crashes := 0
		if (status != "0" && status != "1") || strings.Contains(stderr, "panic:") {
			crashes = 1
		}
		for _, msg := range failed {
			if strings.Contains(msg, "panic") {
				crashes++
			}
		}
		loadFailures := len(failed) + countLoadErrors(stderr)
		for i, a := range analyzerNames {
			var c counts
			for _, f := range found {
				if f.analyzer != a {
					continue
				}
				c.n++
				inTest := strings.Contains(f.Posn, "_test.go:")
				if inTest {
					c.tests++
				}
				switch v, ok := t.lookup(name, a, strings.TrimPrefix(f.Posn, prefix)); {
				case !ok:
					c.untriaged++
				case v.tp:
					c.tp++
					if inTest {
						c.testTP++
					}
				default:
					c.fp++
					if inTest {
						c.testFP++
					}
				}
			}
			tc := total[a]
			tc.n, tc.tests, tc.tp, tc.fp, tc.untriaged = tc.n+c.n, tc.tests+c.tests, tc.tp+c.tp, tc.fp+c.fp, tc.untriaged+c.untriaged
			tc.testTP, tc.testFP = tc.testTP+c.testTP, tc.testFP+c.testFP
			if i == 0 {
				fmt.Fprintf(w, "| %s | %s | %s (%s) | %s | %d | %d | %d | %d | %d | %d | %d | %s |\n",
					name, size[0], size[1], size[2], a, c.n, c.tests, c.tp, c.fp, c.untriaged,
					loadFailures, crashes, readTrim(base+".determinism"))
			} else {
				fmt.Fprintf(w, "| | | | %s | %d | %d | %d | %d | %d | | | |\n", a, c.n, c.tests, c.tp, c.fp, c.untriaged)
			}
		}
	}
	var all counts
	for i, a := range analyzerNames {
		c := total[a]
		all.n, all.tests, all.tp, all.fp, all.untriaged = all.n+c.n, all.tests+c.tests, all.tp+c.tp, all.fp+c.fp, all.untriaged+c.untriaged
		label := ""
		if i == 0 {
			label = "**all**"
		}
		fmt.Fprintf(w, "| %s | | | %s | %d | %d | %d | %d | %d | | | |\n", label, a, c.n, c.tests, c.tp, c.fp, c.untriaged)
	}
	fmt.Fprintf(w, "\nPrecision over all %d findings: %s (%d TP, %d FP, %d untriaged).\n",
		all.n, percent(all.tp, all.tp+all.fp), all.tp, all.fp, all.untriaged)
	fmt.Fprintln(w, "\nPer analyzer, outside and inside `_test.go` files:")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| analyzer | non-test TP | non-test FP | non-test precision | test TP | test FP | test precision |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|")
	for _, a := range analyzerNames {
		c := total[a]
		ntp, nfp := c.tp-c.testTP, c.fp-c.testFP
		fmt.Fprintf(w, "| %s | %d | %d | %s | %d | %d | %s |\n", a, ntp, nfp, percent(ntp, ntp+nfp),
			c.testTP, c.testFP, percent(c.testTP, c.testTP+c.testFP))
	}
	for _, name := range projects {
		found := details[name]
		fmt.Fprintf(w, "\n### %s\n\n", name)
		if len(found) == 0 {
			fmt.Fprintln(w, "No findings.")
			continue
		}
		fmt.Fprintln(w, "| # | analyzer | category | position | verdict | why |")
		fmt.Fprintln(w, "|---:|---|---|---|---|---|")
		for i, f := range found {
			pos := strings.TrimPrefix(f.Posn, prefixes[name])
			reported[t.key(name, f.analyzer, pos)] = true
			v, ok := t.lookup(name, f.analyzer, pos)
			label, why := "?", "untriaged: "+f.Message
			if ok {
				label, why = "FP", v.why
				if v.tp {
					label = "TP"
				}
			}
			fmt.Fprintf(w, "| %d | %s | %s | %s | %s | %s |\n", i+1, f.analyzer, f.Category, pos, label,
				strings.ReplaceAll(why, "|", "\\|"))
		}
	}
	// Nothing lost: a true finding of the triage that no run reports any
	// more must be explained (a fix made it go, or it was misjudged).
	var lost []string
	for key, v := range t {
		project, _, _ := strings.Cut(key, " ")
		if v.tp && !reported[key] && slices.Contains(projects, project) {
			lost = append(lost, key)
		}
	}
	slices.Sort(lost)
	fmt.Fprintf(w, "\n### True findings of the triage no longer reported\n\n")
	if len(lost) == 0 {
		fmt.Fprintln(w, "None.")
	}
	for _, key := range lost {
		project, rest, _ := strings.Cut(key, " ")
		analyzer, pos, _ := strings.Cut(rest, " ")
		fmt.Fprintf(w, "- %s %s %s: %s\n", project, analyzer, pos, t[key].why)
	}
	return nil
}

func percent(a, b int) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(b))
}

// countLoadErrors counts the packages named in the driver's error output
// (type errors, missing modules): lines "path/file.go:line:col: ..." and
// "-: ..." grouped by directory.
func countLoadErrors(stderr string) int {
	dirs := make(map[string]bool)
	for _, line := range strings.Split(stderr, "\n") {
		if i := strings.Index(line, ".go:"); i > 0 && !strings.HasPrefix(line, "\t") {
			dirs[filepath.Dir(line[:i])] = true
		} else if strings.HasPrefix(line, "-: ") {
			dirs[line] = true
		}
	}
	return len(dirs)
}

// commonDir returns the longest directory prefix shared by all positions.
func commonDir(found []finding) string {
	prefix := filepath.Dir(found[0].Posn) + "/"
	for _, f := range found[1:] {
		for !strings.HasPrefix(f.Posn, prefix) && prefix != "/" {
			prefix = filepath.Dir(strings.TrimSuffix(prefix, "/")) + "/"
		}
	}
	return prefix
}

// A sample is one measured run.
type sample struct {
	wall, cpu float64 // seconds
	rss       float64 // KiB
}

var tools = []string{"floor", "floorfacts", "grpccancelcheck", "contextcheck", "vet-cold", "vet-warm"}

func bench(w io.Writer, dir string) error {
	projects, err := names(dir, ".tsv")
	if err != nil {
		return err
	}
	med := make(map[string]map[string]sample)
	spread := make(map[string]string) // per-round CPU ratios to the floor with facts
	for _, name := range projects {
		samples, err := readTSV(filepath.Join(dir, name+".tsv"))
		if err != nil {
			return err
		}
		spread[name] = roundRatios(samples["grpccancelcheck"], samples["floorfacts"])
		med[name] = make(map[string]sample)
		for tool, ss := range samples {
			med[name][tool] = median(ss)
		}
	}
	fmt.Fprintln(w, "Medians of the measured rounds; CPU is user + system time, RSS the peak resident set.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| project | tool | wall s | CPU s | peak RSS MiB |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|")
	for _, name := range projects {
		for i, tool := range tools[:4] {
			s, ok := med[name][tool]
			if !ok {
				continue
			}
			label := ""
			if i == 0 {
				label = name
			}
			fmt.Fprintf(w, "| %s | %s | %.1f | %.1f | %.0f |\n", label, tool, s.wall, s.cpu, s.rss/1024)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Ratios of grpccancelcheck to the floor with facts (the same loading), to the floor without facts, and of contextcheck to grpccancelcheck; go vet -vettool re-run with a warm cache.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| project | CPU / floor (facts) | per round | RSS / floor (facts) | CPU / floor (no facts) | RSS / floor (no facts) | contextcheck CPU / ours | contextcheck RSS / ours | vet cold s | vet warm re-run s |")
	fmt.Fprintln(w, "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")
	var sum = make(map[string]sample)
	for _, name := range projects {
		m := med[name]
		g, ff, f0, cc := m["grpccancelcheck"], m["floorfacts"], m["floor"], m["contextcheck"]
		for _, t := range tools {
			s := sum[t]
			s.wall += m[t].wall
			s.cpu += m[t].cpu
			s.rss = max(s.rss, m[t].rss)
			sum[t] = s
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %.1f | %.1f |\n", name,
			ratio(g.cpu, ff.cpu), spread[name], ratio(g.rss, ff.rss), ratio(g.cpu, f0.cpu), ratio(g.rss, f0.rss),
			ratio(cc.cpu, g.cpu), ratio(cc.rss, g.rss), m["vet-cold"].wall, m["vet-warm"].wall)
	}
	g, ff, f0, cc := sum["grpccancelcheck"], sum["floorfacts"], sum["floor"], sum["contextcheck"]
	fmt.Fprintf(w, "| **all (CPU summed)** | %s | | | %s | | %s | | %.1f | %.1f |\n",
		ratio(g.cpu, ff.cpu), ratio(g.cpu, f0.cpu), ratio(cc.cpu, g.cpu), sum["vet-cold"].wall, sum["vet-warm"].wall)
	return nil
}

// roundRatios lists the CPU ratio of a to b round by round (the rounds
// interleave the tools, so a round's two runs saw the same machine).
func roundRatios(a, b []sample) string {
	var out []string
	for i := range min(len(a), len(b)) {
		out = append(out, ratio(a[i].cpu, b[i].cpu))
	}
	return strings.Join(out, ", ")
}

func ratio(a, b float64) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", a/b)
}

// readTSV reads the samples of rounds 1 and up, by tool.
func readTSV(path string) (map[string][]sample, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := make(map[string][]sample)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) < 6 || fields[0] == "tool" {
			continue
		}
		round, _ := strconv.Atoi(fields[1])
		if round == 0 && fields[0] != "vet-cold" {
			continue // warm-up
		}
		if len(fields) > 6 {
			// 126, 127: the tool could not be run; 128 and up: killed.
			if status, err := strconv.Atoi(fields[6]); err == nil && status >= 126 {
				return nil, fmt.Errorf("%s: %s round %d exited %d: not a measurement", path, fields[0], round, status)
			}
		}
		var v [4]float64
		for i := range v {
			v[i], _ = strconv.ParseFloat(fields[2+i], 64)
		}
		out[fields[0]] = append(out[fields[0]], sample{wall: v[0], cpu: v[1] + v[2], rss: v[3]})
	}
	return out, sc.Err()
}

// median takes each measure's median on its own.
func median(ss []sample) sample {
	pick := func(get func(sample) float64) float64 {
		vs := make([]float64, len(ss))
		for i, s := range ss {
			vs[i] = get(s)
		}
		slices.Sort(vs)
		if len(vs)%2 == 1 {
			return vs[len(vs)/2]
		}
		return (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2
	}
	return sample{
		wall: pick(func(s sample) float64 { return s.wall }),
		cpu:  pick(func(s sample) float64 { return s.cpu }),
		rss:  pick(func(s sample) float64 { return s.rss }),
	}
}

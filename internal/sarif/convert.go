package sarif

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"go/doc/comment"
	"go/token"
	"io"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/tools/go/analysis"
)

// Options control a conversion.
type Options struct {
	// BaseDir is the directory that relative artifact URIs (uriBaseId
	// %SRCROOT%) start from; files outside it get absolute file: URIs.
	BaseDir string

	// ToolName, InformationURI and ToolVersion describe the tool.
	ToolName, InformationURI, ToolVersion string

	// ReadFile reads a file to count its columns in UTF-16 code units;
	// os.ReadFile when nil.
	ReadFile func(string) ([]byte, error)

	// Categories lists, by analyzer name, the categories of finding each
	// rule can report; each rule's help links to their documentation.
	Categories map[string][]string
}

// A Builder turns analysis results into a SARIF log.
type Builder struct {
	opts      Options
	rules     []ReportingDescriptor
	ruleIndex map[string]int
	results   []Result
	seen      map[resultKey]bool
	notes     []Notification
	seenNotes map[string]bool
	files     map[string][]byte // contents, for columns; nil entry: unreadable
}

type resultKey struct {
	rule       string
	start, end token.Position
	message    string
}

// NewBuilder returns a Builder whose rules are analyzers, in order.
func NewBuilder(analyzers []*analysis.Analyzer, opts Options) *Builder {
	if opts.ReadFile == nil {
		opts.ReadFile = os.ReadFile
	}
	b := &Builder{
		opts:      opts,
		ruleIndex: make(map[string]int),
		seen:      make(map[resultKey]bool),
		seenNotes: make(map[string]bool),
		files:     make(map[string][]byte),
	}
	for _, a := range analyzers {
		b.ruleIndex[a.Name] = len(b.rules)
		b.rules = append(b.rules, withCategories(Rule(a), opts.Categories[a.Name]))
	}
	return b
}

// Rule describes an analyzer as a SARIF rule: its id is the analyzer's
// name, its descriptions and help come from its documentation (whose first
// line is "name: title") and its help URI is the analyzer's URL.
func Rule(a *analysis.Analyzer) ReportingDescriptor {
	title, body, _ := strings.Cut(a.Doc, "\n")
	title = strings.TrimPrefix(title, a.Name+": ")
	body = strings.TrimSpace(body)
	full, _, _ := strings.Cut(body, "\n\n")
	if full == "" {
		full = title
	}
	var p comment.Parser
	var pr comment.Printer
	return ReportingDescriptor{
		ID:               a.Name,
		ShortDescription: &MultiformatMessage{Text: title},
		FullDescription:  &MultiformatMessage{Text: strings.Join(strings.Fields(full), " ")},
		Help: &MultiformatMessage{
			Text:     a.Doc,
			Markdown: string(pr.Markdown(p.Parse(a.Doc))),
		},
		HelpURI:              a.URL,
		DefaultConfiguration: &ReportingConfiguration{Level: "warning"},
		Properties: &ReportingDescriptorTags{
			Tags:      []string{"go", "grpc", "context", "cancellation"},
			Precision: "high",
		},
	}
}

// AddJSON adds what the checker's -json mode printed (the x/tools JSON
// tree, one object or several in a row as go vet -json prints them): the
// diagnostics of rules of the Builder as results, analyzer errors as
// notifications. It returns the number of analyzer errors.
func (b *Builder) AddJSON(data []byte) (errors int, err error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		var tree map[string]map[string]json.RawMessage // package ID -> analyzer -> diagnostics or error
		if err := dec.Decode(&tree); err == io.EOF {
			return errors, nil
		} else if err != nil {
			return errors, fmt.Errorf("reading the checker's JSON: %v", err)
		}
		for _, id := range slices.Sorted(maps.Keys(tree)) {
			for _, rule := range slices.Sorted(maps.Keys(tree[id])) {
				raw := tree[id][rule]
				var failed struct {
					Error string `json:"error"`
				}
				if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
					if err := json.Unmarshal(raw, &failed); err != nil {
						return errors, fmt.Errorf("reading the checker's JSON: %s: %v", id, err)
					}
					b.AddError(fmt.Sprintf("%s@%s: %s", rule, id, failed.Error))
					errors++
					continue
				}
				var diags []JSONDiagnostic
				if err := json.Unmarshal(raw, &diags); err != nil {
					return errors, fmt.Errorf("reading the checker's JSON: %s: %v", id, err)
				}
				if _, ok := b.ruleIndex[rule]; !ok {
					continue
				}
				for _, d := range diags {
					b.addDiagnostic(rule, d)
				}
			}
		}
	}
}

// A JSONDiagnostic is a diagnostic as the checker's -json mode (and go vet
// -json) prints it, under {"package": {"analyzer": [...]}}: positions are
// "file:line:column" with byte columns, edits are byte offsets.
type JSONDiagnostic struct {
	Category string `json:"category"`
	Posn     string `json:"posn"`
	End      string `json:"end"`
	Message  string `json:"message"`
	Fixes    []struct {
		Message string `json:"message"`
		Edits   []struct {
			Filename   string `json:"filename"`
			Start, End int
			New        string `json:"new"`
		} `json:"edits"`
	} `json:"suggested_fixes"`
	Related []struct {
		Posn    string `json:"posn"`
		End     string `json:"end"`
		Message string `json:"message"`
	} `json:"related"`
}

// AddError records an error of the run as an error notification, once.
func (b *Builder) AddError(msg string) {
	if b.seenNotes[msg] {
		return
	}
	b.seenNotes[msg] = true
	b.notes = append(b.notes, Notification{Level: "error", Message: Message{Text: msg}})
}

func (b *Builder) addDiagnostic(rule string, d JSONDiagnostic) {
	start := b.position(d.Posn)
	if !start.IsValid() {
		b.AddError(fmt.Sprintf("%s: diagnostic without a position: %s", rule, d.Message))
		return
	}
	end := b.end(start, d.End)
	// The same file can be analyzed twice (package p and its test
	// variant): keep one result.
	k := resultKey{rule, start, end, d.Message}
	if b.seen[k] {
		return
	}
	b.seen[k] = true

	r := Result{
		RuleID:    rule,
		RuleIndex: b.ruleIndex[rule],
		Level:     "warning",
		Message:   Message{Text: d.Message},
		Locations: []Location{{PhysicalLocation: b.physical(start, end)}},
	}
	if d.Category != "" {
		r.Properties = &ResultProperties{Category: d.Category}
	}
	for i, rel := range d.Related {
		p := b.position(rel.Posn)
		if !p.IsValid() {
			continue
		}
		id := i + 1
		r.RelatedLocations = append(r.RelatedLocations, Location{
			ID:               &id,
			PhysicalLocation: b.physical(p, b.end(p, rel.End)),
			Message:          &Message{Text: rel.Message},
		})
	}
	for _, sf := range d.Fixes {
		fix := Fix{Description: &Message{Text: sf.Message}}
		byFile := make(map[string]int) // file name -> index in ArtifactChanges
		for _, e := range sf.Edits {
			start, stop := b.offsetPosition(e.Filename, e.Start), b.offsetPosition(e.Filename, max(e.End, e.Start))
			if !start.IsValid() || !stop.IsValid() {
				fix.ArtifactChanges = nil
				break
			}
			i, ok := byFile[e.Filename]
			if !ok {
				i = len(fix.ArtifactChanges)
				byFile[e.Filename] = i
				fix.ArtifactChanges = append(fix.ArtifactChanges, ArtifactChange{ArtifactLocation: b.artifact(e.Filename)})
			}
			region := b.region(start, stop)
			region.EndLine, region.EndColumn = stop.Line, b.column(stop) // explicit even when empty
			fix.ArtifactChanges[i].Replacements = append(fix.ArtifactChanges[i].Replacements, Replacement{
				DeletedRegion:   region,
				InsertedContent: &ArtifactContent{Text: e.New},
			})
		}
		if len(fix.ArtifactChanges) > 0 {
			r.Fixes = append(r.Fixes, fix)
		}
	}
	b.results = append(b.results, r)
}

// position parses a "file:line:column" position; its Offset is computed
// from the file's content (-1 when the file cannot be read).
func (b *Builder) position(posn string) token.Position {
	i := strings.LastIndex(posn, ":")
	if i < 0 {
		return token.Position{}
	}
	j := strings.LastIndex(posn[:i], ":")
	if j < 0 {
		return token.Position{}
	}
	line, err1 := strconv.Atoi(posn[j+1 : i])
	col, err2 := strconv.Atoi(posn[i+1:])
	if err1 != nil || err2 != nil || line < 1 {
		return token.Position{}
	}
	p := token.Position{Filename: posn[:j], Line: line, Column: col, Offset: -1}
	content := b.content(p.Filename)
	off := 0
	for l := 1; l < line && content != nil; l++ {
		k := bytes.IndexByte(content[off:], '\n')
		if k < 0 {
			return p
		}
		off += k + 1
	}
	if content != nil && col >= 1 {
		p.Offset = off + col - 1
	}
	return p
}

// end returns the end position of a finding that starts at start: none
// when the checker printed the start again (the diagnostic has no end).
func (b *Builder) end(start token.Position, posn string) token.Position {
	end := b.position(posn)
	if !end.IsValid() || end.Filename != start.Filename || end.Line == start.Line && end.Column == start.Column {
		return token.Position{}
	}
	return end
}

// offsetPosition returns the position of a byte offset in a file; an
// invalid position when the file cannot be read.
func (b *Builder) offsetPosition(filename string, offset int) token.Position {
	content := b.content(filename)
	if content == nil || offset < 0 || offset > len(content) {
		return token.Position{}
	}
	lineStart := bytes.LastIndexByte(content[:offset], '\n') + 1
	return token.Position{
		Filename: filename,
		Offset:   offset,
		Line:     bytes.Count(content[:offset], []byte("\n")) + 1,
		Column:   offset - lineStart + 1,
	}
}

// content returns a file's content, read once; nil when it cannot be read.
func (b *Builder) content(filename string) []byte {
	content, ok := b.files[filename]
	if !ok {
		content, _ = b.opts.ReadFile(filename)
		b.files[filename] = content
	}
	return content
}

func (b *Builder) physical(start, end token.Position) PhysicalLocation {
	region := b.region(start, end)
	return PhysicalLocation{ArtifactLocation: b.artifact(start.Filename), Region: &region}
}

// region spans start to end; without end it is start's line from start on.
func (b *Builder) region(start, end token.Position) Region {
	r := Region{StartLine: start.Line, StartColumn: b.column(start)}
	if end.IsValid() && end.Filename == start.Filename {
		r.EndLine, r.EndColumn = end.Line, b.column(end)
	}
	return r
}

// column converts p's byte column into UTF-16 code units, the unit SARIF
// counts columns in by default; it keeps the byte column when the file
// cannot be read as it was analyzed.
func (b *Builder) column(p token.Position) int {
	if p.Column <= 0 {
		return 1
	}
	content := b.content(p.Filename)
	lineStart := p.Offset - (p.Column - 1)
	if content == nil || lineStart < 0 || p.Offset > len(content) {
		return p.Column
	}
	n := 1
	for prefix := content[lineStart:p.Offset]; len(prefix) > 0; {
		r, size := utf8.DecodeRune(prefix)
		prefix = prefix[size:]
		if r >= 0x10000 {
			n += 2 // a surrogate pair
		} else {
			n++
		}
	}
	return n
}

// artifact names a file: relative to BaseDir under %SRCROOT% when inside
// it, else by an absolute file: URI.
func (b *Builder) artifact(filename string) ArtifactLocation {
	abs, err := filepath.Abs(filename)
	if err != nil {
		abs = filename
	}
	if b.opts.BaseDir != "" {
		if rel, err := filepath.Rel(b.opts.BaseDir, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return ArtifactLocation{URI: (&url.URL{Path: filepath.ToSlash(rel)}).String(), URIBaseID: SrcRoot}
		}
	}
	return ArtifactLocation{URI: fileURI(abs, false)}
}

// fileURI returns the file: URI of an absolute path, with a trailing slash
// for a directory.
func fileURI(abs string, dir bool) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive letter
	}
	if dir && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// Log returns the SARIF log: one run, its results sorted by file, line,
// column and rule.
func (b *Builder) Log() *Log {
	results := slices.Clone(b.results)
	slices.SortStableFunc(results, func(x, y Result) int {
		px, py := x.Locations[0].PhysicalLocation, y.Locations[0].PhysicalLocation
		return cmp.Or(
			cmp.Compare(px.ArtifactLocation.URIBaseID, py.ArtifactLocation.URIBaseID),
			cmp.Compare(px.ArtifactLocation.URI, py.ArtifactLocation.URI),
			cmp.Compare(px.Region.StartLine, py.Region.StartLine),
			cmp.Compare(px.Region.StartColumn, py.Region.StartColumn),
			cmp.Compare(x.RuleID, y.RuleID),
			cmp.Compare(x.Message.Text, y.Message.Text),
		)
	})
	if results == nil {
		results = []Result{}
	}
	rules := b.rules
	if rules == nil {
		rules = []ReportingDescriptor{}
	}
	run := Run{
		Tool: Tool{Driver: ToolComponent{
			Name:            b.opts.ToolName,
			InformationURI:  b.opts.InformationURI,
			Version:         b.opts.ToolVersion,
			SemanticVersion: semver(b.opts.ToolVersion),
			Rules:           rules,
		}},
		Invocations: []Invocation{{
			ExecutionSuccessful:        len(b.notes) == 0,
			ToolExecutionNotifications: b.notes,
		}},
		Results:    results,
		ColumnKind: "utf16CodeUnits",
	}
	if b.opts.BaseDir != "" {
		run.OriginalURIBaseIDs = map[string]ArtifactLocation{SrcRoot: {URI: fileURI(b.opts.BaseDir, true)}}
	}
	return &Log{Schema: Schema, Version: Version, Runs: []Run{run}}
}

// semver returns v without its "v" when it is a release version (vX.Y.Z),
// else "".
func semver(v string) string {
	s, ok := strings.CutPrefix(v, "v")
	if !ok {
		return ""
	}
	parts := strings.SplitN(strings.SplitN(s, "+", 2)[0], "-", 2)
	nums := strings.Split(parts[0], ".")
	if len(nums) != 3 {
		return ""
	}
	for _, n := range nums {
		if n == "" || strings.Trim(n, "0123456789") != "" {
			return ""
		}
	}
	return s
}

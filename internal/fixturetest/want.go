package fixturetest

import (
	"cmp"
	"fmt"
	"go/token"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/scanner"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
)

// A ProblemKind says how findings and "// want" comments disagree.
type ProblemKind int

const (
	// Unexpected: a diagnostic or fact no expectation names.
	Unexpected ProblemKind = iota
	// Mismatch: a diagnostic or fact whose line has expectations of its
	// kind, none of which matches it.
	Mismatch
	// Unmet: an expectation nothing matched.
	Unmet
	// BadComment: a "// want" comment that does not parse.
	BadComment
)

// A Problem is one disagreement between an action's findings and the
// "// want" comments of its package.
type Problem struct {
	Kind ProblemKind
	Posn token.Position
	// Fact is true for a fact, false for a diagnostic.
	Fact bool
	// Text: the diagnostic's message or the fact's string (Unexpected,
	// Mismatch); the unmet pattern (Unmet); the parse error (BadComment).
	Text string
	// Patterns are the expectations a Mismatch failed to match.
	Patterns []string
}

// String says what is wrong in analysistest's words.
func (p Problem) String() string {
	kind := "diagnostic"
	if p.Fact {
		kind = "fact"
	}
	switch p.Kind {
	case Unexpected:
		return fmt.Sprintf("%v: unexpected %s: %v", p.Posn, kind, p.Text)
	case Mismatch:
		return fmt.Sprintf("%v: %s %q does not match pattern %s", p.Posn, kind, p.Text, strings.Join(p.Patterns, " or "))
	case Unmet:
		return fmt.Sprintf("%s:%d: no %s was reported matching %s", p.Posn.Filename, p.Posn.Line, kind, p.Text)
	}
	return fmt.Sprintf("%s:%d: in 'want' comment: %s", p.Posn.Filename, p.Posn.Line, p.Text)
}

// An expectation is one entry of a "// want" comment: a diagnostic whose
// message matches rx, or (name set) a fact of the object name declared on
// the line ("package" for a package fact, on line 1 of the first file)
// whose string matches rx.
type expectation struct {
	name string
	rx   *regexp.Regexp
}

type lineKey struct {
	file string
	line int
}

// Check compares an action's diagnostics and the facts it exported for its
// own package's objects with the "// want" comments in the package's Go
// files, with analysistest's rules: a comment "// want" (also after other
// text in a comment, "//...// want ...") followed by string literals,
// each a regular expression a diagnostic's message on that line must
// match, and name:"rx" entries, each a fact of the object name declared on
// that line; "+N" moves the expectations N lines down. Each finding
// consumes one matching expectation. Problems are sorted by position.
func Check(act *checker.Action) []Problem {
	var problems []Problem
	fset := act.Package.Fset
	want := make(map[lineKey][]expectation)
	for _, f := range act.Package.Syntax {
		for _, group := range f.Comments {
			for _, c := range group.List {
				text, ok := strings.CutPrefix(c.Text, "//")
				if !ok {
					text = strings.TrimSuffix(strings.TrimPrefix(c.Text, "/*"), "*/")
				}
				if i := strings.Index(text, "// want"); i >= 0 {
					text = text[i+len("// "):]
				}
				rest, ok := strings.CutPrefix(strings.TrimSpace(text), "want")
				if !ok {
					continue
				}
				posn := fset.Position(c.Pos())
				delta, expects, err := parseWant(rest)
				if err != nil {
					problems = append(problems, Problem{Kind: BadComment, Posn: posn, Text: err.Error()})
					continue
				}
				if expects != nil {
					want[lineKey{posn.Filename, posn.Line + delta}] = expects
				}
			}
		}
	}

	match := func(posn token.Position, name, text string) {
		k := lineKey{posn.Filename, posn.Line}
		expects := want[k]
		var tried []string
		for i, e := range expects {
			if e.name != name {
				continue
			}
			if e.rx.MatchString(text) {
				want[k] = slices.Delete(expects, i, i+1)
				return
			}
			tried = append(tried, fmt.Sprintf("%#q", e.rx))
		}
		p := Problem{Kind: Unexpected, Posn: posn, Fact: name != "", Text: text}
		if tried != nil {
			p.Kind, p.Patterns = Mismatch, tried
		}
		problems = append(problems, p)
	}
	for _, d := range act.Diagnostics {
		match(fset.Position(d.Pos), "", d.Message)
	}
	for _, f := range act.AllPackageFacts() {
		if f.Package == act.Package.Types {
			posn := fset.Position(act.Package.Syntax[0].Pos())
			posn.Line, posn.Column = 1, 1
			match(posn, "package", fmt.Sprint(f))
		}
	}
	objFacts := act.AllObjectFacts()
	slices.SortFunc(objFacts, func(a, b analysis.ObjectFact) int { return cmp.Compare(a.Object.Pos(), b.Object.Pos()) })
	for _, f := range objFacts {
		if obj := f.Object; obj.Pkg() == act.Package.Types {
			match(fset.Position(obj.Pos()), obj.Name(), fmt.Sprint(f.Fact))
		}
	}
	for k, expects := range want {
		for _, e := range expects {
			problems = append(problems, Problem{
				Kind: Unmet,
				Posn: token.Position{Filename: k.file, Line: k.line},
				Fact: e.name != "",
				Text: fmt.Sprintf("%#q", e.rx),
			})
		}
	}
	slices.SortStableFunc(problems, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Posn.Filename, b.Posn.Filename), cmp.Compare(a.Posn.Line, b.Posn.Line),
			cmp.Compare(a.Posn.Column, b.Posn.Column), cmp.Compare(a.String(), b.String()))
	})
	return problems
}

// parseWant parses what follows "want" in a comment.
func parseWant(text string) (delta int, expects []expectation, err error) {
	var scanErr string
	var sc scanner.Scanner
	sc.Init(strings.NewReader(text))
	sc.Error = func(_ *scanner.Scanner, msg string) { scanErr = msg }
	sc.Mode = scanner.ScanIdents | scanner.ScanStrings | scanner.ScanRawStrings | scanner.ScanInts
	pattern := func(tok rune) (*regexp.Regexp, error) {
		if tok != scanner.String && tok != scanner.RawString {
			return nil, fmt.Errorf("got %s, want regular expression", scanner.TokenString(tok))
		}
		s, _ := strconv.Unquote(sc.TokenText())
		return regexp.Compile(s)
	}
	for {
		switch tok := sc.Scan(); tok {
		case '+':
			if sc.Scan() != scanner.Int {
				return 0, nil, fmt.Errorf("got +%s, want +Int", sc.TokenText())
			}
			delta, _ = strconv.Atoi(sc.TokenText())
		case scanner.String, scanner.RawString:
			rx, err := pattern(tok)
			if err != nil {
				return 0, nil, err
			}
			expects = append(expects, expectation{rx: rx})
		case scanner.Ident:
			name := sc.TokenText()
			if tok := sc.Scan(); tok != ':' {
				return 0, nil, fmt.Errorf("got %s after %s, want ':'", scanner.TokenString(tok), name)
			}
			rx, err := pattern(sc.Scan())
			if err != nil {
				return 0, nil, err
			}
			expects = append(expects, expectation{name: name, rx: rx})
		case scanner.EOF:
			if scanErr != "" {
				return 0, nil, fmt.Errorf("%s", scanErr)
			}
			return delta, expects, nil
		default:
			return 0, nil, fmt.Errorf("unexpected %s", scanner.TokenString(tok))
		}
	}
}

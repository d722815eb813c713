// Command annotate is part of the grpccancelcheck GitHub Action
// (action.yml, action/run.sh): it reads the SARIF log the analysis wrote
// and prints each result as one "file:line:col: message [analyzer:category]"
// line, the shape the problem matcher .github/grpccancelcheck-matcher.json
// turns into an annotation. Paths are made relative to GITHUB_WORKSPACE
// (the repository's checkout), where annotations are anchored, when the
// log is relative to a directory below it.
//
// Usage:
//
//	annotate FILE.sarif
//
// It prints nothing else on standard output; the caller counts the lines.
package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// The parts of a SARIF 2.1.0 log read here.
type log struct {
	Runs []struct {
		Results []struct {
			RuleID  string `json:"ruleId"`
			Message struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine   int `json:"startLine"`
						StartColumn int `json:"startColumn"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			Properties struct {
				Category string `json:"category"`
			} `json:"properties"`
		} `json:"results"`
	} `json:"runs"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: annotate FILE.sarif")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail(err)
	}
	var l log
	if err := json.Unmarshal(data, &l); err != nil {
		fail(fmt.Errorf("%s: %v", os.Args[1], err))
	}
	prefix := workspacePrefix()
	for _, run := range l.Runs {
		for _, r := range run.Results {
			if len(r.Locations) == 0 {
				continue
			}
			loc := r.Locations[0].PhysicalLocation
			file, ok := filePath(loc.ArtifactLocation.URI, loc.ArtifactLocation.URIBaseID != "", prefix)
			if !ok {
				continue
			}
			what := r.RuleID
			if r.Properties.Category != "" {
				what += ":" + r.Properties.Category
			}
			msg := strings.Join(strings.Fields(r.Message.Text), " ")
			fmt.Printf("%s:%d:%d: %s [%s]\n", file, loc.Region.StartLine, max(loc.Region.StartColumn, 1), msg, what)
		}
	}
}

// filePath returns the file of an artifact URI: a relative URI (against
// the log's base directory) joined to prefix, or the path of a file: URI.
func filePath(uri string, relative bool, prefix string) (string, bool) {
	u, err := url.Parse(uri)
	if err != nil {
		return "", false
	}
	if u.Scheme == "file" {
		return filepath.FromSlash(u.Path), true
	}
	if u.Scheme != "" || !relative {
		return "", false
	}
	return filepath.FromSlash(path.Join(prefix, u.Path)), true
}

// workspacePrefix returns the current directory relative to
// GITHUB_WORKSPACE, slash-separated, or "" when it is the workspace, is
// outside it, or the variable is unset.
func workspacePrefix() string {
	ws := os.Getenv("GITHUB_WORKSPACE")
	wd, err := os.Getwd()
	if ws == "" || err != nil {
		return ""
	}
	rel, err := filepath.Rel(ws, wd)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return ""
	}
	return filepath.ToSlash(rel)
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "annotate: %v\n", err)
	os.Exit(1)
}

package sarif

import (
	"fmt"
	"strings"

	"github.com/grpccancelcheck/grpccancelcheck/internal/analyzerdoc"
)

// withCategories ends the rule's help, text and Markdown, with a link to
// the documentation of each category of finding the rule reports: results
// carry their category in properties.category, and a reader of the help in
// a code-scanning UI follows the link of that category.
func withCategories(r ReportingDescriptor, categories []string) ReportingDescriptor {
	if len(categories) == 0 || r.Help == nil {
		return r
	}
	help := *r.Help
	var text, md strings.Builder
	text.WriteString("\n\nCategories (each result's properties.category):\n")
	md.WriteString("\n\n**Categories** (each result's `properties.category`):\n\n")
	for _, c := range categories {
		fmt.Fprintf(&text, "\n  - %s: %s", c, analyzerdoc.URL(c))
		fmt.Fprintf(&md, "- [`%s`](%s)\n", c, analyzerdoc.URL(c))
	}
	help.Text += text.String()
	help.Markdown = strings.TrimRight(help.Markdown, "\n") + md.String()
	r.Help = &help
	return r
}

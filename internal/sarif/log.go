// Package sarif renders analysis results as SARIF 2.1.0 (the OASIS Static
// Analysis Results Interchange Format), the format code-review and
// code-scanning tools such as GitHub code scanning read. The command's
// -sarif mode runs its own -json mode and converts that output here, so
// that SARIF reports what every other mode reports.
//
// One run per log; one rule per analyzer (rule id = analyzer name) with its
// documentation and URL; one result per diagnostic with its related
// locations and suggested fixes. Regions count columns in UTF-16 code units
// (the SARIF default); artifact URIs are relative to the directory the tool
// ran in (%SRCROOT%) when the file lies inside it.
package sarif

// The types below are the subset of the SARIF 2.1.0 object model that the
// converter writes; field names and nesting follow the specification.

// Version and Schema identify the format.
const (
	Version = "2.1.0"
	Schema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)

// SrcRoot is the uriBaseId of paths relative to the directory the tool ran
// in.
const SrcRoot = "%SRCROOT%"

// A Log is a SARIF log file.
type Log struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []Run  `json:"runs"`
}

// A Run is one invocation of one tool.
type Run struct {
	Tool               Tool                        `json:"tool"`
	Invocations        []Invocation                `json:"invocations,omitempty"`
	OriginalURIBaseIDs map[string]ArtifactLocation `json:"originalUriBaseIds,omitempty"`
	Results            []Result                    `json:"results"`
	ColumnKind         string                      `json:"columnKind,omitempty"`
}

// A Tool is the analysis tool.
type Tool struct {
	Driver ToolComponent `json:"driver"`
}

// A ToolComponent describes the tool and its rules.
type ToolComponent struct {
	Name            string                `json:"name"`
	InformationURI  string                `json:"informationUri,omitempty"`
	Version         string                `json:"version,omitempty"`
	SemanticVersion string                `json:"semanticVersion,omitempty"`
	Rules           []ReportingDescriptor `json:"rules"`
}

// A ReportingDescriptor is a rule: here, one analyzer.
type ReportingDescriptor struct {
	ID                   string                   `json:"id"`
	Name                 string                   `json:"name,omitempty"`
	ShortDescription     *MultiformatMessage      `json:"shortDescription,omitempty"`
	FullDescription      *MultiformatMessage      `json:"fullDescription,omitempty"`
	Help                 *MultiformatMessage      `json:"help,omitempty"`
	HelpURI              string                   `json:"helpUri,omitempty"`
	DefaultConfiguration *ReportingConfiguration  `json:"defaultConfiguration,omitempty"`
	Properties           *ReportingDescriptorTags `json:"properties,omitempty"`
}

// ReportingDescriptorTags is a rule's property bag.
type ReportingDescriptorTags struct {
	Tags      []string `json:"tags,omitempty"`
	Precision string   `json:"precision,omitempty"`
}

// A ReportingConfiguration is a rule's default configuration.
type ReportingConfiguration struct {
	Level string `json:"level,omitempty"`
}

// A MultiformatMessage is a message in plain text and, optionally, Markdown.
type MultiformatMessage struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

// A Message is a plain-text message.
type Message struct {
	Text string `json:"text"`
}

// An Invocation records whether the run succeeded and what went wrong.
type Invocation struct {
	ExecutionSuccessful        bool           `json:"executionSuccessful"`
	ToolExecutionNotifications []Notification `json:"toolExecutionNotifications,omitempty"`
}

// A Notification is an error met while running: a package that does not
// load or type-check, an analyzer that failed.
type Notification struct {
	Level     string     `json:"level"`
	Message   Message    `json:"message"`
	Locations []Location `json:"locations,omitempty"`
}

// A Result is one finding.
type Result struct {
	RuleID           string            `json:"ruleId"`
	RuleIndex        int               `json:"ruleIndex"`
	Level            string            `json:"level"`
	Message          Message           `json:"message"`
	Locations        []Location        `json:"locations"`
	RelatedLocations []Location        `json:"relatedLocations,omitempty"`
	Fixes            []Fix             `json:"fixes,omitempty"`
	Properties       *ResultProperties `json:"properties,omitempty"`
}

// ResultProperties is a result's property bag.
type ResultProperties struct {
	// Category is the diagnostic's category, a stable identifier of the
	// kind of finding within its rule.
	Category string `json:"category,omitempty"`
}

// A Location is a place in a file, with a message for related locations.
type Location struct {
	ID               *int             `json:"id,omitempty"`
	PhysicalLocation PhysicalLocation `json:"physicalLocation"`
	Message          *Message         `json:"message,omitempty"`
}

// A PhysicalLocation is a region of an artifact.
type PhysicalLocation struct {
	ArtifactLocation ArtifactLocation `json:"artifactLocation"`
	Region           *Region          `json:"region,omitempty"`
}

// An ArtifactLocation names a file.
type ArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

// A Region is a span of text; columns count UTF-16 code units, from 1.
type Region struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

// A Fix is a suggested fix.
type Fix struct {
	Description     *Message         `json:"description,omitempty"`
	ArtifactChanges []ArtifactChange `json:"artifactChanges"`
}

// An ArtifactChange is a fix's edits to one file.
type ArtifactChange struct {
	ArtifactLocation ArtifactLocation `json:"artifactLocation"`
	Replacements     []Replacement    `json:"replacements"`
}

// A Replacement replaces a region with new text.
type Replacement struct {
	DeletedRegion   Region           `json:"deletedRegion"`
	InsertedContent *ArtifactContent `json:"insertedContent,omitempty"`
}

// ArtifactContent is inserted text.
type ArtifactContent struct {
	Text string `json:"text"`
}

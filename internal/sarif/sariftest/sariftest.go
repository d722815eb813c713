// Package sariftest validates SARIF logs against the official OASIS SARIF
// 2.1.0 JSON schema, for tests. The schema comes from a package, not from
// hand: see sarif-schema-2.1.0.json.source and
// scripts/update-sarif-schema.sh.
package sariftest

import (
	"bytes"
	_ "embed"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed sarif-schema-2.1.0.json
var schemaJSON []byte

// SchemaID is the id the official schema declares.
const SchemaID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

var (
	once     sync.Once
	schema   *jsonschema.Schema
	setupErr error
)

// Schema returns the compiled schema, with format assertions on (the
// schema's "uri" and "date-time" formats are checked).
func Schema() (*jsonschema.Schema, error) {
	once.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
		if err != nil {
			setupErr = fmt.Errorf("sarif schema: %w", err)
			return
		}
		if m, ok := doc.(map[string]any); !ok || m["id"] != SchemaID {
			setupErr = fmt.Errorf("sarif schema: id is not %s", SchemaID)
			return
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if err := c.AddResource(SchemaID, doc); err != nil {
			setupErr = fmt.Errorf("sarif schema: %w", err)
			return
		}
		schema, setupErr = c.Compile(SchemaID)
	})
	return schema, setupErr
}

// Validate checks that data is a SARIF 2.1.0 log that the official schema
// accepts; the error lists every violation.
func Validate(data []byte) error {
	s, err := Schema()
	if err != nil {
		return err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return s.Validate(doc)
}

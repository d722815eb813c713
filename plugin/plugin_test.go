package plugin_test

import (
	"encoding/json"
	"flag"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers"
	"github.com/grpccancelcheck/grpccancelcheck/plugin"
)

// build runs the plugin the way golangci-lint does: it looks the plugin up
// by name, hands it the settings as decoded from YAML (maps of any), and
// builds the analyzers.
func build(t *testing.T, settingsJSON string) ([]*analysis.Analyzer, error) {
	t.Helper()
	var raw any
	if settingsJSON != "" {
		if err := json.Unmarshal([]byte(settingsJSON), &raw); err != nil {
			t.Fatal(err)
		}
	}
	newPlugin, err := register.GetPlugin(plugin.Name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(raw)
	if err != nil {
		return nil, err
	}
	if got := p.GetLoadMode(); got != register.LoadModeTypesInfo {
		t.Errorf("GetLoadMode() = %q, want %q", got, register.LoadModeTypesInfo)
	}
	return p.BuildAnalyzers()
}

func names(as []*analysis.Analyzer) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Name)
	}
	return out
}

func TestDefaultsEnableEverything(t *testing.T) {
	for _, settings := range []string{"", "null", "{}"} {
		as, err := build(t, settings)
		if err != nil {
			t.Fatalf("settings %q: %v", settings, err)
		}
		if got, want := names(as), analyzers.Names(); !slices.Equal(got, want) {
			t.Errorf("settings %q: analyzers %v, want %v", settings, got, want)
		}
	}
}

func TestDisableEachAnalyzer(t *testing.T) {
	for _, name := range analyzers.Names() {
		as, err := build(t, `{"disable": ["`+name+`"]}`)
		if err != nil {
			t.Fatal(err)
		}
		got := names(as)
		if slices.Contains(got, name) {
			t.Errorf("disable %s: still built: %v", name, got)
		}
		if len(got) != len(analyzers.Names())-1 {
			t.Errorf("disable %s: built %v, want all others", name, got)
		}
	}
}

// TestEveryFlagIsASetting sets each flag of each analyzer to a value other
// than its default through the plugin's settings, and checks that the built
// analyzer's flag has that value: every flag is reachable from .golangci.yml
// under the flag's own name.
func TestEveryFlagIsASetting(t *testing.T) {
	nflags := 0
	for _, a := range analyzers.All() {
		a.Flags.VisitAll(func(f *flag.Flag) {
			nflags++
			value, want := otherValue(t, a.Name, f)
			settings, _ := json.Marshal(map[string]any{a.Name: map[string]any{f.Name: value}})
			as, err := build(t, string(settings))
			if err != nil {
				t.Errorf("%s: %v", settings, err)
				return
			}
			i := slices.IndexFunc(as, func(b *analysis.Analyzer) bool { return b.Name == a.Name })
			if i < 0 {
				t.Errorf("%s: analyzer %s not built", settings, a.Name)
				return
			}
			if got := as[i].Flags.Lookup(f.Name).Value.String(); got != want {
				t.Errorf("%s: -%s.%s = %s, want %s", settings, a.Name, f.Name, got, want)
			}
			// The change stays with the analyzers built from these settings.
			if def := analyzers.New(analyzers.Settings{})[i].Flags.Lookup(f.Name).Value.String(); def != f.DefValue {
				t.Errorf("-%s.%s of a fresh default analyzer = %s, want %s", a.Name, f.Name, def, f.DefValue)
			}
		})
	}
	if nflags == 0 {
		t.Fatal("no analyzer has a flag: this test checks nothing")
	}
}

// otherValue returns a JSON value for the flag's setting that differs from
// the flag's default, and the flag's String() once set to it. The kind of
// value is that of the setting's field in analyzers.Settings.
func otherValue(t *testing.T, analyzer string, f *flag.Flag) (any, string) {
	typ, ok := settingType(analyzer, f.Name)
	if !ok {
		t.Fatalf("-%s.%s: no field of analyzers.Settings has json name %s.%s", analyzer, f.Name, analyzer, f.Name)
	}
	switch {
	case typ.Kind() == reflect.Bool:
		def, _ := strconv.ParseBool(f.DefValue)
		return !def, strconv.FormatBool(!def)
	case typ.Kind() == reflect.String:
		return f.DefValue + "x", f.DefValue + "x"
	case typ.Kind() == reflect.Int:
		def, _ := strconv.Atoi(f.DefValue)
		return def + 7, strconv.Itoa(def + 7)
	case typ.Kind() == reflect.Slice && typ.Elem().Kind() == reflect.String:
		v := "example.com/pb.EchoClient.Unary" // one element: no question of separators
		return []string{v}, v
	}
	t.Fatalf("-%s.%s: setting of type %s: teach this test a value for it", analyzer, f.Name, typ)
	return nil, ""
}

// settingType returns the type of the field of analyzers.Settings that
// holds analyzer's flag.
func settingType(analyzer, flagName string) (reflect.Type, bool) {
	st := reflect.TypeFor[analyzers.Settings]()
	for i := range st.NumField() {
		block := st.Field(i)
		if jsonName(block) != analyzer || block.Type.Kind() != reflect.Struct {
			continue
		}
		for j := range block.Type.NumField() {
			if f := block.Type.Field(j); jsonName(f) == flagName {
				return f.Type, true
			}
		}
	}
	return nil, false
}

// TestSettingsAreFlags checks the other direction: every field of
// analyzers.Settings but Disable is the block of one analyzer (its JSON
// name is the analyzer's name) and every key in it is one of that
// analyzer's flags, so that README's one table of flags covers the plugin.
func TestSettingsAreFlags(t *testing.T) {
	byName := make(map[string]*analysis.Analyzer)
	for _, a := range analyzers.All() {
		byName[a.Name] = a
	}
	seen := make(map[string]bool)
	st := reflect.TypeFor[analyzers.Settings]()
	for i := range st.NumField() {
		field := st.Field(i)
		key := jsonName(field)
		if key == "disable" {
			continue
		}
		a := byName[key]
		if a == nil {
			t.Errorf("Settings.%s: json name %q is not an analyzer (%v)", field.Name, key, analyzers.Names())
			continue
		}
		seen[key] = true
		if field.Type.Kind() != reflect.Struct {
			t.Errorf("Settings.%s: %s is not a struct", field.Name, field.Type)
			continue
		}
		for j := range field.Type.NumField() {
			sub := field.Type.Field(j)
			if jsonName(sub) == "-" {
				continue // not a setting: wiring between analyzers
			}
			if a.Flags.Lookup(jsonName(sub)) == nil {
				t.Errorf("%s.%s: json name %q is not a flag of %s", field.Type, sub.Name, jsonName(sub), a.Name)
			}
		}
	}
	for _, name := range analyzers.Names() {
		if !seen[name] && hasFlags(byName[name]) {
			t.Errorf("analyzer %s has flags but no block in analyzers.Settings", name)
		}
	}
}

func TestRejectsTypos(t *testing.T) {
	for _, settings := range []string{
		`{"disabled": ["ctxdetach"]}`,
		`{"disable": ["ctxdetatch"]}`,
		`{"ctxdetach": {"ctxfuncs": true}}`,
		`{"ctxdetach": {"ctx-funcs": "yes"}}`,
	} {
		if _, err := build(t, settings); err == nil {
			t.Errorf("settings %s: no error", settings)
		} else if !strings.Contains(err.Error(), plugin.Name) {
			t.Errorf("settings %s: error %q does not name the linter", settings, err)
		}
	}
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "" {
		return f.Name
	}
	return name
}

func hasFlags(a *analysis.Analyzer) bool {
	n := 0
	a.Flags.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

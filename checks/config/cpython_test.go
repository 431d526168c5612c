package config

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
)

// TestCPythonGolden compares the assignments the collector extracts from
// every testdata config with the list CPython's ast module computes
// (testdata/config/ast_extract.py, committed as ast_golden.json).
func TestCPythonGolden(t *testing.T) {
	root := filepath.Join("..", "..")
	b, err := os.ReadFile(filepath.Join(root, "testdata", "config", "ast_golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var golden map[string][]map[string]any
	if err := json.Unmarshal(b, &golden); err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(golden))
	for n := range golden {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) < 25 {
		t.Fatalf("golden covers %d files, want at least 25", len(names))
	}
	total := 0
	for _, rel := range names {
		want := golden[rel]
		if want == nil {
			continue // CPython refuses the file: a syntax-error fixture
		}
		src, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			t.Fatal(err)
		}
		f := AnalyzeSource(rel, src)
		if len(f.ParseErrors) > 0 {
			t.Errorf("%s: CPython parses it but the collector reports %+v", rel, f.ParseErrors)
		}
		got := make([]map[string]any, 0, len(f.Assignments))
		for _, a := range f.Assignments {
			m := map[string]any{"line": a.Line, "column": a.Column, "trait": a.Trait, "op": a.Op, "value_kind": a.ValueKind, "value": a.Value, "conditional": a.Conditional}
			if a.ValueKind == "env" {
				m["value"] = nil
			}
			got = append(got, m)
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d assignments, CPython finds %d", rel, len(got), len(want))
		}
		for i := 0; i < len(got) && i < len(want); i++ {
			g, w := norm(t, got[i]), norm(t, want[i])
			if f.Assignments[i].Redacted {
				// Secrets are never kept; compare the rest.
				delete(g, "value")
				delete(w, "value")
			}
			if !reflect.DeepEqual(g, w) {
				t.Errorf("%s: assignment %d:\n got  %v\n want %v", rel, i, g, w)
			}
		}
		total += len(want)
	}
	t.Logf("%d assignments in %d files match CPython", total, len(names))
}

// norm round-trips a value through JSON so Go and Python values compare.
func norm(t *testing.T, m map[string]any) map[string]any {
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(fmt.Errorf("%s: %w", b, err))
	}
	return out
}

package docs_test

import (
	"os"
	"testing"

	"github.com/hubaudit/hubaudit/docs"
	"github.com/hubaudit/hubaudit/rules/all"
)

func TestRulesDocUpToDate(t *testing.T) {
	want := docs.RulesMarkdown(all.Rules())
	got, err := os.ReadFile("rules.md")
	if err != nil {
		t.Fatalf("docs/rules.md missing: run go generate ./docs (%v)", err)
	}
	if string(got) != want {
		t.Fatal("docs/rules.md is stale: run go generate ./docs")
	}
}

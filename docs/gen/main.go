// Command gen writes docs/rules.md from the rule registry
// (`go generate ./docs`).
package main

import (
	"fmt"
	"os"

	"github.com/hubaudit/hubaudit/docs"
	"github.com/hubaudit/hubaudit/rules/all"
)

func main() {
	if err := os.WriteFile("rules.md", []byte(docs.RulesMarkdown(all.Rules())), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

package logrules_test

import (
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/checks/logs"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/rules"
	"github.com/hubaudit/hubaudit/rules/logrules"
)

func run(t *testing.T, in *rules.Input) []rules.Finding {
	t.Helper()
	in.KB = kb.MustLoad()
	if in.Mode == "" {
		in.Mode = rules.ModePre
	}
	return rules.Run(logrules.Rules, in, rules.Options{}).Findings
}

// TestFoldedCounts: a million identical 500s are one finding that says so,
// and ten or more make it an error.
func TestFoldedCounts(t *testing.T) {
	e := &logs.Event{ID: "hub.access", Level: "error", Logger: "JupyterHub", Count: 1000000,
		Params: map[string]string{"status": "500", "method": "GET", "path": "/hub/api/users"},
		First:  logs.Position{File: "hub.log", Line: 10, Time: "2024-05-29 16:27:54.815"},
		Last:   logs.Position{File: "hub.log", Line: 2000010, Time: "2024-05-30 01:00:00.000"}}
	fs := run(t, &rules.Input{Logs: &logs.Facts{Events: []*logs.Event{e}}})
	if len(fs) != 1 {
		t.Fatalf("findings %v", fs)
	}
	f := fs[0]
	want := "500 GET /hub/api/users answered 1,000,000 times between 2024-05-29 16:27:54.815 and 2024-05-30 01:00:00.000"
	if f.RuleID != "HUB408" || f.Message != want || f.Severity != rules.Error || f.Location.Subject != "log:http/500/GET//hub/api/users" {
		t.Errorf("got %s %s %q [%s]", f.RuleID, f.Severity, f.Message, f.Location.Subject)
	}
	e.Count = 3
	if fs := run(t, &rules.Input{Logs: &logs.Facts{Events: []*logs.Event{e}}}); len(fs) != 1 || fs[0].Severity != rules.Warning {
		t.Errorf("3 times: %v", fs)
	}
}

// TestDeprecatedAgainstTarget: with a target, HUB405 says when the target
// no longer accepts the deprecated name (the knowledge base decides).
func TestDeprecatedAgainstTarget(t *testing.T) {
	k := kb.MustLoad()
	target, err := k.Resolve("5.5.1")
	if err != nil {
		t.Fatal(err)
	}
	lk, err := k.LookupTrait("Authenticator", "whitelist", kb.Versions{JupyterHub: target.Version})
	if err != nil {
		t.Fatal(err)
	}
	e := &logs.Event{ID: "deprecation.renamed_trait", Level: "warning", Count: 1,
		Params: map[string]string{"cls": "Authenticator", "old": "whitelist", "name": "Authenticator.whitelist", "version": "1.2", "replacement": "Authenticator.allowed_users"},
		First:  logs.Position{File: "hub.log", Line: 3}, Last: logs.Position{File: "hub.log", Line: 3}}
	fs := run(t, &rules.Input{Target: target, Logs: &logs.Facts{Events: []*logs.Event{e}}})
	if len(fs) != 1 || fs[0].RuleID != "HUB405" || fs[0].Location.Subject != "trait:Authenticator.whitelist" {
		t.Fatalf("findings %v", fs)
	}
	said := strings.Contains(fs[0].Message, "JupyterHub 5.5.1 no longer accepts it")
	if said != (lk.ClassKnown && !lk.Accepted()) {
		t.Errorf("message %q disagrees with the knowledge base (accepted=%v)", fs[0].Message, lk.Accepted())
	}
}

func TestValidate(t *testing.T) {
	if err := rules.Validate(logrules.Rules); err != nil {
		t.Fatal(err)
	}
	for _, r := range logrules.Rules {
		if !strings.HasPrefix(r.ID, "HUB4") || r.Source != rules.SourceLogs {
			t.Errorf("%s: not a logs rule", r.ID)
		}
	}
}

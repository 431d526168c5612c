package rules

import "fmt"

// The HUB9xx rules are about hubaudit itself. They are defined here because
// the engine reports some of them directly.
var (
	// CollectorFailed reports a collector that could not read its input.
	CollectorFailed = &Rule{
		ID: "HUB901", Name: "collector-failed", Severity: Error, Source: SourceMeta,
		Title: "an input could not be read, so the rules that need it did not run",
		Doc: "A collector (config, database, environments or logs) failed on an input that was given " +
			"or found: the file is unreadable, the database refused the connection, the format is " +
			"unknown. The rules that needed those facts are listed under skipped with the same reason. " +
			"Fix the input (or stop passing it) and run again; the rest of the audit still ran.",
		Run: func(p *Pass) error {
			for _, s := range Sources {
				if st, ok := p.States[s]; ok && st.Status == "failed" {
					p.Reportf(Location{Subject: "source:" + string(s)}, "%s could not be read: %s", s, st.Reason)
				}
			}
			return nil
		},
	}
	// SuppressionProblem reports suppressions without a reason or that
	// matched nothing.
	SuppressionProblem = &Rule{
		ID: "HUB902", Name: "suppression-problem", Severity: Warning, Source: SourceMeta,
		Title: "a suppression has no reason or matched no finding",
		Doc: "Suppressions (`# hubaudit: ignore[HUB101] reason` in a config file, or an entry in " +
			"`.hubaudit.yaml`) must say why. One without a reason is refused and the findings it " +
			"meant to hide are reported (warning). One that matched no finding is reported as a note " +
			"so stale suppressions do not pile up.",
		Run: func(*Pass) error { return nil },
	}
	// RuleFailed reports a rule that returned an error or panicked.
	RuleFailed = &Rule{
		ID: "HUB903", Name: "rule-failed", Severity: Error, Source: SourceMeta,
		Title: "a rule failed while running",
		Doc: "A rule returned an error or panicked. This is a bug in hubaudit: the other rules " +
			"still ran, but the check this rule performs did not. Please report it with the message.",
		Run: func(*Pass) error { return nil },
	}
)

// MetaRules are the HUB9xx rules.
var MetaRules = []*Rule{CollectorFailed, SuppressionProblem, RuleFailed}

// String returns "HUB101 unknown-option".
func (r *Rule) String() string { return fmt.Sprintf("%s %s", r.ID, r.Name) }

package planrules

import (
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/checks/db"
	"github.com/hubaudit/hubaudit/checks/env"
	"github.com/hubaudit/hubaudit/checks/hub"
	"github.com/hubaudit/hubaudit/checks/logs"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/pep440"
	"github.com/hubaudit/hubaudit/report"
	"github.com/hubaudit/hubaudit/rules"
	"github.com/hubaudit/hubaudit/snapshot"
)

var k = kb.MustLoad()

func target(v string) *kb.Release {
	r, err := k.Resolve(v)
	if err != nil {
		panic(err)
	}
	return r
}

func ip(n int) *int { return &n }

// run runs one rule and returns "ID severity subject: message" lines.
func run(t *testing.T, r *rules.Rule, in *rules.Input) []string {
	t.Helper()
	in.KB = k
	if in.Extra == nil {
		in.Extra = map[string]any{}
	}
	res := rules.Run([]*rules.Rule{r}, in, rules.Options{})
	if len(res.Skipped) > 0 {
		t.Fatalf("%s skipped: %s", r.ID, res.Skipped[0].Reason)
	}
	var out []string
	for _, f := range res.Findings {
		out = append(out, f.RuleID+" "+f.Severity.String()+" "+f.Location.Subject+": "+f.Message)
	}
	return out
}

func expect(t *testing.T, name string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n%s\nwant:\n%s", name, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func hubEnv(version string) *env.Facts {
	return &env.Facts{Environments: []env.Environment{{Role: "hub", Path: "/opt/hub", Packages: map[string]string{"jupyterhub": version}}}}
}

func TestCurrentUnknownAndTarget(t *testing.T) {
	expect(t, "no current", run(t, CurrentUnknown, &rules.Input{Mode: rules.ModePre}),
		"HUB502 note version:current: no input tells the running jupyterhub version (no hub environment was read; no database was read; no log was read); pass --hub-env, --db or --log")
	// What was given but did not tell it is named.
	noJH := &env.Facts{Environments: []env.Environment{{Role: "hub", Path: "/opt/hub", Packages: map[string]string{"notebook": "6.5.4"}}}}
	expect(t, "inputs without a version", run(t, CurrentUnknown, &rules.Input{Mode: rules.ModePre, Env: noJH, Logs: &logs.Facts{}}),
		"HUB502 note version:current: no input tells the running jupyterhub version (the hub environment /opt/hub has no jupyterhub; no database was read; the logs have no \"Running JupyterHub version\" line); pass --hub-env, --db or --log")
	expect(t, "current known", run(t, CurrentUnknown, &rules.Input{Mode: rules.ModePre, Current: pep440.MustParse("4.1.6")}))

	expect(t, "downgrade", run(t, TargetNotNewer, &rules.Input{Mode: rules.ModePre, Target: target("4.1.6"), Current: pep440.MustParse("5.5.1")}),
		"HUB503 error version:target: target 4.1.6 is older than the running jupyterhub 5.5.1: this is a downgrade and 2 database migrations would have to be undone")
	expect(t, "same", run(t, TargetNotNewer, &rules.Input{Mode: rules.ModePre, Target: target("5.5.1"), Current: pep440.MustParse("5.5.1")}),
		"HUB503 note version:target: jupyterhub 5.5.1 is already the target version")
	expect(t, "upgrade", run(t, TargetNotNewer, &rules.Input{Mode: rules.ModePre, Target: target("5.5.1"), Current: pep440.MustParse("4.1.6")}))

	expect(t, "beta", run(t, PrereleaseTarget, &rules.Input{Mode: rules.ModePre, Target: target("6.0.0b2")}),
		"HUB504 warning version:target: target 6.0.0b2 is a pre-release; the newest final release is 5.5.1")
	expect(t, "final", run(t, PrereleaseTarget, &rules.Input{Mode: rules.ModePre, Target: target("5.5.1")}))

	got := run(t, MajorsCrossed, &rules.Input{Mode: rules.ModePre, Target: target("5.5.1"), Current: pep440.MustParse("1.5.1")})
	if len(got) != 1 || !strings.HasPrefix(got[0], "HUB505 note version:majors: upgrading 1.5.1 to 5.5.1 crosses 4 major version(s) (2.0, 3.0, 4.0, 5.0) with ") {
		t.Errorf("majors: %v", got)
	}
	expect(t, "minor only", run(t, MajorsCrossed, &rules.Input{Mode: rules.ModePre, Target: target("5.5.1"), Current: pep440.MustParse("5.0.0")}))
}

func TestVersionSourcesDisagree(t *testing.T) {
	in := &rules.Input{Mode: rules.ModePre, Env: hubEnv("4.1.6"), DB: &db.Facts{Revision: "651f5419b74d"}, Logs: &logs.Facts{HubVersion: "3.1.1"}}
	expect(t, "env ahead of db, logs old", run(t, VersionSourcesDisagree, in),
		"HUB501 error version:env-vs-db: the hub environment /opt/hub has jupyterhub 4.1.6 (schema head 0eee8c825d24) but the database is at revision 651f5419b74d (jupyterhub 3.0.0 to 3.1.1): upgrade-db was not run for the installed version",
		"HUB501 warning version:env-vs-logs: the logs show jupyterhub 3.1.1 running but the hub environment /opt/hub has 4.1.6: the hub was not restarted after the package changed, or the logs are old")
	in = &rules.Input{Mode: rules.ModePre, Env: hubEnv("4.1.2"), DB: &db.Facts{Revision: "0eee8c825d24"}, Logs: &logs.Facts{HubVersion: "4.1.2"}}
	expect(t, "consistent", run(t, VersionSourcesDisagree, in))
}

func TestPostRules(t *testing.T) {
	counts := func(users, tokens, running int64) map[string]int64 {
		return map[string]int64{"users": users, "groups": 2, "api_tokens": tokens, "servers_running": running}
	}
	snap := &snapshot.Snapshot{Report: &report.Report{Facts: report.Facts{DB: &db.Facts{Revision: "4dc2d5a8c53c", Counts: counts(10, 7, 3)}}}}
	in := &rules.Input{Mode: rules.ModePost, DB: &db.Facts{Revision: "833da8570507", Counts: counts(9, 0, 0)}, Extra: map[string]any{ExtraBaseline: snap}}
	expect(t, "data lost across 2.0", run(t, DataLost, in),
		"HUB510 note db:count/api_tokens: api tokens dropped from 7 to 0 since the baseline (7 lost); expected: migration 833da8570507 (JupyterHub 2.0.0) revokes every API token",
		"HUB510 warning db:count/servers_running: servers running dropped from 3 to 0 since the baseline (3 lost); their users must start them again",
		"HUB510 error db:count/users: users dropped from 10 to 9 since the baseline (1 lost)")
	in.DB.Counts = counts(10, 7, 3)
	expect(t, "nothing lost", run(t, DataLost, in))

	tgt := target("5.5.1")
	h := &hub.Facts{URL: "http://127.0.0.1:8081/hub/", Reachable: true, Healthy: true, Version: "4.1.6", Users: ip(9), Groups: ip(2)}
	in = &rules.Input{Mode: rules.ModePost, Target: tgt, Env: hubEnv("4.1.6"), DB: &db.Facts{Revision: "0eee8c825d24", Counts: counts(10, 1, 0)}, Extra: map[string]any{ExtraHub: h}}
	expect(t, "not at target", run(t, HubNotAtTarget, in),
		"HUB511 error version:hub-env: the hub environment /opt/hub still has jupyterhub 4.1.6, not the target 5.5.1",
		"HUB511 error version:hub-running: the hub at http://127.0.0.1:8081/hub/ still runs jupyterhub 4.1.6, not the target 5.5.1: restart it from the upgraded environment")
	expect(t, "schema behind", run(t, SchemaNotAtHead, in),
		"HUB512 error db:revision: the database is at revision 0eee8c825d24 but the target 5.5.1 needs 4621fec11365")
	expect(t, "api counts", run(t, APICountsDiffer, in),
		"HUB514 warning hub:count/users: the hub's API lists 9 users but the audited database has 10: the hub may use another database")
	expect(t, "healthy", run(t, HubUnreachable, in))
	h.Healthy, h.HealthStatus = false, 503
	expect(t, "unhealthy", run(t, HubUnreachable, in),
		"HUB513 error hub:health: the hub at http://127.0.0.1:8081/hub/ answered but its health endpoint returned status 503")
	in.Extra[ExtraHub] = &hub.Facts{URL: "http://127.0.0.1:8081/hub/", Errors: []string{"connection refused"}}
	expect(t, "down", run(t, HubUnreachable, in),
		"HUB513 error hub:api: the hub at http://127.0.0.1:8081/hub/ did not answer as a JupyterHub (api status 0): connection refused")

	in = &rules.Input{Mode: rules.ModePost, Target: tgt, Env: hubEnv("5.5.1"), DB: &db.Facts{Revision: tgt.AlembicHead, Counts: counts(10, 1, 0)}, Extra: map[string]any{}}
	expect(t, "upgraded", append(run(t, HubNotAtTarget, in), run(t, SchemaNotAtHead, in)...))
}

func TestChangesOrder(t *testing.T) {
	cs := Changes(k, pep440.MustParse("4.1.6"), target("5.5.1"))
	var lines []string
	for _, c := range cs {
		lines = append(lines, c.Release+": "+c.Text)
	}
	want := []string{
		"5.0.0: Python floor raised from >=3.7 to >=3.8 (hub and user environments)",
		"5.0.0: database schema changes: 3c2384c5aae1 (Add from_config column to the services table), 4621fec11365 (manage roles)",
	}
	for i, w := range want {
		if i >= len(lines) || lines[i] != w {
			t.Errorf("change %d: got %q, want %q", i, lines[i:], w)
		}
	}
	if len(Changes(k, pep440.MustParse("5.5.1"), target("5.5.1"))) != 0 {
		t.Error("changes when already at the target")
	}
}

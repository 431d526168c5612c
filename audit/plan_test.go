package audit

import (
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/checks/db"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/pep440"
	"github.com/hubaudit/hubaudit/rules"
	"github.com/hubaudit/hubaudit/rules/configrules"
)

// TestPlanAcrossMajors: a 1.5.1 SQLite deployment going to 5.5.1 crosses
// four majors; the plan lists every migration in chain order, marks the
// one that drops api_tokens, and lists the changes release by release.
func TestPlanAcrossMajors(t *testing.T) {
	k := kb.MustLoad()
	target, _ := k.Resolve("5.5.1")
	in := &rules.Input{Mode: rules.ModePre, KB: k, Target: target, Current: pep440.MustParse("1.5.1"),
		DB: &db.Facts{Dialect: "sqlite", Revision: "4dc2d5a8c53c", Counts: map[string]int64{"servers_running": 3}}}
	p := BuildPlan(in, nil, collected{})
	var revs []string
	for _, m := range p.Migrations {
		revs = append(revs, m.Revision)
	}
	if got := strings.Join(revs, " "); got != "833da8570507 651f5419b74d 0eee8c825d24 3c2384c5aae1 4621fec11365" {
		t.Errorf("migrations: %s", got)
	}
	if risk := p.Migrations[0].Risk; !strings.Contains(risk, "drops data") || !strings.Contains(risk, "api_tokens") {
		t.Errorf("833da8570507 risk: %q", risk)
	}
	var ids []string
	for _, s := range p.Steps {
		ids = append(ids, s.ID)
	}
	if got := strings.Join(ids, " "); got != "notify backup stop packages upgrade-db start" {
		t.Errorf("steps: %s", got)
	}
	if !strings.Contains(p.Steps[0].Detail, "3 running server(s)") {
		t.Errorf("notify: %q", p.Steps[0].Detail)
	}
	var releases []string
	last := ""
	for _, c := range p.Changes {
		if c.Release != last {
			releases = append(releases, c.Release)
			last = c.Release
		}
	}
	if got := strings.Join(releases, " "); !strings.HasPrefix(got, "2.0.0 ") || !strings.Contains(got, " 3.0.0 ") || !strings.Contains(got, " 4.0.0 ") || !strings.Contains(got, " 5.0.0") {
		t.Errorf("changes by release (oldest first): %s", got)
	}
	joined := ""
	for _, c := range p.Changes {
		joined += c.Release + ": " + c.Change + "\n"
	}
	for _, want := range []string{
		"2.0.0: database schema changes: 833da8570507 (rbac changes for jupyterhub 2.0)",
		"3.0.0: Python floor raised from >=3.6 to >=3.7",
		"5.0.0: Python floor raised from >=3.7 to >=3.8",
		"4.0.0: requires sqlalchemy >=1.4 (was >=1.1)",
	} {
		if !strings.Contains(joined, want+"\n") && !strings.Contains(joined, want) {
			t.Errorf("changes lack %q:\n%s", want, joined)
		}
	}
	// Already at the target's head: no upgrade-db step.
	in.DB.Revision = target.AlembicHead
	for _, s := range BuildPlan(in, nil, collected{}).Steps {
		if s.ID == "upgrade-db" {
			t.Error("upgrade-db step although the schema is at head")
		}
	}
}

// TestPlanNamesImages: the single-user images a config names are user
// environments too; the packages step says which to change.
func TestPlanNamesImages(t *testing.T) {
	k := kb.MustLoad()
	target, _ := k.Resolve("5.5.1")
	src := []byte("c.DockerSpawner.image = 'quay.io/jupyterhub/singleuser:4.1.6'\n")
	in := &rules.Input{Mode: rules.ModePre, KB: k, Target: target, Current: pep440.MustParse("4.1.6"),
		Config: config.AnalyzeSource("/srv/hub/jupyterhub_config.py", src), States: map[rules.Source]rules.SourceState{}}
	res := rules.Run([]*rules.Rule{configrules.SingleuserImage}, in, rules.Options{})
	if len(res.Findings) != 1 {
		t.Fatalf("findings: %+v", res.Findings)
	}
	for _, s := range BuildPlan(in, res.Findings, collected{}).Steps {
		if s.ID != "packages" {
			continue
		}
		want := "single-user image quay.io/jupyterhub/singleuser:4.1.6 (jupyterhub_config.py:1): use quay.io/jupyterhub/singleuser:5.5.1, or rebuild the image with jupyterhub==5.5.1"
		if !strings.Contains(s.Detail, want) || strings.Join(s.Findings, ",") != "HUB116" {
			t.Errorf("packages step: %q %v", s.Detail, s.Findings)
		}
		return
	}
	t.Error("no packages step")
}

package planrules

import (
	"fmt"
	"strings"

	"github.com/hubaudit/hubaudit/checks/hub"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/pep440"
	"github.com/hubaudit/hubaudit/rules"
	"github.com/hubaudit/hubaudit/snapshot"
)

// Keys of rules.Input.Extra that the audit fills for these rules.
const (
	// ExtraBaseline holds the *snapshot.Snapshot given with --baseline.
	ExtraBaseline = "baseline"
	// ExtraHub holds the *hub.Facts of the --hub-url probe.
	ExtraHub = "hub"
)

func baseline(p *rules.Pass) *snapshot.Snapshot {
	s, _ := p.Extra[ExtraBaseline].(*snapshot.Snapshot)
	return s
}

func hubFacts(p *rules.Pass) *hub.Facts {
	h, _ := p.Extra[ExtraHub].(*hub.Facts)
	return h
}

// lossCounts are the database counts whose drop means data was lost, with
// the severity of a drop.
var lossCounts = []struct {
	name string
	sev  rules.Severity
}{
	{"users", rules.Error}, {"admins", rules.Error}, {"groups", rules.Error}, {"roles", rules.Error},
	{"services", rules.Error}, {"api_tokens", rules.Error}, {"oauth_clients", rules.Warning},
	{"named_servers", rules.Error}, {"servers_running", rules.Warning},
}

// DataLost compares database counts with the baseline snapshot.
var DataLost = &rules.Rule{
	ID: "HUB510", Name: "data-lost", Severity: rules.Error, Source: rules.SourceUpgrade,
	Phase: rules.PhasePost, Needs: []rules.Source{rules.SourceDB},
	Title: "rows present before the upgrade are gone (users, groups, roles, services, tokens)",
	Doc: `With ` + "`--baseline`" + ` (a snapshot written by ` + "`hubaudit pre --snapshot`" + ` before the upgrade), post compares
the database's row counts with what was there before. Fewer users, admins, groups, roles, services,
named servers or API tokens means data was lost: a database restored from an old backup, a fresh
database created because db_url changed, or a migration that drops rows. The one expected loss is
API tokens when crossing 2.0 (migration 833da8570507 drops the api_tokens table); that is reported as
a note. Running servers that stopped are a warning: users must start them again.

Fix: compare db_url with the one before the upgrade; restore the backup taken before upgrade-db if
rows are really gone.`,
	Run: func(p *rules.Pass) error {
		b := baseline(p)
		if b == nil || b.Report.Facts.DB == nil {
			return nil
		}
		old := b.Report.Facts.DB.Counts
		revoker := tokenRevoker(p, b)
		for _, c := range lossCounts {
			o, okO := old[c.name]
			n, okN := p.DB.Counts[c.name]
			if !okO || !okN || n >= o {
				continue
			}
			sev := c.sev
			msg := fmt.Sprintf("%s dropped from %d to %d since the baseline (%d lost)", strings.ReplaceAll(c.name, "_", " "), o, n, o-n)
			if c.name == "api_tokens" && revoker != nil {
				sev = rules.Note
				msg += fmt.Sprintf("; expected: migration %s (JupyterHub %s) revokes every API token", revoker.Revision, revoker.FirstRelease)
			}
			if c.name == "servers_running" {
				msg += "; their users must start them again"
			}
			p.Report(rules.Finding{Severity: sev, Message: msg, Location: rules.Location{Subject: "db:count/" + c.name},
				Fix: &rules.Fix{Description: "check db_url against the baseline's, and restore the pre-upgrade backup if rows are really gone"}})
		}
		return nil
	},
}

// tokenRevoker returns the migration between the baseline's revision and
// the current one that revokes every token (nil when none does).
func tokenRevoker(p *rules.Pass, b *snapshot.Snapshot) *kb.Migration {
	if b.Report.Facts.DB == nil || p.DB == nil {
		return nil
	}
	path, down, err := p.KB.MigrationPath(b.Report.Facts.DB.Revision, p.DB.Revision)
	if err != nil || down {
		return nil
	}
	for _, m := range path {
		if m.RevokesTokens {
			return m
		}
	}
	return nil
}

// HubNotAtTarget checks the installed and running versions after the upgrade.
var HubNotAtTarget = &rules.Rule{
	ID: "HUB511", Name: "hub-not-at-target", Severity: rules.Error, Source: rules.SourceUpgrade,
	Phase: rules.PhasePost, NeedsTarget: true,
	Title: "the hub environment or the running hub is not at the target version",
	Doc: `After the upgrade the jupyterhub package in the hub environment, and the version the running
hub reports at ` + "`/hub/api/`" + ` (with --hub-url), must be the target. A different installed version means
the package upgrade went to another environment (a different venv than the one systemd starts); a
different running version means the hub was not restarted.

Fix: install the target in the environment the hub runs from and restart the hub.`,
	Run: func(p *rules.Pass) error {
		t := p.Target.Version
		if v, from := hubEnvVersion(p); !v.IsZero() && !v.Equal(t) {
			p.Report(rules.Finding{Message: fmt.Sprintf("%s %s jupyterhub %s, not the target %s%s", from, stillHas(v, t, "has"), v, t, notUpgraded(p, v, t)),
				Location: rules.Location{Subject: "version:hub-env"},
				Fix:      &rules.Fix{Description: "install the target in the hub environment", Commands: []string{fmt.Sprintf("python3 -m pip install 'jupyterhub==%s'", t)}}})
		}
		if h := hubFacts(p); h != nil && h.Reachable && h.Version != "" {
			if v, err := pep440.Parse(h.Version); err == nil && !v.Equal(t) {
				p.Report(rules.Finding{Message: fmt.Sprintf("the hub at %s %s jupyterhub %s, not the target %s%s: restart it from the upgraded environment", h.URL, stillHas(v, t, "runs"), v, t, notUpgraded(p, v, t)),
					Location: rules.Location{Subject: "version:hub-running"}})
			}
		}
		return nil
	},
}

// stillHas is verb, or "still" verb when v is older than the target.
func stillHas(v, t pep440.Version, verb string) string {
	if v.Compare(t) < 0 {
		return "still " + verb
	}
	return verb
}

// notUpgraded says that v is the version the baseline audited, when it is.
func notUpgraded(p *rules.Pass, v, t pep440.Version) string {
	b := baseline(p)
	if b == nil || b.Report.CurrentVersion == nil || *b.Report.CurrentVersion != v.String() || v.Equal(t) {
		return ""
	}
	return " (the version before the upgrade, as in the baseline): the upgrade was not done"
}

// SchemaNotAtHead checks the database revision after the upgrade.
var SchemaNotAtHead = &rules.Rule{
	ID: "HUB512", Name: "schema-not-at-head", Severity: rules.Error, Source: rules.SourceUpgrade,
	Phase: rules.PhasePost, Needs: []rules.Source{rules.SourceDB},
	Title: "the database is not at the schema head of the installed JupyterHub",
	Doc: `After an upgrade the alembic revision in the database must be the head of the installed release
(the target, or the hub environment's version). Anything else means ` + "`jupyterhub upgrade-db`" + ` did not
run or failed, and the hub will exit at start with "Found database schema version X != Y".

Fix: back up the database and run ` + "`jupyterhub upgrade-db`" + ` with the installed jupyterhub.`,
	Run: func(p *rules.Pass) error {
		rel := p.Target
		from := "target"
		if rel == nil {
			if r, ok := p.CurrentRelease(); ok {
				rel, from = r, "installed jupyterhub"
			}
		}
		if rel == nil || p.DB.Revision == "" {
			return nil
		}
		if p.DB.Revision != rel.AlembicHead {
			p.Report(rules.Finding{
				Message:  fmt.Sprintf("the database is at revision %s but the %s %s needs %s", p.DB.Revision, from, rel.Version, rel.AlembicHead),
				Location: rules.Location{Subject: "db:revision"},
				Fix:      &rules.Fix{Description: "back up the database, then run jupyterhub upgrade-db", Commands: []string{"jupyterhub upgrade-db"}},
			})
		}
		return nil
	},
}

// HubUnreachable reports a failed hub probe.
var HubUnreachable = &rules.Rule{
	ID: "HUB513", Name: "hub-unreachable", Severity: rules.Error, Source: rules.SourceUpgrade,
	Phase: rules.PhasePost,
	Title: "the hub did not answer at --hub-url, or is not healthy",
	Doc: `With --hub-url, post asks the hub's REST API for its version (` + "`GET /hub/api/`" + `) and its health
endpoint (` + "`GET /hub/health`" + `). No answer, or an unhealthy answer, after an upgrade usually means the hub
exited at start: read its log (pass it with --log) for the schema-mismatch message, a traceback or
an option that is no longer recognized.

Fix: look at the hub's log since the restart; hubaudit post --log LOG explains the usual causes.`,
	Run: func(p *rules.Pass) error {
		h := hubFacts(p)
		if h == nil {
			return nil
		}
		switch {
		case !h.Reachable:
			detail := strings.Join(h.Errors, "; ")
			p.Reportf(rules.Location{Subject: "hub:api"}, "the hub at %s did not answer as a JupyterHub (api status %d): %s", h.URL, h.APIStatus, detail)
		case !h.Healthy:
			p.Reportf(rules.Location{Subject: "hub:health"}, "the hub at %s answered but its health endpoint returned status %d", h.URL, h.HealthStatus)
		}
		return nil
	},
}

// APICountsDiffer compares what the API sees with the database.
var APICountsDiffer = &rules.Rule{
	ID: "HUB514", Name: "api-counts-differ", Severity: rules.Warning, Source: rules.SourceUpgrade,
	Phase: rules.PhasePost, Needs: []rules.Source{rules.SourceDB},
	Title: "the running hub sees a different number of users or groups than the database",
	Doc: `With --hub-url and an API token (JUPYTERHUB_API_TOKEN or --api-token-file), post counts users and
groups through the REST API and compares them with the database that was audited. A difference means
the hub runs against another database than the one you audited (a different db_url, a different
working directory for a relative SQLite path), or that users were added or removed meanwhile.

Fix: check the hub's db_url and working directory; audit the database the hub really uses.`,
	Run: func(p *rules.Pass) error {
		h := hubFacts(p)
		if h == nil || !h.Reachable {
			return nil
		}
		check := func(name string, api *int) {
			n, ok := p.DB.Counts[name]
			if api == nil || !ok || int64(*api) == n {
				return
			}
			p.Reportf(rules.Location{Subject: "hub:count/" + name}, "the hub's API lists %d %s but the audited database has %d: the hub may use another database", *api, name, n)
		}
		check("users", h.Users)
		check("groups", h.Groups)
		return nil
	},
}

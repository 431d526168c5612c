package envrules

import (
	"fmt"

	"github.com/hubaudit/hubaudit/pep440"
	"github.com/hubaudit/hubaudit/rules"
)

var envOnly = []rules.Source{rules.SourceEnv}

// JupyterHubMissing flags environments without the jupyterhub package.
var JupyterHubMissing = &rules.Rule{
	ID: "HUB301", Name: "jupyterhub-missing", Severity: rules.Error, Source: rules.SourceEnv, Needs: envOnly,
	Title: "an environment has no jupyterhub package",
	Doc: `The hub environment runs the ` + "`jupyterhub`" + ` command and every user environment runs
` + "`jupyterhub-singleuser`" + `, which the ` + "`jupyterhub`" + ` package provides. A user environment (a venv,
a conda env, a container image) without it cannot start a single-user server: the spawn fails
with "command not found" or times out. A hub environment without it is not the hub's environment.

Environments that could not be read at all are reported by HUB312 instead.

Fix: install the same jupyterhub version as the hub into the environment
(` + "`python3 -m pip install jupyterhub==<hub version>`" + ` or ` + "`conda install -c conda-forge jupyterhub-singleuser==<hub version>`" + `),
or point --hub-env / --user-env at the right environment.`,
	Run: func(p *rules.Pass) error {
		hubV, hubKnown := pep440.Version{}, false
		if hub := p.Env.Hub(); hub != nil {
			hubV, hubKnown = jupyterhub(hub)
		}
		for i := range p.Env.Environments {
			e := &p.Env.Environments[i]
			if !e.Readable() || len(e.Packages) == 0 {
				continue
			}
			if _, ok := e.Packages["jupyterhub"]; ok {
				continue
			}
			want := "jupyterhub"
			switch {
			case p.Target != nil:
				want = "jupyterhub==" + p.Target.Version.String()
			case hubKnown:
				want = "jupyterhub==" + hubV.String()
			}
			msg := fmt.Sprintf("%s has no jupyterhub package", describe(e))
			if servesUsers(p, e) {
				msg += ": jupyterhub-singleuser cannot start there"
			}
			p.Report(rules.Finding{Message: msg, Location: rules.Location{File: e.Path, Subject: subject(e, "jupyterhub")},
				Fix: &rules.Fix{Description: "install " + want + " " + installWhere(e), Commands: []string{installCmd(e, want)}}})
		}
		return nil
	},
}

// SingleuserMismatch compares jupyterhub in each user environment with the
// hub environment, the way the hub itself does.
var SingleuserMismatch = &rules.Rule{
	ID: "HUB302", Name: "singleuser-version-mismatch", Severity: rules.Warning, Source: rules.SourceEnv, Needs: envOnly,
	Title: "jupyterhub in a user environment differs from the hub's in a way the hub warns about",
	Doc: `The JupyterHub upgrade guide: "You need to make sure the version of the jupyterhub package
matches in both these environments" (the hub's and the users'). When a single-user server
starts, the hub compares its own version with the server's and logs
"jupyterhub version X != jupyterhub-singleuser version Y. This could cause failure to authenticate
and result in redirect loops!". Which difference it warns about depends on the hub's version, and
hubaudit follows the same rule, read from the knowledge base: up to 4.1.6 a different
major.minor (4.0 vs 4.1), from 5.0.0 only a different major version (5.x vs 4.x). Smaller
differences are logged at debug level and are not reported.

The JupyterHub docs name two releases where the mismatch is known to break, not just warn:
**0.7** and **2.0**. A hub and a single-user server on
either side of one of these is an error: servers fail to authenticate with the hub, users
see redirect loops, and environment variables the server expects are missing.

In ` + "`post`" + ` the warned-about difference is an error too: after the upgrade every user
environment must match the hub, and the verification fails until it does.

Fix: install the hub's jupyterhub version in the user environment (rebuild the image).`,
	Run: func(p *rules.Pass) error {
		hub := p.Env.Hub()
		if hub == nil {
			return nil
		}
		hv, ok := jupyterhub(hub)
		if !ok {
			return nil
		}
		for _, u := range p.Env.Users() {
			uv, ok := jupyterhub(u)
			if !ok || uv.Equal(hv) {
				continue
			}
			want := "jupyterhub==" + hv.String()
			fix := &rules.Fix{Description: "install " + want + " " + installWhere(u), Commands: []string{installCmd(u, want)}}
			loc := rules.Location{File: u.Path, Subject: subject(u, "jupyterhub")}
			switch g := p.KB.SingleuserGap(hv, uv); {
			case g.Crosses:
				p.Report(rules.Finding{Severity: rules.Error, Location: loc, Fix: fix,
					Message: fmt.Sprintf("jupyterhub %s in %s and %s in %s are on either side of %s, a known breaking release for hub and single-user servers: users will fail to authenticate",
						uv, describe(u), hv, describe(hub), g.Breaking.MajorMinor())})
			case g.Warned:
				// post verifies that the user environments match the hub.
				p.Report(rules.Finding{Location: loc, Fix: fix, Severity: p.FailsInPost(),
					Message: fmt.Sprintf("jupyterhub %s in %s != %s in %s: the %s hub warns about a different %s version (failed authentication, redirect loops)",
						uv, describe(u), hv, describe(hub), hv, g.Compare)})
			}
		}
		return nil
	},
}

// UserEnvBehindTarget flags user environments that must be upgraded along
// with the hub.
var UserEnvBehindTarget = &rules.Rule{
	ID: "HUB303", Name: "user-env-behind-target", Severity: rules.Warning, Source: rules.SourceEnv, Needs: envOnly,
	NeedsTarget: true, Phase: rules.PhasePre,
	Title: "a user environment must be upgraded along with the hub",
	Doc: `Before an upgrade, each user environment's jupyterhub is compared with the target the way the
target hub will compare it (see HUB302): from 5.0.0 the hub warns when the major version differs,
before that when major.minor differs. When the difference crosses one of the known breaking
releases (0.7, 2.0) the finding is an error: single-user servers started from that environment
will not work with the upgraded hub.

When the hub environment already has the target installed, HUB302 makes the comparison and
this rule stays silent. A user environment that is the hub's own prefix (the spawner runs
servers with the hub's PATH, or --user-env names the hub's prefix) is upgraded with the hub
and is not reported.

Fix: upgrade jupyterhub in every user environment (image) to the target at the same time as the
hub, or before it where the old hub tolerates the new single-user version.`,
	Run: func(p *rules.Pass) error {
		t := p.Target.Version
		hub := p.Env.Hub()
		if hub != nil {
			if hv, ok := jupyterhub(hub); ok && hv.Equal(t) {
				return nil // the hub is at the target already: HUB302 compares
			}
		}
		for _, u := range p.Env.Users() {
			if u == hub {
				continue // the hub's own prefix: upgrading the hub upgrades it
			}
			uv, ok := jupyterhub(u)
			if !ok || uv.Equal(t) {
				continue
			}
			want := "jupyterhub==" + t.String()
			fix := &rules.Fix{Description: "upgrade to " + want + " " + installWhere(u) + " together with the hub", Commands: []string{installCmd(u, want)}}
			loc := rules.Location{File: u.Path, Subject: subject(u, "jupyterhub-target")}
			switch g := p.KB.SingleuserGap(t, uv); {
			case g.Crosses:
				p.Report(rules.Finding{Severity: rules.Error, Location: loc, Fix: fix,
					Message: fmt.Sprintf("%s has jupyterhub %s; the target %s is across the %s breaking release: its single-user servers will fail with the upgraded hub", describe(u), uv, t, g.Breaking.MajorMinor())})
			case g.Warned:
				p.Report(rules.Finding{Location: loc, Fix: fix,
					Message: fmt.Sprintf("%s has jupyterhub %s; a %s hub warns about a different %s version: upgrade it to %s with the hub", describe(u), uv, t, g.Compare, t)})
			}
		}
		return nil
	},
}

// PythonTooOld checks each environment's Python against Requires-Python.
var PythonTooOld = &rules.Rule{
	ID: "HUB304", Name: "python-too-old", Severity: rules.Error, Source: rules.SourceEnv, Needs: envOnly,
	Title: "an environment's Python is older than the JupyterHub release requires",
	Doc: `Every JupyterHub release declares the Python versions it supports (Requires-Python: >=3.8 for
5.x, >=3.10 for 6.0). pip refuses to install a release whose Requires-Python excludes the
environment's interpreter; it quietly picks an older jupyterhub instead, so the upgrade "works"
but installs the wrong version. The upgrading guide asks for the check in both the hub and the
user environments.

The release judged is the target (--target) when given, else the jupyterhub installed in that
environment. The interpreter version comes from pyvenv.cfg, conda-meta, the lib/pythonX.Y
directory, or a python entry in an exported list; environments whose Python is unknown
(pip freeze exports) are not judged.

Fix: create the environment anew with a supported Python (` + "`python3.12 -m venv`" + `, or
` + "`conda create -p <prefix> python=3.12`" + `), then install the packages again.`,
	Run: func(p *rules.Pass) error {
		for i := range p.Env.Environments {
			e := &p.Env.Environments[i]
			if e.Python == "" {
				continue
			}
			py, err := pep440.Parse(e.Python)
			if err != nil {
				continue
			}
			v, why, ok := judgedVersion(p, e)
			if !ok {
				continue
			}
			rel, ok := releaseFor(p.KB, v)
			if !ok || rel.RequiresPython.IsEmpty() {
				continue
			}
			if rel.RequiresPython.Contains(py) {
				continue
			}
			what := "the target JupyterHub " + v.String()
			if why != "target" {
				what = "its jupyterhub " + v.String()
			}
			p.Report(rules.Finding{Location: rules.Location{File: e.Path, Subject: subject(e, "python")},
				Message: fmt.Sprintf("%s has Python %s, outside the Requires-Python %s of %s", describe(e), e.Python, rel.RequiresPython, what),
				Fix:     &rules.Fix{Description: fmt.Sprintf("recreate %s with a Python that satisfies %s, then reinstall its packages", describe(e), rel.RequiresPython)}})
		}
		return nil
	},
}

package envrules

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/hubaudit/hubaudit/checks/env"
	"github.com/hubaudit/hubaudit/pep440"
	"github.com/hubaudit/hubaudit/rules"
)

// CompanionIncompatible checks packages that depend on jupyterhub
// (authenticators, spawners, services) against the JupyterHub version and
// the environment's Python.
var CompanionIncompatible = &rules.Rule{
	ID: "HUB305", Name: "companion-incompatible", Severity: rules.Error, Source: rules.SourceEnv, Needs: envOnly,
	Title: "an authenticator, spawner or service does not accept the JupyterHub version or the Python",
	Doc: `Authenticators (oauthenticator, ldapauthenticator, ...), spawners (kubespawner, dockerspawner,
batchspawner, systemdspawner, ...) and services (jupyterhub-idle-culler, ...) declare which
jupyterhub they work with in their metadata (` + "`Requires-Dist: jupyterhub>=4`" + `) and which Python
(` + "`Requires-Python: >=3.9`" + `). When the target (--target), or without one the jupyterhub installed,
is outside that range, pip either refuses the upgrade or leaves a broken combination, and the hub
fails at start when it imports the class; a Python below the package's floor fails the same way.

Installed prefixes and ` + "`pip inspect`" + ` exports carry the Requires-Dist and Requires-Python lines.
For exported lists without them (pip freeze, pip list, conda), the knowledge base's table of every
release of oauthenticator, kubespawner, dockerspawner, ldapauthenticator, nativeauthenticator,
batchspawner, systemdspawner, jupyterhub-traefik-proxy and jupyterhub-idle-culler (read from each
project's git tags) is used, for exactly the installed release; a release the table does not have
gets a note saying its requirements were not checked. Without a target, packages with metadata
are left to HUB310 for their jupyterhub requirement, which reports every unsatisfied requirement
once.

Fix: upgrade (or, for an upper bound, pick a release of) the companion package that accepts
the JupyterHub version and the Python, in the same step as jupyterhub.`,
	Run: func(p *rules.Pass) error {
		for i := range p.Env.Environments {
			e := &p.Env.Environments[i]
			jv, why, judged := judgedVersion(p, e)
			own, ownKnown := jupyterhub(e)
			for _, name := range sortedPackages(e) {
				if name == "jupyterhub" || name == "jupyterhub-base" || name == "jupyterhub-singleuser" {
					continue
				}
				c := companionFacts(p, e, name)
				pv := e.Packages[name]
				if c.unknown != "" {
					p.Report(rules.Finding{Severity: rules.Note, Location: rules.Location{File: e.Path, Subject: subject(e, name+":unknown-release")},
						Message: fmt.Sprintf("%s %s in %s is not a release the knowledge base knows (%s): its jupyterhub and Python requirements were not checked", name, pv, describe(e), c.unknown),
						Fix:     &rules.Fix{Description: fmt.Sprintf("check the Requires-Dist and Requires-Python of %s %s (pip show, or the package index), or give hubaudit the installed prefix or a pip inspect export, which carry them", name, pv)}})
					continue
				}
				if c.python != "" && e.Python != "" {
					py, err1 := pep440.Parse(e.Python)
					spec, err2 := pep440.ParseSpecifier(c.python)
					if err1 == nil && err2 == nil && !spec.Contains(py) {
						p.Report(rules.Finding{Location: rules.Location{File: e.Path, Subject: subject(e, name+":python")},
							Message: fmt.Sprintf("%s %s in %s requires Python%s (%s), but the environment has Python %s", name, pv, describe(e), c.python, c.pythonFrom, e.Python),
							Fix:     &rules.Fix{Description: fmt.Sprintf("install a release of %s whose Requires-Python admits Python %s, or recreate %s with a newer Python", name, e.Python, describe(e))}})
					}
				}
				if !judged || c.hub.Specifier == "" {
					continue
				}
				if c.hubFrom == "metadata" && (why != "target" || (ownKnown && own.Equal(jv))) {
					continue // HUB310 reports it
				}
				spec, err := pep440.ParseSpecifier(c.hub.Specifier)
				if err != nil || spec.Contains(jv) {
					continue
				}
				what := "the target " + jv.String()
				if why != "target" {
					what = "the installed jupyterhub " + jv.String()
				}
				p.Report(rules.Finding{Location: rules.Location{File: e.Path, Subject: subject(e, name)},
					Message: fmt.Sprintf("%s %s in %s requires jupyterhub%s (%s), which excludes %s", name, pv, describe(e), c.hub.Specifier, c.hubFrom, what),
					Fix: &rules.Fix{Description: fmt.Sprintf("install a release of %s that accepts jupyterhub %s, together with jupyterhub", name, jv),
						Commands: []string{installCmd(e, name, "jupyterhub=="+jv.String())}}})
			}
		}
		return nil
	},
}

// companion is what an installed package requires of jupyterhub and of
// Python, and where that was read.
type companion struct {
	hub                env.Requirement // Specifier "" when nothing is required
	hubFrom            string
	python, pythonFrom string
	// unknown is set when the package is one the knowledge base tracks
	// release by release but the installed release is not among them:
	// it says what the knowledge base does know.
	unknown string
}

// companionFacts returns what package name in e requires: its
// Requires-Dist and Requires-Python when the metadata is known, else the
// knowledge base's row for exactly the installed release.
func companionFacts(p *rules.Pass, e *env.Environment, name string) companion {
	var c companion
	if reqs, ok := e.Requires[name]; ok {
		for _, r := range reqs {
			if r.Name == "jupyterhub" && r.Specifier != "" && r.Applies(markerEnv(e)) == env.True {
				c.hub, c.hubFrom = r, "metadata"
				break
			}
		}
		if rp := e.RequiresPython[name]; rp != "" {
			c.python, c.pythonFrom = rp, "metadata"
		}
		return c
	}
	pv, _, known := version(e, name)
	if !known {
		return c
	}
	all := p.KB.CompanionReleases(name)
	if len(all) == 0 {
		return c
	}
	rel, ok := p.KB.CompanionRelease(name, pv)
	if !ok {
		c.unknown = fmt.Sprintf("it has %d releases of %s, %s to %s, from the project's git tags", len(all), name, all[0].Release, all[len(all)-1].Release)
		return c
	}
	from := func(file string) string {
		return fmt.Sprintf("knowledge base: %s of %s %s at tag %s", file, name, rel.Release, rel.GitTag)
	}
	if rel.RequiresJupyterHub != "" {
		if r, err := env.ParseRequirement(rel.RequiresJupyterHub); err == nil && r.Applies(markerEnv(e)) == env.True {
			c.hub, c.hubFrom = r, from(rel.RequiresSource)
		}
	}
	if rel.RequiresPython != "" {
		c.python, c.pythonFrom = rel.RequiresPython, from(rel.PythonSource)
	}
	return c
}

func sortedPackages(e *env.Environment) []string {
	out := make([]string, 0, len(e.Packages))
	for k := range e.Packages {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// HubRequirementUnsatisfied compares the target's requirements with what
// an environment has installed.
var HubRequirementUnsatisfied = &rules.Rule{
	ID: "HUB306", Name: "target-requirement-unsatisfied", Severity: rules.Warning, Source: rules.SourceEnv, Needs: envOnly,
	NeedsTarget: true,
	Title:       "an installed package is outside the target JupyterHub's requirements",
	Doc: `Each JupyterHub release lists its runtime requirements (SQLAlchemy, alembic, tornado,
traitlets, ...; the knowledge base has them for every release). When an environment that has
jupyterhub installed holds a version outside the target's range (SQLAlchemy 1.3 when the target
needs >=1.4.1), ` + "`pip install jupyterhub==<target>`" + ` has to change that package too; if it is pinned
(a constraints file, a conda pin, an image layer) or needed by something else, the upgrade fails
or leaves a hub that crashes at import. Markers are evaluated with the environment's Python on
Linux; packages not installed at all are not reported (pip installs them).

When the environment already has the target installed with its metadata, HUB310 reports the
same conflicts from the installed Requires-Dist and this rule stays silent.

The hub environment is left out when the plan does not upgrade it in place (a
distribution-managed Python: the hub moves to a new virtualenv, where pip resolves the
target's requirements afresh).

Fix: upgrade the package together with jupyterhub, and lift any pin that holds it back.`,
	Run: func(p *rules.Pass) error {
		t := p.Target
		for i := range p.Env.Environments {
			e := &p.Env.Environments[i]
			if _, has := e.Packages["jupyterhub"]; !has {
				continue
			}
			if own, ok := jupyterhub(e); ok && own.Equal(t.Version) && e.Requires["jupyterhub"] != nil {
				continue
			}
			if e.Role == env.RoleHub && p.Deployment != nil && p.Deployment.NewHubEnv != "" {
				continue // the upgraded hub does not run from e
			}
			for _, q := range t.Requirements {
				r := env.Requirement{Name: q.Name, Specifier: q.Specifier, Marker: q.Marker}
				if q.Specifier == "" || r.Applies(markerEnv(e)) != env.True {
					continue
				}
				v, installed, known := version(e, q.Name)
				if !installed || !known {
					continue
				}
				spec, err := pep440.ParseSpecifier(q.Specifier)
				if err != nil || spec.Contains(v) {
					continue
				}
				p.Report(rules.Finding{Location: rules.Location{File: e.Path, Subject: subject(e, "requires:jupyterhub->"+q.Name)},
					Message: fmt.Sprintf("%s has %s %s, outside JupyterHub %s's requirement %s%s: pip must change it during the upgrade", describe(e), q.Name, v, t.Version, q.Name, q.Specifier),
					Fix: &rules.Fix{Description: fmt.Sprintf("upgrade %s with jupyterhub and remove pins that hold it below %s", q.Name, q.Specifier),
						Commands: []string{installCmd(e, "jupyterhub=="+t.Version.String(), q.Name+q.Specifier)}}})
			}
		}
		return nil
	},
}

// DependencyConflict is `pip check` over the collected metadata.
var DependencyConflict = &rules.Rule{
	ID: "HUB310", Name: "dependency-conflict", Severity: rules.Warning, Source: rules.SourceEnv, Needs: envOnly,
	Title: "an installed package's requirement is not satisfied in its environment",
	Doc: `The equivalent of ` + "`pip check`" + ` for every environment whose metadata was read (installed
prefixes and ` + "`pip inspect`" + ` exports): each Requires-Dist whose marker holds for the
environment's Python on Linux must name an installed package whose version is in the range.
Requirements of extras are not checked. Each (package, requirement) pair is reported once.

Only the hub's own dependency closure is checked: jupyterhub, the packages that require it
(authenticators, spawners, services), in a user environment the server packages
jupyterhub-singleuser runs on, and, transitively, what these require. A package of the
distribution that the hub does not use (Debian's pygobject without pycairo in /usr) is not
reported: ` + "`pip check`" + ` would, but it does not affect the hub or its upgrade.

A broken requirement usually comes from a partial upgrade (` + "`pip install -U jupyterhub`" + ` without
the authenticator, a conda and pip mix, ` + "`--no-deps`" + ` in an image build). When the requirement is
on jupyterhub itself (an authenticator that needs jupyterhub>=5 next to jupyterhub 4.1.6) the hub
usually fails at start.

Fix: install the required version (the finding shows the command), or the release of the
requiring package that accepts what is installed.`,
	Run: func(p *rules.Pass) error {
		for i := range p.Env.Environments {
			e := &p.Env.Environments[i]
			complete := e.Kind == env.KindPrefix || e.Kind == env.KindPipInspect
			closure := hubClosure(p, e)
			for _, name := range slices.Sorted(maps.Keys(e.Requires)) {
				if !closure[name] {
					continue
				}
				pv := e.Packages[name]
				for _, r := range e.Requires[name] {
					if r.Name == name || r.Applies(markerEnv(e)) != env.True {
						continue
					}
					v, installed, known := version(e, r.Name)
					sub := subject(e, "requires:"+name+"->"+r.Name)
					switch {
					case !installed:
						if !complete {
							continue
						}
						p.Report(rules.Finding{Location: rules.Location{File: e.Path, Subject: sub},
							Message: fmt.Sprintf("%s %s in %s requires %s, which is not installed", name, pv, describe(e), r.Name+r.Specifier),
							Fix:     &rules.Fix{Description: "install it " + installWhere(e), Commands: []string{installCmd(e, r.Name+r.Specifier)}}})
					case known && r.Specifier != "":
						spec, err := pep440.ParseSpecifier(r.Specifier)
						if err != nil || spec.Contains(v) {
							continue
						}
						p.Report(rules.Finding{Location: rules.Location{File: e.Path, Subject: sub},
							Message: fmt.Sprintf("%s %s in %s requires %s%s, but %s %s is installed", name, pv, describe(e), r.Name, r.Specifier, r.Name, v),
							Fix: &rules.Fix{Description: fmt.Sprintf("install %s%s, or a release of %s that accepts %s %s", r.Name, r.Specifier, name, r.Name, v),
								Commands: []string{installCmd(e, r.Name+r.Specifier)}}})
					}
				}
			}
		}
		return nil
	},
}

// SingleuserServerMissing checks that a user environment has the server
// package jupyterhub-singleuser builds on.
var SingleuserServerMissing = &rules.Rule{
	ID: "HUB309", Name: "singleuser-server-missing", Severity: rules.Error, Source: rules.SourceEnv, Needs: envOnly,
	Title: "a user environment lacks the server package jupyterhub-singleuser runs on",
	Doc: `` + "`jupyterhub-singleuser`" + ` is not a server by itself: it wraps a Jupyter server application that
must be importable in the user environment. Which one depends on the JupyterHub release (the
knowledge base has it from jupyterhub/singleuser): up to 1.5 it subclasses the classic
` + "`notebook.notebookapp.NotebookApp`" + ` (notebook < 7); from 2.0 it uses ` + "`jupyter_server`" + ` and falls
back to the classic notebook server. Notebook 7 no longer ships the classic server, so an image
with only notebook 7 and no jupyter-server cannot start a single-user server (the spawn fails
with an ImportError in the server log).

The release judged is the target when given, else the jupyterhub installed in that environment.
Partial lists (a requirements.txt with some pins) are not judged.

Fix: install jupyter-server (JupyterLab and Notebook 7 bring it) in the user environment.`,
	Run: func(p *rules.Pass) error {
		for _, u := range p.Env.Users() {
			if !u.Readable() || u.Kind == env.KindRequirements {
				continue
			}
			if _, has := u.Packages["jupyterhub"]; !has {
				continue // HUB301
			}
			v, _, ok := judgedVersion(p, u)
			if !ok {
				continue
			}
			alts, _, ok := p.KB.SingleuserServer(v)
			if !ok {
				continue
			}
			found := false
			for _, a := range alts {
				r, err := env.ParseRequirement(a)
				if err == nil && satisfied(u, r) {
					found = true
				}
			}
			if found {
				continue
			}
			have := ""
			for _, a := range alts {
				if r, err := env.ParseRequirement(a); err == nil {
					if iv, ok := u.Packages[r.Name]; ok {
						have += fmt.Sprintf(" (%s %s is installed)", r.Name, iv)
					}
				}
			}
			p.Report(rules.Finding{Location: rules.Location{File: u.Path, Subject: subject(u, "singleuser-server")},
				Message: fmt.Sprintf("%s has none of %s that jupyterhub-singleuser %s needs%s: single-user servers cannot start", describe(u), strings.Join(alts, " or "), v, have),
				Fix:     &rules.Fix{Description: "install " + alts[0] + " " + installWhere(u), Commands: []string{installCmd(u, alts[0])}}})
		}
		return nil
	},
}

// UndeclaredIncompatibility applies the constraints JupyterHub releases
// need but do not declare (SQLAlchemy<2 before 3.1.1).
var UndeclaredIncompatibility = &rules.Rule{
	ID: "HUB314", Name: "undeclared-incompatibility", Severity: rules.Error, Source: rules.SourceEnv, Needs: envOnly,
	Title: "an installed package breaks the JupyterHub release although pip allows it",
	Doc: `Some JupyterHub releases do not work with a newer version of a dependency that they do not
exclude in their requirements, so pip installs it and nothing warns until the hub crashes.
The knowledge base lists these constraints with their source: JupyterHub before 3.1.1 does not
work with SQLAlchemy 2 (3.1.1's changelog: "enabling compatibility with the latest sqlalchemy
2.0 release"), yet every earlier release, 1.5.1 and 3.1.0 included, declares only
SQLAlchemy>=1.1.

Each environment is judged for the jupyterhub it has installed and, before an upgrade, for the
target.

Fix: pin the dependency (` + "`pip install 'sqlalchemy<2'`" + `), or upgrade JupyterHub to a release
without the constraint.`,
	Run: func(p *rules.Pass) error {
		for i := range p.Env.Environments {
			e := &p.Env.Environments[i]
			own, ok := jupyterhub(e)
			if !ok {
				continue
			}
			seen := map[string]bool{}
			check := func(jv pep440.Version, what string) {
				for _, u := range p.KB.UndeclaredRequirements(jv) {
					v, installed, known := version(e, u.Package)
					if !installed || !known || seen[u.Package] {
						continue
					}
					spec, err := pep440.ParseSpecifier(u.Specifier)
					if err != nil || spec.Contains(v) {
						continue
					}
					seen[u.Package] = true
					p.Report(rules.Finding{Location: rules.Location{File: e.Path, Subject: subject(e, "undeclared:"+u.Package)},
						Message: fmt.Sprintf("%s has %s %s, but %s %s needs %s%s (not declared in its requirements; source: %s)", describe(e), u.Package, v, what, jv, u.Package, u.Specifier, u.Source),
						Fix: &rules.Fix{Description: fmt.Sprintf("pin %s%s, or use a JupyterHub release without this constraint", u.Package, u.Specifier),
							Commands: []string{installCmd(e, u.Package+u.Specifier)}}})
				}
			}
			if p.Target != nil && p.Mode == rules.ModePre {
				check(p.Target.Version, "the target JupyterHub")
			}
			check(own, "the installed jupyterhub")
		}
		return nil
	},
}

// hubClosure is the set of packages of e that the hub depends on: the
// roots (jupyterhub, its release's requirements, the installed packages
// that require it and, in a user
// environment, the server packages jupyterhub-singleuser runs on) and,
// transitively, the installed packages their requirements name (markers
// evaluated for e; extras not followed).
func hubClosure(p *rules.Pass, e *env.Environment) map[string]bool {
	var queue []string
	in := map[string]bool{}
	add := func(name string) {
		name = pep440.NormalizeName(name)
		if _, installed := e.Packages[name]; installed && !in[name] {
			in[name] = true
			queue = append(queue, name)
		}
	}
	add("jupyterhub")
	// The release's own requirements from the knowledge base too: a
	// distribution's package may list none in its metadata (Debian's
	// jupyterhub 3.0.0 egg-info has no requirement for Linux).
	if v, ok := jupyterhub(e); ok {
		if rel, ok := releaseFor(p.KB, v); ok {
			for _, q := range rel.Requirements {
				if (env.Requirement{Name: q.Name, Marker: q.Marker}).Applies(markerEnv(e)) == env.True {
					add(q.Name)
				}
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(e.Requires)) {
		for _, r := range e.Requires[name] {
			if r.Name == "jupyterhub" && r.Applies(markerEnv(e)) == env.True {
				add(name)
			}
		}
	}
	if servesUsers(p, e) {
		if v, _, ok := judgedVersion(p, e); ok {
			if alts, _, ok := p.KB.SingleuserServer(v); ok {
				for _, a := range alts {
					if r, err := env.ParseRequirement(a); err == nil {
						add(r.Name)
					}
				}
			}
		}
	}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		for _, r := range e.Requires[name] {
			if r.Applies(markerEnv(e)) == env.True {
				add(r.Name)
			}
		}
	}
	return in
}

// servesUsers reports whether single-user servers run from e.
func servesUsers(p *rules.Pass, e *env.Environment) bool {
	return slices.Contains(p.Env.Users(), e)
}

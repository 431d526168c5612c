package envrules

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/checks/env"
	"github.com/hubaudit/hubaudit/internal/textdist"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/pep440"
	"github.com/hubaudit/hubaudit/rules"
)

// ClassNotImportable checks that the configured authenticator, spawner and
// proxy classes can be loaded from the hub environment.
var ClassNotImportable = &rules.Rule{
	ID: "HUB307", Name: "class-not-importable", Severity: rules.Error, Source: rules.SourceEnv, Needs: envOnly,
	Title: "the configured authenticator, spawner or proxy class cannot be loaded from the hub environment",
	Doc: `` + "`c.JupyterHub.authenticator_class`" + `, ` + "`spawner_class`" + ` and ` + "`proxy_class`" + ` take either an entry
point name (` + "`\"github\"`" + `, looked up in the ` + "`jupyterhub.authenticators`" + ` / ` + "`jupyterhub.spawners`" + ` /
` + "`jupyterhub.proxies`" + ` entry point groups of the installed packages) or a dotted import path
(` + "`\"oauthenticator.github.GitHubOAuthenticator\"`" + `). When the package is not installed in the hub
environment, or the entry point name is unknown, the hub exits at start with traitlets' error
"The 'authenticator_class' trait of <jupyterhub.app.JupyterHub object at 0x...> instance must be a type, but 'github' could not be imported".

hubaudit reads the entry points and top-level modules of an installed prefix; for exported
package lists it checks that a distribution named after the module (or
` + "`jupyterhub-<module>`" + `) is listed, and (as a warning, since another installed package may
register it) that a bare name is one that JupyterHub or a companion package registers according to
the knowledge base. Classes defined in the config file itself are not checked.
The rule needs the config (--config) and runs only when it is given.

Fix: install the package that provides the class in the hub environment, or correct the
name (the finding lists the entry point names that exist).`,
	Run: func(p *rules.Pass) error {
		hub := p.Env.Hub()
		if p.Config == nil || hub == nil || !hub.Readable() {
			return nil
		}
		if _, ok := hub.Packages["jupyterhub"]; !ok {
			return nil // HUB301
		}
		type choice struct {
			trait, group string
			c            *config.ClassChoice
		}
		choices := []choice{
			{"JupyterHub.authenticator_class", "jupyterhub.authenticators", p.Config.AuthenticatorClass},
			{"JupyterHub.spawner_class", "jupyterhub.spawners", p.Config.SpawnerClass},
		}
		if a, ok := lastLiteral(p.Config, "JupyterHub.proxy_class"); ok {
			if s, ok := a.Value.(string); ok {
				pc := &config.ClassChoice{Value: s, File: a.File, Line: a.Line}
				if ep, ok := kb.EntryPoint("jupyterhub.proxies", s); ok {
					pc.Class, pc.Package = ep.Class, ep.Package // traefik_file (TLJH) is jupyterhub-traefik-proxy's
				}
				choices = append(choices, choice{"JupyterHub.proxy_class", "jupyterhub.proxies", pc})
			}
		}
		for _, ch := range choices {
			c := ch.c
			if c == nil || c.Custom || c.Value == "" {
				continue
			}
			loc := rules.Location{File: c.File, Line: c.Line, Subject: "config:" + ch.trait}
			if !strings.Contains(c.Value, ".") {
				if hub.Kind != env.KindPrefix || hub.EntryPoints == nil {
					if c.Package != "" && !hasDist(hub, c.Package) {
						reportMissingPackage(p, hub, loc, ch.trait, c.Value, c.Package)
					}
					if c.Package == "" && c.Class == "" {
						// A package list shows no entry points: compare with
						// the names JupyterHub and its companions register.
						msg := fmt.Sprintf("c.%s = %q is not an entry point name that JupyterHub or a companion package registers in %s", ch.trait, c.Value, ch.group)
						if near := textdist.Closest(c.Value, kb.EntryPointNames(ch.group)); len(near) > 0 {
							msg += " (did you mean " + quoteList(near) + "?)"
						}
						msg += "; unless another package in " + describe(hub) + " registers it, the hub will not start"
						p.Report(rules.Finding{Severity: rules.Warning, Location: loc, Message: msg,
							Fix: &rules.Fix{Description: "use a registered entry point name or the class's dotted path (module.Class)"}})
					}
					continue
				}
				names := hub.EntryPoints[ch.group]
				found := false
				var known []string
				for _, n := range slices.Sorted(maps.Keys(names)) {
					known = append(known, n)
					if strings.EqualFold(n, c.Value) {
						found = true
					}
				}
				if found {
					continue
				}
				msg := fmt.Sprintf("c.%s = %q names no entry point of group %s in %s (known: %s)", ch.trait, c.Value, ch.group, describe(hub), quoteList(known))
				fix := &rules.Fix{Description: "install the package that provides the " + strconv.Quote(c.Value) + " entry point in the hub environment, or use one of the known names"}
				if c.Package != "" {
					msg += "; it is provided by " + c.Package + ", which is not installed"
					fix.Commands = []string{installCmd(hub, c.Package)}
				}
				p.Report(rules.Finding{Message: msg, Location: loc, Fix: fix})
				continue
			}
			top := c.Value[:strings.IndexByte(c.Value, '.')]
			if top == "jupyterhub" {
				continue
			}
			if hub.Kind == env.KindPrefix {
				if containsString(hub.Modules, top) {
					continue
				}
				pkg := c.Package
				if pkg == "" {
					pkg = top
				}
				p.Report(rules.Finding{Location: loc,
					Message: fmt.Sprintf("c.%s = %q: module %s is not installed in %s", ch.trait, c.Value, top, describe(hub)),
					Fix:     &rules.Fix{Description: "install the package that provides module " + top + " in the hub environment", Commands: []string{installCmd(hub, pkg)}}})
				continue
			}
			if hasDist(hub, top) || (c.Package != "" && hasDist(hub, c.Package)) {
				continue
			}
			pkg := c.Package
			if pkg == "" {
				pkg = top
			}
			reportMissingPackage(p, hub, loc, ch.trait, c.Value, pkg)
		}
		return nil
	},
}

func reportMissingPackage(p *rules.Pass, hub *env.Environment, loc rules.Location, trait, value, pkg string) {
	p.Report(rules.Finding{Location: loc,
		Message: fmt.Sprintf("c.%s = %q needs package %s, which %s does not list", trait, value, pkg, describe(hub)),
		Fix:     &rules.Fix{Description: "install " + pkg + " " + installWhere(hub), Commands: []string{installCmd(hub, pkg)}}})
}

// hasDist reports whether a distribution for name (or jupyterhub-name) is
// installed.
func hasDist(e *env.Environment, name string) bool {
	n := pep440.NormalizeName(name)
	for _, k := range []string{n, "jupyterhub-" + n, strings.TrimPrefix(n, "jupyterhub-")} {
		if _, ok := e.Packages[k]; ok {
			return true
		}
	}
	return false
}

func containsString(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// lastLiteral returns the last plain assignment of trait ("Class.name").
func lastLiteral(cf *config.Facts, trait string) (config.Assignment, bool) {
	var out config.Assignment
	found := false
	for _, a := range cf.Assignments {
		if a.Trait == trait && a.Op == "=" {
			out, found = a, true
		}
	}
	return out, found
}

// DBDriverMissing checks that the hub environment has the database driver
// its db_url needs.
var DBDriverMissing = &rules.Rule{
	ID: "HUB308", Name: "db-driver-missing", Severity: rules.Error, Source: rules.SourceEnv, Needs: envOnly,
	Title: "the hub environment lacks the database driver db_url needs",
	Doc: `SQLAlchemy loads a DB-API driver named by the URL scheme (the knowledge base's table, read
from SQLAlchemy's dialects): ` + "`postgresql+psycopg2://`" + ` needs psycopg2 (or psycopg2-binary),
` + "`postgresql+psycopg://`" + ` psycopg 3, ` + "`mysql://`" + ` mysqlclient (MySQLdb), ` + "`mysql+pymysql://`" + ` PyMySQL, and
so on; a plain ` + "`postgresql://`" + ` means psycopg2 up to SQLAlchemy 2.0 and psycopg 3 from 2.1, so an
upgrade that brings SQLAlchemy 2.1 needs the other driver. None of them is a
dependency of jupyterhub, so a new venv or image built from ` + "`pip install jupyterhub`" + ` lacks it
and the hub exits at start with "No module named 'psycopg2'". SQLite needs nothing.

The URL is the one the database collector used (--db, HUBAUDIT_DB_URL) or the config's
` + "`c.JupyterHub.db_url`" + `. The rule runs when one of them is known.

Fix: install the driver in the hub environment.`,
	Run: func(p *rules.Pass) error {
		hub := p.Env.Hub()
		if hub == nil || !hub.Readable() || len(hub.Packages) == 0 {
			return nil
		}
		url, loc := "", rules.Location{Subject: "env:hub/db-driver"}
		if p.DB != nil && p.DB.URL != "" {
			url = p.DB.URL
		} else if p.Config != nil && p.Config.DBURL != "" {
			url = p.Config.DBURL
			loc.File, loc.Line = splitFileLine(p.Config.DBURLFrom)
		}
		scheme, _, ok := strings.Cut(url, "://")
		if !ok {
			return nil
		}
		scheme = strings.ToLower(scheme)
		// Which driver SQLAlchemy loads can depend on its version
		// (postgresql:// means psycopg2 before 2.1, psycopg from 2.1).
		var sa pep440.Version
		saText := ""
		if v, ok := hub.Packages["sqlalchemy"]; ok {
			if pv, err := pep440.Parse(v); err == nil {
				sa, saText = pv, " (SQLAlchemy "+v+")"
			}
		}
		drivers := p.KB.DBDrivers(scheme, sa)
		if len(drivers) == 0 {
			return nil
		}
		var dists []string
		for _, d := range drivers {
			for _, dist := range d.Distributions {
				if _, ok := hub.Packages[dist]; ok {
					return nil
				}
				dists = append(dists, dist)
			}
			if hub.Kind == env.KindPrefix && containsString(hub.Modules, d.Module) {
				return nil
			}
		}
		// The last one listed is the one that installs from wheels
		// (psycopg2-binary) where there is a choice.
		last := drivers[len(drivers)-1].Distributions
		want := last[len(last)-1]
		p.Report(rules.Finding{Location: loc,
			Message: fmt.Sprintf("db_url uses %s:// but %s has no %s%s: the hub cannot connect to its database", scheme, describe(hub), strings.Join(dists, " or "), saText),
			Fix:     &rules.Fix{Description: "install " + want + " " + installWhere(hub), Commands: []string{installCmd(hub, want)}}})
		return nil
	},
}

func splitFileLine(s string) (string, int) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return s, 0
	}
	n, err := strconv.Atoi(s[i+1:])
	if err != nil {
		return s, 0
	}
	return s[:i], n
}

// spawnerCmd returns the last literal c.<X>Spawner.cmd assignment.
func spawnerCmd(cf *config.Facts) ([]string, config.Assignment, bool) {
	var out []string
	var where config.Assignment
	found := false
	for _, a := range cf.Assignments {
		if a.Name() != "cmd" || a.Op != "=" || !strings.HasSuffix(strings.SplitN(a.Trait, ".", 2)[0], "Spawner") {
			continue
		}
		switch v := a.Value.(type) {
		case string:
			out, where, found = []string{v}, a, true
		case []any:
			var cmd []string
			for _, x := range v {
				if s, ok := x.(string); ok {
					cmd = append(cmd, s)
				}
			}
			if len(cmd) > 0 {
				out, where, found = cmd, a, true
			}
		}
	}
	return out, where, found
}

// SpawnerCommandMissing checks that the single-user command configured in
// Spawner.cmd exists in the user environments.
var SpawnerCommandMissing = &rules.Rule{
	ID: "HUB311", Name: "spawner-command-missing", Severity: rules.Error, Source: rules.SourceEnv, Needs: envOnly,
	Title: "the command in c.Spawner.cmd is not provided by a user environment",
	Doc: `` + "`c.Spawner.cmd`" + ` names the program that starts each single-user server
(` + "`jupyterhub-singleuser`" + ` by default). Older deployments set it to ` + "`jupyter-labhub`" + `, a command
that only some JupyterLab releases install (JupyterLab's ` + "`labhubapp`" + `; the JupyterLab 2.0 release
dropped it, later releases brought it back): after the image is rebuilt with another JupyterLab,
every spawn fails with "No such file or directory". The same happens when the command is absent
for any other reason.

For installed prefixes the rule checks the console scripts and the bin directory; for exported
lists it can only check that jupyter-labhub's package (jupyterlab) is listed. The rule needs the
config (--config).

Fix: set ` + "`c.Spawner.cmd = [\"jupyterhub-singleuser\"]`" + ` (JupyterLab is the default UI since
JupyterHub 2.0; set ` + "`c.Spawner.default_url = \"/lab\"`" + ` if needed), or install the command.`,
	Run: func(p *rules.Pass) error {
		if p.Config == nil {
			return nil
		}
		cmd, a, ok := spawnerCmd(p.Config)
		if !ok || len(cmd) == 0 {
			return nil
		}
		base := path.Base(cmd[0])
		if !strings.HasPrefix(base, "jupyter") {
			return nil
		}
		for _, u := range p.Env.Users() {
			if !u.Readable() || len(u.Packages) == 0 {
				continue
			}
			loc := rules.Location{File: a.File, Line: a.Line, Column: a.Column, Subject: subject(u, "command:"+base)}
			switch {
			case u.Kind == env.KindPrefix:
				if containsString(u.Commands, base) {
					continue
				}
			case base == "jupyter-labhub":
				if _, ok := u.Packages["jupyterlab"]; ok {
					continue
				}
			default:
				continue
			}
			fix := &rules.Fix{Description: "run jupyterhub-singleuser (c." + a.Trait + ` = ["jupyterhub-singleuser"]), or install ` + base + " " + installWhere(u)}
			p.Report(rules.Finding{Location: loc, Fix: fix,
				Message: fmt.Sprintf("c.%s runs %s, which %s does not provide: spawns will fail", a.Trait, base, describe(u))})
		}
		return nil
	},
}

// ProxyMissing notes a hub without configurable-http-proxy.
var ProxyMissing = &rules.Rule{
	ID: "HUB313", Name: "proxy-missing", Severity: rules.Note, Source: rules.SourceEnv, Needs: envOnly,
	Title: "configurable-http-proxy was not found for a hub that starts it",
	Doc: `By default the hub starts ` + "`configurable-http-proxy`" + `, a Node.js program installed with npm
(` + "`npm install -g configurable-http-proxy`" + `) or conda (the conda-forge jupyterhub package brings
it), not with pip. A venv created with ` + "`pip install jupyterhub`" + ` does not have it, and the hub
exits at start with "Failed to start proxy". hubaudit looks under the hub prefix
(lib/node_modules, node_modules, conda-meta) and on PATH.

The rule stays silent when the config runs the proxy separately
(` + "`c.ConfigurableHTTPProxy.should_start = False`" + `) or selects another proxy class, and for
exported package lists.

Fix: install configurable-http-proxy where the hub can find it, or run it as a separate
service.`,
	Run: func(p *rules.Pass) error {
		hub := p.Env.Hub()
		if hub == nil || hub.Kind != env.KindPrefix || len(hub.Packages) == 0 || hub.ConfigurableHTTPProxy != "" || containsString(hub.Commands, "configurable-http-proxy") {
			return nil
		}
		if p.Config != nil {
			if !p.Config.Proxy.ShouldStart || (p.Config.Proxy.Class != "" && p.Config.Proxy.Class != "ConfigurableHTTPProxy") {
				return nil
			}
		}
		p.Report(rules.Finding{Location: rules.Location{File: hub.Path, Subject: "env:hub/configurable-http-proxy"},
			Message: fmt.Sprintf("configurable-http-proxy was not found in %s nor on PATH: the hub cannot start its proxy", describe(hub)),
			Fix:     &rules.Fix{Description: "install configurable-http-proxy with npm (or conda) where the hub's PATH finds it", Commands: []string{"npm install -g configurable-http-proxy"}}})
		return nil
	},
}

// ProxyNodeTooOld is HUB315.
var ProxyNodeTooOld = &rules.Rule{
	ID: "HUB315", Name: "proxy-node-too-old", Severity: rules.Error, Source: rules.SourceEnv, Needs: envOnly,
	Title: "configurable-http-proxy needs a newer Node.js than the one installed",
	Doc: `configurable-http-proxy states the Node.js it runs on in its package.json (` + "`engines.node`" + `):
5.0 moved to ECMAScript modules and requires Node.js 18, 5.2 requires Node.js 20. npm installs a
newer proxy on an older Node.js with only a warning, and the proxy then fails at start (the hub
exits with "Failed to start proxy"). This happens on upgrades: ` + "`npm install -g configurable-http-proxy`" + `
brings the newest proxy, while the system's Node.js stays where it was.

hubaudit reads the requirement from the installed proxy's package.json and the Node.js version
without running it: the nodejs package of a conda environment, node_version.h of the prefix the
` + "`node`" + ` command belongs to (official builds, NodeSource), or Debian's package database for
/usr/bin/node. When it cannot tell, the rule is silent.

Fix: install a Node.js the proxy supports, or a proxy release that supports the installed Node.js
(` + "`npm view configurable-http-proxy@4 engines`" + ` shows what a release line needs).`,
	Run: func(p *rules.Pass) error {
		hub := p.Env.Hub()
		if hub == nil || hub.ConfigurableHTTPProxy == "" || hub.ConfigurableHTTPProxyNode == "" || hub.NodeJS == "" {
			return nil
		}
		need, err := semver.NewConstraint(hub.ConfigurableHTTPProxyNode)
		if err != nil {
			return nil
		}
		have, err := semver.NewVersion(hub.NodeJS)
		if err != nil || need.Check(have) {
			return nil
		}
		p.Report(rules.Finding{Location: rules.Location{File: hub.Path, Subject: "env:hub/configurable-http-proxy/node"},
			Message: fmt.Sprintf("configurable-http-proxy %s requires Node.js %s (its package.json), but Node.js %s is installed (from %s): the proxy will not start, and the hub with it",
				hub.ConfigurableHTTPProxy, hub.ConfigurableHTTPProxyNode, hub.NodeJS, hub.NodeJSFrom),
			Fix: &rules.Fix{Description: "install a Node.js that satisfies " + hub.ConfigurableHTTPProxyNode +
				", or a configurable-http-proxy release whose package.json accepts Node.js " + hub.NodeJS}})
		return nil
	},
}

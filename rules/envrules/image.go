package envrules

import (
	"fmt"
	"path/filepath"

	"github.com/hubaudit/hubaudit/rules"
)

// HubImageUnpinned is HUB316.
var HubImageUnpinned = &rules.Rule{
	ID: "HUB316", Name: "hub-image-unpinned", Severity: rules.Warning, Source: rules.SourceEnv, Needs: []rules.Source{},
	Title: "the hub image's Dockerfile does not pin jupyterhub",
	Doc: `A docker compose deployment (jupyterhub/jupyterhub-deploy-docker's layout) builds the hub image
from a Dockerfile, usually ` + "`FROM quay.io/jupyterhub/jupyterhub:$JUPYTERHUB_VERSION`" + ` with the
version a build argument of the compose file. jupyterhub's release workflow tags each release
X.Y.Z and moves the X.Y, X and latest tags to it, so only a full version pins the hub: with
` + "`latest`" + ` (deploy-docker's own example sets ` + "`JUPYTERHUB_VERSION: latest`" + `), a missing tag,
a line tag such as ` + "`5.2`" + `, or a ` + "`pip install jupyterhub`" + ` without a version, the next
` + "`docker compose build`" + ` (or ` + "`up --build`" + `, or a new machine) upgrades the hub to whatever is newest
that day, and the hub then runs a database schema and config the audit never saw; a major release
can refuse to start on the old config. A digest (` + "`@sha256:`" + `) is a pin.

hubaudit reads the compose file's hub service and its Dockerfile (with the build arguments
substituted); the rule is silent when the Dockerfile pins jupyterhub, or installs none it knows.

Fix: pin the version: set the build argument to a full release (` + "`JUPYTERHUB_VERSION: \"5.2.1\"`" + `
under ` + "`build.args`" + `), or write it in the FROM line, or ` + "`pip install 'jupyterhub==5.2.1'`" + `; then
upgrade on purpose, by changing the pin and following hubaudit's plan.`,
	Run: func(p *rules.Pass) error {
		if p.Deployment == nil || p.Deployment.Compose == nil || p.Deployment.Compose.Dockerfile == nil {
			return nil
		}
		c := p.Deployment.Compose
		d := c.Dockerfile
		if d.Unpinned == "" {
			return nil
		}
		pin := p.Current.String()
		if p.Target != nil {
			pin = p.Target.Version.String()
		}
		if p.Current.IsZero() && p.Target == nil {
			pin = "X.Y.Z"
		}
		loc := rules.Location{File: d.Path, Line: d.PinLine, Subject: "image:hub/jupyterhub"}
		msg := fmt.Sprintf("the hub image is not pinned to a jupyterhub release: %s", d.Unpinned)
		fix := &rules.Fix{}
		switch {
		case d.PinArg != "" && c.Build != nil:
			if line, ok := c.Build.ArgLines[d.PinArg]; ok {
				// The value that decides is the compose file's build arg.
				msg += fmt.Sprintf(" (%s: %q in %s:%d)", d.PinArg, c.Build.Args[d.PinArg], filepath.Base(c.File), line)
				loc = rules.Location{File: c.File, Line: line, Subject: "image:hub/jupyterhub"}
			}
			fix.Description = fmt.Sprintf("set %s: \"%s\" under build.args of the %s service in %s (a full release), so every build makes the same hub; change it only to upgrade",
				d.PinArg, pin, c.Service, filepath.Base(c.File))
		case d.PinnedBy != "" && d.PinnedBy[:4] == "FROM":
			fix.Description = fmt.Sprintf("write a full release in %s: FROM quay.io/jupyterhub/jupyterhub:%s", filepath.Base(d.Path), pin)
		default:
			fix.Description = fmt.Sprintf("pin it in %s: pip install 'jupyterhub==%s'", filepath.Base(d.Path), pin)
		}
		msg += "; the next docker compose build upgrades the hub, its database schema and its config expectations without a plan"
		p.Report(rules.Finding{Location: loc, Message: msg, Fix: fix})
		return nil
	},
}

package audit

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hubaudit/hubaudit/checks/env"
	"github.com/hubaudit/hubaudit/deploy"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/rules"
)

// deployment is the first phase of the deployment model: the kind found
// from the paths, and the inputs it supplies.
type deployment struct {
	opts deploy.Options
	loc  *deploy.Located
	in   *deploy.Inputs
}

// locateDeployment detects the kind (or takes --kind) and fills the
// inputs the command line and .hubaudit.yaml left unset from the kind's
// locations.
func locateDeployment(opts *Options) (*deployment, error) {
	if opts.Kind != "" {
		if _, err := deploy.ParseKind(opts.Kind); err != nil {
			return nil, usagef("--kind names how the hub is installed: "+strings.Join(deploy.Names(), ", "), "--kind: %v", err)
		}
	}
	_, statErr := os.Stat(filepath.Join(opts.Dir, "jupyterhub_config.py"))
	d := &deployment{opts: deploy.Options{Kind: deploy.Kind(opts.Kind), Dir: opts.Dir, ConfigFiles: opts.ConfigFiles, Root: opts.Root,
		Explicit: len(opts.ConfigFiles) > 0 || statErr == nil}}
	d.loc = deploy.Locate(d.opts)
	d.in = d.loc.Inputs()
	if len(opts.ConfigFiles) == 0 {
		opts.ConfigFiles = d.in.ConfigFiles
	}
	if opts.HubEnv == "" && d.in.HubImage == nil {
		opts.HubEnv = d.in.HubEnv
	}
	if len(opts.UserEnvs) == 0 {
		opts.UserEnvs = d.in.UserEnvs
	}
	return d, nil
}

// dbURL is the database URL to audit after the config's: the kind's
// default database when nothing named one, and a SQLite path as the hub
// sees it (in a container) mapped to this machine.
func (d *deployment) dbURL(url string) string {
	if url == "" && d.in.DB != "" {
		return "sqlite:///" + d.in.DB
	}
	if rest, ok := strings.CutPrefix(url, "sqlite:///"); ok && strings.HasPrefix(rest, "/") {
		if h := d.in.MapPath(rest); h != "" {
			return "sqlite:///" + h
		}
	}
	return url
}

// hubEnv puts the hub environment read from the kind's image build in
// place of the one the collector found.
func (d *deployment) hubEnv(ef *env.Facts) *env.Facts {
	if d.in.HubImage == nil {
		return ef
	}
	if ef == nil {
		ef = &env.Facts{}
	}
	out := &env.Facts{Environments: []env.Environment{*d.in.HubImage}}
	for _, e := range ef.Environments {
		if e.Role != env.RoleHub {
			out.Environments = append(out.Environments, e)
		}
	}
	return out
}

// describe is the second phase: the deployment facts from what the
// collectors found.
func (d *deployment) describe(opts Options, in *rules.Input) *deploy.Facts {
	c := deploy.Collected{Config: in.Config, Env: in.Env, Logs: opts.Logs, Compose: d.in.Compose}
	if in.Config != nil {
		c.TLJHConfig = in.Config.TLJHConfig
	}
	f := deploy.Describe(d.loc, d.opts, c)
	f.Problems = d.in.Problems
	return f
}

// tljhConfigRelease is the TLJH release whose configurer a TLJH
// config.yaml is read as: in pre, the one the plan installs for the
// target; otherwise the installed one (its metadata in the hub
// environment, or its line in a --hub-env package list); "" when neither
// is known (the newest).
func tljhConfigRelease(opts Options, dep *deployment, target *kb.Release) (tag, from string) {
	if opts.Mode == rules.ModePre && target != nil {
		if r, ok := deploy.TLJHReleaseFor(target.Version.String()); ok {
			return r.Tag, fmt.Sprintf("TLJH %s, which the plan installs for jupyterhub %s", r.Tag, target.Version)
		}
	}
	v, vfrom := dep.in.TLJHVersion, dep.in.TLJHVersionFrom
	if v == "" && opts.HubEnv != "" {
		if b, err := os.ReadFile(opts.HubEnv); err == nil && len(b) < 4<<20 {
			for _, line := range strings.Split(string(b), "\n") {
				if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "the-littlest-jupyterhub=="); ok {
					v, vfrom = strings.TrimSpace(rest), opts.HubEnv
					break
				}
			}
		}
	}
	if v == "" {
		return "", ""
	}
	r, ok := deploy.TLJHReleaseOf(v)
	if !ok {
		return "", ""
	}
	return r.Tag, fmt.Sprintf("TLJH %s, installed (the-littlest-jupyterhub %s in %s)", r.Tag, v, vfrom)
}

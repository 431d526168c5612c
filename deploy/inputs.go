package deploy

import (
	"path/filepath"
	"strings"

	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/checks/env"
)

// Inputs are the input locations a kind supplies, for what the command
// line and .hubaudit.yaml leave unset.
type Inputs struct {
	// ConfigFiles are the config files (and jupyterhub_config.d
	// folders) that exist, in load order.
	ConfigFiles []string
	// DB is the database file or URL when the config sets none.
	DB string
	// HubEnv is the hub environment's path; HubImage a hub environment
	// known from an image build instead (it replaces any other).
	HubEnv   string
	HubImage *env.Environment
	// NoPathLookup keeps the environment collector from taking the
	// jupyterhub on this machine's PATH as the hub's (the hub runs
	// elsewhere: in a container).
	NoPathLookup bool
	// UserEnvs are the user environments' paths.
	UserEnvs []string
	// Environ is the hub's environment, when the kind knows it.
	Environ map[string]string
	// Compose is the compose file's hub service.
	Compose *config.Compose
	// Problems are what the kind's reader could not read (one line each).
	Problems []string
	// TLJHVersion is the version of the-littlest-jupyterhub installed in
	// TLJH's hub environment, and TLJHVersionFrom where it was read.
	TLJHVersion, TLJHVersionFrom string
}

// MapPath maps a path as the hub sees it to this machine ("" when the
// kind does not move paths).
func (in *Inputs) MapPath(p string) string {
	if in == nil || in.Compose == nil {
		return ""
	}
	return in.Compose.HostPath(p)
}

// Inputs resolves the kind's Locations against its root, keeping what
// exists, and runs the kind's reader (Spec.Prepare).
func (l *Located) Inputs() *Inputs {
	in := &Inputs{}
	if l == nil {
		return in
	}
	loc := l.Spec.Locations
	abs := func(p string) string {
		if filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(l.Root, p)
	}
	for _, c := range loc.Config {
		if m := glob(abs(c)); m != "" {
			in.ConfigFiles = append(in.ConfigFiles, m)
		}
	}
	if loc.DB != "" {
		if m := glob(abs(loc.DB)); m != "" {
			in.DB = m
		}
	}
	if loc.HubEnv != "" {
		if m := glob(abs(loc.HubEnv)); m != "" {
			in.HubEnv = m
		}
	}
	for _, u := range loc.UserEnv {
		if m := glob(abs(u)); m != "" {
			in.UserEnvs = append(in.UserEnvs, m)
		}
	}
	if l.Spec.Prepare != nil {
		l.Spec.Prepare(l, in)
	}
	return in
}

// tljhPrepare adds TLJH's config.yaml and jupyterhub_config.d after its
// own jupyterhub_config.py, in the order TLJH loads them: the config.yaml
// at configurer.apply_config, then the folder's files through
// load_subconfig.
func tljhPrepare(l *Located, in *Inputs) {
	if m := glob(filepath.Join(l.Root, "config", "config.yaml")); m != "" {
		in.ConfigFiles = append(in.ConfigFiles, m)
	}
	if m := glob(filepath.Join(l.Root, "config", "jupyterhub_config.d", "*.py")); m != "" {
		in.ConfigFiles = append(in.ConfigFiles, filepath.Join(l.Root, "config", "jupyterhub_config.d"))
	}
	// The installed TLJH: its distribution's metadata directory in the hub
	// environment (the bootstrap script pip-installs it there).
	if m := glob(filepath.Join(l.Root, "hub", "lib", "python3*", "site-packages", "the_littlest_jupyterhub-*.dist-info")); m != "" {
		v := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(m), "the_littlest_jupyterhub-"), ".dist-info")
		in.TLJHVersion, in.TLJHVersionFrom = v, m
	}
}

// composePrepare reads the compose file: the hub service's environment
// resolves the config's os.environ reads, its mounts place the config
// and the database on this machine, and its image build is the hub
// environment.
func composePrepare(l *Located, in *Inputs) {
	file := config.FindCompose(l.Root)
	if file == "" {
		in.Problems = append(in.Problems, "no compose file in "+l.Root)
		return
	}
	c, err := config.ReadCompose(file)
	if err != nil {
		in.Problems = append(in.Problems, err.Error())
		return
	}
	in.Compose, in.Environ, in.NoPathLookup = c, c.Environ(), true
	for _, v := range c.Volumes {
		if strings.HasSuffix(v.Target, ".py") || strings.HasSuffix(v.Target, "jupyterhub_config.d") {
			if glob(v.Host) != "" {
				in.ConfigFiles = append(in.ConfigFiles, v.Host)
			}
		}
	}
	if len(in.ConfigFiles) == 0 {
		if m := glob(filepath.Join(l.Root, "jupyterhub_config.py")); m != "" {
			in.ConfigFiles = []string{m}
		}
	}
	if d := c.Dockerfile; d != nil {
		e := env.Environment{Role: env.RoleHub, Path: d.Path, Kind: KindImage, Found: "compose", Packages: map[string]string{}}
		for name, v := range d.Packages {
			e.Packages[name] = v
		}
		e.Packages["jupyterhub"] = d.JupyterHub
		in.HubImage = &e
	} else if c.Build != nil {
		in.Problems = append(in.Problems, "the hub image's Dockerfile "+c.Build.Dockerfile+" could not be read")
	}
}

// KindImage is the env.Environment kind of a hub environment read from
// an image's Dockerfile: the packages it installs, with the versions it
// pins ("" for the unpinned).
const KindImage = "dockerfile"

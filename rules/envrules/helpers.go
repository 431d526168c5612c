package envrules

import (
	"fmt"
	"path"
	"strings"

	"github.com/hubaudit/hubaudit/checks/env"
	"github.com/hubaudit/hubaudit/deploy"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/pep440"
	"github.com/hubaudit/hubaudit/rules"
)

// describe names an environment in a message: `the hub environment
// /opt/hub`, `the hub and user environment /usr` (single-user servers run
// from the hub's prefix) or `user environment "image" (users.json)`.
func describe(e *env.Environment) string {
	if e.Role == env.RoleHub && e.UserEnv != "" {
		return "the hub and user environment " + e.Path
	}
	if e.Role == env.RoleHub {
		return "the hub environment " + e.Path
	}
	return fmt.Sprintf("user environment %q (%s)", e.Name, e.Path)
}

// subject is the stable logical key of a finding about e.
func subject(e *env.Environment, what string) string {
	return "env:" + e.Key() + "/" + what
}

// version returns the installed version of a package (normalized name),
// whether it is installed, and whether its version is known.
func version(e *env.Environment, name string) (v pep440.Version, installed, known bool) {
	s, ok := e.Packages[pep440.NormalizeName(name)]
	if !ok {
		return v, false, false
	}
	v, err := pep440.Parse(s)
	return v, true, err == nil
}

// jupyterhub returns the jupyterhub version of e, when known.
func jupyterhub(e *env.Environment) (pep440.Version, bool) {
	v, _, known := version(e, "jupyterhub")
	return v, known
}

// isConda reports whether the environment is managed by conda.
func isConda(e *env.Environment) bool {
	switch e.Kind {
	case env.KindCondaList, env.KindCondaListJSON, env.KindCondaExport, env.KindCondaEnvYAML:
		return true
	case env.KindPrefix:
		_, ok := e.Packages["python"] // only conda-meta lists python itself
		return ok
	}
	return false
}

// installCmd is the command that installs specs into e (shown, never
// run); each argument is shell-quoted.
func installCmd(e *env.Environment, specs ...string) string {
	q := "'" + strings.Join(specs, "' '") + "'"
	switch {
	case e.ExternallyManaged != "" && e.Role == env.RoleHub:
		// pip refuses the distribution's prefix: the hub (and the servers
		// it starts with its PATH) move to the plan's virtualenv.
		return path.Join(deploy.ManagedVenv, "bin", "python") + " -m pip install " + q
	case e.ExternallyManaged != "":
		return "python3 -m venv " + managedUserVenv + " && " + path.Join(managedUserVenv, "bin", "python") + " -m pip install " + q + "   # then start servers from " + managedUserVenv + "/bin"
	case e.Kind == env.KindPrefix && isConda(e):
		return "conda install -p " + e.Path + " -c conda-forge " + q
	case e.Kind == env.KindPrefix:
		return path.Join(e.Path, "bin", "python") + " -m pip install " + q
	case isConda(e):
		return "conda install -c conda-forge " + q
	}
	return "python3 -m pip install " + q
}

// managedUserVenv is where a fix puts a user environment that the
// distribution manages and that is not the hub's.
const managedUserVenv = "/opt/jupyterhub-user"

// installWhere says where to run installCmd.
func installWhere(e *env.Environment) string {
	switch {
	case e.ExternallyManaged != "" && e.Role == env.RoleHub:
		return "in the virtualenv " + deploy.ManagedVenv + " the hub moves to (" + describe(e) + " is managed by the distribution: pip refuses to install there)"
	case e.ExternallyManaged != "":
		return "in a virtualenv for the single-user servers (" + describe(e) + " is managed by the distribution: pip refuses to install there)"
	}
	if e.Kind == env.KindPrefix {
		return "in " + describe(e)
	}
	return "in the image or machine that " + describe(e) + " was exported from"
}

// markerEnv is what requirement markers of e are evaluated against.
func markerEnv(e *env.Environment) env.MarkerEnv {
	return env.MarkerEnv{Python: e.Python}
}

// satisfied reports whether e satisfies requirement text such as
// "notebook<7" or a parsed requirement: installed with a version in the
// specifier (an unknown version counts as satisfying it).
func satisfied(e *env.Environment, r env.Requirement) bool {
	v, installed, known := version(e, r.Name)
	if !installed {
		return false
	}
	if !known || r.Specifier == "" {
		return true
	}
	spec, err := pep440.ParseSpecifier(r.Specifier)
	return err != nil || spec.Contains(v)
}

// judgedVersion is the JupyterHub release an environment is judged
// against: the target when there is one, else the environment's own
// jupyterhub, else the hub environment's.
func judgedVersion(p *rules.Pass, e *env.Environment) (pep440.Version, string, bool) {
	if p.Target != nil {
		return p.Target.Version, "target", true
	}
	if v, ok := jupyterhub(e); ok {
		return v, "installed", true
	}
	if hub := p.Env.Hub(); hub != nil {
		if v, ok := jupyterhub(hub); ok {
			return v, "hub", true
		}
	}
	return pep440.Version{}, "", false
}

// releaseFor is the knowledge base release describing v.
func releaseFor(k *kb.KB, v pep440.Version) (*kb.Release, bool) {
	return k.ReleaseFor(v)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func quoteList(xs []string) string {
	return strings.Join(xs, ", ")
}

package audit

import (
	"fmt"
	"strings"

	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/checks/env"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/pep440"
	"github.com/hubaudit/hubaudit/rules"
)

// hubServesUsers decides, when no user environment was given or found,
// whether the single-user servers run from the hub environment: the
// config's spawner (JupyterHub.spawner_class, else its default in the
// hub's release) is one the knowledge base lists as starting them with
// the hub's PATH (kb.SpawnerUserEnv), and no trait that would change that
// is set, except a Spawner.cmd that names a bare command, which that PATH
// finds too. It sets the hub environment's UserEnv to why, and returns a
// note for the coverage when it could not tell (empty when there is
// nothing worth saying).
func hubServesUsers(opts Options, in *rules.Input) string {
	if in.Env == nil || len(in.Env.Users()) > 0 {
		return ""
	}
	hub := in.Env.Hub()
	if hub == nil || hub.Found == env.FoundChart || !hub.Readable() {
		return ""
	}
	if in.Config == nil {
		return "no config was read to tell which spawner runs them"
	}
	v, _ := pep440.Parse(hub.Packages["jupyterhub"])
	if v.IsZero() {
		v = in.Current
	}
	if v.IsZero() {
		return ""
	}
	class, from := "", ""
	switch ch := in.Config.SpawnerClass; {
	case ch == nil:
		def, ok := in.KB.DefaultRef("JupyterHub", "spawner_class", v)
		if !ok {
			return ""
		}
		class, from = def, fmt.Sprintf("JupyterHub's default spawner_class in %s", v)
	case ch.Custom:
		return fmt.Sprintf("the spawner %s is defined in the config: where it runs servers from is unknown", ch.Class)
	case ch.Class == "":
		return fmt.Sprintf("the spawner %s could not be resolved to a class", ch.Value)
	default:
		class, from = ch.Class, fmt.Sprintf("c.JupyterHub.spawner_class at %s:%d", relPath(opts.Dir, ch.File), ch.Line)
	}
	where, unless, ok := kb.SpawnerUserEnv(class, v)
	if !ok || where != "hub-path" {
		return ""
	}
	at := kb.Versions{JupyterHub: v}
	bare := ""
	for _, u := range unless {
		declared, trait, _ := strings.Cut(u, ".")
		for _, a := range in.Config.Assignments {
			if a.Name() != trait || !(a.Class() == declared || in.KB.IsA(class, a.Class(), at)) {
				continue
			}
			if c, ok := bareCommand(a); ok && trait == "cmd" {
				bare = fmt.Sprintf(", and c.%s runs %s from it", a.Trait, c)
				continue
			}
			return fmt.Sprintf("%s starts single-user servers with the hub's PATH, but c.%s at %s:%d may run them from elsewhere", class, a.Trait, relPath(opts.Dir, a.File), a.Line)
		}
	}
	hub.UserEnv = fmt.Sprintf("%s (%s) starts single-user servers with the hub's PATH%s", class, from, bare)
	return ""
}

// bareCommand returns the command of a literal cmd assignment whose
// program is a bare name ("jupyter-labhub", not a path): it is looked up
// on the PATH the spawner passes, the hub's.
func bareCommand(a config.Assignment) (string, bool) {
	if a.Op != "=" || a.ValueKind != "literal" {
		return "", false
	}
	argv, _ := literalArgv(a)
	first := ""
	if len(argv) > 0 {
		first = argv[0]
	}
	if first == "" || strings.ContainsRune(first, '/') {
		return "", false
	}
	return first, true
}

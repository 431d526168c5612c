package deploy

import (
	"path/filepath"
	"strings"

	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/checks/env"
)

// Collected are the facts the second detection phase reads.
type Collected struct {
	Config *config.Facts
	Env    *env.Facts
	// Logs are the --log arguments as given.
	Logs []string
	// Compose is the compose file's hub service, when one was read.
	Compose *config.Compose
	// TLJHConfig is the TLJH config.yaml that was read ("" for none).
	TLJHConfig string
}

// Describe completes the deployment facts after the collectors ran: the
// kind (from Locate, else the hub prefix's kind), the hub's Python, the
// config shape and the log source.
func Describe(loc *Located, opts Options, c Collected) *Facts {
	hub := c.Env.Hub()
	f := &Facts{}
	if loc != nil {
		f.Kind, f.Title, f.From, f.Evidence, f.Root = loc.Spec.Kind, loc.Spec.Title, loc.From, loc.Evidence, loc.Root
	} else if s, ev, root := plainKind(opts, hub); s != nil {
		f.Kind, f.Title, f.From, f.Evidence, f.Root = s.Kind, s.Title, "detected", []string{ev}, root
	} else {
		f.Kind, f.Title, f.From = Unknown, "hub environment not found", "default"
	}
	if hub != nil && hub.Kind == env.KindPrefix {
		f.Python = describePython(opts, hub)
	}
	spec, _ := Lookup(f.Kind)
	f.Config = shape(c.Config, spec)
	f.Log = logSource(c.Logs, spec)
	f.Compose = c.Compose
	if c.Compose != nil {
		f.Log.Docker = c.Compose.Service
		// The hub's own address is inside the compose network: from this
		// machine it is reached through the proxy's published port.
		if hp := publishedPort(c.Compose.Ports, "8000"); hp != "" {
			f.Config.HubURL = "http://127.0.0.1:" + hp + hubPrefix(f.Config.BaseURL)
			f.Config.HubURLFrom = "the compose file publishes the proxy's port 8000 as " + hp + " (the hub's own address is inside the compose network)"
		}
		if h := c.Compose.HostPath(f.Config.dbPath); h != "" && h != f.Config.dbPath {
			f.Config.DBHostPath = h
		}
	}
	if f.Kind == TLJH {
		f.TLJH = &TLJHFacts{ConfigYAML: c.TLJHConfig}
		if hub != nil {
			f.TLJH.Release = tljhReleaseFor(hub.Packages["jupyterhub"])
		}
	}
	if spec != nil && len(spec.NotApplicable) > 0 {
		f.NotApplicable = spec.NotApplicable
	}
	if spec != nil {
		f.NewHubEnv = spec.NewHubEnv
		f.HubUpgradesDB = spec.HubUpgradesDB
	}
	return f
}

// plainKind tells the plain kinds apart by their AfterCollect probes.
func plainKind(opts Options, hub *env.Environment) (*Spec, string, string) {
	for _, s := range specs {
		for _, p := range s.Probes {
			if p.Phase() != AfterCollect {
				continue
			}
			if ev, root, ok := probe(p, opts, hub); ok {
				return s, ev, root
			}
		}
	}
	return nil, "", ""
}

// describePython says what kind of prefix the hub's is.
func describePython(opts Options, hub *env.Environment) *Python {
	py := &Python{Prefix: prefixOf(hub), Interpreter: filepath.Join(prefixOf(hub), "bin", "python")}
	if s, _, _ := plainKind(opts, hub); s != nil {
		py.Kind = s.Kind
	}
	// A virtualenv's own prefix has no marker, even when made from a
	// managed Python: only report them for the other kinds.
	if py.Kind != Venv {
		py.ExternallyManaged = externallyManaged(py.Prefix)
		py.DebPackage, _ = dpkgOwner(rootDir(opts), hub)
	}
	return py
}

// publishedPort returns the host port a compose ports: list publishes
// container port cport on ("" when none).
func publishedPort(ports []string, cport string) string {
	for _, p := range ports {
		parts := strings.Split(strings.TrimSuffix(p, "/tcp"), ":")
		if len(parts) >= 2 && parts[len(parts)-1] == cport {
			return parts[len(parts)-2]
		}
	}
	return ""
}

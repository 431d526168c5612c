package env

// Facts is what the environment collector found. It is serialized under
// facts.env in the JSON report.
type Facts struct {
	Environments []Environment `json:"environments"`
}

// Environment is one Python environment.
type Environment struct {
	// Role is "hub" or "user".
	Role string `json:"role"`
	Name string `json:"name,omitempty"`
	Path string `json:"path"`
	// Python is the interpreter version, when known.
	Python string `json:"python,omitempty"`
	// Packages maps normalized (PEP 503) names to versions.
	Packages map[string]string `json:"packages"`

	// Kind says what Path is: KindPrefix for an installed prefix, or the
	// format of an exported package list (KindPipFreeze, ...), or
	// KindMissing/KindUnknown when it could not be read.
	Kind string `json:"kind"`
	// Found says how the environment was located: "flag" (--hub-env or
	// --user-env), "path" (the jupyterhub command on PATH) or
	// "spawner-cmd" (an absolute path in c.Spawner.cmd), or FoundChart.
	Found string `json:"found,omitempty"`
	// UserEnv is set on the hub environment when single-user servers run
	// from it too, and says why: the spawner starts them with the hub's
	// PATH, or --user-env or c.Spawner.cmd named the hub's own prefix.
	// Users lists such a hub environment, so that the rules judge it once
	// for both roles.
	UserEnv string `json:"user_env,omitempty"`
	// ExternallyManaged is the PEP 668 marker (lib/python3.X/EXTERNALLY-MANAGED)
	// of an installed prefix: the distribution manages it and pip refuses
	// to install there ("" when absent or not a prefix).
	ExternallyManaged string `json:"externally_managed,omitempty"`
	// Aliases are the other ways the same environment was given (another
	// --user-env name, a symlink, a trailing slash, c.Spawner.cmd): it was
	// read once.
	Aliases []string `json:"aliases,omitempty"`
	// Requires holds, per normalized package name, the package's
	// Requires-Dist lines (known for installed prefixes and pip inspect
	// exports only).
	Requires map[string][]Requirement `json:"requires,omitempty"`
	// RequiresPython holds, per normalized package name, the package's
	// Requires-Python specifier when it declares one.
	RequiresPython map[string]string `json:"requires_python,omitempty"`
	// EntryPoints maps a jupyterhub.* entry point group to entry point
	// names and the normalized package that declares each
	// (jupyterhub.authenticators -> github -> oauthenticator).
	EntryPoints map[string]map[string]string `json:"entry_points,omitempty"`
	// Commands lists the jupyter* console scripts the environment provides
	// (from entry points and the prefix's bin directory), sorted.
	Commands []string `json:"commands,omitempty"`
	// Modules lists the top-level importable names found in the
	// prefix's site-packages (empty for exported lists), sorted.
	Modules []string `json:"modules,omitempty"`
	// ConfigurableHTTPProxy is the version of the configurable-http-proxy
	// npm package found with the environment ("" when not found).
	ConfigurableHTTPProxy string `json:"configurable_http_proxy,omitempty"`
	// ConfigurableHTTPProxyNode is the Node.js range the proxy's
	// package.json requires ("engines": {"node": ...}).
	ConfigurableHTTPProxyNode string `json:"configurable_http_proxy_node,omitempty"`
	// NodeJS is the version of the Node.js that runs the proxy, when it
	// could be read without running it; NodeJSFrom says from where.
	NodeJS     string `json:"nodejs,omitempty"`
	NodeJSFrom string `json:"nodejs_from,omitempty"`
	// SitePackages are the package directories that were read.
	SitePackages []string `json:"site_packages,omitempty"`
	// Problems are the parts of the environment that could not be read;
	// they are data for a rule, not a failure of the collector.
	Problems []Problem `json:"problems,omitempty"`
}

// Requirement is one parsed PEP 508 requirement (a Requires-Dist line).
type Requirement struct {
	// Name is the normalized (PEP 503) name of the required package.
	Name string `json:"name"`
	// Specifier is the version specifier ("" for any version).
	Specifier string `json:"specifier,omitempty"`
	// Extras are the requested extras of the required package.
	Extras []string `json:"extras,omitempty"`
	// Marker is the environment marker text after ";" ("" for none).
	Marker string `json:"marker,omitempty"`
}

// Problem is one thing the collector could not read.
type Problem struct {
	// Kind is a stable key: "missing", "not-a-directory", "unreadable",
	// "no-site-packages", "bad-metadata", "unknown-format", "empty",
	// "binary", "bad-line".
	Kind string `json:"kind"`
	// Path is the file or directory concerned.
	Path string `json:"path"`
	// Package is the normalized package name, when one is concerned.
	Package string `json:"package,omitempty"`
	// Line is the 1-based line in Path, when known.
	Line int `json:"line,omitempty"`
	// Detail is a one-line explanation.
	Detail string `json:"detail"`
}

// Environment kinds.
const (
	KindPrefix        = "prefix"
	KindPipFreeze     = "pip-freeze"
	KindRequirements  = "requirements"
	KindPipListJSON   = "pip-list-json"
	KindPipList       = "pip-list"
	KindPipInspect    = "pip-inspect"
	KindCondaList     = "conda-list"
	KindCondaListJSON = "conda-list-json"
	KindCondaExport   = "conda-export"
	KindCondaEnvYAML  = "conda-env-export"
	KindMissing       = "missing"
	KindUnknown       = "unknown"
)

// Roles of an environment.
const (
	RoleHub  = "hub"
	RoleUser = "user"
)

// Key returns "role/name" (or just the role when the environment has no
// name), the stable part of subjects such as "env:user/default/jupyterhub".
func (e *Environment) Key() string {
	if e.Name == "" {
		return e.Role
	}
	return e.Role + "/" + e.Name
}

// Hub returns the hub environment, or nil.
func (f *Facts) Hub() *Environment {
	if f == nil {
		return nil
	}
	for i := range f.Environments {
		if f.Environments[i].Role == RoleHub {
			return &f.Environments[i]
		}
	}
	return nil
}

// Users returns the user environments: those given as such, and the hub
// environment when single-user servers run from it (UserEnv).
func (f *Facts) Users() []*Environment {
	if f == nil {
		return nil
	}
	var out []*Environment
	for i := range f.Environments {
		if e := &f.Environments[i]; e.Role == RoleUser || (e.Role == RoleHub && e.UserEnv != "") {
			out = append(out, &f.Environments[i])
		}
	}
	return out
}

// Readable reports whether the environment's packages could be read at all
// (it exists and its format was recognized).
func (e *Environment) Readable() bool {
	return e.Kind != KindMissing && e.Kind != KindUnknown
}

// FoundChart marks the hub environment of a Zero to JupyterHub chart
// target: the packages its hub image pins, which run after the upgrade.
const FoundChart = "chart"

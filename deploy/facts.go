package deploy

import (
	"github.com/hubaudit/hubaudit/checks/config"
)

// Facts describe the deployment. They are serialized under
// facts.deployment in the JSON report.
type Facts struct {
	// Kind is the deployment kind; Title says it in words.
	Kind  Kind   `json:"kind"`
	Title string `json:"title"`
	// From is "flag" (--kind), "detected" or "default" (nothing matched).
	From string `json:"from"`
	// Evidence are the probes that matched ("/opt/tljh/config/config.yaml:
	// TLJH's config file").
	Evidence []string `json:"evidence,omitempty"`
	// Root is the directory the kind's Locations are relative to.
	Root string `json:"root,omitempty"`
	// Python describes the hub's Python prefix, when one was read.
	Python *Python `json:"python,omitempty"`
	// Config is the shape of the hub's config.
	Config Shape `json:"config"`
	// Log says where the hub's log came from.
	Log LogSource `json:"log"`
	// TLJH holds what TLJH's config.yaml says, for a TLJH deployment.
	TLJH *TLJHFacts `json:"tljh,omitempty"`
	// Compose describes the compose file's hub service, for a compose
	// deployment.
	Compose *config.Compose `json:"compose,omitempty"`
	// Problems are what the kind's own inputs (a compose file, its
	// Dockerfile) could not give, one line each.
	Problems []string `json:"problems,omitempty"`
	// Chart holds the chart release's plan variables (release, namespace,
	// chart version, values file, whether the hub upgrades the database
	// itself), for a Zero to JupyterHub deployment; not reported.
	Chart map[string]string `json:"-"`
	// NotApplicable are the rules the kind turns off, with the reason.
	NotApplicable map[string]string `json:"not_applicable,omitempty"`
	// NewHubEnv is the kind's Spec.NewHubEnv: why the upgraded hub runs
	// from a new environment, not the audited one ("" when it is upgraded
	// in place).
	NewHubEnv string `json:"new_hub_env,omitempty"`
	// HubUpgradesDB says why the hub upgrades the database schema itself
	// when the new release starts ("" when upgrade-db is run by hand): the
	// kind's Spec.HubUpgradesDB, or the chart's hub.db settings.
	HubUpgradesDB string `json:"hub_upgrades_db,omitempty"`
}

// Python is the hub's Python prefix and what kind of prefix it is.
type Python struct {
	Prefix string `json:"prefix"`
	// Kind is venv, conda, managed or prefix.
	Kind Kind `json:"kind"`
	// ExternallyManaged is the PEP 668 marker file found in the prefix's
	// standard library directory, if any.
	ExternallyManaged string `json:"externally_managed,omitempty"`
	// DebPackage is the Debian package that owns the prefix's jupyterhub
	// files, if any.
	DebPackage string `json:"deb_package,omitempty"`
	// Interpreter is the interpreter to run pip with (PREFIX/bin/python).
	Interpreter string `json:"interpreter,omitempty"`
}

// Shape is what the config says about how the hub listens and runs.
type Shape struct {
	// BindURL is JupyterHub.bind_url (the public, proxy URL), and
	// HubBindURL, HubIP, HubPort and BaseURL the settings that place the
	// hub itself; empty or 0 when the config leaves them at the default.
	BindURL    string `json:"bind_url,omitempty"`
	HubBindURL string `json:"hub_bind_url,omitempty"`
	HubIP      string `json:"hub_ip,omitempty"`
	HubPort    int    `json:"hub_port,omitempty"`
	BaseURL    string `json:"base_url,omitempty"`
	// HubURL is where `hubaudit post --hub-url` reaches the hub's API
	// prefix, derived from the settings above and the kind's defaults;
	// HubURLFrom says which settings decided it.
	HubURL     string `json:"hub_url"`
	HubURLFrom string `json:"hub_url_from"`
	// ProxyManaged is true when the hub starts its proxy itself.
	ProxyManaged bool   `json:"proxy_managed"`
	ProxyClass   string `json:"proxy_class"`
	// Spawner and Authenticator are the classes in use (their defaults
	// when the config sets none).
	Spawner       string `json:"spawner"`
	Authenticator string `json:"authenticator"`
	// DB says where db_url points, in words ("sqlite file
	// /opt/tljh/state/jupyterhub.sqlite", "postgresql server db:5432").
	DB string `json:"db"`
	// DBHostPath is the SQLite file's path on the audited machine when
	// the hub sees it elsewhere (a container volume).
	DBHostPath string `json:"db_host_path,omitempty"`
	// dbPath is the SQLite file as the hub sees it ("" for servers).
	dbPath string
}

// LogSource says where the hub's log was read from.
type LogSource struct {
	// Files are the --log files as given ("-" for standard input).
	Files []string `json:"files,omitempty"`
	// Journald is true when the log is the systemd journal (journalctl
	// output, short or JSON); Unit is its unit when known.
	Journald bool   `json:"journald,omitempty"`
	Unit     string `json:"unit,omitempty"`
	// Docker is the compose service whose container log it is.
	Docker string `json:"docker,omitempty"`
}

// TLJHFacts is what hubaudit read of a TLJH installation.
type TLJHFacts struct {
	// ConfigYAML is the config.yaml read ("" when there is none).
	ConfigYAML string `json:"config_yaml,omitempty"`
	// Release is the TLJH release whose JupyterHub range holds the
	// hub environment's jupyterhub, when the hub environment was read.
	Release string `json:"release,omitempty"`
}

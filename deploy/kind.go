package deploy

import (
	"fmt"
	"sort"
	"strings"
)

// Kind names how a hub is installed and run.
type Kind string

// The deployment kinds. The plain kinds say what the hub's Python prefix
// is; the others are installers and orchestrators that bring their own
// input locations and upgrade procedure.
const (
	// Venv is a virtualenv (pyvenv.cfg): pip installs into it in place.
	Venv Kind = "venv"
	// Conda is a conda environment (conda-meta).
	Conda Kind = "conda"
	// Managed is a distribution-managed Python (a PEP 668
	// EXTERNALLY-MANAGED marker, or jupyterhub owned by a Debian
	// package): pip must not install into it.
	Managed Kind = "managed"
	// Prefix is any other Python prefix (/usr/local, pip --prefix).
	Prefix Kind = "prefix"
	// Export is a hub environment known only from a package list
	// (pip freeze, conda export): where it lives is not known.
	Export Kind = "export"
	// TLJH is The Littlest JupyterHub (/opt/tljh).
	TLJH Kind = "tljh"
	// Compose is docker compose (jupyterhub/jupyterhub-deploy-docker).
	Compose Kind = "compose"
	// Z2JH is the Zero to JupyterHub Helm chart.
	Z2JH Kind = "z2jh"
	// Unknown is a deployment whose hub environment was not found.
	Unknown Kind = "unknown"
)

// Phase says when a probe can be evaluated.
type Phase int

// Probe phases.
const (
	// BeforeCollect probes look at paths only: they run before the
	// collectors so that the kind can supply input locations.
	BeforeCollect Phase = iota
	// AfterCollect probes look at the collected facts (the hub prefix).
	AfterCollect
)

// ProbeType is what a probe looks for.
type ProbeType string

// Probe types. Each has one evaluator in probes (detect.go).
const (
	// DirFile: Path (a glob) exists relative to the deployment directory.
	DirFile ProbeType = "dir-file"
	// RootFile: Path (absolute, a glob) exists on the audited machine.
	RootFile ProbeType = "root-file"
	// ConfigFile: a --config file's base name matches Path (a glob).
	ConfigFile ProbeType = "config-file"
	// ConfigYAMLKey: a --config YAML file has the top-level key Path
	// (or the key below any parent key, for charts nested in others).
	ConfigYAMLKey ProbeType = "config-yaml-key"
	// PrefixFile: Path (a glob) exists relative to the hub prefix.
	PrefixFile ProbeType = "prefix-file"
	// PrefixDpkg: the hub prefix's jupyterhub package files are listed
	// by a Debian package (/var/lib/dpkg/info/*.list).
	PrefixDpkg ProbeType = "prefix-dpkg"
	// HubExport: the hub environment is an exported package list.
	HubExport ProbeType = "hub-export"
	// HubPrefix: the hub environment is a prefix (the fallback of the
	// plain kinds).
	HubPrefix ProbeType = "hub-prefix"
	// DirYAMLKey: the YAML file Path in the deployment directory has the
	// key Key at the top or below a parent key (a values file found
	// without --config).
	DirYAMLKey ProbeType = "dir-yaml-key"
)

// Probe is one piece of evidence for a kind.
type Probe struct {
	Type ProbeType
	Path string
	// Key is the YAML key a DirYAMLKey probe looks for.
	Key string
	// Why says in words what a match shows ("TLJH's config file").
	Why string
}

// Phase returns when the probe can run.
func (p Probe) Phase() Phase {
	switch p.Type {
	case PrefixFile, PrefixDpkg, HubExport, HubPrefix:
		return AfterCollect
	}
	return BeforeCollect
}

// Locations are where a kind keeps its inputs. Paths are relative to the
// kind's root (Facts.Root: /opt/tljh for TLJH, the compose project
// directory, the deployment directory) unless absolute; globs are
// allowed. hubaudit uses them for inputs the command line and
// .hubaudit.yaml leave unset.
type Locations struct {
	// Config are the config files, in load order.
	Config []string
	// DB is the database URL or SQLite file.
	DB string
	// HubEnv and UserEnv are the environments (prefixes).
	HubEnv  string
	UserEnv []string
	// Unit is the systemd unit whose journal holds the hub's log.
	Unit string
}

// StepID names a step of the upgrade plan.
type StepID string

// The generic steps of the upgrade plan, in order (package audit builds
// them; a kind overrides some).
const (
	StepNotify    StepID = "notify"
	StepBackup    StepID = "backup"
	StepStop      StepID = "stop"
	StepPackages  StepID = "packages"
	StepConfig    StepID = "config"
	StepUpgradeDB StepID = "upgrade-db"
	StepStart     StepID = "start"
)

// Step is a kind's version of a plan step. Title, Detail and Commands
// are text/template sources rendered with Params; an empty Title or
// Detail keeps the generic one, a nil Commands keeps the generic
// commands.
type Step struct {
	// When, if set, is a template: the kind's step applies only when it
	// renders to something other than blanks (a kind's backup step for
	// one database type); otherwise the generic step stays, and an extra
	// step is left out.
	When     string
	Title    string
	Detail   string
	Commands []string
	// Omit drops the step (the kind does it otherwise: Detail of another
	// step says how).
	Omit bool
	// AppendDetail adds Detail to the generic detail instead of
	// replacing it.
	AppendDetail bool
	// HubInstall (packages step only) are the commands that install the
	// packages in the hub environment, replacing the generic command of
	// that environment; the user environments keep theirs. Nil keeps the
	// generic command, empty means none (another step installs them).
	HubInstall []string
	// UserInstall (packages step only) replaces the commands of the user
	// environments the same way.
	UserInstall []string
}

// ExtraStep is a step only this kind has, placed before the step Before.
type ExtraStep struct {
	ID     StepID
	Before StepID
	Step   Step
}

// Spec is everything hubaudit knows about one deployment kind.
type Spec struct {
	Kind  Kind
	Title string
	// Probes identify the kind; any one matching is enough. The table
	// is tried in order, so more specific kinds come first.
	Probes []Probe
	// Locations are the kind's default input locations.
	Locations Locations
	// HubPort is the port the hub listens on when the config sets none
	// (JupyterHub's default is 8081; TLJH sets 15001 in its own config).
	HubPort int
	// LogPipe, when set, is the command whose output is the hub's log
	// (the post step pipes it into hubaudit post when no --log was
	// given); nil for kinds whose log is a file or a unit's journal.
	LogPipe func(f *Facts) string
	// Steps replace or amend the generic plan steps.
	Steps map[StepID]Step
	// Extra are steps only this kind has.
	Extra []ExtraStep
	// NotApplicable lists rules that do not apply to the kind, with the
	// reason reported in their place.
	NotApplicable map[string]string
	// NewHubEnv, when set, says why the plan installs the hub into a new
	// environment instead of upgrading the audited one (a managed Python
	// is left alone and the hub moves to a virtualenv): the audited hub
	// environment's package versions do not carry over, so findings that
	// pip would have to change them (HUB306) do not apply to it.
	NewHubEnv string
	// HubUpgradesDB, when set, says why the hub runs upgrade-db itself when
	// the new release starts (TLJH's unit passes --upgrade-db), so rules do
	// not tell the admin to run it by hand.
	HubUpgradesDB string
	// Vars computes the kind's own template variables (Params.Vars):
	// the TLJH release for the target, the compose file, the chart
	// version. Nil for kinds that need none.
	Vars func(f *Facts, target string) map[string]string
	// Refresh, when set, is the command that exports an input given as
	// a file (flag is --hub-env, --user-env or --chart-version, path the
	// file) again from the upgraded deployment, for post; "" when the
	// kind does not know how (RefreshCommands then says it in words).
	Refresh func(f *Facts, flag, path string) string
	// Prepare reads what the kind adds to the inputs before the
	// collectors run (TLJH's config.yaml, a compose file), after its
	// Locations were resolved. Nil for kinds that need nothing more.
	Prepare func(l *Located, in *Inputs)
}

// specs is the table of kinds, in detection order. register adds to it
// (the z2jh engineer's kinds, or tests).
var specs []*Spec

// register adds a kind to the table. Kinds registered by init functions
// are ordered by their position in detectionOrder.
func register(s *Spec) {
	specs = append(specs, s)
	sort.SliceStable(specs, func(i, j int) bool { return orderOf(specs[i].Kind) < orderOf(specs[j].Kind) })
}

// detectionOrder is the order in which kinds are tried: orchestrators
// and installers first (they contain a prefix of one of the plain
// kinds), then the plain kinds from most to least specific.
var detectionOrder = []Kind{Z2JH, Compose, TLJH, Managed, Conda, Venv, Prefix, Export}

func orderOf(k Kind) int {
	for i, x := range detectionOrder {
		if x == k {
			return i
		}
	}
	return len(detectionOrder)
}

// Specs returns every kind, in detection order.
func Specs() []*Spec { return specs }

// Lookup returns the spec of a kind.
func Lookup(k Kind) (*Spec, bool) {
	for _, s := range specs {
		if s.Kind == k {
			return s, true
		}
	}
	return nil, false
}

// Names returns the kinds' names, in detection order (for --kind's help
// and errors).
func Names() []string {
	var out []string
	for _, s := range specs {
		out = append(out, string(s.Kind))
	}
	return out
}

// ParseKind checks a --kind value.
func ParseKind(s string) (Kind, error) {
	if _, ok := Lookup(Kind(s)); ok {
		return Kind(s), nil
	}
	return "", fmt.Errorf("unknown deployment kind %q (known: %s)", s, strings.Join(Names(), ", "))
}

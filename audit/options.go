package audit

import (
	"io"
	"time"

	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/rules"
)

// Options are the inputs and settings of one audit.
type Options struct {
	Mode rules.Mode
	// Target is what the user typed for --target ("5.5.1", "5.5",
	// "latest"); required in pre, optional in post.
	Target string
	// Dir is the deployment directory (default ".").
	Dir string
	// ConfigFiles are --config values; empty means look in Dir.
	ConfigFiles []string
	// DBURL is --db; empty means HUBAUDIT_DB_URL, the config's db_url, or
	// sqlite:///jupyterhub.sqlite in Dir.
	DBURL string
	// HubEnv and UserEnvs are --hub-env and --user-env.
	HubEnv   string
	UserEnvs []string
	// Logs are --log values ("-" is Stdin); Since is --since, already
	// parsed (logs.ParseSince); zero means none.
	Logs  []string
	Since time.Time
	Stdin io.Reader
	// Progress receives log progress bars (nil off a terminal).
	Progress io.Writer
	// BackupDirs are --backup values: `hubaudit backup` directories to
	// count for HUB205 besides those found next to the deployment.
	BackupDirs []string
	// Timeout bounds database connections and the hub probe.
	Timeout time.Duration
	// NoIntegrityCheck skips SQLite's PRAGMA quick_check (large files).
	NoIntegrityCheck bool
	// Hub probe (post): URL, API token (never printed), TLS settings.
	HubURL   string
	HubToken string
	CACert   string
	Insecure bool
	// Baseline is a snapshot written by `pre --snapshot` (post).
	Baseline string
	// Checks selects rules ("all,-HUB4*").
	Checks string
	// FailOn is the --fail-on threshold.
	FailOn rules.Severity
	// FailOnNew is --fail-on new (post --baseline): only errors new since
	// the baseline fail the run.
	FailOnNew bool
	// Getenv reads the environment (os.Getenv in the CLI).
	Getenv func(string) string
	// Rules overrides the rule set (all rules when nil).
	Rules []*rules.Rule
	// KB is the knowledge base to judge with (nil: the embedded one);
	// tests pass one without a release to learn it back from a package.
	KB *kb.KB
	// ToolVersion is hubaudit's version for the report.
	ToolVersion string
	// ChartVersion is --chart-version: the Zero to JupyterHub chart
	// release installed now, or a file of `helm list -o json` output.
	ChartVersion string
	// Kind is --kind: how the hub is installed and run ("" to detect;
	// see package deploy).
	Kind string
	// Root is the audited machine's file system root for the places
	// detection looks at outside --dir (/opt/tljh, /var/lib/dpkg); ""
	// is "/" (tests point it at a directory).
	Root string
}

// UsageError is a problem with what the user asked for (exit code 2): an
// unknown target, a named file that cannot be read, a bad flag value.
type UsageError struct {
	Msg  string
	Hint string
}

// Error returns the message.
func (e *UsageError) Error() string { return e.Msg }

func usagef(hint, format string, args ...any) *UsageError {
	return &UsageError{Msg: sprintf(format, args...), Hint: hint}
}

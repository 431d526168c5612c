package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/hubaudit/hubaudit/audit"
	"github.com/hubaudit/hubaudit/checks/hub"
	"github.com/hubaudit/hubaudit/checks/logs"
	"github.com/hubaudit/hubaudit/deploy"
	"github.com/hubaudit/hubaudit/report"
	"github.com/hubaudit/hubaudit/rules"
)

// version is hubaudit's version; release builds set it with -ldflags.
var version = "0.1.0"

// Exit codes, decided in one place (exitCode).
const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2
	exitFailed   = 3
)

// cliError carries an exit code and an optional hint to run.
type cliError struct {
	code int
	err  error
	hint string
}

func (e *cliError) Error() string { return e.err.Error() }

func usageErr(hint, format string, args ...any) error {
	return &cliError{code: exitUsage, err: fmt.Errorf(format, args...), hint: hint}
}

// env is what run needs from the process, so tests can supply their own.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	isTerminal     func(io.Writer) bool
	// termWidth is the width of the terminal a writer is (0 when it is
	// none); nil means none is.
	termWidth func(io.Writer) int
	// audit runs one audit (audit.Run; tests count the calls).
	audit func(context.Context, audit.Options) (*audit.Outcome, error)
	// code is the exit code a successful command asks for (1 when
	// findings reach --fail-on).
	code int
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv, isTerminal: isTerminal, termWidth: termWidth}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return e.run(ctx, args)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func (e *env) run(ctx context.Context, args []string) int {
	root := e.rootCmd()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return e.code
	}
	var ce *cliError
	if !errors.As(err, &ce) {
		var ue *audit.UsageError
		if errors.As(err, &ue) {
			ce = &cliError{code: exitUsage, err: errors.New(ue.Msg), hint: ue.Hint}
		} else if isFlagError(err) {
			ce = &cliError{code: exitUsage, err: err, hint: "run 'hubaudit --help' for usage"}
		} else {
			ce = &cliError{code: exitFailed, err: err}
		}
	}
	fmt.Fprintf(e.stderr, "hubaudit: error: %v\n", ce.err)
	if ce.hint != "" {
		fmt.Fprintf(e.stderr, "hint: %s\n", ce.hint)
	}
	return ce.code
}

// isFlagError recognises cobra's and pflag's argument errors.
func isFlagError(err error) bool {
	s := err.Error()
	for _, p := range []string{"unknown flag", "unknown shorthand", "flag needs an argument", "invalid argument", "unknown command", "accepts ", "requires at least", "bad flag", "required flag"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

func (e *env) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "hubaudit",
		Short: "Audit a JupyterHub deployment before and after an upgrade",
		Long: `hubaudit checks a JupyterHub deployment before and after an upgrade: the
config file, the hub database, the hub and user Python environments and the
logs, judged against exact knowledge of every JupyterHub release. It never
changes what it audits.

  hubaudit pre --target 5.5.1   is this deployment ready, and in what order
                                to upgrade?
  hubaudit post --baseline F    did the upgrade work, and was nothing lost?

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it,
2 usage or input error, 3 the audit could not run.`,
		SilenceErrors: true,
		SilenceUsage:  true,
		Version:       version,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &cliError{code: exitUsage, err: err, hint: fmt.Sprintf("run 'hubaudit %s --help' for usage", c.Name())}
	})
	root.SetVersionTemplate("hubaudit {{.Version}}\n")
	setHelp(root)
	root.AddCommand(e.auditCmd(rules.ModePre), e.auditCmd(rules.ModePost), e.rulesCmd(), e.explainCmd(),
		e.versionsCmd(), e.versionCmd(), e.fixConfigCmd(), e.backupCmd())
	// cobra's completion command: hubaudit completion bash|zsh|fish|powershell,
	// added here rather than when the command runs, so that the man pages
	// (generated from this tree) have it too.
	// The script is written where root's output goes when it is made.
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.CompletionOptions.HiddenDefaultCmd = false
	root.InitDefaultCompletionCmd()
	return root
}

// auditFlags are the flags of pre and post.
type auditFlags struct {
	target, dir, db, hubEnv, since, format, failOn, checks, snapshot string
	baseline, hubURL, tokenFile, caCert, chartVersion, kind          string
	junitWarnings                                                    string
	insecure, noColor, noIntegrity                                   bool
	config, userEnv, logs, outputs, backups                          []string
	timeout                                                          time.Duration
}

func addInputFlags(c *cobra.Command, f *auditFlags) {
	fl := c.Flags()
	fl.StringVar(&f.dir, "dir", ".", "deployment `DIR` (where jupyterhub_config.py and the default sqlite file are)")
	fl.StringArrayVar(&f.config, "config", nil, "config `FILE`: jupyterhub_config.py, a jupyterhub_config.d folder or a Zero to JupyterHub values.yaml (repeatable)")
	fl.StringVar(&f.db, "db", "", "database `URL` as JupyterHub writes it (default: $HUBAUDIT_DB_URL, the config's db_url, sqlite:///jupyterhub.sqlite in --dir)")
	fl.StringVar(&f.kind, "kind", "", "how the hub is installed and run: `KIND` is "+strings.Join(deploy.Names(), ", ")+" (default: detected from the inputs)")
	fl.StringVar(&f.hubEnv, "hub-env", "", "hub Python environment `PATH`: a prefix (venv, conda) or an exported package list (default: the jupyterhub on $PATH)")
	fl.StringArrayVar(&f.userEnv, "user-env", nil, "user environment `[NAME=]PATH`, a prefix or package list (repeatable)")
	fl.StringArrayVar(&f.backups, "backup", nil, "a `DIR` written by hubaudit backup, besides those found in --dir and next to the database (repeatable)")
	fl.StringArrayVar(&f.logs, "log", nil, "hub log `FILE` (repeatable; - for stdin; .gz and rotated files too)")
	fl.StringVar(&f.since, "since", "", "only log lines after `TIME` (RFC 3339, a date, or a duration such as 24h)")
	fl.DurationVar(&f.timeout, "timeout", 5*time.Second, "database connection and hub probe timeout")
	fl.BoolVar(&f.noIntegrity, "no-integrity-check", false, "skip SQLite's PRAGMA quick_check (it reads the whole file)")
}

func addOutputFlags(c *cobra.Command, f *auditFlags) {
	fl := c.Flags()
	fl.StringVar(&f.format, "format", "", "stdout's `FORMAT`: table, json, junit, sarif, markdown, codeclimate (GitLab Code Quality); default table")
	fl.StringArrayVarP(&f.outputs, "output", "o", nil, "also write a report to a file: `FORMAT=FILE` (repeatable; FILE - is stdout); a bare FILE replaces stdout, in --format or the format of its extension")
	fl.StringVar(&f.failOn, "fail-on", "error", "exit 1 when a finding is at or above `LEVEL`: error, warning, note, never (post --baseline: new, only errors new since the baseline); an incomplete verdict exits 1 too, except with never")
	fl.StringVar(&f.junitWarnings, "junit-warnings", report.JUnitOutput, "JUnit: findings below --fail-on as `MODE` output (system-out, passing) or failure (GitLab shows only failures)")
	fl.StringVar(&f.checks, "checks", "", "select rules: `LIST` of IDs, names or globs, comma-separated, - to exclude (e.g. all,-HUB4*)")
	fl.BoolVar(&f.noColor, "no-color", false, "no colours in the table, even on a terminal")
}

func (e *env) auditCmd(mode rules.Mode) *cobra.Command {
	f := &auditFlags{}
	c := &cobra.Command{Args: cobra.NoArgs}
	switch mode {
	case rules.ModePre:
		c.Use = "pre --target VERSION"
		c.Short = "Is this deployment ready to upgrade? What breaks, what to change first, in what order"
	default:
		c.Use = "post"
		c.Short = "Did the upgrade work, and was nothing lost?"
	}
	targetHelp := "JupyterHub `VERSION` to upgrade to: 5.5.1, 5.5 (newest of the line) or latest; chart:4.4.0 for a Zero to JupyterHub chart release"
	if mode == rules.ModePost {
		targetHelp = "JupyterHub `VERSION` that should now be installed and running (5.5.1, 5.5 or latest)"
	}
	c.Flags().StringVar(&f.target, "target", "", targetHelp)
	c.Flags().StringVar(&f.chartVersion, "chart-version", "", "the Zero to JupyterHub chart `VERSION` installed now, or a FILE of `helm list -o json` output (default: the hub image that helm get values --all output names)")
	addInputFlags(c, f)
	if mode == rules.ModePre {
		c.Flags().StringVar(&f.snapshot, "snapshot", "", "also write the collected facts and findings to `FILE` for post --baseline")
	} else {
		c.Flags().StringVar(&f.baseline, "baseline", "", "snapshot `FILE` written by pre --snapshot: report what changed and what was lost")
		c.Flags().StringVar(&f.hubURL, "hub-url", "", "probe the running hub at `URL` (e.g. http://127.0.0.1:8081/hub/)")
		c.Flags().StringVar(&f.tokenFile, "api-token-file", "", "read the hub API token from `FILE` (default: $JUPYTERHUB_API_TOKEN)")
		c.Flags().StringVar(&f.caCert, "ca-cert", "", "trust the PEM certificates in `FILE` for --hub-url")
		c.Flags().BoolVar(&f.insecure, "insecure", false, "do not verify the hub's TLS certificate")
	}
	addOutputFlags(c, f)
	completeAuditFlags(c)
	c.RunE = func(cmd *cobra.Command, _ []string) error { return e.runAudit(cmd.Context(), mode, f) }
	return c
}

func (e *env) runAudit(ctx context.Context, mode rules.Mode, f *auditFlags) error {
	failOn, failOnNew, err := parseFailOn(f.failOn, mode, f.baseline)
	if err != nil {
		return err
	}
	outs, err := planOutputs(f.format, f.outputs, f.snapshot)
	if err != nil {
		return err
	}
	if !slices.Contains(report.JUnitModes, f.junitWarnings) {
		return usageErr("modes: "+strings.Join(report.JUnitModes, ", "), "unknown --junit-warnings %q", f.junitWarnings)
	}
	if f.timeout <= 0 {
		return usageErr("", "--timeout %s: must be positive (e.g. 5s)", f.timeout)
	}
	if f.hubURL != "" {
		if err := hub.CheckURL(f.hubURL); err != nil {
			return usageErr("", "--hub-url: %v", err)
		}
	}
	var since time.Time
	if f.since != "" {
		var err error
		if since, err = logs.ParseSince(f.since, time.Now()); err != nil {
			return usageErr("", "--since: %s", strings.TrimPrefix(err.Error(), "since: "))
		}
	}
	opts := audit.Options{
		Mode: mode, Target: f.target, Dir: f.dir, ConfigFiles: f.config, DBURL: f.db,
		HubEnv: f.hubEnv, UserEnvs: f.userEnv, Logs: f.logs, Since: since, Stdin: e.stdin,
		Timeout: f.timeout, NoIntegrityCheck: f.noIntegrity, HubURL: f.hubURL, CACert: f.caCert, Insecure: f.insecure,
		Baseline: f.baseline, Checks: f.checks, FailOn: failOn, FailOnNew: failOnNew, Getenv: e.getenv, ToolVersion: version, Kind: f.kind,
		ChartVersion: f.chartVersion, BackupDirs: f.backups,
	}
	if e.isTerminal(e.stderr) {
		opts.Progress = e.stderr
	}
	if f.hubURL != "" {
		tok, err := e.apiToken(f.tokenFile)
		if err != nil {
			return err
		}
		opts.HubToken = tok
		if f.insecure {
			fmt.Fprintln(e.stderr, "hubaudit: warning: --insecure: the hub's TLS certificate is not verified")
		}
	}
	run := e.audit
	if run == nil {
		run = audit.Run
	}
	out, err := run(ctx, opts)
	if err != nil {
		return err
	}
	if f.snapshot != "" {
		if err := writeFileAtomic(f.snapshot, func(w io.Writer) error { return snapshotWrite(w, out) }); err != nil {
			return &cliError{code: exitFailed, err: fmt.Errorf("--snapshot: %v", err)}
		}
	}
	if err := e.writeReports(out.Report, outs, f.noColor, f.junitWarnings, f.dir); err != nil {
		return err
	}
	e.code = exitCode(out.Report)
	return nil
}

// writeReports writes one audit's report to every output: the files
// first, each atomically, then stdout. A file that fails does not stop
// the others: every failure but the last is printed here, the last is
// returned (exit 3).
func (e *env) writeReports(r *report.Report, outs []output, noColor bool, junitWarnings, dir string) error {
	var failed error
	fail := func(err error) {
		if failed != nil {
			fmt.Fprintf(e.stderr, "hubaudit: error: %v\n", failed)
		}
		failed = &cliError{code: exitFailed, err: err}
	}
	for _, o := range outs {
		if o.stdout() {
			continue
		}
		opts := report.Options{Width: e.width(nil), JUnitWarnings: junitWarnings, Dir: dir}
		if err := writeFileAtomic(o.path, func(w io.Writer) error { return report.Write(w, r, o.format, opts) }); err != nil {
			fail(fmt.Errorf("%s: %v", o.flag, err))
		}
	}
	for _, o := range outs {
		if !o.stdout() {
			continue
		}
		color := e.isTerminal(e.stdout) && !noColor && e.getenv("NO_COLOR") == ""
		opts := report.Options{Color: color, Width: e.width(e.stdout), JUnitWarnings: junitWarnings, Dir: dir}
		if err := report.Write(e.stdout, r, o.format, opts); err != nil {
			fail(err)
		}
	}
	return failed
}

// exitCode is the one place that decides 0 or 1 from the final report:
// findings at or above --fail-on, or an incomplete verdict.
func exitCode(r *report.Report) int {
	if r.Fails() {
		return exitFindings
	}
	return exitOK
}

// parseFailOn reads --fail-on: a severity, never, or (post --baseline)
// new, which fails only on errors that are new since the baseline.
func parseFailOn(s string, mode rules.Mode, baseline string) (rules.Severity, bool, error) {
	if s == "new" {
		if mode != rules.ModePost || baseline == "" {
			return 0, false, usageErr("for example: hubaudit post --baseline pre.json --fail-on new", "--fail-on new compares with a baseline: it needs post --baseline FILE")
		}
		return rules.Error, true, nil
	}
	sev, err := rules.ParseSeverity(s)
	if err != nil {
		return 0, false, usageErr("levels: error, warning, note, never; post --baseline also takes new", "--fail-on: %v", err)
	}
	return sev, false, nil
}

// apiToken reads the hub API token from a file or the environment; it is
// never taken from a flag value (shell history) and never printed.
func (e *env) apiToken(file string) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", usageErr("", "--api-token-file: cannot read %s", file)
		}
		return strings.TrimSpace(string(b)), nil
	}
	return strings.TrimSpace(e.getenv("JUPYTERHUB_API_TOKEN")), nil
}

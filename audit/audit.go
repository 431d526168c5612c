package audit

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hubaudit/hubaudit/checks"
	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/checks/db"
	"github.com/hubaudit/hubaudit/deploy"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/pep440"
	"github.com/hubaudit/hubaudit/report"
	"github.com/hubaudit/hubaudit/rules"
	"github.com/hubaudit/hubaudit/rules/all"
	"github.com/hubaudit/hubaudit/snapshot"
)

var sprintf = fmt.Sprintf

// Outcome is what an audit produced: the report, and what the snapshot
// that `pre --snapshot` writes is made of.
type Outcome struct {
	Report *report.Report
	col    collected
}

// Snapshot returns the snapshot of the audit: the report and the config
// texts with their secrets redacted (redacted now: most runs write no
// snapshot).
func (o *Outcome) Snapshot() *snapshot.Snapshot {
	return &snapshot.Snapshot{Report: o.Report, ConfigTexts: o.col.redactedTexts()}
}

// Run performs one audit. Errors are *UsageError (exit 2) or something
// that stopped the audit as a whole (exit 3); problems with one input
// become findings instead.
func Run(ctx context.Context, opts Options) (*Outcome, error) {
	// Load the knowledge base and, independently, its trait catalog in the
	// background while the inputs are checked and the config is parsed.
	kbDone, traitsDone := make(chan error, 1), make(chan error, 1)
	go func() {
		_, err := kb.Load()
		kbDone <- err
	}()
	go func() { traitsDone <- kb.PreloadTraits() }()
	if opts.Getenv == nil {
		opts.Getenv = func(string) string { return "" }
	}
	if opts.Dir == "" {
		opts.Dir = "."
	}
	if st, err := os.Stat(opts.Dir); err != nil || !st.IsDir() {
		return nil, usagef("--dir names the deployment directory (where jupyterhub_config.py is)", "--dir %s: not a readable directory", opts.Dir)
	}
	cfg, err := loadProjectConfig(opts.Dir)
	if err != nil {
		return nil, err
	}
	// The inputs as given, before .hubaudit.yaml and the kind add theirs:
	// what the hubaudit commands of the plan repeat.
	given := givenInputs(opts)
	applyInputs(&opts, cfg.Inputs)
	if err := CheckInputs(opts); err != nil {
		return nil, err
	}
	checksExpr := opts.Checks
	if checksExpr == "" {
		checksExpr = cfg.Checks
	}
	ruleSet := opts.Rules
	if ruleSet == nil {
		ruleSet = all.Rules()
	}
	selected, err := rules.Select(ruleSet, checksExpr)
	if err != nil {
		return nil, usagef("see `hubaudit rules` for the IDs and names", "%v", err)
	}
	dep, err := locateDeployment(&opts)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	logsRun := startLogs(ctx, opts)
	// An early return (a usage error) stops the log scan at its next
	// block. It does not wait for it: a scan of a stdin that never ends
	// would hold the error back.
	defer cancel()
	// A TLJH config.yaml is read as the configurer of the TLJH release
	// that will run it, which in pre depends on the target: that config
	// is read once the target is known.
	var cf *config.Facts
	var cfErr error
	cfOpts := config.Options{Dir: opts.Dir, Files: opts.ConfigFiles, Environ: dep.in.Environ}
	tljh := dep.loc != nil && dep.loc.Spec.Kind == deploy.TLJH
	if !tljh {
		cf, cfErr = config.Collect(cfOpts)
	}

	if err := <-kbDone; err != nil {
		return nil, fmt.Errorf("knowledge base: %w", err)
	}
	k := kb.MustLoad()
	if opts.KB != nil {
		k = opts.KB
	}
	in := &rules.Input{Mode: opts.Mode, KB: k, Extra: map[string]any{}, States: map[rules.Source]rules.SourceState{}}
	var targetChart *kb.Chart
	var snap *Snapshot
	if opts.Baseline != "" {
		s, err := ReadSnapshot(opts.Baseline)
		if err != nil {
			return nil, usagef("write one with `hubaudit pre --target V --snapshot FILE`", "--baseline: %v", err)
		}
		snap = s
		in.Extra[ExtraBaseline] = snap
		// post verifies the upgrade the baseline planned.
		if opts.Target == "" && snap.Report.TargetVersion != nil {
			opts.Target = *snap.Report.TargetVersion
		}
	}
	if opts.Target != "" {
		nk, t, ch, err := resolveTarget(k, opts.Target)
		if err != nil {
			return nil, err
		}
		k, in.KB, in.Target, targetChart = nk, nk, t, ch
	} else if opts.Mode == rules.ModePre {
		return nil, usagef("for example: hubaudit pre --target "+k.Latest().Version.String(), "pre needs --target VERSION")
	}
	if tljh {
		cfOpts.TLJHRelease, cfOpts.TLJHReleaseFrom = tljhConfigRelease(opts, dep, in.Target)
		cf, cfErr = config.Collect(cfOpts)
	}
	col := collect(ctx, opts, k, in, cf, cfErr, logsRun, dep)
	col.given = given
	if err := <-traitsDone; err != nil {
		return nil, fmt.Errorf("knowledge base: %w", err)
	}
	in.Deployment = dep.describe(opts, in)
	learnHubRelease(in)
	detectCurrent(in)
	curChart, curChartFrom, helmRel, err := currentChart(opts, cf)
	if err != nil {
		return nil, err
	}
	applyCharts(in, curChart, curChartFrom, helmRel, targetChart, col.localSQLite())
	userEnvNote := hubServesUsers(opts, in)

	ropts := rules.Options{Severities: cfg.Severities, Suppressions: append(cfg.Suppressions, col.suppressions...)}
	res := rules.Run(selected, in, ropts)

	rep := &report.Report{
		SchemaVersion: report.SchemaVersion,
		Tool:          report.Tool{Name: "hubaudit", Version: opts.ToolVersion},
		Mode:          string(opts.Mode),
		Findings:      res.Findings,
		Skipped:       res.Skipped,
		Suppressed:    res.Suppressed,
		Rules:         selected,
		FailOn:        opts.FailOn,
		Facts: report.Facts{
			Config: in.Config, DB: in.DB, Env: in.Env, Logs: in.Logs, Sources: in.States, Deployment: in.Deployment,
		},
		Knowledge: knowledge(in),
	}
	if h, ok := in.Extra[ExtraHub]; ok {
		rep.Facts.Hub = h
	}
	if !in.Current.IsZero() {
		s := in.Current.String()
		rep.CurrentVersion = &s
		rep.CurrentFrom = in.CurrentFrom
	}
	if in.Target != nil {
		s := in.Target.Version.String()
		rep.TargetVersion = &s
	}
	rep.Coverage = coverage(opts, in, userEnvNote)
	rep.Missing = missing(opts, in, rep.Coverage)
	rep.FailOnNew = opts.FailOnNew
	if opts.Mode == rules.ModePre {
		if in.Target != nil {
			rep.Plan = BuildPlan(in, res.Findings, col)
		}
	} else if snap != nil {
		rep.Comparison = Compare(snap, in, res, col)
	}
	rep.Verdict = verdict(opts.Mode, rep)
	rep.Summary = rules.Summarize(rep.Findings)
	return &Outcome{Report: rep, col: col}, nil
}

// CheckInputs refuses named inputs that cannot be read (exit 2), for
// every flag that names one: a file or folder that is missing or
// unreadable, a glob that matches nothing, a malformed --db URL.
func CheckInputs(opts Options) error {
	// check opens path, which the flag named as value.
	check := func(flag, value, p string) error {
		if p == "" || p == "-" {
			return nil
		}
		if strings.ContainsAny(p, "*?[") {
			// A glob, expanded by the collector: it must match.
			if m, err := filepath.Glob(p); err != nil || len(m) == 0 {
				return usagef("", "%s %s: matches no file", flag, value)
			}
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return usagef("", "%s %s: %v", flag, value, unwrapPath(err))
		}
		f.Close()
		return nil
	}
	named := []struct {
		flag  string
		paths []string
	}{
		{"--config", opts.ConfigFiles}, {"--log", opts.Logs}, {"--baseline", []string{opts.Baseline}},
		{"--ca-cert", []string{opts.CACert}}, {"--hub-env", []string{opts.HubEnv}},
		{"--backup", opts.BackupDirs},
	}
	// A chart version never has a slash or a file name's extension: such
	// a value names a file of helm list output.
	if s := strings.TrimSpace(opts.ChartVersion); strings.ContainsRune(s, '/') || strings.HasSuffix(s, ".json") {
		named = append(named, struct {
			flag  string
			paths []string
		}{"--chart-version", []string{s}})
	}
	for _, n := range named {
		for _, p := range n.paths {
			if err := check(n.flag, p, p); err != nil {
				return err
			}
		}
	}
	for _, spec := range opts.UserEnvs {
		// NAME=PATH, unless the whole value is a path.
		p := spec
		if _, err := os.Lstat(spec); err != nil {
			if _, path, ok := strings.Cut(spec, "="); ok {
				p = path
			}
		}
		if err := check("--user-env", spec, p); err != nil {
			return err
		}
	}
	return checkDBURL(opts)
}

// checkDBURL refuses a --db (or $HUBAUDIT_DB_URL) that is malformed or
// names a SQLite file that does not exist. A server that cannot be reached
// is the collector's to report.
func checkDBURL(opts Options) error {
	flag, raw := "--db", opts.DBURL
	if raw == "" {
		flag, raw = "HUBAUDIT_DB_URL", opts.Getenv("HUBAUDIT_DB_URL")
	}
	if strings.TrimSpace(raw) == "" {
		return nil
	}
	u, err := db.ParseURL(raw)
	if err != nil {
		return usagef("for example: sqlite:///jupyterhub.sqlite or postgresql://hub@db.example.org/jupyterhub", "%s: %v", flag, err)
	}
	if u.Dialect != "sqlite" {
		return nil
	}
	p := u.SQLitePath(opts.Dir)
	if p == "" {
		return nil
	}
	f, err := os.Open(p)
	if err != nil {
		hint := ""
		if !filepath.IsAbs(u.Database) {
			hint = "a relative sqlite path is relative to --dir: " + p
		}
		return usagef(hint, "%s %s: %v", flag, u, unwrapPath(err))
	}
	f.Close()
	return nil
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// sourceState turns a collector's error into a source state.
func sourceState(err error) rules.SourceState {
	if err == nil {
		return rules.SourceState{Status: "ok"}
	}
	var ab *checks.AbsentError
	if errors.As(err, &ab) {
		return rules.SourceState{Status: "absent", Reason: ab.Reason}
	}
	return rules.SourceState{Status: "failed", Reason: oneLine(err.Error())}
}

// oneLine folds a multi-line error (drivers list every address they
// tried) into one line.
func oneLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return strings.Join(lines, " ")
}

// detectCurrent sets the running version: the hub environment's jupyterhub,
// else the releases whose head the database is at, else the logs.
func detectCurrent(in *rules.Input) {
	if in.Env != nil {
		for _, e := range in.Env.Environments {
			if e.Role != "hub" {
				continue
			}
			if v, err := pep440.Parse(e.Packages["jupyterhub"]); err == nil {
				in.Current = v
				in.CurrentFrom = "hub environment " + e.Path
				return
			}
		}
	}
	if in.DB != nil && in.DB.Revision != "" {
		rels := in.KB.ReleasesWithHead(in.DB.Revision)
		var final []*kb.Release
		for _, r := range rels {
			if !r.Prerelease {
				final = append(final, r)
			}
		}
		if len(final) == 0 {
			final = rels
		}
		if len(final) > 0 {
			in.Current = final[len(final)-1].Version
			if len(final) == 1 {
				in.CurrentFrom = fmt.Sprintf("database revision %s", in.DB.Revision)
			} else {
				in.CurrentFrom = fmt.Sprintf("database revision %s, one of %s to %s", in.DB.Revision, final[0].Version, final[len(final)-1].Version)
			}
			return
		}
	}
	if in.Logs != nil && in.Logs.HubVersion != "" {
		if v, err := pep440.Parse(in.Logs.HubVersion); err == nil {
			in.Current = v
			in.CurrentFrom = "logs"
		}
	}
}

// relPath shortens p relative to dir for display when it is inside it.
func relPath(dir, p string) string {
	if r, err := filepath.Rel(dir, p); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return p
}

// applyInputs fills inputs not given on the command line from
// .hubaudit.yaml, resolving its paths against the deployment directory.
func applyInputs(opts *Options, in yamlInputs) {
	abs := func(p string) string {
		if p == "" || p == "-" || filepath.IsAbs(p) || strings.Contains(p, "://") {
			return p
		}
		return filepath.Join(opts.Dir, p)
	}
	absAll := func(ps []string) []string {
		var out []string
		for _, p := range ps {
			if name, path, ok := strings.Cut(p, "="); ok && !strings.ContainsAny(name, "/\\") {
				out = append(out, name+"="+abs(path))
				continue
			}
			out = append(out, abs(p))
		}
		return out
	}
	if len(opts.ConfigFiles) == 0 {
		opts.ConfigFiles = absAll(in.Config)
	}
	if opts.DBURL == "" && in.DB != "" {
		opts.DBURL = in.DB
		if !strings.Contains(in.DB, "://") {
			opts.DBURL = abs(in.DB)
		} else if rest, ok := strings.CutPrefix(in.DB, "sqlite:///"); ok && !strings.HasPrefix(rest, "/") {
			opts.DBURL = "sqlite:///" + abs(rest)
		}
	}
	if opts.HubEnv == "" {
		opts.HubEnv = abs(in.HubEnv)
	}
	if len(opts.UserEnvs) == 0 {
		opts.UserEnvs = absAll(in.UserEnv)
	}
	if len(opts.Logs) == 0 {
		opts.Logs = absAll(in.Log)
	}
}

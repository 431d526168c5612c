package audit

import (
	"context"
	"os"
	"time"

	"github.com/hubaudit/hubaudit/checks"
	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/checks/db"
	"github.com/hubaudit/hubaudit/checks/env"
	"github.com/hubaudit/hubaudit/checks/hub"
	"github.com/hubaudit/hubaudit/checks/logs"
	"github.com/hubaudit/hubaudit/rules"
	"github.com/hubaudit/hubaudit/rules/configrules"
	"github.com/hubaudit/hubaudit/rules/kb"
	"github.com/hubaudit/hubaudit/rules/planrules"
	"github.com/hubaudit/hubaudit/snapshot"
)

// Keys of rules.Input.Extra (shared with the HUB5xx rules).
const (
	ExtraBaseline = planrules.ExtraBaseline
	ExtraHub      = planrules.ExtraHub
)

// Snapshot is the baseline file format (see package snapshot).
type Snapshot = snapshot.Snapshot

// ReadSnapshot reads a baseline snapshot.
func ReadSnapshot(path string) (*Snapshot, error) { return snapshot.Read(path) }

// collected is what the collectors produced besides the facts in Input.
type collected struct {
	suppressions []rules.Suppression
	// configTexts are the config files' texts, secrets redacted.
	configTexts map[string]string
	dbOpts      db.Options
}

// collect runs every collector; each failure is recorded in in.States and
// the run goes on.
func collect(ctx context.Context, opts Options, k *kb.KB, in *rules.Input) collected {
	col := collected{configTexts: map[string]string{}}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = 5 * time.Second
	}

	cf, err := config.Collect(config.Options{Dir: opts.Dir, Files: opts.ConfigFiles})
	in.States[rules.SourceConfig] = sourceState(err)
	if err == nil {
		in.Config = cf
		col.suppressions = configrules.Suppressions(cf)
		for _, f := range cf.Files {
			if b, err := os.ReadFile(f); err == nil {
				col.configTexts[relPath(opts.Dir, f)] = snapshot.RedactConfig(string(b))
			}
		}
	}

	url := opts.DBURL
	if url == "" {
		url = opts.Getenv("HUBAUDIT_DB_URL")
	}
	if url == "" && cf != nil {
		url = configDBURL(cf, opts.Getenv)
	}
	col.dbOpts = db.Options{URL: url, Dir: opts.Dir, Timeout: timeout, KB: k, ConfigUsers: configUsers(cf)}
	df, err := db.Collect(ctx, col.dbOpts)
	in.States[rules.SourceDB] = sourceState(err)
	if err == nil {
		in.DB = df
	}

	ef, err := env.Collect(env.Options{Hub: opts.HubEnv, Users: opts.UserEnvs, SpawnerCmd: spawnerCmd(cf), PathEnv: opts.Getenv("PATH")})
	in.States[rules.SourceEnv] = sourceState(err)
	if err == nil {
		in.Env = ef
	}

	var lf *logs.Facts
	if len(opts.Logs) == 0 {
		err = checks.Absent("no --log given")
	} else {
		lo := logs.Options{Paths: opts.Logs, Stdin: opts.Stdin, Progress: opts.Progress, KB: k,
			SinceLastStart: opts.Mode == rules.ModePost && opts.Since == ""}
		if opts.Since != "" {
			lo.Since, err = logs.ParseSince(opts.Since, time.Now())
		}
		if err == nil {
			lf, err = logs.Collect(ctx, lo)
		}
	}
	in.States[rules.SourceLogs] = sourceState(err)
	if err == nil {
		in.Logs = lf
	}

	if opts.HubURL != "" {
		hf, err := hub.Collect(ctx, hub.Options{URL: opts.HubURL, Token: opts.HubToken, CACert: opts.CACert, Insecure: opts.Insecure, Timeout: timeout})
		if hf != nil {
			in.Extra[ExtraHub] = hf
		} else if err != nil {
			in.Extra[ExtraHub] = &hub.Facts{URL: opts.HubURL, Errors: []string{err.Error()}}
		}
	}
	return col
}

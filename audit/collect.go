package audit

import (
	"context"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/hubaudit/hubaudit/checks"
	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/checks/db"
	"github.com/hubaudit/hubaudit/checks/env"
	"github.com/hubaudit/hubaudit/checks/hub"
	"github.com/hubaudit/hubaudit/checks/logs"
	"github.com/hubaudit/hubaudit/deploy"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/rules"
	"github.com/hubaudit/hubaudit/rules/configrules"
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
	// configTexts are the config files' texts as read, secrets included:
	// redactedTexts is what leaves the process.
	configTexts map[string]string
	dbOpts      db.Options
	// given are the inputs the audit was given, for the plan's hubaudit
	// commands.
	given deploy.Given
}

// logsJob is the log collector running in the background.
type logsJob struct {
	done  chan struct{}
	facts *logs.Facts
	err   error
}

// wait returns what the log collector returned, once it has.
func (j *logsJob) wait() (*logs.Facts, error) {
	<-j.done
	return j.facts, j.err
}

// startLogs runs the log collector in the background. It needs nothing but
// the knowledge base, and it is the longest collector on a large log, so
// it starts before the config is parsed rather than after.
func startLogs(ctx context.Context, opts Options) *logsJob {
	j := &logsJob{done: make(chan struct{})}
	go func() {
		defer close(j.done)
		if len(opts.Logs) == 0 {
			j.err = checks.Absent("no --log given")
			return
		}
		k, err := kb.Load()
		if err != nil {
			j.err = err
			return
		}
		lo := logs.Options{Paths: opts.Logs, Stdin: opts.Stdin, Progress: opts.Progress, KB: k, Since: opts.Since,
			SinceLastStart: opts.Mode == rules.ModePost && opts.Since.IsZero()}
		j.facts, j.err = logs.Collect(ctx, lo)
	}()
	return j
}

// redactedTexts returns the config texts with their secret values
// replaced, for snapshots and the baseline's config diff.
func (c collected) redactedTexts() map[string]string {
	out := make(map[string]string, len(c.configTexts))
	for name, text := range c.configTexts {
		out[name] = snapshot.RedactConfig(text)
	}
	return out
}

// collect records the config facts (parsed while the knowledge base
// loaded) and runs the other collectors; each failure is recorded in
// in.States and the run goes on.
func collect(ctx context.Context, opts Options, k *kb.KB, in *rules.Input, cf *config.Facts, cfErr error, logsRun *logsJob, dep *deployment) collected {
	col := collected{configTexts: map[string]string{}}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = 5 * time.Second
	}

	in.States[rules.SourceConfig] = sourceState(cfErr)
	if cfErr == nil {
		in.Config = cf
		col.suppressions = configrules.Suppressions(cf)
		for _, f := range cf.Files {
			if b, err := os.ReadFile(f); err == nil {
				col.configTexts[relPath(opts.Dir, f)] = string(b)
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
	if opts.DBURL == "" {
		url = dep.dbURL(url)
	}
	dbUncertain := url == "" && cf != nil && len(cf.DBURLConditional) > 0
	col.dbOpts = db.Options{URL: url, Dir: opts.Dir, Timeout: timeout, KB: k, ConfigUsers: configUsers(cf), SkipIntegrityCheck: opts.NoIntegrityCheck, BackupDirs: opts.BackupDirs,
		// KubeSpawner names objects and folders after users and servers
		// (HUB520 computes them).
		ServerNames: cf != nil && cf.SpawnerClass != nil && cf.SpawnerClass.Class == "KubeSpawner"}

	// The other collectors are independent of each other: run them at
	// once (the database may wait on a server, the environments on the
	// disk), next to the log scan that runs since before the config was
	// parsed.
	var (
		wg                    sync.WaitGroup
		df                    *db.Facts
		ef                    *env.Facts
		lf                    *logs.Facts
		hf                    *hub.Facts
		dbErr, envErr, logErr error
		hubErr                error
	)
	wg.Add(3)
	go func() {
		defer wg.Done()
		if dbUncertain {
			// JupyterHub's default file is not the database either when
			// the config may point elsewhere.
			var at []string
			for _, pos := range cf.DBURLConditional {
				i := strings.LastIndexByte(pos, ':')
				at = append(at, relPath(opts.Dir, pos[:i])+pos[i:])
			}
			dbErr = checks.Absent("the config sets db_url only under a condition hubaudit cannot decide (" +
				strings.Join(at, ", ") + "): give --db with the URL the hub uses")
			return
		}
		df, dbErr = db.Collect(ctx, col.dbOpts)
	}()
	go func() {
		defer wg.Done()
		pathEnv := opts.Getenv("PATH")
		if dep.in.NoPathLookup {
			pathEnv = "" // the hub runs elsewhere: this machine's jupyterhub is not its
		}
		ef, envErr = env.Collect(env.Options{Hub: opts.HubEnv, Users: opts.UserEnvs, SpawnerCmd: spawnerCmd(cf), PathEnv: pathEnv})
		if dep.in.HubImage != nil && opts.HubEnv == "" {
			// The image's Dockerfile stands for the hub environment unless
			// --hub-env names the running one (docker compose exec hub pip
			// freeze).
			ef, envErr = dep.hubEnv(ef), nil
		}
	}()
	go func() {
		defer wg.Done()
		if opts.HubURL != "" {
			hf, hubErr = hub.Collect(ctx, hub.Options{URL: opts.HubURL, Token: opts.HubToken, CACert: opts.CACert, Insecure: opts.Insecure, Timeout: timeout})
		}
	}()
	wg.Wait()
	lf, logErr = logsRun.wait() // started before the config was parsed

	in.States[rules.SourceDB] = sourceState(dbErr)
	if dbErr == nil {
		in.DB = df
	}
	in.States[rules.SourceEnv] = sourceState(envErr)
	if envErr == nil {
		in.Env = ef
	}
	in.States[rules.SourceLogs] = sourceState(logErr)
	if logErr == nil {
		in.Logs = lf
	}
	if opts.HubURL != "" {
		if hf != nil {
			in.Extra[ExtraHub] = hf
		} else if hubErr != nil {
			in.Extra[ExtraHub] = &hub.Facts{URL: opts.HubURL, Errors: []string{hubErr.Error()}}
		}
	}
	return col
}

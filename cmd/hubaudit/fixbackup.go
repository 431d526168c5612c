package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hubaudit/hubaudit/audit"
	"github.com/hubaudit/hubaudit/checks/db"
	"github.com/hubaudit/hubaudit/fixconfig"
	"github.com/hubaudit/hubaudit/kb"
)

func (e *env) fixConfigCmd() *cobra.Command {
	var target, config, dir string
	var write bool
	c := &cobra.Command{
		Use:   "fix-config --target VERSION",
		Short: "Print a unified diff of the mechanical option renames for the target (--write applies it)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			k, err := kb.Load()
			if err != nil {
				return err
			}
			if target == "" {
				return usageErr("for example: hubaudit fix-config --target "+k.Latest().Version.String(), "fix-config needs --target VERSION")
			}
			rel, err := k.Resolve(target)
			if err != nil {
				return usageErr("run 'hubaudit versions' for the list", "%v", err)
			}
			if config == "" {
				config = filepath.Join(dir, "jupyterhub_config.py")
			}
			src, err := os.ReadFile(config)
			if err != nil {
				return usageErr("name the file with --config", "cannot read %s", config)
			}
			newSrc, diff, n, err := fixconfig.Fix(config, src, rel, k)
			if err != nil {
				return &cliError{code: exitFailed, err: err}
			}
			if n == 0 {
				fmt.Fprintf(e.stderr, "hubaudit: %s needs no renames for %s\n", config, rel.Version)
				return nil
			}
			fmt.Fprint(e.stdout, diff)
			if !write {
				fmt.Fprintf(e.stderr, "hubaudit: %d rename(s); run again with --write to apply them (a backup copy is kept)\n", n)
				return nil
			}
			st, err := os.Stat(config)
			if err != nil {
				return &cliError{code: exitFailed, err: err}
			}
			backup := fmt.Sprintf("%s.bak-%s", config, time.Now().Format("20060102-150405"))
			if err := os.WriteFile(backup, src, st.Mode().Perm()); err != nil {
				return &cliError{code: exitFailed, err: fmt.Errorf("writing the backup copy: %v", err)}
			}
			if err := writeFileAtomic(config, func(w io.Writer) error { _, err := w.Write(newSrc); return err }); err != nil {
				return &cliError{code: exitFailed, err: err}
			}
			fmt.Fprintf(e.stderr, "hubaudit: wrote %s (%d rename(s)); the original is in %s\n", config, n, backup)
			return nil
		},
	}
	c.Flags().StringVar(&target, "target", "", "JupyterHub `VERSION` to rewrite the config for")
	c.RegisterFlagCompletionFunc("target", completeVersions)
	c.Flags().StringVar(&config, "config", "", "config `FILE` (default jupyterhub_config.py in --dir)")
	c.Flags().StringVar(&dir, "dir", ".", "deployment `DIR`")
	c.Flags().BoolVar(&write, "write", false, "apply the diff (after writing a backup copy FILE.bak-TIMESTAMP)")
	return c
}

func (e *env) backupCmd() *cobra.Command {
	var to, dir, dbURL, cookieSecret string
	var configs []string
	var timeout time.Duration
	c := &cobra.Command{
		Use:   "backup --to DIR",
		Short: "Make a verified, consistent copy of a SQLite hub database and the config (prints the dump command for PostgreSQL/MySQL)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if to == "" {
				return usageErr("for example: hubaudit backup --to /var/backups/jupyterhub", "backup needs --to DIR")
			}
			k, err := kb.Load()
			if err != nil {
				return err
			}
			if timeout <= 0 {
				return usageErr("", "--timeout %s: must be positive (e.g. 5s)", timeout)
			}
			url := dbURL
			if url == "" {
				url = e.getenv("HUBAUDIT_DB_URL")
			}
			if err := audit.CheckInputs(audit.Options{Dir: dir, ConfigFiles: configs, DBURL: dbURL, Getenv: e.getenv}); err != nil {
				return err
			}
			if len(configs) == 0 {
				if p := filepath.Join(dir, "jupyterhub_config.py"); fileExists(p) {
					configs = []string{p}
				}
			}
			if cookieSecret == defaultCookieSecret {
				cookieSecret = filepath.Join(dir, defaultCookieSecret)
			}
			res, err := db.Backup(cmd.Context(), db.Options{URL: url, Dir: dir, Timeout: timeout, KB: k, CookieSecretFile: cookieSecret}, to, configs)
			var inUse *db.DirInUseError
			if errors.As(err, &inUse) {
				return usageErr(fmt.Sprintf("back up into a new directory, e.g. --to %s-%s, or move the old backup away", strings.TrimRight(to, "/"), time.Now().Format("20060102-150405")), "%v", err)
			}
			if err != nil {
				return &cliError{code: exitFailed, err: err}
			}
			printBackup(e.stdout, res)
			if !res.Verified && res.Command == "" {
				return &cliError{code: exitFailed, err: fmt.Errorf("the backup in %s could not be verified: %s", res.Dir, strings.Join(res.Problems, "; "))}
			}
			return nil
		},
	}
	c.Flags().StringVar(&to, "to", "", "backup `DIR` (created if missing; must be empty; never the database's own folder)")
	c.Flags().StringVar(&dir, "dir", ".", "deployment `DIR`")
	c.Flags().StringVar(&dbURL, "db", "", "database `URL` (default: $HUBAUDIT_DB_URL, else sqlite:///jupyterhub.sqlite in --dir)")
	c.Flags().StringArrayVar(&configs, "config", nil, "config `FILE` to copy (default jupyterhub_config.py in --dir)")
	c.Flags().DurationVar(&timeout, "timeout", 5*time.Second, "database connection timeout")
	c.Flags().StringVar(&cookieSecret, "cookie-secret", "", "also copy the cookie secret `FILE` (default with no value: jupyterhub_cookie_secret in --dir); its content is never printed")
	c.Flags().Lookup("cookie-secret").NoOptDefVal = defaultCookieSecret
	return c
}

// defaultCookieSecret is JupyterHub's default cookie_secret_file, relative
// to the directory the hub runs in.
const defaultCookieSecret = "jupyterhub_cookie_secret"

func printBackup(w io.Writer, r *db.BackupResult) {
	if r.Command != "" {
		fmt.Fprintf(w, "%s database: hubaudit does not dump it; run:\n  %s\n", r.Dialect, r.Command)
	}
	for _, f := range r.Files {
		if f.Kind == "cookie_secret" {
			fmt.Fprintf(w, "copied %s -> %s (%d bytes, content not shown)\n", f.Source, f.Path, f.Size)
			continue
		}
		fmt.Fprintf(w, "copied %s -> %s (%d bytes, sha256 %s)\n", f.Source, f.Path, f.Size, f.SHA256)
	}
	if r.Revision != "" {
		fmt.Fprintf(w, "revision %s\n", r.Revision)
	}
	for _, v := range r.Verification {
		fmt.Fprintf(w, "verified: %s\n", v)
	}
	for _, p := range r.Problems {
		fmt.Fprintf(w, "problem: %s\n", p)
	}
	for _, x := range r.Warnings {
		fmt.Fprintf(w, "warning: %s\n", x)
	}
	if r.Manifest != "" {
		fmt.Fprintf(w, "manifest %s\n", r.Manifest)
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

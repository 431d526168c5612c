// Command derive writes kb/facts/companions/releases.tsv, the jupyterhub
// requirement and Python floor of every release of JupyterHub's companion
// packages, from git checkouts (or bare clones) of their repositories. It
// is a maintainer tool: run it when a companion has a new release, review
// the diff of the table, then run `go generate ./kb`.
//
//	go run ./kb/facts/companions/derive -out kb/facts/companions/releases.tsv \
//	    jupyterhub-kubespawner=PATH/kubespawner oauthenticator=PATH/oauthenticator ...
//
// Each argument is DISTRIBUTION=REPO. Rows of distributions not named are
// kept as they are, so one package can be refreshed alone. At every tag
// that is a PEP 440 version (a leading "v" is dropped; development
// releases are left out), it reads pyproject.toml, setup.py and
// requirements.txt with `git show TAG:FILE` and keeps only the facts
// (kb/extract.ReadProject says which file wins), never the files' text.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hubaudit/hubaudit/kb/extract"
	"github.com/hubaudit/hubaudit/pep440"
)

// header is the table's column line.
var header = []string{"package", "release", "prerelease", "git_tag", "date", "requires_jupyterhub", "requires_python", "requirements_source", "requires_python_source"}

func main() {
	out := flag.String("out", "kb/facts/companions/releases.tsv", "the table to update")
	traits := flag.String("traits", "", "also rewrite the named packages' rows of the trait tables in this folder (kb/facts/traits)")
	check := flag.Bool("check", false, "write nothing: derive into a copy and print how the committed tables differ (exit status 1 when they do)")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "derive: name at least one DISTRIBUTION=REPO")
		os.Exit(2)
	}
	repos := map[string]string{}
	for _, a := range flag.Args() {
		name, repo, ok := strings.Cut(a, "=")
		if !ok || name == "" || repo == "" {
			fmt.Fprintf(os.Stderr, "derive: %q is not DISTRIBUTION=REPO\n", a)
			os.Exit(2)
		}
		repos[pep440.NormalizeName(name)] = repo
	}
	if *check {
		diffs, err := checkTables(*out, *traits, repos)
		if err != nil {
			fmt.Fprintln(os.Stderr, "derive:", err)
			os.Exit(1)
		}
		for _, d := range diffs {
			fmt.Println(d)
		}
		fmt.Printf("derive: %d difference(s)\n", len(diffs))
		if len(diffs) > 0 {
			os.Exit(1)
		}
		return
	}
	if err := run(*out, *traits, repos); err != nil {
		fmt.Fprintln(os.Stderr, "derive:", err)
		os.Exit(1)
	}
}

// checkTables derives into a temporary copy of the tables (releases.tsv
// at out, and the trait tables of traitsDir when it is set) and returns
// the lines that differ from the committed ones.
func checkTables(out, traitsDir string, repos map[string]string) ([]string, error) {
	tmp, err := os.MkdirTemp("", "derive-check")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	pairs := map[string]string{out: filepath.Join(tmp, "releases.tsv")}
	tmpTraits := ""
	if traitsDir != "" {
		tmpTraits = filepath.Join(tmp, "traits")
		if err := os.Mkdir(tmpTraits, 0o755); err != nil {
			return nil, err
		}
		for _, f := range []string{"companions-traits.tsv", "classes.tsv", "companions-requirements.tsv", "companions-trait-history.tsv", "jupyterhub-traits.tsv"} {
			pairs[filepath.Join(traitsDir, f)] = filepath.Join(tmpTraits, f)
		}
	}
	for from, to := range pairs {
		b, err := os.ReadFile(from)
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(to, b, 0o644); err != nil {
			return nil, err
		}
	}
	if err := run(pairs[out], tmpTraits, repos); err != nil {
		return nil, err
	}
	var diffs []string
	for from, to := range pairs {
		a, err1 := os.ReadFile(from)
		b, err2 := os.ReadFile(to)
		if err1 != nil || err2 != nil {
			return nil, errors.Join(err1, err2)
		}
		diffs = append(diffs, lineDiff(from, string(a), string(b))...)
	}
	sort.Strings(diffs)
	return diffs, nil
}

// lineDiff lists the lines only the committed table has (-) and only the
// derived one has (+).
func lineDiff(path, committed, derived string) []string {
	count := map[string]int{}
	for _, l := range strings.Split(committed, "\n") {
		count[l]++
	}
	for _, l := range strings.Split(derived, "\n") {
		count[l]--
	}
	var out []string
	for l, n := range count {
		for ; n > 0; n-- {
			out = append(out, path+": - "+l)
		}
		for ; n < 0; n++ {
			out = append(out, path+": + "+l)
		}
	}
	return out
}

// row is one release's facts, in header order.
type row struct {
	pkg string
	v   pep440.Version
	col []string
}

func run(out, traitsDir string, repos map[string]string) error {
	var rows []row
	if b, err := os.ReadFile(out); err == nil {
		for i, ln := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
			f := strings.Split(ln, "\t")
			if i == 0 || len(f) != len(header) || repos[f[0]] != "" {
				continue
			}
			v, err := pep440.Parse(f[1])
			if err != nil {
				return fmt.Errorf("%s: line %d: %w", out, i+1, err)
			}
			rows = append(rows, row{f[0], v, f})
		}
	}
	byPkg := map[string][]row{}
	for pkg, repo := range repos {
		rs, err := derive(pkg, repo)
		if err != nil {
			return fmt.Errorf("%s (%s): %w", pkg, repo, err)
		}
		rows = append(rows, rs...)
		byPkg[pkg] = rs
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].pkg != rows[j].pkg {
			return rows[i].pkg < rows[j].pkg
		}
		return rows[i].v.Less(rows[j].v)
	})
	var buf bytes.Buffer
	buf.WriteString(strings.Join(header, "\t") + "\n")
	for _, r := range rows {
		buf.WriteString(strings.Join(r.col, "\t") + "\n")
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	if traitsDir == "" {
		return nil
	}
	return writeTraits(traitsDir, repos, byPkg)
}

// derive reads every release tag of one repository.
func derive(pkg, repo string) ([]row, error) {
	tags, err := git(repo, "tag")
	if err != nil {
		return nil, err
	}
	byVersion := map[string]row{}
	for _, tag := range strings.Fields(string(tags)) {
		v, err := pep440.Parse(strings.TrimPrefix(tag, "v"))
		if err != nil || v.Dev >= 0 {
			continue // not a release tag (jhub-0.3), or a development release
		}
		if old, dup := byVersion[v.String()]; dup && !strings.HasPrefix(old.col[3], "v") {
			continue // 0.9.0 and v0.9.0: keep the tag without "v"
		}
		files := map[string][]byte{}
		for _, name := range []string{"pyproject.toml", "setup.py", "requirements.txt"} {
			if b, err := git(repo, "show", tag+":"+name); err == nil {
				files[name] = b
			}
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("tag %s: no pyproject.toml, setup.py or requirements.txt", tag)
		}
		p, err := extract.ReadProject(files)
		if err != nil {
			return nil, fmt.Errorf("tag %s: %w", tag, err)
		}
		date, err := git(repo, "log", "-1", "--format=%cs", tag)
		if err != nil {
			return nil, err
		}
		hub := ""
		if q, ok := p.Requirement("jupyterhub"); ok {
			hub = "jupyterhub" + q.Specifier
			if q.Marker != "" {
				hub += "; " + q.Marker
			}
		}
		pre := "no"
		if v.IsPrerelease() {
			pre = "yes"
		}
		byVersion[v.String()] = row{pkg, v, []string{pkg, v.String(), pre, tag, strings.TrimSpace(string(date)), hub, p.RequiresPython, p.RequirementsSource, p.RequiresPythonSource}}
	}
	if len(byVersion) == 0 {
		return nil, fmt.Errorf("no release tags")
	}
	var rows []row
	for _, r := range byVersion {
		rows = append(rows, r)
	}
	return rows, nil
}

func git(repo string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", append([]string{"--git-dir", gitDir(repo)}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return b, nil
}

// gitDir accepts a work tree (with .git) or a bare repository.
func gitDir(repo string) string {
	if st, err := os.Stat(repo + "/.git"); err == nil && st.IsDir() {
		return repo + "/.git"
	}
	return repo
}

// Command regen regenerates the committed JupyterHub release facts from a
// git checkout (or bare clone) of jupyterhub/jupyterhub, in one run over
// its tags, with package extract (Python is parsed, never imported or
// run). It is a maintainer tool: adding a release is this command and a
// review of the diff (see kb/facts/README.md).
//
//	go run ./kb/extract/cmd/regen -repo PATH/jupyterhub [-facts kb/facts] [-check]
//
// It writes kb/facts/jupyterhub/releases.tsv and requirements.tsv, which
// are wholly derived, and checks the derived columns of alembic.tsv
// (revision, down_revision, file, title, alembic_doc_as_logged,
// uses_batch_alter_table, first_tag_containing, first/last_release
// containing) and of traits/jupyterhub-traits.tsv (class, bases, trait,
// type, literal default, module, row kind, deprecation flag) against
// what it extracts, printing every difference: those tables also hold
// columns written by hand (summaries, downgrade verdicts, curated
// replacements), so regen reports instead of overwriting them. With
// -check nothing is written and any difference is exit status 1.
//
// Covered tags: every final release from 0.9.0 on, and the pre-releases
// newer than the newest final release (6.0.0b1 and 6.0.0b2 while 6.0.0
// is not out).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/kb/extract"
	"github.com/hubaudit/hubaudit/pep440"
)

func main() {
	repo := flag.String("repo", "", "a checkout or bare clone of jupyterhub/jupyterhub")
	facts := flag.String("facts", "kb/facts", "the facts folder")
	check := flag.Bool("check", false, "write nothing; exit 1 when the committed facts differ")
	flag.Parse()
	if *repo == "" {
		fmt.Fprintln(os.Stderr, "regen: -repo is required")
		os.Exit(2)
	}
	diffs, err := run(*repo, *facts, *check)
	if err != nil {
		fmt.Fprintln(os.Stderr, "regen:", err)
		os.Exit(1)
	}
	for _, d := range diffs {
		fmt.Println(d)
	}
	fmt.Fprintf(os.Stderr, "regen: %d difference(s)\n", len(diffs))
	if *check && len(diffs) > 0 {
		os.Exit(1)
	}
}

// release is one tag and what was extracted from it.
type release struct {
	tag   string
	v     pep440.Version
	facts *extract.Facts
}

func run(repo, facts string, check bool) ([]string, error) {
	out, err := git(repo, "tag")
	if err != nil {
		return nil, err
	}
	var all []release
	for _, t := range strings.Fields(string(out)) {
		v, err := pep440.Parse(t)
		if err != nil || v.Dev >= 0 || t != v.String() {
			continue
		}
		all = append(all, release{tag: t, v: v})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].v.Less(all[j].v) })
	var newestFinal pep440.Version
	for _, r := range all {
		if !r.v.IsPrerelease() {
			newestFinal = r.v
		}
	}
	k := kb.MustLoad()
	formats := extract.Formats(k)
	var covered, every, older []release
	for _, r := range all {
		if r.v.Less(pep440.MustParse("0.9.0")) {
			older = append(older, r)
			continue
		}
		if r.v.IsPrerelease() && r.v.Less(newestFinal) {
			every = append(every, r)
			continue
		}
		covered = append(covered, r)
		every = append(every, r)
	}
	for i := range every {
		r := &every[i]
		b, err := git(repo, "archive", "--format=tar", r.tag)
		if err != nil {
			return nil, err
		}
		pkg, err := extract.ReadTar(bytes.NewReader(b), "source tree")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.tag, err)
		}
		pkg.Path = "tag " + r.tag
		if r.facts, err = extract.Extract(pkg, extract.Options{Formats: formats}); err != nil {
			return nil, fmt.Errorf("%s: %w", r.tag, err)
		}
	}
	byTag := map[string]*extract.Facts{}
	for _, r := range every {
		byTag[r.tag] = r.facts
	}
	for i := range covered {
		covered[i].facts = byTag[covered[i].tag]
	}
	rel, reqs, err := releaseTables(repo, covered)
	if err != nil {
		return nil, err
	}
	jh := filepath.Join(facts, "jupyterhub")
	var diffs []string
	for name, body := range map[string]string{"releases.tsv": rel, "requirements.tsv": reqs} {
		p := filepath.Join(jh, name)
		old, _ := os.ReadFile(p)
		if string(old) != body {
			diffs = append(diffs, lineDiff(p, string(old), body)...)
			if !check {
				if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
					return nil, err
				}
			}
		}
	}
	// Tags before 0.9.0 are not extracted (no python_requires, no
	// static layout to rely on), but first_tag_containing counts them:
	// which migration files each one ships is enough.
	olderFiles := map[string][]string{}
	for _, r := range older {
		b, err := git(repo, "ls-tree", "--name-only", r.tag, "jupyterhub/alembic/versions/")
		if err != nil {
			return nil, err
		}
		olderFiles[r.tag] = strings.Fields(string(b))
	}
	d, err := checkAlembic(filepath.Join(jh, "alembic.tsv"), covered, every, older, olderFiles)
	if err != nil {
		return nil, err
	}
	diffs = append(diffs, d...)
	d, err = checkTraits(filepath.Join(facts, "traits", "jupyterhub-traits.tsv"), byTag)
	if err != nil {
		return nil, err
	}
	return append(diffs, d...), nil
}

// releaseTables renders releases.tsv and requirements.tsv.
func releaseTables(repo string, covered []release) (string, string, error) {
	var rel, reqs strings.Builder
	rel.WriteString("tag\tdate\talembic_head\trequires_python\tprerelease\tversion_in_source\tcommit\ttagger_date\tmigration_count\trequires_python_source\trequirements_source\n")
	reqs.WriteString("tag\tpackage\tspecifier\tmarker\tnormalized_name\textras\traw_line\n")
	for _, r := range covered {
		f := r.facts
		date, err := git(repo, "log", "-1", "--format=%cI", r.tag)
		if err != nil {
			return "", "", err
		}
		ref, err := git(repo, "for-each-ref", "refs/tags/"+r.tag, "--format=%(taggerdate:iso-strict)")
		if err != nil {
			return "", "", err
		}
		commit, err := git(repo, "rev-list", "-n", "1", r.tag)
		if err != nil {
			return "", "", err
		}
		pre := "no"
		if r.v.IsPrerelease() {
			pre = "yes"
		}
		reqFrom := f.RequirementsSource
		switch {
		case reqFrom == "requirements.txt" && f.RequiresPythonSource == "pyproject.toml":
			reqFrom = "requirements.txt (via pyproject.toml [tool.setuptools.dynamic])"
		case reqFrom == "requirements.txt":
			reqFrom = "requirements.txt (read by setup.py)"
		}
		fmt.Fprintf(&rel, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", r.tag, trim(date), f.Head, f.RequiresPython, pre, f.Version,
			trim(commit), trim(ref), len(f.Migrations), f.RequiresPythonSource, reqFrom)
		for _, q := range f.Requirements {
			fmt.Fprintf(&reqs, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.tag, q.Package, q.Specifier, q.Marker, q.Normalized, q.Extras, q.Raw)
		}
	}
	return rel.String(), reqs.String(), nil
}

// checkAlembic compares the derived columns of alembic.tsv with the
// migrations extracted at every tag.
func checkAlembic(path string, covered, every, older []release, olderFiles map[string][]string) ([]string, error) {
	rows, err := readTSV(path)
	if err != nil {
		return nil, err
	}
	type seen struct {
		m                  extract.Migration
		firstTag           string
		firstRel, lastRel  string
		firstTagV, firstRV pep440.Version
	}
	mig := map[string]*seen{}
	var order []string
	note := func(r release, coveredTag bool) {
		for _, m := range r.facts.Migrations {
			s, ok := mig[m.Revision]
			if !ok {
				s = &seen{m: m}
				mig[m.Revision] = s
				order = append(order, m.Revision)
			}
			if s.firstTag == "" || r.v.Less(s.firstTagV) {
				s.firstTag, s.firstTagV = r.tag, r.v
			}
			if coveredTag {
				if s.firstRel == "" || r.v.Less(s.firstRV) {
					s.firstRel, s.firstRV = r.tag, r.v
				}
				s.lastRel = r.tag // covered is in version order
			}
		}
	}
	isCovered := map[string]bool{}
	for _, r := range covered {
		isCovered[r.tag] = true
	}
	for _, r := range every {
		note(r, isCovered[r.tag])
	}
	for _, r := range older {
		for _, f := range olderFiles[r.tag] {
			for _, s := range mig {
				if s.m.File == f && r.v.Less(s.firstTagV) {
					s.firstTag, s.firstTagV = r.tag, r.v
				}
			}
		}
	}
	var diffs []string
	have := map[string]bool{}
	for _, row := range rows {
		rev := row["revision"]
		have[rev] = true
		s, ok := mig[rev]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("%s: %s is in no covered or pre-release tag from 0.9.0 on", path, rev))
			continue
		}
		for col, want := range map[string]string{
			"down_revision": s.m.DownRevision, "file": s.m.File, "title": s.m.Title,
			"alembic_doc_as_logged": s.m.DocAsLogged, "uses_batch_alter_table": yesNo(s.m.BatchAlter),
			"first_tag_containing": s.firstTag, "first_release_containing": s.firstRel, "last_release_containing": s.lastRel,
		} {
			if row[col] != want {
				diffs = append(diffs, fmt.Sprintf("%s: %s %s: table %q, extracted %q", path, rev, col, row[col], want))
			}
		}
	}
	for _, rev := range order {
		if !have[rev] {
			diffs = append(diffs, fmt.Sprintf("%s: %s (%s, first in %s) is not in the table", path, rev, mig[rev].m.Title, mig[rev].firstTag))
		}
	}
	return diffs, nil
}

// checkTraits compares the derived columns of the trait catalog with the
// classes extracted at each release the catalog has.
func checkTraits(path string, byTag map[string]*extract.Facts) ([]string, error) {
	rows, err := readTSV(path)
	if err != nil {
		return nil, err
	}
	type key struct{ rel, class, trait string }
	table := map[key]map[string]string{}
	releases := map[string]bool{}
	for _, r := range rows {
		table[key{r["release"], r["class"], r["trait"]}] = r
		releases[r["release"]] = true
	}
	var diffs []string
	for rel := range releases {
		f, ok := byTag[rel]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("%s: release %s is not a tag regen covers", path, rel))
			continue
		}
		got := map[key]bool{}
		for _, c := range f.Classes {
			for _, t := range c.Traits {
				k := key{rel, c.Name, t.Name}
				got[k] = true
				row, ok := table[k]
				if !ok {
					diffs = append(diffs, fmt.Sprintf("%s: %s %s.%s (%s) extracted, not in the table", path, rel, c.Name, t.Name, t.Kind))
					continue
				}
				for col, want := range map[string]string{
					"bases": strings.Join(c.Bases, ","), "module": c.Module, "type": t.Type,
					"literal_default": t.Default, "row_kind": t.Kind, "deprecated": t.Deprecated,
				} {
					if row[col] != want {
						diffs = append(diffs, fmt.Sprintf("%s: %s %s.%s %s: table %q, extracted %q", path, rel, c.Name, t.Name, col, row[col], want))
					}
				}
			}
		}
		for k := range table {
			if k.rel == rel && !got[k] {
				diffs = append(diffs, fmt.Sprintf("%s: %s %s.%s is in the table, not extracted", path, rel, k.class, k.trait))
			}
		}
	}
	sort.Strings(diffs)
	return diffs, nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func trim(b []byte) string { return strings.TrimSpace(string(b)) }

// lineDiff names the lines that differ between the committed and the
// regenerated table.
func lineDiff(path, old, new string) []string {
	ol, nl := strings.Split(old, "\n"), strings.Split(new, "\n")
	oset, nset := map[string]bool{}, map[string]bool{}
	for _, l := range ol {
		oset[l] = true
	}
	for _, l := range nl {
		nset[l] = true
	}
	var out []string
	for _, l := range ol {
		if l != "" && !nset[l] {
			out = append(out, path+": - "+l)
		}
	}
	for _, l := range nl {
		if l != "" && !oset[l] {
			out = append(out, path+": + "+l)
		}
	}
	if len(out) == 0 && len(ol) != len(nl) {
		out = append(out, path+": line count "+strconv.Itoa(len(ol))+" -> "+strconv.Itoa(len(nl)))
	}
	return out
}

func readTSV(path string) ([]map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	head := strings.Split(lines[0], "\t")
	var rows []map[string]string
	for i, l := range lines[1:] {
		cells := strings.Split(l, "\t")
		if len(cells) != len(head) {
			return nil, fmt.Errorf("%s:%d: %d cells, header has %d", path, i+2, len(cells), len(head))
		}
		row := map[string]string{}
		for j, h := range head {
			row[h] = strings.ReplaceAll(cells[j], `\n`, "\n")
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func git(repo string, args ...string) ([]byte, error) {
	dir := repo
	if st, err := os.Stat(filepath.Join(repo, ".git")); err == nil && st.IsDir() {
		dir = filepath.Join(repo, ".git")
	}
	cmd := exec.Command("git", append([]string{"--git-dir", dir}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return b, nil
}

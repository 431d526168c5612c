package main

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hubaudit/hubaudit/kb/extract"
	"github.com/hubaudit/hubaudit/pep440"
)

// pythonPackages maps a distribution to the folder of its Python package
// and the name the trait tables use for it. jupyterhub-idle-culler is a
// service configured by command-line flags, not traits: it has no
// catalog.
var pythonPackages = map[string]struct{ dir, table string }{
	"oauthenticator":                 {"oauthenticator", "oauthenticator"},
	"jupyterhub-kubespawner":         {"kubespawner", "kubespawner"},
	"dockerspawner":                  {"dockerspawner", "dockerspawner"},
	"jupyterhub-ldapauthenticator":   {"ldapauthenticator", "ldapauthenticator"},
	"jupyterhub-nativeauthenticator": {"nativeauthenticator", "nativeauthenticator"},
	"batchspawner":                   {"batchspawner", "batchspawner"},
	"jupyterhub-systemdspawner":      {"systemdspawner", "systemdspawner"},
	"jupyterhub-traefik-proxy":       {"jupyterhub_traefik_proxy", "traefik-proxy"},
}

// traitHeader, classHeader, reqHeader and histHeader are the column lines
// of companions-traits.tsv, classes.tsv, companions-requirements.tsv and
// companions-trait-history.tsv.
var (
	traitHeader = []string{"package", "release", "class", "bases", "trait", "type", "deprecated_since", "replacement", "module", "row_kind", "deprecated", "deprecation_evidence", "type_detail", "literal_default", "default_kind", "default_ref", "has_default_method", "version_added", "version_changed"}
	classHeader = []string{"package", "release", "class", "module", "bases", "own_config_traits", "defined_in_factory", "note"}
	reqHeader   = []string{"package", "release", "requires_jupyterhub", "requires_python", "git_tag", "source"}
	histHeader  = []string{"package", "class", "trait", "first_release", "last_release", "deprecated_in", "replacement", "note_in_your_words", "removed_in", "present_in", "deprecated_in_source", "deprecation_marked_in", "undeprecated_in", "resolves_after_removal_via", "kind_history", "type_history", "version_added_stated", "first_exact_tag", "removed_exact_tag", "deprecation_first_exact_tag"}
)

// tkey names a row of companions-traits.tsv.
type tkey struct{ pkg, rel, class, trait string }

// release is one tag's catalog.
type release struct {
	row     row // the releases.tsv row
	classes []extract.Class
	sig     string // the catalog's content, to find the releases that changed it
}

// tsv is a table read with its header.
type tsv struct {
	header []string
	rows   []map[string]string
}

func readTSV(path string) (tsv, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return tsv{}, err
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	t := tsv{header: strings.Split(lines[0], "\t")}
	for i, ln := range lines[1:] {
		f := strings.Split(ln, "\t")
		if len(f) != len(t.header) {
			return tsv{}, fmt.Errorf("%s: line %d has %d cells, the header %d", path, i+2, len(f), len(t.header))
		}
		r := map[string]string{}
		for j, h := range t.header {
			r[h] = f[j]
		}
		t.rows = append(t.rows, r)
	}
	return t, nil
}

func (t tsv) write(path string, header []string) error {
	var buf bytes.Buffer
	buf.WriteString(strings.Join(header, "\t") + "\n")
	for _, r := range t.rows {
		cells := make([]string, len(header))
		for i, h := range header {
			cells[i] = r[h]
		}
		buf.WriteString(strings.Join(cells, "\t") + "\n")
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// externalBases reads the classes of jupyterhub and traitlets that
// classes.tsv lists: a companion class built on one of them is
// configurable even without traits of its own.
func externalBases(classes tsv) func(string) bool {
	known := map[string]bool{}
	for _, r := range classes.rows {
		if r["package"] == "jupyterhub" || r["package"] == "traitlets" {
			known[r["class"]] = true
		}
	}
	return func(b string) bool { return known[b] }
}

// newestHubClasses reads the classes of the newest final jupyterhub
// release in jupyterhub-traits.tsv (their bases and trait names).
func newestHubClasses(path string) ([]extract.Class, error) {
	t, err := readTSV(path)
	if err != nil {
		return nil, err
	}
	var newest pep440.Version
	for _, r := range t.rows {
		if v, err := pep440.Parse(r["release"]); err == nil && !v.IsPrerelease() && newest.Less(v) {
			newest = v
		}
	}
	byName := map[string]*extract.Class{}
	var order []string
	for _, r := range t.rows {
		if r["release"] != newest.String() {
			continue
		}
		c := byName[r["class"]]
		if c == nil {
			c = &extract.Class{Name: r["class"]}
			for _, b := range strings.Split(r["bases"], ",") {
				if b = strings.TrimSpace(b); b != "" {
					c.Bases = append(c.Bases, b)
				}
			}
			byName[r["class"]] = c
			order = append(order, r["class"])
		}
		c.Traits = append(c.Traits, extract.Trait{Name: r["trait"], Kind: r["row_kind"]})
	}
	out := make([]extract.Class, len(order))
	for i, n := range order {
		out[i] = *byName[n]
	}
	return out, nil
}

// packageFiles reads the Python modules under dir at tag.
func packageFiles(repo, tag, dir string) (map[string][]byte, error) {
	b, err := git(repo, "archive", "--format=tar", tag, "--", dir)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	tr := tar.NewReader(bytes.NewReader(b))
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if h.Typeflag != tar.TypeReg || !strings.HasSuffix(h.Name, ".py") {
			continue
		}
		var buf bytes.Buffer
		if _, err := io.Copy(&buf, tr); err != nil {
			return nil, err
		}
		files[h.Name] = buf.Bytes()
	}
	return files, nil
}

// catalogs reads the configurable classes at every release tag of one
// package, oldest first.
func catalogs(repo, dir string, rows []row, external func(string) bool) ([]release, error) {
	sort.Slice(rows, func(i, j int) bool { return rows[i].v.Less(rows[j].v) })
	var out []release
	for _, r := range rows {
		tag := r.col[3]
		files, err := packageFiles(repo, tag, dir)
		if err != nil {
			return nil, fmt.Errorf("tag %s: %w", tag, err)
		}
		cls, err := extract.ReadClasses(files, dir, external)
		if err != nil {
			return nil, fmt.Errorf("tag %s: %w", tag, err)
		}
		var sig strings.Builder
		for _, c := range cls {
			fmt.Fprintf(&sig, "%s(%s)%s\n", c.Name, strings.Join(c.Bases, ","), c.Module)
			for _, t := range c.Traits {
				fmt.Fprintf(&sig, "\t%s\n", strings.Join(traitCells(t), "\t"))
			}
		}
		out = append(out, release{row: r, classes: cls, sig: sig.String()})
	}
	return out, nil
}

// traitCells are the cells of a trait row that the knowledge base keeps
// (the catalog changes when one of them does).
func traitCells(t extract.Trait) []string {
	return []string{t.Name, t.Type, t.Kind, t.Deprecated, t.Since, t.Replacement, t.Default, t.VersionChanged}
}

// chosen picks the releases whose catalog is stored: every release whose
// catalog differs from the release before it (in version order,
// pre-releases included), the newest patch of every minor line, and the
// first final release after a stored pre-release.
// Every other release has the catalog of the newest stored release not
// after it, which is what kb looks up.
func chosen(rels []release) []release {
	newestOfLine := map[string]int{}
	for i, r := range rels {
		if !r.row.v.IsPrerelease() {
			newestOfLine[minorLine(r.row.v)] = i
		}
	}
	var out []release
	for i, r := range rels {
		final := !r.row.v.IsPrerelease()
		switch {
		case i == 0, r.sig != rels[i-1].sig, final && newestOfLine[minorLine(r.row.v)] == i,
			final && out[len(out)-1].row.v.IsPrerelease(): // a final release is never judged by a pre-release's catalog
			out = append(out, r)
		}
	}
	return out
}

func minorLine(v pep440.Version) string {
	r := v.Release
	for len(r) < 2 {
		r = append(r, 0)
	}
	return fmt.Sprintf("%d.%d", r[0], r[1])
}

// writeTraits rewrites the rows of the named packages in the four trait
// tables of dir, keeping every other package's rows.
func writeTraits(dir string, repos map[string]string, rowsByPkg map[string][]row) error {
	traitsPath := filepath.Join(dir, "companions-traits.tsv")
	classesPath := filepath.Join(dir, "classes.tsv")
	reqPath := filepath.Join(dir, "companions-requirements.tsv")
	histPath := filepath.Join(dir, "companions-trait-history.tsv")
	traits, err := readTSV(traitsPath)
	if err != nil {
		return err
	}
	classes, err := readTSV(classesPath)
	if err != nil {
		return err
	}
	reqs, err := readTSV(reqPath)
	if err != nil {
		return err
	}
	hist, err := readTSV(histPath)
	if err != nil {
		return err
	}
	external := externalBases(classes)
	hub, err := newestHubClasses(filepath.Join(dir, "jupyterhub-traits.tsv"))
	if err != nil {
		return err
	}
	named := map[string]bool{}
	var pkgs []string
	for dist := range repos {
		if p, ok := pythonPackages[dist]; ok {
			named[p.table] = true
			pkgs = append(pkgs, dist)
		}
	}
	sort.Strings(pkgs)
	keep := func(t *tsv) []map[string]string {
		var out []map[string]string
		for _, r := range t.rows {
			if !named[r["package"]] {
				out = append(out, r)
			}
		}
		return out
	}
	// The committed rows of a (release, class, trait), for the cells the
	// extractor does not derive (type_detail) and the requirement source
	// notes written by hand.
	oldTrait := map[tkey]map[string]string{}
	for _, r := range traits.rows {
		oldTrait[tkey{r["package"], r["release"], r["class"], r["trait"]}] = r
	}
	committedReleases := map[string][]pep440.Version{}
	for _, r := range reqs.rows {
		if v, err := pep440.Parse(r["release"]); err == nil {
			committedReleases[r["package"]] = append(committedReleases[r["package"]], v)
		}
	}
	oldReq := map[string]map[string]string{}
	for _, r := range reqs.rows {
		oldReq[r["package"]+" "+r["release"]] = r
	}
	type hkey struct{ pkg, class, trait string }
	oldHist := map[hkey]map[string]string{}
	for _, r := range hist.rows {
		oldHist[hkey{r["package"], r["class"], r["trait"]}] = r
	}
	// Packages keep the order they have in the committed tables (new ones
	// come last, in name order): kb lists companions in that order.
	orderOf := func(t *tsv) map[string]int {
		order := map[string]int{}
		for _, r := range t.rows {
			if _, ok := order[r["package"]]; !ok {
				order[r["package"]] = len(order)
			}
		}
		for _, dist := range pkgs {
			if _, ok := order[pythonPackages[dist].table]; !ok {
				order[pythonPackages[dist].table] = len(order)
			}
		}
		return order
	}
	traitsOrder, classesOrder, reqsOrder, histOrder := orderOf(&traits), orderOf(&classes), orderOf(&reqs), orderOf(&hist)
	traits.rows, classes.rows, reqs.rows = keep(&traits), keep(&classes), keep(&reqs)
	hist.rows = keep(&hist)
	for _, dist := range pkgs {
		p := pythonPackages[dist]
		rels, err := catalogs(repos[dist], p.dir, rowsByPkg[dist], external)
		if err != nil {
			return fmt.Errorf("%s: %w", dist, err)
		}
		stored := chosen(rels)
		fmt.Fprintf(os.Stderr, "derive: %s: %d releases, %d catalogs stored\n", dist, len(rels), len(stored))
		for _, r := range stored {
			rel := r.row.v.String()
			for _, c := range r.classes {
				own := 0
				for _, t := range c.Traits {
					if t.Kind == "trait" || t.Kind == "trait-unused" {
						own++
					}
				}
				classes.rows = append(classes.rows, map[string]string{"package": p.table, "release": rel, "class": c.Name,
					"module": c.Module, "bases": strings.Join(c.Bases, ","), "own_config_traits": fmt.Sprint(own), "defined_in_factory": c.Factory})
				for _, t := range c.Traits {
					cells := map[string]string{"package": p.table, "release": rel, "class": c.Name, "bases": strings.Join(c.Bases, ","),
						"trait": t.Name, "type": t.Type, "deprecated_since": t.Since, "replacement": t.Replacement, "module": c.Module,
						"row_kind": t.Kind, "deprecated": t.Deprecated, "deprecation_evidence": strings.Join(t.Evidence, ";"),
						"literal_default": t.Default, "default_kind": t.DefaultKind, "default_ref": t.DefaultRef,
						"has_default_method": yesNo(t.HasDefaultMethod), "version_added": t.VersionAdded, "version_changed": t.VersionChanged}
					if o := oldTrait[tkey{p.table, rel, c.Name, t.Name}]; o != nil && o["type"] == t.Type {
						cells["type_detail"] = o["type_detail"]
					}
					if o := handSet(oldTrait, p.table, r.row.v, c.Name, t.Name, committedReleases[p.table]); o != nil && t.Deprecated == o["deprecated"] {
						// Set by hand after reading the source, where
						// the source states no version or replacement
						// the extractor can read (a help text that says
						// "use JupyterHub.hub_connect_ip" in prose).
						if cells["deprecated_since"] == "" && o["deprecated_since"] != "" && notAfter(o["deprecated_since"], r.row.v) {
							cells["deprecated_since"] = o["deprecated_since"]
						}
						if cells["replacement"] == "" && cells["deprecated_since"] != "" {
							cells["replacement"] = o["replacement"]
						}
					}
					traits.rows = append(traits.rows, cells)
				}
			}
			c := r.row.col
			src := joinNonEmpty("+", c[8], c[7])
			if o := oldReq[p.table+" "+rel]; o != nil && strings.HasPrefix(o["source"], src) {
				src = o["source"] // a note written after the derived source
			}
			reqs.rows = append(reqs.rows, map[string]string{"package": p.table, "release": rel, "requires_jupyterhub": c[5],
				"requires_python": c[6], "git_tag": c[3], "source": src})
		}
		for _, h := range histories(p.table, rels, hub) {
			k := hkey{p.table, h["class"], h["trait"]}
			if o := oldHist[k]; o != nil {
				// Written by hand from reading the source: kept.
				for _, col := range []string{"deprecated_in", "replacement", "note_in_your_words", "deprecated_in_source", "undeprecated_in"} {
					h[col] = o[col]
				}
			}
			hist.rows = append(hist.rows, h)
		}
	}
	sortRows(traitsOrder, traits.rows, "package", "release", "class", "trait")
	sortRows(classesOrder, classes.rows, "package", "release", "class")
	sortRows(reqsOrder, reqs.rows, "package", "release")
	sortRows(histOrder, hist.rows, "package", "class", "trait")
	for _, w := range []struct {
		t    tsv
		path string
		h    []string
	}{{traits, traitsPath, traitHeader}, {classes, classesPath, classHeader}, {reqs, reqPath, reqHeader}, {hist, histPath, histHeader}} {
		if err := w.t.write(w.path, w.h); err != nil {
			return err
		}
	}
	return nil
}

// handSet returns the committed row of class.trait at the release of the
// first derivation that stands for v: that derivation catalogued only the
// newest patch of each major line (all 0.x releases as one line), so it is
// the committed release of v's line that is not older than v.
func handSet(old map[tkey]map[string]string, pkg string, v pep440.Version, class, trait string, committed []pep440.Version) map[string]string {
	for _, c := range committed {
		if c.Major() == v.Major() && !c.Less(v) {
			return old[tkey{pkg, c.String(), class, trait}]
		}
	}
	return nil
}

// notAfter reports whether version s is v or older.
func notAfter(s string, v pep440.Version) bool {
	w, err := pep440.Parse(s)
	return err == nil && !v.Less(w)
}

// sortRows sorts by the named columns; a column named release compares
// as a version, package by pkgOrder.
func sortRows(pkgOrder map[string]int, rows []map[string]string, cols ...string) {
	sort.SliceStable(rows, func(i, j int) bool {
		for _, c := range cols {
			a, b := rows[i][c], rows[j][c]
			if a == b {
				continue
			}
			switch c {
			case "package":
				return pkgOrder[a] < pkgOrder[b]
			case "release":
				va, ea := pep440.Parse(a)
				vb, eb := pep440.Parse(b)
				if ea == nil && eb == nil {
					return va.Less(vb)
				}
			}
			return a < b
		}
		return false
	})
}

func joinNonEmpty(sep string, xs ...string) string {
	var out []string
	for _, x := range xs {
		if x != "" {
			out = append(out, x)
		}
	}
	return strings.Join(out, sep)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// histories summarizes every (class, trait) over the final releases.
func histories(pkg string, rels []release, hub []extract.Class) []map[string]string {
	var finals []release
	for _, r := range rels {
		if !r.row.v.IsPrerelease() {
			finals = append(finals, r)
		}
	}
	type key struct{ class, trait string }
	type at struct {
		t     extract.Trait
		bases []string
	}
	present := map[key]map[int]at{}
	var keys []key
	for i, r := range finals {
		for _, c := range r.classes {
			for _, t := range c.Traits {
				k := key{c.Name, t.Name}
				if present[k] == nil {
					present[k] = map[int]at{}
					keys = append(keys, k)
				}
				present[k][i] = at{t, c.Bases}
			}
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].class != keys[j].class {
			return keys[i].class < keys[j].class
		}
		return keys[i].trait < keys[j].trait
	})
	name := func(i int) string { return finals[i].row.v.String() }
	runs := func(in func(i int) bool) string {
		var out []string
		for i := 0; i < len(finals); i++ {
			if !in(i) {
				continue
			}
			j := i
			for j+1 < len(finals) && in(j+1) {
				j++
			}
			if j == i {
				out = append(out, name(i))
			} else {
				out = append(out, name(i)+"-"+name(j))
			}
			i = j
		}
		return strings.Join(out, ",")
	}
	last := len(finals) - 1
	var out []map[string]string
	for _, k := range keys {
		p := present[k]
		first, lastIn := -1, -1
		for i := range finals {
			if _, ok := p[i]; ok {
				if first < 0 {
					first = i
				}
				lastIn = i
			}
		}
		if first < 0 {
			continue // only in pre-releases
		}
		h := map[string]string{"package": pkg, "class": k.class, "trait": k.trait, "first_release": name(first), "first_exact_tag": name(first)}
		if first == 0 {
			h["first_exact_tag"] = "<=" + name(0) // in the oldest tag
		}
		h["present_in"] = runs(func(i int) bool { _, ok := p[i]; return ok })
		if lastIn != last {
			h["last_release"] = name(lastIn)
			h["removed_in"] = name(lastIn + 1)
			h["removed_exact_tag"] = name(lastIn + 1)
			h["resolves_after_removal_via"] = resolvesVia(finals[last].classes, hub, k.class, k.trait)
		}
		dep := -1
		for i := range finals {
			if t, ok := p[i]; ok && t.t.Deprecated == "yes" {
				dep = i
				break
			}
		}
		if dep >= 0 {
			t := p[dep].t
			h["deprecation_marked_in"] = runs(func(i int) bool { t, ok := p[i]; return ok && t.t.Deprecated == "yes" })
			h["deprecation_first_exact_tag"] = name(dep)
			h["deprecated_in"], h["deprecated_in_source"] = name(dep), "first-marked-release"
			if t.Since != "" {
				h["deprecated_in"], h["deprecated_in_source"] = t.Since, "stated"
			}
			h["replacement"] = t.Replacement
			if tl, ok := p[lastIn]; ok && tl.t.Replacement != "" {
				h["replacement"] = tl.t.Replacement
			}
		}
		var kinds, types []string
		prevKind, prevType := "", ""
		for i := range finals {
			t, ok := p[i]
			if !ok {
				continue
			}
			if t.t.Kind != prevKind {
				kinds = append(kinds, t.t.Kind)
				prevKind = t.t.Kind
			}
			if t.t.Type != prevType {
				types = append(types, t.t.Type+"@"+name(i))
				prevType = t.t.Type
			}
		}
		var kh []string
		for _, kind := range kinds {
			kh = append(kh, kind+"("+runs(func(i int) bool { t, ok := p[i]; return ok && t.t.Kind == kind })+")")
		}
		h["kind_history"] = strings.Join(kh, ";")
		if len(types) > 1 {
			h["type_history"] = strings.Join(types, ";")
		}
		for i := lastIn; i >= first; i-- {
			if t, ok := p[i]; ok && t.t.VersionAdded != "" {
				h["version_added_stated"] = t.t.VersionAdded // the newest help that states it
				break
			}
		}
		var note []string
		if h["deprecated_in"] != "" {
			if h["replacement"] != "" {
				note = append(note, fmt.Sprintf("Deprecated (%s); use %s instead.", h["deprecated_in"], h["replacement"]))
			} else {
				note = append(note, fmt.Sprintf("Deprecated (%s); no direct replacement named.", h["deprecated_in"]))
			}
		}
		if h["removed_in"] != "" {
			if v := h["resolves_after_removal_via"]; v != "" && v != "class-gone" {
				note = append(note, fmt.Sprintf("Declaration moved; in %s it still resolves via %s.", name(last), v))
			} else {
				note = append(note, fmt.Sprintf("No longer a config option from %s.", h["removed_in"]))
			}
		}
		if first > 0 {
			note = append(note, fmt.Sprintf("First appears in %s.", name(first)))
		}
		h["note_in_your_words"] = strings.Join(note, " ")
		out = append(out, h)
	}
	return out
}

// resolvesVia says where class.trait resolves in the newest release
// after its own declaration is gone: the base that declares it (of the
// package, or of the newest final jupyterhub release: SystemdSpawner's
// mem_limit is Spawner's from 0.10), "class-gone", or "".
func resolvesVia(classes, hub []extract.Class, class, trait string) string {
	idx := map[string]extract.Class{}
	for _, c := range hub {
		idx[c.Name] = c
	}
	for _, c := range classes {
		idx[c.Name] = c
	}
	c, ok := idx[class]
	if !ok {
		return "class-gone"
	}
	seen := map[string]bool{}
	var walk func(c extract.Class) string
	walk = func(c extract.Class) string {
		if seen[c.Name] {
			return ""
		}
		seen[c.Name] = true
		for _, b := range c.Bases {
			bc, ok := idx[b]
			if !ok {
				continue
			}
			for _, t := range bc.Traits {
				if t.Name == trait && t.Kind != "alias-only-ignored" {
					return bc.Name
				}
			}
			if v := walk(bc); v != "" {
				return v
			}
		}
		return ""
	}
	return walk(c)
}

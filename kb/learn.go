package kb

import (
	"fmt"
	"sort"

	"github.com/hubaudit/hubaudit/kb/kbdata"
	"github.com/hubaudit/hubaudit/pep440"
)

// Learned is a JupyterHub release learned from a package rather than
// known from the embedded fact tables (package kb/extract derives it from
// an installed package, a wheel, an sdist or a source tree).
type Learned struct {
	// Release holds the version, alembic head, Requires-Python and
	// requirements. Date may be empty: a package does not say when it
	// was released.
	Release kbdata.Release
	// Migrations is the release's alembic chain, base first.
	Migrations []kbdata.Migration
	// Classes is the release's configurable-trait catalog.
	Classes []kbdata.Class
	// Messages are the IDs of the known message formats the release
	// prints.
	Messages []string
	// From says what it was learned from ("installed package at ...").
	From string
	// Notes are what the reader of a report should know about the
	// learned facts (requirements stripped by a distribution, ...).
	Notes []string
	// RequirementsIncomplete says the package's requirement list was cut
	// down by its distribution (see Release.RequirementsIncomplete).
	RequirementsIncomplete bool
}

// Learn returns a knowledge base that knows everything k knows and the
// learned release, replacing a known release of the same version. The new
// revisions must continue k's alembic chain, the learned catalog answers
// the release's trait lookups, and the messages it prints have their
// release ranges widened to it. k itself is unchanged.
func (k *KB) Learn(l Learned) (*KB, error) {
	v, err := pep440.Parse(l.Release.Version)
	if err != nil {
		return nil, fmt.Errorf("learned release: %w", err)
	}
	l.Release.Version = v.String()
	l.Release.Prerelease = v.IsPrerelease()
	l.Release.MigrationCount = len(l.Migrations)
	if len(l.Migrations) == 0 || l.Migrations[len(l.Migrations)-1].Revision != l.Release.AlembicHead {
		return nil, fmt.Errorf("learned release %s: its alembic head %s does not end its chain", v, l.Release.AlembicHead)
	}
	core := k.core
	core.Releases = nil
	for _, r := range k.core.Releases {
		if pep440.MustParse(r.Version).Equal(v) {
			continue
		}
		core.Releases = append(core.Releases, r)
	}
	core.Releases = append(core.Releases, l.Release)
	sort.SliceStable(core.Releases, func(i, j int) bool {
		return pep440.MustParse(core.Releases[i].Version).Less(pep440.MustParse(core.Releases[j].Version))
	})
	if core.Migrations, err = mergeChain(k.core.Migrations, l.Migrations, v); err != nil {
		return nil, err
	}
	printed := map[string]bool{}
	for _, id := range l.Messages {
		printed[id] = true
	}
	core.Messages = make([]kbdata.Message, len(k.core.Messages))
	for i, m := range k.core.Messages {
		if printed[m.ID] {
			if m.FirstTag != "" && v.Less(pep440.MustParse(m.FirstTag)) {
				m.FirstTag = v.String()
			}
			if m.LastTag != "" && pep440.MustParse(m.LastTag).Less(v) {
				m.LastTag = v.String()
			}
		}
		core.Messages[i] = m
	}
	nk, err := fromCore(core)
	if err != nil {
		return nil, fmt.Errorf("learned release %s: %w", v, err)
	}
	nk.byVersion[v.String()].RequirementsIncomplete = l.RequirementsIncomplete
	base, err := k.loadTraits()
	if err != nil {
		return nil, err
	}
	nk.traits = base.with("jupyterhub", v, l.Classes)
	nk.learned = map[string]*Learned{}
	for ver, ll := range k.learned {
		if ver != v.String() {
			nk.learned[ver] = ll
		}
	}
	nk.learned[v.String()] = &l
	return nk, nil
}

// mergeChain adds the learned chain's new revisions to the known chain.
// A revision both know must have the same parent; a new one must follow
// the known head.
func mergeChain(known, learned []kbdata.Migration, v pep440.Version) ([]kbdata.Migration, error) {
	out := append([]kbdata.Migration(nil), known...)
	idx := map[string]int{}
	for i, m := range known {
		idx[m.Revision] = i
	}
	for _, m := range learned {
		if j, ok := idx[m.Revision]; ok {
			if known[j].DownRevision != m.DownRevision {
				return nil, fmt.Errorf("learned release %s: revision %s follows %q, the knowledge base says %q", v, m.Revision, m.DownRevision, known[j].DownRevision)
			}
			continue
		}
		if last := out[len(out)-1].Revision; m.DownRevision != last {
			return nil, fmt.Errorf("learned release %s: revision %s follows %s, which is not the newest known revision %s (the chains branch)", v, m.Revision, m.DownRevision, last)
		}
		if m.FirstRelease == "" {
			m.FirstRelease = v.String()
		}
		out = append(out, m)
		idx[m.Revision] = len(out) - 1
	}
	return out, nil
}

// LearnedFrom reports what release v was learned from, when the knowledge
// base learned it from a package.
func (k *KB) LearnedFrom(v pep440.Version) (*Learned, bool) {
	l, ok := k.learned[v.String()]
	return l, ok
}

// Newest returns the newest release the embedded fact tables know (final
// or pre-release), which says how far hubaudit's own knowledge goes;
// releases learned from a package are not counted.
func (k *KB) Newest() *Release {
	for i := len(k.releases) - 1; i >= 0; i-- {
		if _, learned := k.learned[k.releases[i].Version.String()]; !learned {
			return k.releases[i]
		}
	}
	return k.releases[len(k.releases)-1]
}

// Without returns a knowledge base that does not know release v, as if
// the fact tables ended before it or skipped it: for tests that learn a
// release from its package and compare the judgements, and for
// maintainers checking the extractor.
func (k *KB) Without(v string) (*KB, error) {
	pv, err := pep440.Parse(v)
	if err != nil {
		return nil, err
	}
	core := k.core
	core.Releases = nil
	for _, r := range k.core.Releases {
		if !pep440.MustParse(r.Version).Equal(pv) {
			core.Releases = append(core.Releases, r)
		}
	}
	if len(core.Releases) == len(k.core.Releases) {
		return nil, fmt.Errorf("release %s is not known", v)
	}
	nk, err := fromCore(core)
	if err != nil {
		return nil, err
	}
	base, err := k.loadTraits()
	if err != nil {
		return nil, err
	}
	nk.traits = base.with("jupyterhub", pv, nil)
	return nk, nil
}

// with returns a copy of the index whose catalogs of pkg replace the one
// of release v by classes (none: the release is removed). The copy shares
// the unchanged catalogs and the history.
func (t *traitIndex) with(pkg string, v pep440.Version, classes []kbdata.Class) *traitIndex {
	n := &traitIndex{catalogs: map[string][]*catalog{}, owners: map[string][]string{}, history: t.history, rows: t.rows}
	for p, cs := range t.catalogs {
		n.catalogs[p] = cs
	}
	for c, ps := range t.owners {
		n.owners[c] = ps
	}
	var cs []*catalog
	for _, c := range t.catalogs[pkg] {
		if !c.version.Equal(v) {
			cs = append(cs, c)
		}
	}
	if classes != nil {
		cat := &catalog{pkg: pkg, version: v, classes: make(map[string]*kbdata.Class, len(classes))}
		for i := range classes {
			cl := &classes[i]
			cat.classes[cl.Name] = cl
			if !contains(n.owners[cl.Name], pkg) {
				n.owners[cl.Name] = append(append([]string(nil), n.owners[cl.Name]...), pkg)
			}
		}
		cs = append(cs, cat)
		sort.Slice(cs, func(i, j int) bool { return cs[i].version.Less(cs[j].version) })
	}
	n.catalogs[pkg] = cs
	return n
}

// Catalog returns the classes of pkg's catalog for exactly release v.
func (k *KB) Catalog(pkg string, v pep440.Version) ([]*kbdata.Class, bool, error) {
	t, err := k.loadTraits()
	if err != nil {
		return nil, false, err
	}
	for _, c := range t.catalogs[pkg] {
		if c.version.Equal(v) {
			out := make([]*kbdata.Class, 0, len(c.classes))
			for _, cl := range c.classes {
				out = append(out, cl)
			}
			sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
			return out, true, nil
		}
	}
	return nil, false, nil
}

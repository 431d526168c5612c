package kb

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/hubaudit/hubaudit/kb/kbdata"
	"github.com/hubaudit/hubaudit/pep440"
)

// traitIndex is the trait catalog arranged for lookups.
type traitIndex struct {
	// catalogs per package, oldest release first.
	catalogs map[string][]*catalog
	// owners maps a class name to the packages that define it.
	owners  map[string][]string
	history map[histKey]*kbdata.TraitHistory
	// rows are the history rows sorted by package, class and trait.
	rows []kbdata.TraitHistory
}

type histKey struct{ pkg, class, trait string }

type catalog struct {
	pkg     string
	version pep440.Version
	classes map[string]*kbdata.Class
}

// The trait catalog is the same embedded data for every KB value, so it is
// indexed and checked once per process, independently of the core.
var loadTraitIndex = sync.OnceValues(func() (*traitIndex, error) { return indexTraits(&embeddedTraits) })

// PreloadTraits indexes the embedded trait catalog now. It needs nothing
// else from the knowledge base, so callers run it concurrently with Load.
func PreloadTraits() error {
	_, err := loadTraitIndex()
	return err
}

func (k *KB) loadTraits() (*traitIndex, error) {
	if k.traits != nil {
		return k.traits, nil
	}
	return loadTraitIndex()
}

// indexTraits builds the lookup index of t and checks it: every version
// parses, class references resolve, history rows are sorted and unique, and
// nothing is removed before it is deprecated.
func indexTraits(t *kbdata.Traits) (*traitIndex, error) {
	// The same few dozen version strings recur on every row.
	parsed := map[string]pep440.Version{}
	parse := func(s string) (pep440.Version, error) {
		if v, ok := parsed[s]; ok {
			return v, nil
		}
		v, err := pep440.Parse(s)
		if err == nil {
			parsed[s] = v
		}
		return v, err
	}
	idx := &traitIndex{catalogs: map[string][]*catalog{}, owners: map[string][]string{}, history: make(map[histKey]*kbdata.TraitHistory, len(t.History)), rows: t.History}
	for i := range t.Catalogs {
		c := &t.Catalogs[i]
		v, err := parse(c.Release)
		if err != nil {
			return nil, fmt.Errorf("knowledge base traits: %s: %w", c.Package, err)
		}
		cat := &catalog{pkg: c.Package, version: v, classes: make(map[string]*kbdata.Class, len(c.ClassIDs))}
		for _, id := range c.ClassIDs {
			if id < 0 || id >= len(t.Classes) {
				return nil, fmt.Errorf("knowledge base traits: %s %s: class %d does not exist", c.Package, c.Release, id)
			}
			cl := &t.Classes[id]
			cat.classes[cl.Name] = cl
			if !contains(idx.owners[cl.Name], c.Package) {
				idx.owners[cl.Name] = append(idx.owners[cl.Name], c.Package)
			}
		}
		idx.catalogs[c.Package] = append(idx.catalogs[c.Package], cat)
	}
	for _, cs := range idx.catalogs {
		sort.Slice(cs, func(i, j int) bool { return cs[i].version.Less(cs[j].version) })
	}
	for i := range t.History {
		h := &t.History[i]
		var vs [4]pep440.Version
		for j, s := range []string{h.FirstRelease, h.LastRelease, h.DeprecatedIn, h.RemovedIn} {
			if s == "" {
				continue
			}
			v, err := parse(s)
			if err != nil {
				return nil, fmt.Errorf("knowledge base traits: %s.%s: %w", h.Class, h.Trait, err)
			}
			vs[j] = v
		}
		if h.DeprecatedIn != "" && h.RemovedIn != "" && vs[3].Less(vs[2]) {
			return nil, fmt.Errorf("knowledge base traits: %s.%s removed in %s before deprecated in %s", h.Class, h.Trait, h.RemovedIn, h.DeprecatedIn)
		}
		if i > 0 {
			p := &t.History[i-1]
			if !(p.Package < h.Package || p.Package == h.Package && (p.Class < h.Class || p.Class == h.Class && p.Trait < h.Trait)) {
				return nil, fmt.Errorf("knowledge base traits: history of %s %s.%s is out of order or listed twice", h.Package, h.Class, h.Trait)
			}
		}
		idx.history[histKey{h.Package, h.Class, h.Trait}] = h
	}
	return idx, nil
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// pick returns the catalog of pkg that describes version v. A zero v
// means the newest final catalog. For jupyterhub (catalogued at the
// newest patch of each minor line): the same major.minor line, else the
// newest one not after v, else the oldest. A companion is catalogued at
// every release whose configurable traits changed (and the newest patch
// of each minor line), so its release v has exactly the catalog of the
// newest catalogued release not after it (pre-releases included); a v
// older than every catalog gets the oldest.
func (t *traitIndex) pick(pkg string, v pep440.Version) *catalog {
	cs := t.catalogs[pkg]
	if len(cs) == 0 {
		return nil
	}
	if v.IsZero() {
		for i := len(cs) - 1; i >= 0; i-- {
			if !cs[i].version.IsPrerelease() {
				return cs[i]
			}
		}
		return cs[len(cs)-1]
	}
	if pkg != "jupyterhub" && pkg != "traitlets" {
		for i := len(cs) - 1; i >= 0; i-- {
			if cs[i].version.Compare(v) <= 0 {
				return cs[i]
			}
		}
		return cs[0]
	}
	sameLine := func(a, b pep440.Version) bool {
		if pkg == "jupyterhub" {
			return a.SameMajorMinor(b)
		}
		return a.Major() == b.Major()
	}
	for i := len(cs) - 1; i >= 0; i-- {
		if sameLine(cs[i].version, v) && cs[i].version.IsPrerelease() == v.IsPrerelease() {
			return cs[i]
		}
	}
	for i := len(cs) - 1; i >= 0; i-- {
		if sameLine(cs[i].version, v) {
			return cs[i]
		}
	}
	for i := len(cs) - 1; i >= 0; i-- {
		if cs[i].version.Compare(v) <= 0 {
			return cs[i]
		}
	}
	return cs[0]
}

// Versions pins the package versions a lookup resolves against:
// JupyterHub's version and, for companion packages, the installed version
// where known (a missing entry means the newest analysed release).
type Versions struct {
	JupyterHub pep440.Version
	Companions map[string]pep440.Version
}

// TraitLookup is the answer to "is c.Class.name a config option?".
type TraitLookup struct {
	// ClassKnown is false for classes the catalog does not have (a custom
	// class in the config, or a package hubaudit has no catalog for).
	ClassKnown bool
	// Package is the package defining Class; CatalogRelease the analysed
	// release of it that was consulted.
	Package        string
	CatalogRelease string
	// Found is true when the name is declared on the class or a base.
	Found bool
	// DefinedOn is the class that declares the trait (Class or a base).
	DefinedOn string
	Trait     kbdata.Trait
	// History is the trait's summary over releases, when known.
	History *kbdata.TraitHistory
}

// Accepted reports whether setting the name has an effect: a real trait
// that something reads, or an alias that the class rewrites.
func (l TraitLookup) Accepted() bool {
	return l.Found && !l.Trait.NoEffect()
}

// LookupTrait resolves c.<class>.<name> against the catalog in force for
// the given versions, following base classes across packages.
func (k *KB) LookupTrait(class, name string, at Versions) (TraitLookup, error) {
	t, err := k.loadTraits()
	if err != nil {
		return TraitLookup{}, err
	}
	res := TraitLookup{}
	start := t.resolveClass(class, at)
	if start == nil {
		// History may still know the name even when the class is gone.
		res.History = t.historyFor(class, name)
		return res, nil
	}
	res.ClassKnown = true
	res.Package = start.cat.pkg
	res.CatalogRelease = start.cat.version.String()
	t.walk(start, at, map[string]bool{}, func(c classRef) bool {
		for _, tr := range c.cls.Traits {
			if tr.Name == name {
				res.Found = true
				res.DefinedOn = c.cls.Name
				res.Trait = tr
				res.History = t.history[histKey{c.cat.pkg, c.cls.Name, name}]
				return true
			}
		}
		return false
	})
	if res.History == nil {
		res.History = t.historyFor(class, name)
	}
	return res, nil
}

// historyFor finds a history row for class.name in any package, also
// through the class's bases in the newest catalogs.
func (t *traitIndex) historyFor(class, name string) *kbdata.TraitHistory {
	for _, pkg := range append(t.owners[class], "jupyterhub") {
		if h := t.history[histKey{pkg, class, name}]; h != nil {
			return h
		}
	}
	for i := range t.rows {
		if h := &t.rows[i]; h.Class == class && h.Trait == name {
			return h
		}
	}
	return nil
}

// ClassTraits lists every name accepted on class (own and inherited) at the
// given versions, sorted; nil when the class is unknown.
func (k *KB) ClassTraits(class string, at Versions) ([]string, error) {
	t, err := k.loadTraits()
	if err != nil {
		return nil, err
	}
	start := t.resolveClass(class, at)
	if start == nil {
		return nil, nil
	}
	seen := map[string]bool{}
	t.walk(start, at, map[string]bool{}, func(c classRef) bool {
		for _, tr := range c.cls.Traits {
			if !tr.NoEffect() {
				seen[tr.Name] = true
			}
		}
		return false
	})
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out, nil
}

// KnownClass reports whether any catalog (any release) defines class, and
// which package it belongs to.
func (k *KB) KnownClass(class string) (pkg string, ok bool, err error) {
	t, err := k.loadTraits()
	if err != nil {
		return "", false, err
	}
	owners := t.owners[class]
	if len(owners) == 0 {
		return "", false, nil
	}
	return owners[0], true, nil
}

// ClassExists reports whether class is defined in the catalog in force for
// the given versions (not just in some other release).
func (k *KB) ClassExists(class string, at Versions) (bool, error) {
	t, err := k.loadTraits()
	if err != nil {
		return false, err
	}
	return t.resolveClass(class, at) != nil, nil
}

// ClassNames returns every class name the catalog in force for the given
// versions defines, across packages, sorted.
func (k *KB) ClassNames(at Versions) ([]string, error) {
	t, err := k.loadTraits()
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for pkg := range t.catalogs {
		if c := t.pick(pkg, at.version(pkg)); c != nil {
			for n := range c.classes {
				seen[n] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out, nil
}

// TraitHistory returns the history row of a declared trait in a package.
func (k *KB) TraitHistory(pkg, class, name string) (*kbdata.TraitHistory, error) {
	t, err := k.loadTraits()
	if err != nil {
		return nil, err
	}
	if pkg == "" {
		return t.historyFor(class, name), nil
	}
	return t.history[histKey{pkg, class, name}], nil
}

// AllHistory returns every trait history row, sorted by package, class
// and trait. The rows are shared: callers must not modify them.
func (k *KB) AllHistory() ([]kbdata.TraitHistory, error) {
	t, err := k.loadTraits()
	if err != nil {
		return nil, err
	}
	return t.rows, nil
}

func (v Versions) version(pkg string) pep440.Version {
	if pkg == "jupyterhub" {
		return v.JupyterHub
	}
	if pkg == "traitlets" {
		return pep440.Version{}
	}
	return v.Companions[pkg]
}

type classRef struct {
	cat *catalog
	cls *kbdata.Class
}

// resolveClass finds class in jupyterhub's catalog first, then in the
// companion packages that define it, then traitlets.
func (t *traitIndex) resolveClass(class string, at Versions) *classRef {
	owners := append([]string{}, t.owners[class]...)
	sort.SliceStable(owners, func(i, j int) bool { return rank(owners[i]) < rank(owners[j]) })
	for _, pkg := range owners {
		if c := t.pick(pkg, at.version(pkg)); c != nil {
			if cl := c.classes[class]; cl != nil {
				return &classRef{cat: c, cls: cl}
			}
		}
	}
	return nil
}

func rank(pkg string) int {
	switch pkg {
	case "jupyterhub":
		return 0
	case "traitlets":
		return 2
	}
	return 1
}

// walk visits c and its bases depth-first in declaration order until visit
// returns true. Bases are looked up in c's own package first.
func (t *traitIndex) walk(c *classRef, at Versions, seen map[string]bool, visit func(classRef) bool) bool {
	key := c.cat.pkg + "/" + c.cls.Name
	if seen[key] {
		return false
	}
	seen[key] = true
	if visit(*c) {
		return true
	}
	for _, b := range c.cls.Bases {
		b = strings.TrimSpace(b)
		var next *classRef
		if cl := c.cat.classes[b]; cl != nil && b != c.cls.Name {
			next = &classRef{cat: c.cat, cls: cl}
		} else {
			next = t.resolveClass(b, at)
		}
		if next != nil && t.walk(next, at, seen, visit) {
			return true
		}
	}
	return false
}

// LoadTraits loads the trait catalog now (it is otherwise loaded on first
// use); the audit calls it in the background while collectors read their
// inputs.
func (k *KB) LoadTraits() error {
	_, err := k.loadTraits()
	return err
}

// Ancestors lists class and its base classes (transitively, across
// packages) in the catalogs in force for the given versions, the class
// itself first; nil when the class is unknown.
func (k *KB) Ancestors(class string, at Versions) ([]string, error) {
	t, err := k.loadTraits()
	if err != nil {
		return nil, err
	}
	start := t.resolveClass(class, at)
	if start == nil {
		return nil, nil
	}
	var out []string
	t.walk(start, at, map[string]bool{}, func(c classRef) bool {
		if !contains(out, c.cls.Name) {
			out = append(out, c.cls.Name)
		}
		return false
	})
	return out, nil
}

// IsA reports whether class is base or derives from it at the given
// versions (traitlets applies c.Base.x to every subclass of Base).
func (k *KB) IsA(class, base string, at Versions) bool {
	if class == base {
		return true
	}
	as, err := k.Ancestors(class, at)
	return err == nil && contains(as, base)
}

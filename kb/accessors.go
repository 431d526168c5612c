package kb

import (
	"github.com/hubaudit/hubaudit/pep440"
)

// Trait resolves c.<class>.<name> against JupyterHub release at (companion
// packages at their newest analysed release). It is LookupTrait for the
// common case.
func (k *KB) Trait(class, name string, at pep440.Version) (TraitLookup, error) {
	return k.LookupTrait(class, name, Versions{JupyterHub: at})
}

// Deprecation is what the knowledge base knows about a deprecated or
// removed option.
type Deprecation struct {
	// Option is "Class.name".
	Option string
	// Since is the version that deprecated it ("" when only removed).
	Since string
	// RemovedIn is the first analysed release without it ("" when still
	// accepted).
	RemovedIn string
	// Replacement is the option (or concept) to use instead.
	Replacement string
	// Ignored is true when setting it has no effect at the version asked
	// (an alias kept only to warn).
	Ignored bool
}

// Deprecation reports whether c.<class>.<name> is deprecated, removed or
// ignored at JupyterHub version at, resolving the class through its bases.
func (k *KB) Deprecation(class, name string, at pep440.Version) (Deprecation, bool, error) {
	l, err := k.Trait(class, name, at)
	if err != nil {
		return Deprecation{}, false, err
	}
	d := Deprecation{Option: class + "." + name}
	if l.Found {
		d.Since = l.Trait.DeprecatedSince
		d.Replacement = l.Trait.Replacement
		d.Ignored = !l.Accepted()
	}
	if h := l.History; h != nil {
		if d.Since == "" {
			d.Since = h.DeprecatedIn
		}
		if d.Replacement == "" {
			d.Replacement = h.Replacement
		}
		if h.RemovedIn != "" && !l.Found {
			if rv, err := pep440.Parse(h.RemovedIn); err == nil && rv.Compare(at) <= 0 {
				d.RemovedIn = h.RemovedIn
			}
		}
		if d.Since != "" {
			if sv, err := pep440.Parse(d.Since); err == nil && at.Less(sv) {
				d.Since, d.Replacement = "", "" // not yet deprecated at this version
			}
		}
	}
	ok := d.Since != "" || d.RemovedIn != "" || d.Ignored
	return d, ok, nil
}

// DefaultRef returns the name the default of c.<class>.<name> refers to at
// JupyterHub release at (JupyterHub.spawner_class: LocalProcessSpawner),
// and whether the default is such a reference.
func (k *KB) DefaultRef(class, name string, at pep440.Version) (string, bool) {
	l, err := k.Trait(class, name, at)
	if err != nil || !l.Found || l.Trait.DefaultRef == "" {
		return "", false
	}
	return l.Trait.DefaultRef, true
}

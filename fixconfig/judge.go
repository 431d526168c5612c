package fixconfig

import (
	"strings"

	"github.com/hubaudit/hubaudit/internal/lazyre"
	"github.com/hubaudit/hubaudit/internal/textdist"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/pep440"
)

// Status is what the knowledge base says about c.Class.name at a release.
type Status int

// The statuses Judge returns.
const (
	// OK: a current option.
	OK Status = iota
	// Deprecated: accepted, but deprecated at the release.
	Deprecated
	// Ignored: only listed in a deprecation table, or declared but read
	// by nothing; setting it has no effect.
	Ignored
	// Removed: the name was an option in an earlier release and is not
	// one any more.
	Removed
	// NotYet: the name is an option only in later releases.
	NotYet
	// Unknown: the class is known and the name never was one of its
	// options.
	Unknown
	// ClassGone: the class exists in other releases of its package, not
	// in this one.
	ClassGone
	// UnknownClass: no catalog knows the class (a custom class, or a
	// package hubaudit has no catalog for).
	UnknownClass
	// Uncataloged: the class belongs to a package hubaudit knows by its
	// class names only (kb.UncatalogedClass): its options are not judged.
	Uncataloged
)

// Judgement is the verdict on one option.
type Judgement struct {
	Status Status
	// Lookup is the raw knowledge-base answer at the release.
	Lookup kb.TraitLookup
	// Package and CatalogRelease say which package release was
	// consulted ("oauthenticator", "17.4.0").
	Package        string
	CatalogRelease string
	// Since is the version that deprecated or renamed the name;
	// SinceStated is false when the source never states it and Since is
	// only the first analysed release that marks it deprecated.
	Since       string
	SinceStated bool
	// Replacement is the "Class.trait" that replaces the name, when the
	// replacement is mechanical; ReplacementText is the knowledge base's
	// wording otherwise.
	Replacement     string
	ReplacementText string
	// Last is the last release that accepted the name (Removed) and
	// First the first that accepts it (NotYet), or, for ClassGone, the
	// first release of the package that has the class when every release
	// that has it is newer than the one in use (the class is not gone
	// but not there yet).
	Last, First string
}

var renamedRE = lazyre.New(`(?i)\b(renamed|forwarded|copied over|rewritten to)\b`)

var mechanicalRE = lazyre.New(`^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$`)

// Judge looks c.class.name up in the knowledge base at the given versions.
func Judge(k *kb.KB, at kb.Versions, class, name string) (Judgement, error) {
	l, err := k.LookupTrait(class, name, at)
	if err != nil {
		return Judgement{}, err
	}
	j := Judgement{Lookup: l, Package: l.Package, CatalogRelease: l.CatalogRelease}
	if !l.ClassKnown {
		pkg, ok, err := k.KnownClass(class)
		if err != nil {
			return j, err
		}
		j.Package = pkg
		switch {
		case ok:
			j.Status = ClassGone
			j.First = classFirst(k, at, class, pkg)
		default:
			j.Status = UnknownClass
			if pkg, ok := kb.UncatalogedClass(class); ok {
				j.Status, j.Package = Uncataloged, pkg
			}
		}
		return j, nil
	}
	// A rename is mechanical only when the knowledge base says the old
	// name is renamed, forwarded, copied over or rewritten to the new one;
	// a replacement with another value shape ("use a full
	// hub_connect_url", "superseded by ...; old value is not converted")
	// or on another authenticator class is for a person to apply.
	notMechanical := l.History == nil || !renamedRE().MatchString(l.History.Note) ||
		strings.Contains(l.History.Note, "not converted") || strings.HasPrefix(l.History.Note, "Superseded")
	repl := func(r string) {
		r = strings.TrimPrefix(strings.TrimSpace(r), "c.")
		if r == "" {
			return
		}
		if notMechanical {
			j.ReplacementText = r
			return
		}
		if !strings.Contains(r, ".") && mechanicalRE().MatchString(class+"."+r) {
			r = class + "." + r
		}
		if mechanicalRE().MatchString(r) {
			j.Replacement = r
		}
		j.ReplacementText = r
	}
	if l.Found {
		if l.History != nil {
			repl(l.History.Replacement)
			j.Since = l.History.DeprecatedIn
		}
		if l.Trait.Replacement != "" {
			repl(l.Trait.Replacement)
		}
		if l.Trait.DeprecatedSince != "" {
			j.Since, j.SinceStated = l.Trait.DeprecatedSince, true
		}
		switch {
		case l.Trait.NoEffect():
			j.Status = Ignored
		case l.Trait.Deprecated || l.Trait.DeprecatedSince != "":
			j.Status = Deprecated
		default:
			j.Status = OK
			j.Replacement, j.ReplacementText = "", ""
		}
		return j, nil
	}
	// Not accepted at this release: was it ever, before or after?
	if l.History != nil {
		repl(l.History.Replacement)
		j.Since = l.History.DeprecatedIn
	}
	if last, ok := lastAccepted(k, at, class, name, l.Package); ok {
		j.Status, j.Last = Removed, last
		if j.ReplacementText == "" {
			if h := historyAt(k, at, class, name, l.Package, last); h != "" {
				repl(h)
			}
		}
		return j, nil
	}
	if l.History != nil && l.History.FirstRelease != "" {
		j.Status, j.First = NotYet, l.History.FirstRelease
		if e := l.History.FirstExactTag; e != "" && !strings.HasPrefix(e, "<") {
			j.First = e
		}
		return j, nil
	}
	j.Status = Unknown
	return j, nil
}

// classFirst returns the oldest analysed final release of pkg that defines
// class when that release is newer than the one in use, else "".
func classFirst(k *kb.KB, at kb.Versions, class, pkg string) string {
	cur := versionOf(at, pkg)
	if cur.IsZero() {
		return ""
	}
	rs := packageReleases(k, pkg)
	for i := len(rs) - 1; i >= 0; i-- {
		v := rs[i]
		if v.IsPrerelease() {
			continue
		}
		if ok, err := k.ClassExists(class, withVersion(at, pkg, v)); err != nil || !ok {
			continue
		}
		if cur.Less(v) {
			return v.String()
		}
		return ""
	}
	return ""
}

// packageReleases lists the analysed releases of pkg, newest first.
func packageReleases(k *kb.KB, pkg string) []pep440.Version {
	var out []pep440.Version
	if pkg == "jupyterhub" {
		rs := k.Releases()
		for i := len(rs) - 1; i >= 0; i-- {
			out = append(out, rs[i].Version)
		}
		return out
	}
	cs := k.CompanionRequirements(pkg)
	for i := len(cs) - 1; i >= 0; i-- {
		if v, err := pep440.Parse(cs[i].Release); err == nil {
			out = append(out, v)
		}
	}
	return out
}

func versionOf(at kb.Versions, pkg string) pep440.Version {
	if pkg == "jupyterhub" {
		return at.JupyterHub
	}
	return at.Companions[pkg]
}

func withVersion(at kb.Versions, pkg string, v pep440.Version) kb.Versions {
	out := kb.Versions{JupyterHub: at.JupyterHub, Companions: map[string]pep440.Version{}}
	for p, cv := range at.Companions {
		out.Companions[p] = cv
	}
	if pkg == "jupyterhub" {
		out.JupyterHub = v
	} else {
		out.Companions[pkg] = v
	}
	return out
}

// lastAccepted finds the newest release of the class's package, older
// than the one consulted, where class.name was accepted.
func lastAccepted(k *kb.KB, at kb.Versions, class, name, pkg string) (string, bool) {
	cur := versionOf(at, pkg)
	for _, v := range packageReleases(k, pkg) {
		if v.IsPrerelease() || !cur.IsZero() && cur.Compare(v) <= 0 {
			continue
		}
		l, err := k.LookupTrait(class, name, withVersion(at, pkg, v))
		if err == nil && l.Accepted() {
			return v.String(), true
		}
		if err == nil && !l.ClassKnown {
			continue
		}
	}
	return "", false
}

// historyAt returns the replacement the catalog of release last stated.
func historyAt(k *kb.KB, at kb.Versions, class, name, pkg, last string) string {
	v, err := pep440.Parse(last)
	if err != nil {
		return ""
	}
	l, err := k.LookupTrait(class, name, withVersion(at, pkg, v))
	if err != nil {
		return ""
	}
	return l.Trait.Replacement
}

// Suggest returns the option of class nearest to name by edit distance
// ("" when none is close).
func Suggest(k *kb.KB, at kb.Versions, class, name string) string {
	names, err := k.ClassTraits(class, at)
	if err != nil {
		return ""
	}
	limit := min(4, len(name)/3+1)
	best, bestD := "", limit+1
	for _, n := range names {
		if d := textdist.Distance(strings.ToLower(name), strings.ToLower(n)); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

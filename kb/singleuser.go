package kb

import (
	"strings"

	"github.com/hubaudit/hubaudit/kb/kbdata"
	"github.com/hubaudit/hubaudit/pep440"
)

// singleuserFact returns the fact with the given id whose release range
// holds v; a version after every range gets the newest range's fact.
func (k *KB) singleuserFact(id string, v pep440.Version) (kbdata.SingleuserFact, bool) {
	i, ok := inRange(len(k.core.Singleuser), func(i int) (string, string, string) {
		f := k.core.Singleuser[i]
		return f.ID, f.FirstTag, f.LastTag
	}, id, v)
	if !ok {
		return kbdata.SingleuserFact{}, false
	}
	return k.core.Singleuser[i], true
}

// Command returns the command line fact with the given id (commands.tsv:
// "subcommand.upgrade-db", "dbutil.alembic") for JupyterHub release v; a
// version after every range gets the newest range's fact.
func (k *KB) Command(id string, v pep440.Version) (kbdata.Command, bool) {
	i, ok := inRange(len(k.core.Commands), func(i int) (string, string, string) {
		c := k.core.Commands[i]
		return c.ID, c.FirstTag, c.LastTag
	}, id, v)
	if !ok {
		return kbdata.Command{}, false
	}
	return k.core.Commands[i], true
}

// inRange finds among n rows (row(i) gives id, first and last tag) the one
// with the given id whose range holds v, or the newest range when v is
// after all of them.
func inRange(n int, row func(int) (id, first, last string), id string, v pep440.Version) (int, bool) {
	newest := -1
	var newestFirst pep440.Version
	for i := 0; i < n; i++ {
		rid, fs, ls := row(i)
		if rid != id {
			continue
		}
		first, err := pep440.Parse(fs)
		if err != nil {
			continue
		}
		last, err := pep440.Parse(ls)
		if err != nil {
			continue
		}
		if first.Compare(v) <= 0 && v.Compare(last) <= 0 {
			return i, true
		}
		if newestFirst.IsZero() || newestFirst.Less(first) {
			newest, newestFirst = i, first
		}
	}
	if newest >= 0 && newestFirst.Less(v) {
		return newest, true
	}
	return -1, false
}

// MismatchCompare says which part of the versions a hub at version v
// compares before it warns that its jupyterhub and jupyterhub-singleuser
// versions differ: "major.minor" or "major". False when v predates the
// facts.
func (k *KB) MismatchCompare(v pep440.Version) (string, bool) {
	f, ok := k.singleuserFact("version_mismatch.compare", v)
	return f.Value, ok
}

// MismatchWarned reports whether a hub at version hub warns about a
// single-user server at version user (the version.mismatch.warning
// message), following the hub's own comparison for its version.
func (k *KB) MismatchWarned(hub, user pep440.Version) bool {
	cmp, ok := k.MismatchCompare(hub)
	if !ok {
		cmp = "major.minor"
	}
	if cmp == "major" {
		return hub.Major() != user.Major()
	}
	return !hub.SameMajorMinor(user)
}

// SingleuserBreaking returns the releases that the JupyterHub docs name as
// the known breaking boundaries between hub and single-user versions,
// oldest first.
func (k *KB) SingleuserBreaking() []pep440.Version {
	var out []pep440.Version
	for _, f := range k.core.Singleuser {
		if f.ID != "version_mismatch.breaking" {
			continue
		}
		if v, err := pep440.Parse(f.FirstTag); err == nil {
			out = append(out, v)
		}
	}
	return out
}

// BreakingBetween returns a known breaking boundary that lies between a
// and b (one below it, the other at or above it), if any.
func (k *KB) BreakingBetween(a, b pep440.Version) (pep440.Version, bool) {
	lo, hi := a, b
	if hi.Less(lo) {
		lo, hi = hi, lo
	}
	for _, v := range k.SingleuserBreaking() {
		if lo.Less(v) && v.Compare(hi) <= 0 {
			return v, true
		}
	}
	return pep440.Version{}, false
}

// SingleuserGap is how a hub at one jupyterhub version judges a
// single-user server at another, from the knowledge base's facts.
type SingleuserGap struct {
	// Crosses is set when a known breaking release (Breaking) lies
	// between the two: servers fail to authenticate.
	Crosses  bool
	Breaking pep440.Version
	// Warned says the hub warns about the difference; Compare is the
	// part of the versions it compares ("major.minor" or "major", ""
	// when the hub predates the facts).
	Warned  bool
	Compare string
}

// SingleuserGap judges a single-user server's jupyterhub (user) against
// the hub's (hub) the way that hub does.
func (k *KB) SingleuserGap(hub, user pep440.Version) SingleuserGap {
	g := SingleuserGap{Warned: k.MismatchWarned(hub, user)}
	g.Breaking, g.Crosses = k.BreakingBetween(hub, user)
	g.Compare, _ = k.MismatchCompare(hub)
	return g
}

// SingleuserServer returns the alternatives jupyterhub-singleuser of
// release v needs importable in the user environment, each a PEP 508 name
// with an optional specifier ("jupyter-server", "notebook<7"), and the
// source the fact was read from.
func (k *KB) SingleuserServer(v pep440.Version) (alternatives []string, source string, ok bool) {
	f, ok := k.singleuserFact("singleuser.server", v)
	if !ok {
		return nil, "", false
	}
	return strings.Split(f.Value, "|"), f.Source, true
}

// UndeclaredRequirements returns the constraints JupyterHub release v
// needs without declaring them (SQLAlchemy<2 before 3.1.1).
func (k *KB) UndeclaredRequirements(v pep440.Version) []kbdata.UndeclaredRequirement {
	var out []kbdata.UndeclaredRequirement
	for _, u := range k.core.UndeclaredRequirements {
		first, err1 := pep440.Parse(u.FirstTag)
		last, err2 := pep440.Parse(u.LastTag)
		if err1 == nil && err2 == nil && first.Compare(v) <= 0 && v.Compare(last) <= 0 {
			out = append(out, u)
		}
	}
	return out
}

package kb

import (
	"encoding/json"
	"fmt"
	"regexp"
	"regexp/syntax"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hubaudit/hubaudit/internal/lazyre"
	"github.com/hubaudit/hubaudit/kb/kbdata"
	"github.com/hubaudit/hubaudit/pep440"
)

// Release is one JupyterHub release with its facts.
type Release struct {
	Version        pep440.Version
	Date           time.Time
	AlembicHead    string
	RequiresPython pep440.Specifier
	Prerelease     bool
	MigrationCount int
	Requirements   []kbdata.Requirement
	// RequirementsIncomplete is true for a release learned from a package
	// whose distribution cut its requirement list down (Debian's): the
	// requirements are what is left, and comparisons of them say nothing.
	RequirementsIncomplete bool
}

// String returns the release's version.
func (r *Release) String() string { return r.Version.String() }

// Requirement returns the release's requirement on the normalized package
// name, if it has one.
func (r *Release) Requirement(name string) (kbdata.Requirement, bool) {
	n := pep440.NormalizeName(name)
	for _, q := range r.Requirements {
		if q.Name == n {
			return q, true
		}
	}
	return kbdata.Requirement{}, false
}

// Migration is one alembic revision of JupyterHub's database chain.
type Migration struct {
	kbdata.Migration
	// Index is the position in the chain, 0 for the base revision.
	Index int
}

// Message is a message format with its pattern.
type Message struct {
	kbdata.Message
	// First and Last bound the releases that print the message.
	First, Last pep440.Version
	re          func() *regexp.Regexp
}

// Regexp returns the compiled pattern. Patterns are checked when the
// knowledge base loads but compiled on first use: a run reads a handful of
// the messages, and compiling all of them cost more than the rest of the
// load.
func (m *Message) Regexp() *regexp.Regexp { return m.re() }

// PrintedBy reports whether release v prints this message.
func (m *Message) PrintedBy(v pep440.Version) bool {
	if !m.First.IsZero() && v.Less(m.First) {
		return false
	}
	if !m.Last.IsZero() && m.Last.Less(v) {
		return false
	}
	return true
}

// KB is the loaded knowledge base. It is immutable and safe for concurrent
// use.
type KB struct {
	releases   []*Release
	byVersion  map[string]*Release
	migrations []*Migration
	byRev      map[string]*Migration
	unreleased map[string]kbdata.Migration
	messages   []*Message
	msgByID    map[string]*Message
	alembic    []*Message
	logMsgs    []*Message
	core       kbdata.Core
	// traits is the trait index of a knowledge base that learned a
	// release (Learn, Without); nil means the embedded catalog.
	traits *traitIndex
	// learned are the releases learned from packages, by version.
	learned map[string]*Learned
}

// loadCore indexes and checks the embedded core once per process.
var loadCore = sync.OnceValues(func() (*KB, error) { return fromCore(embeddedCore) })

// Load returns the embedded knowledge base, indexing and validating it on
// the first call.
func Load() (*KB, error) { return loadCore() }

// MustLoad is Load that panics when the embedded data is invalid; the
// validation test guarantees it is not.
func MustLoad() *KB {
	k, err := Load()
	if err != nil {
		panic(err)
	}
	return k
}

// FromCore builds and validates a knowledge base from a core JSON document
// (the JSON form of kbdata.Core). The trait catalog is always the embedded
// one.
func FromCore(b []byte) (*KB, error) {
	var core kbdata.Core
	if err := json.Unmarshal(b, &core); err != nil {
		return nil, fmt.Errorf("knowledge base: %w", err)
	}
	return fromCore(core)
}

// fromCore indexes and validates core.
func fromCore(core kbdata.Core) (*KB, error) {
	k := &KB{core: core, byVersion: map[string]*Release{}, byRev: map[string]*Migration{}, unreleased: map[string]kbdata.Migration{}, msgByID: map[string]*Message{}}
	for _, r := range core.Releases {
		v, err := pep440.Parse(r.Version)
		if err != nil {
			return nil, fmt.Errorf("knowledge base: release: %w", err)
		}
		spec, err := pep440.ParseSpecifier(r.RequiresPython)
		if err != nil {
			return nil, fmt.Errorf("knowledge base: release %s: requires_python: %w", r.Version, err)
		}
		var d time.Time
		if r.Date != "" { // a release learned from a package has no date
			if d, err = time.Parse(time.RFC3339, r.Date); err != nil {
				return nil, fmt.Errorf("knowledge base: release %s: date: %w", r.Version, err)
			}
		}
		for _, q := range r.Requirements {
			if _, err := pep440.ParseSpecifier(q.Specifier); err != nil {
				return nil, fmt.Errorf("knowledge base: release %s: requirement %s: %w", r.Version, q.Name, err)
			}
		}
		rel := &Release{Version: v, Date: d, AlembicHead: r.AlembicHead, RequiresPython: spec, Prerelease: r.Prerelease, MigrationCount: r.MigrationCount, Requirements: r.Requirements}
		if v.IsPrerelease() != r.Prerelease {
			return nil, fmt.Errorf("knowledge base: release %s: prerelease flag disagrees with the version", r.Version)
		}
		if _, dup := k.byVersion[v.String()]; dup {
			return nil, fmt.Errorf("knowledge base: release %s listed twice", r.Version)
		}
		k.releases = append(k.releases, rel)
		k.byVersion[v.String()] = rel
	}
	if len(k.releases) == 0 {
		return nil, fmt.Errorf("knowledge base: no releases")
	}
	if !sort.SliceIsSorted(k.releases, func(i, j int) bool { return k.releases[i].Version.Less(k.releases[j].Version) }) {
		return nil, fmt.Errorf("knowledge base: releases not in version order")
	}
	// The alembic chain must be one straight line from a single base.
	for i, m := range core.Migrations {
		mm := &Migration{Migration: m, Index: i}
		if _, dup := k.byRev[m.Revision]; dup {
			return nil, fmt.Errorf("knowledge base: revision %s listed twice", m.Revision)
		}
		if i == 0 && m.DownRevision != "" {
			return nil, fmt.Errorf("knowledge base: chain base %s has a down revision", m.Revision)
		}
		if i > 0 && m.DownRevision != core.Migrations[i-1].Revision {
			return nil, fmt.Errorf("knowledge base: alembic chain is not linear at %s (down %s, previous %s)", m.Revision, m.DownRevision, core.Migrations[i-1].Revision)
		}
		k.migrations = append(k.migrations, mm)
		k.byRev[m.Revision] = mm
	}
	for _, r := range k.releases {
		m, ok := k.byRev[r.AlembicHead]
		if !ok {
			return nil, fmt.Errorf("knowledge base: release %s head %s is not in the chain", r.Version, r.AlembicHead)
		}
		if r.MigrationCount != 0 && m.Index+1 != r.MigrationCount {
			return nil, fmt.Errorf("knowledge base: release %s has %d migrations but head %s is number %d", r.Version, r.MigrationCount, r.AlembicHead, m.Index+1)
		}
	}
	for i := 1; i < len(k.releases); i++ {
		a, b := k.releases[i-1], k.releases[i]
		if k.byRev[b.AlembicHead].Index < k.byRev[a.AlembicHead].Index {
			return nil, fmt.Errorf("knowledge base: release %s has an older head than %s", b.Version, a.Version)
		}
	}
	for _, m := range core.Unreleased {
		k.unreleased[m.Revision] = m
	}
	compile := func(src []kbdata.Message) ([]*Message, error) {
		var out []*Message
		for _, m := range src {
			// syntax.Parse reports every error regexp.Compile can.
			if _, err := syntax.Parse(m.Pattern, syntax.Perl); err != nil {
				return nil, fmt.Errorf("knowledge base: message %s: %w", m.ID, err)
			}
			msg := &Message{Message: m, re: lazyre.Data(m.Pattern)}
			var err error
			if m.FirstTag != "" {
				if msg.First, err = pep440.Parse(m.FirstTag); err != nil {
					return nil, fmt.Errorf("knowledge base: message %s: %w", m.ID, err)
				}
			}
			if m.LastTag != "" {
				if msg.Last, err = pep440.Parse(m.LastTag); err != nil {
					return nil, fmt.Errorf("knowledge base: message %s: %w", m.ID, err)
				}
			}
			if !msg.First.IsZero() && !msg.Last.IsZero() && msg.Last.Less(msg.First) {
				return nil, fmt.Errorf("knowledge base: message %s: last release before first", m.ID)
			}
			out = append(out, msg)
		}
		return out, nil
	}
	var err error
	if k.messages, err = compile(core.Messages); err != nil {
		return nil, err
	}
	for _, m := range k.messages {
		if _, dup := k.msgByID[m.ID]; dup {
			return nil, fmt.Errorf("knowledge base: message %s listed twice", m.ID)
		}
		k.msgByID[m.ID] = m
	}
	if k.alembic, err = compile(core.AlembicLines); err != nil {
		return nil, err
	}
	if k.logMsgs, err = compile(core.LogMessages); err != nil {
		return nil, err
	}
	for _, m := range k.logMsgs {
		if _, dup := k.msgByID[m.ID]; dup {
			return nil, fmt.Errorf("knowledge base: log message %s clashes with a message id", m.ID)
		}
	}
	for name, v := range core.SQLAlchemy {
		if _, err := pep440.Parse(v); err != nil {
			return nil, fmt.Errorf("knowledge base: sqlalchemy fact %s: %w", name, err)
		}
	}
	for _, c := range core.Companions {
		if _, err := pep440.Parse(c.Release); err != nil {
			return nil, fmt.Errorf("knowledge base: companion %s: %w", c.Package, err)
		}
	}
	for _, c := range core.CompanionReleases {
		if _, err := pep440.Parse(c.Release); err != nil {
			return nil, fmt.Errorf("knowledge base: companion release %s: %w", c.Package, err)
		}
	}
	if err := CheckPackages(); err != nil {
		return nil, err
	}
	for _, d := range core.DBDrivers {
		for _, v := range []string{d.SQLAlchemyFirst, d.SQLAlchemyBefore} {
			if _, err := pep440.Parse(v); v != "" && err != nil {
				return nil, fmt.Errorf("knowledge base: db driver %s: %w", d.Scheme, err)
			}
		}
		if d.Scheme == "" || d.Module == "" || len(d.Distributions) == 0 || d.Distributions[0] == "" {
			return nil, fmt.Errorf("knowledge base: db driver %q is incomplete", d.Scheme)
		}
	}
	for _, d := range core.ClassDefaults {
		first, err1 := pep440.Parse(d.FirstTag)
		last, err2 := pep440.Parse(d.LastTag)
		if err1 != nil || err2 != nil || last.Less(first) {
			return nil, fmt.Errorf("knowledge base: class default %s.%s: bad release range %q..%q", d.Class, d.Trait, d.FirstTag, d.LastTag)
		}
	}
	for _, c := range core.TraitConstraints {
		first, err1 := pep440.Parse(c.FirstTag)
		last, err2 := pep440.Parse(c.LastTag)
		if err1 != nil || err2 != nil || last.Less(first) {
			return nil, fmt.Errorf("knowledge base: trait constraint %s.%s: bad release range %q..%q", c.Class, c.Trait, c.FirstTag, c.LastTag)
		}
		if _, err := strconv.Atoi(c.Value); c.Constraint == "min_length" && err != nil {
			return nil, fmt.Errorf("knowledge base: trait constraint %s.%s: min_length %q is not a number", c.Class, c.Trait, c.Value)
		}
		if c.Constraint != "min_length" && c.Constraint != "differs_from" {
			return nil, fmt.Errorf("knowledge base: trait constraint %s.%s: unknown constraint %q", c.Class, c.Trait, c.Constraint)
		}
	}
	return k, nil
}

// Releases returns every known release in version order (oldest first).
func (k *KB) Releases() []*Release { return k.releases }

// Release returns the release with exactly version v ("5.0" equals "5.0.0").
func (k *KB) Release(v string) (*Release, bool) {
	pv, err := pep440.Parse(v)
	if err != nil {
		return nil, false
	}
	r, ok := k.byVersion[pv.String()]
	if !ok {
		for _, rr := range k.releases {
			if rr.Version.Equal(pv) {
				return rr, true
			}
		}
	}
	return r, ok
}

// Latest returns the newest final (non pre-release) release.
func (k *KB) Latest() *Release {
	for i := len(k.releases) - 1; i >= 0; i-- {
		if !k.releases[i].Prerelease {
			return k.releases[i]
		}
	}
	return k.releases[len(k.releases)-1]
}

// Resolve turns what a user typed for --target into a release: an exact
// version ("5.5.1", "6.0.0b2"), a line ("5.5", "5": the newest final
// release of that line) or "latest".
func (k *KB) Resolve(spec string) (*Release, error) {
	s := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(spec), "v"))
	if strings.EqualFold(s, "latest") {
		return k.Latest(), nil
	}
	v, err := pep440.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("unknown JupyterHub version %q", spec)
	}
	if r, ok := k.byVersion[v.String()]; ok && len(v.Release) >= 3 {
		return r, nil
	}
	if !v.IsPrerelease() && len(v.Release) < 3 {
		var best *Release
		for _, r := range k.releases {
			if r.Prerelease {
				continue
			}
			match := r.Version.Major() == v.Major() && (len(v.Release) < 2 || r.Version.Minor() == v.Minor())
			if match {
				best = r
			}
		}
		if best != nil {
			return best, nil
		}
	}
	if r, ok := k.Release(s); ok {
		return r, nil
	}
	return nil, fmt.Errorf("unknown JupyterHub version %q", spec)
}

// VersionList returns the known versions as strings, oldest first.
func (k *KB) VersionList() []string {
	out := make([]string, len(k.releases))
	for i, r := range k.releases {
		out[i] = r.Version.String()
	}
	return out
}

// ReleaseFor returns the known release that best describes an installed
// version: the exact release, else the newest known release not after it,
// and false when v predates every known release.
func (k *KB) ReleaseFor(v pep440.Version) (*Release, bool) {
	if r, ok := k.byVersion[v.String()]; ok {
		return r, true
	}
	var best *Release
	for _, r := range k.releases {
		if r.Version.Compare(v) <= 0 {
			best = r
		}
	}
	return best, best != nil
}

// Migrations returns the alembic chain from base to the newest head.
func (k *KB) Migrations() []*Migration { return k.migrations }

// Migration returns the chain entry for revision rev.
func (k *KB) Migration(rev string) (*Migration, bool) {
	m, ok := k.byRev[rev]
	return m, ok
}

// UnreleasedMigration reports whether rev is a revision that existed in
// JupyterHub's history but never shipped in a release.
func (k *KB) UnreleasedMigration(rev string) (kbdata.Migration, bool) {
	m, ok := k.unreleased[rev]
	return m, ok
}

// ReleasesWithHead returns the releases whose alembic head is rev, in
// version order.
func (k *KB) ReleasesWithHead(rev string) []*Release {
	var out []*Release
	for _, r := range k.releases {
		if r.AlembicHead == rev {
			out = append(out, r)
		}
	}
	return out
}

// MigrationPath returns the migrations that `upgrade-db` runs to go from
// revision from to revision to (exclusive of from), or, when to is older,
// the ones a downgrade undoes; down reports the direction. Unknown
// revisions give an error.
func (k *KB) MigrationPath(from, to string) (path []*Migration, down bool, err error) {
	a, ok := k.byRev[from]
	if !ok {
		return nil, false, fmt.Errorf("revision %s is not in JupyterHub's alembic chain", from)
	}
	b, ok := k.byRev[to]
	if !ok {
		return nil, false, fmt.Errorf("revision %s is not in JupyterHub's alembic chain", to)
	}
	if a.Index <= b.Index {
		return k.migrations[a.Index+1 : b.Index+1], false, nil
	}
	for i := a.Index; i > b.Index; i-- {
		path = append(path, k.migrations[i])
	}
	return path, true, nil
}

// Messages returns every JupyterHub message format.
func (k *KB) Messages() []*Message { return k.messages }

// Message returns the message format with the given ID.
func (k *KB) Message(id string) (*Message, bool) {
	m, ok := k.msgByID[id]
	return m, ok
}

// AlembicMessages returns the alembic library's own line formats.
func (k *KB) AlembicMessages() []*Message { return k.alembic }

// LogMessages returns the further log line formats hubaudit recognises
// (traitlets' unknown-option warning, JupyterHub deprecation warnings, proxy
// and spawner messages, the HTTP access line), from kb/extra. They are
// kept apart from Messages, which mirror the fact tables in kb/facts.
func (k *KB) LogMessages() []*Message { return k.logMsgs }

// LogFormats returns the logging settings of each JupyterHub component.
func (k *KB) LogFormats() []kbdata.LogFormat { return k.core.LogFormats }

// DBURLFacts returns the db_url facts for the major line of v.
func (k *KB) DBURLFacts(v pep440.Version) (kbdata.DBURL, bool) {
	for _, d := range k.core.DBURLs {
		first, err1 := pep440.Parse(d.FirstTag)
		last, err2 := pep440.Parse(d.LastTag)
		if err1 == nil && err2 == nil && first.Compare(v) <= 0 && v.Compare(last) <= 0 {
			return d, true
		}
	}
	if len(k.core.DBURLs) > 0 {
		return k.core.DBURLs[len(k.core.DBURLs)-1], false
	}
	return kbdata.DBURL{}, false
}

// CompanionRequirements returns the analysed releases of a companion package
// with their jupyterhub and Python requirements, oldest first.
func (k *KB) CompanionRequirements(pkg string) []kbdata.CompanionReq {
	var out []kbdata.CompanionReq
	for _, c := range k.core.Companions {
		if c.Package == pep440.NormalizeName(pkg) {
			out = append(out, c)
		}
	}
	return out
}

// CompanionReleases returns every known release of a companion package
// (by its PyPI name, or the name without "jupyterhub-": kubespawner is
// jupyterhub-kubespawner), oldest first; nil when the package is not
// tracked release by release.
func (k *KB) CompanionReleases(pkg string) []kbdata.CompanionRelease {
	name := pep440.NormalizeName(pkg)
	for _, n := range []string{name, "jupyterhub-" + name} {
		var out []kbdata.CompanionRelease
		for _, c := range k.core.CompanionReleases {
			if c.Package == n {
				out = append(out, c)
			}
		}
		if out != nil {
			return out
		}
	}
	return nil
}

// CompanionRelease returns the exact release v of a companion package:
// ok is false when the package is untracked or v is not one of its
// releases (never the nearest release instead).
func (k *KB) CompanionRelease(pkg string, v pep440.Version) (kbdata.CompanionRelease, bool) {
	for _, c := range k.CompanionReleases(pkg) {
		if rv, err := pep440.Parse(c.Release); err == nil && rv.Equal(v) {
			return c, true
		}
	}
	return kbdata.CompanionRelease{}, false
}

// Companions returns the names of the companion packages the knowledge base
// has catalogs for.
func (k *KB) Companions() []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range k.core.Companions {
		if !seen[c.Package] {
			seen[c.Package] = true
			out = append(out, c.Package)
		}
	}
	return out
}

// SQLAlchemyFact returns a version fact about SQLAlchemy by name:
// "postgres_scheme_last_accepted", "server_floor.postgresql",
// "server_floor.mysql", "server_floor.mariadb".
func (k *KB) SQLAlchemyFact(name string) (pep440.Version, bool) {
	v, err := pep440.Parse(k.core.SQLAlchemy[name])
	return v, err == nil
}

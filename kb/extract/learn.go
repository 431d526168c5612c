package extract

import (
	"strings"
	"time"

	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/kb/kbdata"
	"github.com/hubaudit/hubaudit/pep440"
)

// Formats returns the message formats the knowledge base knows, for
// Options.Formats.
func Formats(k *kb.KB) []Format {
	var out []Format
	for _, m := range k.Messages() {
		out = append(out, Format{ID: m.ID, Format: m.Format, Style: m.Placeholder})
	}
	return out
}

// Learn reads the package at path and returns what the knowledge base
// needs to judge against its release.
func Learn(k *kb.KB, path string) (kb.Learned, *Facts, error) {
	pkg, err := Open(path)
	if err != nil {
		return kb.Learned{}, nil, err
	}
	f, err := Extract(pkg, Options{Formats: Formats(k)})
	if err != nil {
		return kb.Learned{}, nil, err
	}
	return f.Learned(k), f, nil
}

// Learned turns the facts into a kb.Learned. Requirements that the
// package's distribution visibly cut down are replaced by the knowledge
// base's for the same release, when it has them. Where the source names a
// deprecated option's replacement only in prose (no Class.trait to
// derive), the replacement the knowledge base gives the same option in
// its newest release that has one is kept; so is the version since which
// a declared trait is read by nothing (history, not in one package).
func (f *Facts) Learned(k *kb.KB) kb.Learned {
	l := kb.Learned{From: f.Source, Notes: f.Notes}
	l.Release = kbdata.Release{Version: f.Version, AlembicHead: f.Head, RequiresPython: f.RequiresPython, MigrationCount: len(f.Migrations)}
	for _, q := range f.Requirements {
		l.Release.Requirements = append(l.Release.Requirements, kbdata.Requirement{Name: q.Normalized, Specifier: q.Specifier, Marker: q.Marker})
	}
	known, isKnown := k.Release(f.Version)
	if isKnown && !known.Date.IsZero() {
		l.Release.Date = known.Date.Format(time.RFC3339) // a package does not say when it was released
	}
	l.RequirementsIncomplete = f.RequirementsIncomplete && !isKnown
	if isKnown && f.RequirementsIncomplete {
		// The package's list was cut down by its distribution; the
		// knowledge base has what the release itself declares.
		l.Release.Requirements = known.Requirements
		l.Notes = append(l.Notes, "the requirements are the knowledge base's for "+f.Version)
	}
	for _, m := range f.Migrations {
		l.Migrations = append(l.Migrations, kbdata.Migration{Revision: m.Revision, DownRevision: m.DownRevision, Title: m.Title, DocAsLogged: m.DocAsLogged, BatchAlter: m.BatchAlter})
	}
	curated := curatedReplacements(k)
	for _, c := range f.Classes {
		kc := kbdata.Class{Name: c.Name, Module: c.Module, Bases: c.Bases}
		for _, t := range c.Traits {
			kt := kbdata.Trait{Name: t.Name, Type: t.Type, Kind: t.Kind, Deprecated: t.Deprecated == "yes", DeprecatedSince: t.Since,
				Replacement: t.Replacement, Default: t.Default, VersionChanged: t.VersionChanged}
			if t.DefaultKind == "ref" {
				kt.DefaultRef = t.DefaultRef
			}
			cu := curated[c.Name+"."+t.Name]
			if r := cu.Replacement; kt.Deprecated && r != "" && (kt.Replacement == "" || strings.HasPrefix(r, kt.Replacement)) {
				kt.Replacement = r
			}
			if kt.Deprecated && kt.DeprecatedSince == "" && cu.Kind == kt.Kind {
				// An unread trait's "since" is when it stopped being
				// read: history, which one package cannot tell.
				kt.DeprecatedSince = cu.DeprecatedSince
			}
			kc.Traits = append(kc.Traits, kt)
		}
		l.Classes = append(l.Classes, kc)
	}
	l.Messages = f.Messages
	return l
}

// curatedReplacements maps Class.trait to the newest jupyterhub catalog
// entry of the knowledge base that marks the option deprecated with a
// replacement.
func curatedReplacements(k *kb.KB) map[string]kbdata.Trait {
	out := map[string]kbdata.Trait{}
	for _, r := range k.Releases() {
		cl, ok, err := k.Catalog("jupyterhub", r.Version)
		if !ok || err != nil {
			continue
		}
		for _, c := range cl {
			for _, t := range c.Traits {
				if t.Deprecated && t.Replacement != "" {
					out[c.Name+"."+t.Name] = t
				}
			}
		}
	}
	return out
}

// NewerThanKnown reports whether version v is newer than every release
// the knowledge base knows.
func NewerThanKnown(k *kb.KB, v pep440.Version) bool {
	return k.Newest().Version.Less(v)
}

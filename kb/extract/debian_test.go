package extract

import (
	"os"
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/kb/kbdata"
	"github.com/hubaudit/hubaudit/pep440"
)

// debianJupyterHub is where Debian's jupyterhub package (3.0.0+ds1 in
// bookworm) installs the package; .ci/install-e2e.sh installs it in CI.
const debianJupyterHub = "/usr/lib/python3/dist-packages/jupyterhub"

func needDebian(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(debianJupyterHub + "/_version.py"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Debian's jupyterhub is not installed (apt-get install jupyterhub): %v", err)
		}
		t.Skipf("SKIP: %s not installed", debianJupyterHub)
	}
}

// TestDebian300MatchesKnowledgeBase reads Debian's installed jupyterhub
// 3.0.0 and checks that every fact derived from it is the one the
// committed fact tables hold for 3.0.0.
func TestDebian300MatchesKnowledgeBase(t *testing.T) {
	needDebian(t)
	k := kb.MustLoad()
	rel, _ := k.Release("3.0.0")
	// The same package reached as the package folder, its site-packages
	// folder and the /usr prefix.
	for _, p := range []string{debianJupyterHub, "/usr/lib/python3/dist-packages", "/usr"} {
		pkg, err := Open(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if pkg.Kind != "installed package" {
			t.Errorf("%s: kind %q", p, pkg.Kind)
		}
		f, err := Extract(pkg, Options{Formats: Formats(k)})
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if f.Version != "3.0.0" || f.Head != "651f5419b74d" || f.Head != rel.AlembicHead {
			t.Errorf("%s: version %s head %s, want 3.0.0 and 651f5419b74d", p, f.Version, f.Head)
		}
		if f.RequiresPython != rel.RequiresPython.String() || f.RequiresPython != ">=3.7" {
			t.Errorf("%s: Requires-Python %q, want %q", p, f.RequiresPython, rel.RequiresPython)
		}
		if len(f.Migrations) != rel.MigrationCount {
			t.Errorf("%s: %d migrations, want %d", p, len(f.Migrations), rel.MigrationCount)
		}
		for i, m := range f.Migrations {
			km := k.Migrations()[i]
			if m.Revision != km.Revision || m.DownRevision != km.DownRevision || m.Title != km.Title || m.DocAsLogged != km.DocAsLogged || m.BatchAlter != km.BatchAlter {
				t.Errorf("%s: migration %d: %+v, knowledge base %+v", p, i, m, km.Migration)
			}
		}
		checkRequirements(t, f, rel)
		checkCatalog(t, k, f, rel.Version)
		checkMessages(t, k, f, rel.Version)
	}
}

// checkRequirements: Debian's packaging empties requires.txt (Debian
// packages provide the dependencies); what is left must be what the
// release declares, and the extractor must say the list is incomplete.
func checkRequirements(t *testing.T, f *Facts, rel *kb.Release) {
	t.Helper()
	if !f.RequirementsIncomplete || f.RequirementsSource != "jupyterhub-3.0.0.egg-info/requires.txt" {
		t.Errorf("requirements from %s, incomplete=%v: Debian's stripped requires.txt not recognised", f.RequirementsSource, f.RequirementsIncomplete)
	}
	if len(f.Notes) == 0 || !strings.Contains(f.Notes[0], "edited after the build") {
		t.Errorf("no note about the stripped requirements: %q", f.Notes)
	}
	if len(f.Requirements) != 1 {
		t.Errorf("requirements: %+v, want psutil only", f.Requirements)
	}
	for _, q := range f.Requirements {
		want, ok := rel.Requirement(q.Normalized)
		if !ok || want.Specifier != q.Specifier || want.Marker != q.Marker {
			t.Errorf("requirement %+v, knowledge base %+v", q, want)
		}
	}
}

// checkCatalog compares the extracted configurable classes and traits
// with the knowledge base's catalog of the release, column by column.
// Replacements written in prose in the tables ("RBAC roles
// (JupyterHub.load_roles)") are curated, not derived: the extractor must
// then have none, or the Class.trait the prose starts with.
func checkCatalog(t *testing.T, k *kb.KB, f *Facts, v pep440.Version) {
	t.Helper()
	want, ok, err := k.Catalog("jupyterhub", v)
	if !ok || err != nil {
		t.Fatalf("no catalog for %s: %v", v, err)
	}
	got := map[string]Class{}
	for _, c := range f.Classes {
		got[c.Name] = c
	}
	if len(got) != len(want) {
		var names []string
		for _, c := range f.Classes {
			names = append(names, c.Name)
		}
		t.Errorf("%d classes %v, knowledge base has %d", len(got), names, len(want))
	}
	rows, unread := 0, 0
	for _, wc := range want {
		gc, ok := got[wc.Name]
		if !ok {
			t.Errorf("class %s not extracted", wc.Name)
			continue
		}
		if gc.Module != wc.Module || strings.Join(gc.Bases, ",") != strings.Join(wc.Bases, ",") {
			t.Errorf("class %s: module %s bases %v, knowledge base %s %v", wc.Name, gc.Module, gc.Bases, wc.Module, wc.Bases)
		}
		if len(gc.Traits) != len(wc.Traits) {
			t.Errorf("class %s: %d traits, knowledge base %d", wc.Name, len(gc.Traits), len(wc.Traits))
		}
		gt := map[string]Trait{}
		for _, tr := range gc.Traits {
			gt[tr.Name] = tr
		}
		for _, wt := range wc.Traits {
			rows++
			tr, ok := gt[wt.Name]
			if !ok {
				t.Errorf("%s.%s not extracted", wc.Name, wt.Name)
				continue
			}
			g := kbdata.Trait{Name: tr.Name, Type: tr.Type, Kind: tr.Kind, Deprecated: tr.Deprecated == "yes", DeprecatedSince: tr.Since, Replacement: wt.Replacement, Default: tr.Default, VersionChanged: tr.VersionChanged}
			if tr.DefaultKind == "ref" {
				g.DefaultRef = tr.DefaultRef // JupyterHub.spawner_class: LocalProcessSpawner
			}
			if tr.Since == "" && tr.Kind == "trait-unused" {
				// When a trait stopped being read is history: the
				// package alone cannot say (Learned takes it from
				// the knowledge base).
				g.DeprecatedSince = wt.DeprecatedSince
				unread++
			}
			if g != wt {
				t.Errorf("%s.%s:\n got %+v\nwant %+v", wc.Name, wt.Name, g, wt)
			}
			if curated := !isClassTrait(wt.Replacement); curated && tr.Replacement != "" && !strings.HasPrefix(wt.Replacement, tr.Replacement) ||
				!curated && tr.Replacement != wt.Replacement {
				t.Errorf("%s.%s: replacement %q, knowledge base %q", wc.Name, wt.Name, tr.Replacement, wt.Replacement)
			}
		}
	}
	if rows < 180 {
		t.Errorf("only %d trait rows compared", rows)
	}
	if unread != 1 {
		t.Errorf("%d unread traits, want 1 (LocalAuthenticator.group_whitelist)", unread)
	}
}

// isClassTrait reports whether s is empty or a plain "Class.trait".
func isClassTrait(s string) bool {
	if s == "" {
		return true
	}
	c, n, ok := strings.Cut(s, ".")
	return ok && c != "" && n != "" && !strings.ContainsAny(s, " ()")
}

// checkMessages compares the message formats found in the source with the
// releases the knowledge base says print them. Formats that two entries
// share (the same line printed from two places in different releases) are
// found for both and are left out.
func checkMessages(t *testing.T, k *kb.KB, f *Facts, v pep440.Version) {
	t.Helper()
	found := map[string]bool{}
	for _, id := range f.Messages {
		found[id] = true
	}
	byFormat := map[string]int{}
	for _, m := range k.Messages() {
		byFormat[m.Format]++
	}
	n := 0
	for _, m := range k.Messages() {
		if byFormat[m.Format] > 1 {
			continue
		}
		n++
		if found[m.ID] != m.PrintedBy(v) {
			t.Errorf("message %s: found in the source %v, knowledge base says printed by %s: %v", m.ID, found[m.ID], v, m.PrintedBy(v))
		}
	}
	if n < 30 {
		t.Errorf("only %d messages compared", n)
	}
}

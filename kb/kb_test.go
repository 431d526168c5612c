package kb

import (
	"testing"

	"github.com/hubaudit/hubaudit/kb/kbdata"
	"github.com/hubaudit/hubaudit/pep440"
)

func TestLoadValid(t *testing.T) {
	k, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.loadTraits(); err != nil {
		t.Fatal(err)
	}
}

// Facts checked by hand against kb/facts (releases.tsv, alembic.tsv,
// the trait histories) and JupyterHub's source.
func TestFactsByHand(t *testing.T) {
	k := MustLoad()
	if n := len(k.Releases()); n != 57 {
		t.Errorf("releases: %d, want 57", n)
	}
	heads := map[string]string{
		"5.5.1": "4621fec11365", "4.1.6": "0eee8c825d24", "3.0.0": "651f5419b74d",
		"2.3.1": "833da8570507", "1.5.1": "4dc2d5a8c53c", "0.9.6": "896818069c98",
		"6.0.0b2": "f460b0348206", "5.0.0": "4621fec11365",
	}
	for v, h := range heads {
		r, ok := k.Release(v)
		if !ok || r.AlembicHead != h {
			t.Errorf("%s head: got %v, want %s", v, r, h)
		}
	}
	floors := map[string]string{"5.5.1": "3.8", "4.1.6": "3.7", "3.0.0": "3.7", "1.5.1": "3.6", "1.2.2": "3.5", "6.0.0b1": "3.10"}
	for v, py := range floors {
		r, _ := k.Release(v)
		if r.RequiresPython.String() != ">="+py {
			t.Errorf("%s python: %s, want >=%s", v, r.RequiresPython, py)
		}
		below := pep440.MustParse(py)
		below.Release = []int{below.Major(), below.Minor() - 1}
		if r.RequiresPython.Contains(below) {
			t.Errorf("%s accepts python %s", v, below)
		}
	}
	if k.Latest().Version.String() != "5.5.1" {
		t.Errorf("latest: %s", k.Latest().Version)
	}
	if r, _ := k.Release("6.0.0b1"); !r.Prerelease {
		t.Error("6.0.0b1 not a pre-release")
	}
	if r, err := k.Resolve("5.4"); err != nil || r.Version.String() != "5.4.6" {
		t.Errorf("resolve 5.4: %v %v", r, err)
	}
	if r, err := k.Resolve("4"); err != nil || r.Version.String() != "4.1.6" {
		t.Errorf("resolve 4: %v %v", r, err)
	}
	if _, err := k.Resolve("9.9"); err == nil {
		t.Error("9.9 resolved")
	}
	if got := len(k.ReleasesWithHead("4621fec11365")); got != 14 {
		t.Errorf("5.x releases with head: %d, want 14", got)
	}
	path, down, err := k.MigrationPath("651f5419b74d", "4621fec11365")
	if err != nil || down || len(path) != 3 || path[0].Revision != "0eee8c825d24" {
		t.Errorf("path 3.0->5.x: %v %v %v", path, down, err)
	}
	if m, _ := k.Migration("833da8570507"); m.DownRevision != "4dc2d5a8c53c" || !m.BatchAlter {
		t.Errorf("833da8570507: %+v", m)
	}
	if _, ok := k.UnreleasedMigration("26fc487e2b43"); !ok {
		t.Error("26fc487e2b43 not known as unreleased")
	}
	if r, _ := k.Release("4.0.0"); true {
		q, ok := r.Requirement("SQLAlchemy")
		if !ok || q.Specifier != ">=1.4" {
			t.Errorf("4.0.0 sqlalchemy: %+v", q)
		}
	}

	v := func(s string) Versions { return Versions{JupyterHub: pep440.MustParse(s)} }
	l, _ := k.LookupTrait("Authenticator", "whitelist", v("1.2.2"))
	if !l.Found || l.Trait.DeprecatedSince != "1.2" || l.Trait.Replacement != "Authenticator.allowed_users" {
		t.Errorf("whitelist @1.2.2: %+v", l)
	}
	l, _ = k.LookupTrait("Authenticator", "blacklist", v("5.5.1"))
	if !l.Found || l.Accepted() || l.Trait.Kind != "alias-only-ignored" {
		t.Errorf("blacklist @5.5.1: %+v", l)
	}
	l, _ = k.LookupTrait("JupyterHub", "admin_access", v("5.5.1"))
	if !l.Found || l.History == nil || l.History.DeprecatedIn != "2.0.0" {
		t.Errorf("admin_access: %+v", l.History)
	}
	l, _ = k.LookupTrait("LocalProcessSpawner", "cmd", v("5.5.1"))
	if !l.Found || l.DefinedOn != "Spawner" {
		t.Errorf("LocalProcessSpawner.cmd: %+v", l)
	}
	l, _ = k.LookupTrait("JupyterHub", "log_level", v("5.5.1"))
	if !l.Found || l.DefinedOn != "Application" {
		t.Errorf("JupyterHub.log_level: %+v", l)
	}
	l, _ = k.LookupTrait("Authenticator", "allow_all", v("4.1.6"))
	if !l.ClassKnown || l.Found {
		t.Errorf("allow_all exists in 4.1.6: %+v", l)
	}
	l, _ = k.LookupTrait("DockerSpawner", "container_image", Versions{JupyterHub: pep440.MustParse("5.5.1")})
	if !l.Found || l.Trait.Replacement != "DockerSpawner.image" || l.History.DeprecatedIn != "0.9" {
		t.Errorf("container_image: %+v %+v", l, l.History)
	}
	l, _ = k.LookupTrait("DockerSpawner", "cmd", v("5.5.1"))
	if !l.Found || l.Package != "dockerspawner" {
		t.Errorf("DockerSpawner.cmd: %+v", l)
	}
	l, _ = k.LookupTrait("MyCustomSpawner", "foo", v("5.5.1"))
	if l.ClassKnown {
		t.Error("custom class known")
	}
	// Every dockerspawner release changed its traits or is the newest of
	// its minor line: all 17 tags 0.1.0 to 14.0.0 are catalogued.
	if got := k.CompanionRequirements("dockerspawner"); len(got) != 17 || got[16].Release != "14.0.0" || got[16].RequiresJupyterHub != "jupyterhub>=4" {
		t.Errorf("dockerspawner requirements: %+v", got)
	}
	if m, ok := k.Message("auth.no_allow_config"); !ok || !m.PrintedBy(pep440.MustParse("5.0.0")) || m.PrintedBy(pep440.MustParse("4.1.6")) {
		t.Errorf("auth.no_allow_config range wrong")
	}
	m, _ := k.Message("db.schema_mismatch.v1")
	g := m.Regexp().FindStringSubmatch("Found database schema version 4dc2d5a8c53c != 651f5419b74d. Backup your database and run `jupyterhub upgrade-db` to upgrade to the latest schema.")
	if g == nil || g[1] != "4dc2d5a8c53c" || g[2] != "651f5419b74d" {
		t.Errorf("schema mismatch pattern: %v", g)
	}
}

func TestValidationRejects(t *testing.T) {
	bad := []string{
		`{"releases":[]}`,
		`{"releases":[{"version":"1.0.0","date":"2020-01-01T00:00:00Z","alembic_head":"x","requires_python":">=3.6"}],"migrations":[{"revision":"a"}]}`,
		`{"releases":[{"version":"1.0.0","date":"2020-01-01T00:00:00Z","alembic_head":"b","requires_python":">=3.6"}],"migrations":[{"revision":"a"},{"revision":"b","down_revision":"z"}]}`,
		`{"releases":[{"version":"1.0.0","date":"2020-01-01T00:00:00Z","alembic_head":"a","requires_python":">=3.6"}],"migrations":[{"revision":"a"}],"messages":[{"id":"m","pattern":"(("}]}`,
		`{"releases":[{"version":"nope","date":"2020-01-01T00:00:00Z","alembic_head":"a","requires_python":">=3.6"}],"migrations":[{"revision":"a"}]}`,
		`{"releases":[{"version":"1.0.0","date":"2020-01-01T00:00:00Z","alembic_head":"a","requires_python":">=3.6"}],"migrations":[{"revision":"a"}],"class_defaults":[{"class":"X","trait":"t","first_tag":"5.0.0","last_tag":"4.0.0"}]}`,
	}
	for i, b := range bad {
		if _, err := FromCore([]byte(b)); err == nil {
			t.Errorf("case %d accepted", i)
		}
	}
}

// BenchmarkLoadCore measures what Load does on first use: index and
// check the embedded core.
func BenchmarkLoadCore(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := fromCore(embeddedCore); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIndexTraits measures the first use of the trait catalog.
func BenchmarkIndexTraits(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := indexTraits(&embeddedTraits); err != nil {
			b.Fatal(err)
		}
	}
}

// TestTraitValidationRejects checks that indexing the trait catalog refuses
// broken data instead of answering from it.
func TestTraitValidationRejects(t *testing.T) {
	good := func() kbdata.Traits {
		return kbdata.Traits{
			Classes:  []kbdata.Class{{Name: "Spawner", Traits: []kbdata.Trait{{Name: "cmd", Kind: "trait"}}}},
			Catalogs: []kbdata.Catalog{{Package: "jupyterhub", Release: "5.0.0", ClassIDs: []int{0}}},
			History: []kbdata.TraitHistory{
				{Package: "jupyterhub", Class: "Spawner", Trait: "args", FirstRelease: "0.9.6"},
				{Package: "jupyterhub", Class: "Spawner", Trait: "cmd", FirstRelease: "0.9.6", DeprecatedIn: "4.0", RemovedIn: "5.0"},
			},
		}
	}
	base := good()
	if _, err := indexTraits(&base); err != nil {
		t.Fatalf("good catalog refused: %v", err)
	}
	for name, spoil := range map[string]func(*kbdata.Traits){
		"class id out of range": func(tr *kbdata.Traits) { tr.Catalogs[0].ClassIDs = []int{1} },
		"bad release":           func(tr *kbdata.Traits) { tr.Catalogs[0].Release = "five" },
		"bad history version":   func(tr *kbdata.Traits) { tr.History[0].FirstRelease = "x.y" },
		"removed before deprecated": func(tr *kbdata.Traits) {
			tr.History[1].DeprecatedIn, tr.History[1].RemovedIn = "5.0", "4.0"
		},
		"out of order": func(tr *kbdata.Traits) { tr.History[0], tr.History[1] = tr.History[1], tr.History[0] },
		"duplicate":    func(tr *kbdata.Traits) { tr.History[1].Trait = "args" },
	} {
		tr := good()
		spoil(&tr)
		if _, err := indexTraits(&tr); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

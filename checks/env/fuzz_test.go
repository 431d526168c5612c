package env

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzReadExport: no input makes the export reader panic, and whatever it
// reads is either packages or a recorded problem.
func FuzzReadExport(f *testing.F) {
	ents, _ := os.ReadDir(filepath.Join("..", "..", "testdata", "env", "exports"))
	for _, d := range ents {
		if b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "env", "exports", d.Name())); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("Package Version\n------- -------\n"))
	f.Add([]byte("{\"installed\": [{\"metadata\": {\"name\": \"x\", \"requires_dist\": [\"y>=1; extra == 'a'\"]}}]}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		e := Environment{Path: "fuzz", Packages: map[string]string{}}
		readExport(&e, data)
		if e.Kind == "" {
			t.Fatal("no kind")
		}
		if e.Kind == KindUnknown && len(e.Problems) == 0 {
			t.Fatal("unknown format without a problem")
		}
	})
}

// FuzzParseMetadata: METADATA parsing never panics.
func FuzzParseMetadata(f *testing.F) {
	f.Add([]byte("Metadata-Version: 2.1\nName: a\nVersion: 1\nRequires-Dist: b (>=1) ; python_version < \"3.8\"\n\nbody"))
	f.Add([]byte("Name: x\nVers"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := parseMetadata(bytes.NewReader(data))
		if err == nil && (m.Name == "" || m.Version == "") {
			t.Fatal("accepted metadata without Name or Version")
		}
		for _, r := range m.RequiresDist {
			req, err := ParseRequirement(r)
			if err == nil {
				req.Applies(MarkerEnv{Python: "3.11.2"})
				req.Applies(MarkerEnv{})
			}
		}
	})
}

// FuzzMarker: marker parsing and evaluation never panic.
func FuzzMarker(f *testing.F) {
	for _, s := range []string{`python_version < "3.10"`, `(os_name == 'nt' or extra == "x") and python_full_version >= '3.8.1'`, `"linux" in sys_platform`, `platform_machine not in "arm64 aarch64"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := Requirement{Name: "x", Marker: s}
		r.Applies(MarkerEnv{Python: "3.12.1", Extras: []string{"x"}})
		r.Applies(MarkerEnv{Python: "garbage"})
	})
}

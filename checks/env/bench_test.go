package env

import (
	"fmt"
	"path/filepath"
	"testing"
)

// BenchmarkReadPrefix1000 reads a prefix with 1,000 installed
// distributions (METADATA with requirements, entry points for one in ten).
func BenchmarkReadPrefix1000(b *testing.B) {
	root := filepath.Join(b.TempDir(), "venv")
	var dists []dist
	for i := 0; i < 1000; i++ {
		d := dist{Name: fmt.Sprintf("pkg-%04d", i), Version: fmt.Sprintf("1.%d.0", i%50), Module: fmt.Sprintf("pkg_%04d", i),
			RequiresPython: ">=3.8", Requires: []string{"requests>=2", `tomli; python_version < "3.11"`, fmt.Sprintf("pkg-%04d>=1.0", (i+1)%1000)}}
		if i%10 == 0 {
			d.EntryPoints = "[console_scripts]\njupyter-x" + d.Module + " = x:main\n\n[jupyterhub.authenticators]\n" + d.Module + " = x:A\n"
		}
		dists = append(dists, d)
	}
	makeVenv(b, root, "3.11.7", dists...)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, err := Collect(Options{Hub: root})
		if err != nil || len(f.Environments[0].Packages) != 1000 {
			b.Fatalf("err %v, %d packages", err, len(f.Environments[0].Packages))
		}
	}
}

// BenchmarkReadFreeze1000 reads a pip freeze export of 1,000 packages.
func BenchmarkReadFreeze1000(b *testing.B) {
	var text []byte
	for i := 0; i < 1000; i++ {
		text = fmt.Appendf(text, "pkg-%04d==1.%d.0\n", i, i%50)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e := Environment{Path: "freeze.txt"}
		readExport(&e, text)
		if len(e.Packages) != 1000 {
			b.Fatal(len(e.Packages))
		}
	}
}

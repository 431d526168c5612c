package extract

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hubaudit/hubaudit/checks/config"
)

// maxPackageBytes bounds what is read from one package: JupyterHub's
// Python source and metadata are a few megabytes.
const maxPackageBytes = 256 << 20

// Package is the part of a JupyterHub distribution the extractor reads:
// the Python files of the jupyterhub package (tests left out) and the
// metadata files, by slash-separated path relative to the root (the
// folder that holds the jupyterhub package).
type Package struct {
	// Kind says what was read: "source tree", "sdist", "wheel",
	// "installed package".
	Kind string
	// Path is what was given.
	Path string
	// Files maps "jupyterhub/app.py", "setup.py", "pyproject.toml",
	// "requirements.txt", "PKG-INFO", and the metadata files
	// "<name>.dist-info/METADATA", "<name>.egg-info/requires.txt", ...
	Files map[string][]byte

	// dir is the Python package whose classes are read: "jupyterhub"
	// when empty, a companion's package folder for ReadClasses.
	dir string
	// external reports whether a base class defined elsewhere makes a
	// class configurable (ReadClasses).
	external func(base string) bool
	parsed   map[string]*config.Module
}

// pkgDir is the folder (with a trailing slash) whose modules hold the
// configurable classes.
func (p *Package) pkgDir() string {
	if p.dir == "" {
		return "jupyterhub/"
	}
	return p.dir + "/"
}

// module returns the parsed Python file at rel, parsing it once.
func (p *Package) module(rel string) *config.Module {
	if m, ok := p.parsed[rel]; ok {
		return m
	}
	if p.parsed == nil {
		p.parsed = map[string]*config.Module{}
	}
	m := config.ParsePython(rel, p.Files[rel])
	p.parsed[rel] = m
	return m
}

// templatesDir is where the hub's page templates are, relative to the
// root of a source tree or sdist, and as Package.Files names them. The
// templates read traits too (authenticator.otp_prompt).
const templatesDir = "share/jupyterhub/templates/"

// wanted reports whether the file at rel (relative to the root) is read.
func wanted(rel string) bool {
	if strings.HasPrefix(rel, templatesDir) {
		return strings.HasSuffix(rel, ".html")
	}
	switch rel {
	case "setup.py", "pyproject.toml", "requirements.txt", "PKG-INFO":
		return true
	}
	dir, file := path.Split(rel)
	if strings.HasSuffix(dir, ".dist-info/") || strings.HasSuffix(dir, ".egg-info/") {
		return strings.Count(dir, "/") == 1 && (file == "METADATA" || file == "PKG-INFO" || file == "requires.txt")
	}
	if !strings.HasPrefix(rel, "jupyterhub/") || !strings.HasSuffix(rel, ".py") {
		return false
	}
	return !strings.HasPrefix(rel, "jupyterhub/tests/") && !strings.Contains(rel, "/tests/")
}

// Open reads the package at p: a directory (source tree, site-packages,
// the jupyterhub package folder, or a prefix/virtualenv), a wheel or an
// sdist.
func Open(p string) (*Package, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		switch {
		case strings.HasSuffix(p, ".whl"):
			return openWheel(p)
		case strings.HasSuffix(p, ".tar.gz") || strings.HasSuffix(p, ".tgz"):
			f, err := os.Open(p)
			if err != nil {
				return nil, err
			}
			defer f.Close()
			zr, err := gzip.NewReader(f)
			if err != nil {
				return nil, fmt.Errorf("%s: not a gzip-compressed sdist: %w", p, err)
			}
			pkg, err := ReadTar(zr, "sdist")
			if err != nil {
				return nil, fmt.Errorf("%s: %w", p, err)
			}
			pkg.Path = p
			return pkg, nil
		}
		return nil, fmt.Errorf("%s: not a directory, a wheel (.whl) or an sdist (.tar.gz)", p)
	}
	root, kind, err := findRoot(p)
	if err != nil {
		return nil, err
	}
	pkg := &Package{Kind: kind, Path: p, Files: map[string][]byte{}}
	total := 0
	err = filepath.WalkDir(root, func(fp string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, fp)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == "." || rel == "jupyterhub" || strings.HasPrefix(rel, "jupyterhub/") || isMetaDir(rel) ||
				strings.HasPrefix(templatesDir, rel+"/") || strings.HasPrefix(rel+"/", templatesDir) {
				if rel == "jupyterhub/tests" || d.Name() == "__pycache__" || d.Name() == "node_modules" {
					return fs.SkipDir
				}
				return nil
			}
			return fs.SkipDir
		}
		if !d.Type().IsRegular() || !wanted(rel) {
			return nil
		}
		b, err := os.ReadFile(fp)
		if err != nil {
			return err
		}
		if total += len(b); total > maxPackageBytes {
			return fmt.Errorf("more than %d MB of Python source: not a JupyterHub package", maxPackageBytes>>20)
		}
		pkg.Files[rel] = b
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	if kind == "installed package" {
		pkg.readInstalledTemplates(root)
	}
	if kind == "installed package" && pkg.metadataDir() == "" {
		return nil, fmt.Errorf("%s: the jupyterhub package has no jupyterhub-*.dist-info or *.egg-info metadata beside it", p)
	}
	return pkg, nil
}

// isMetaDir reports whether rel is a jupyterhub distribution's metadata
// folder at the root.
func isMetaDir(rel string) bool {
	if strings.Contains(rel, "/") {
		return false
	}
	low := strings.ToLower(rel)
	return strings.HasPrefix(low, "jupyterhub-") && (strings.HasSuffix(low, ".dist-info") || strings.HasSuffix(low, ".egg-info")) ||
		low == "jupyterhub.egg-info"
}

// findRoot finds the folder holding the jupyterhub package under what was
// given, and says what kind of tree it is.
func findRoot(p string) (root, kind string, err error) {
	isPkg := func(dir string) bool {
		st, err := os.Stat(filepath.Join(dir, "jupyterhub", "_version.py"))
		return err == nil && st.Mode().IsRegular()
	}
	kindOf := func(dir string) string {
		for _, f := range []string{"setup.py", "pyproject.toml"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
				return "source tree"
			}
		}
		return "installed package"
	}
	if isPkg(p) {
		return p, kindOf(p), nil
	}
	// The jupyterhub package folder itself.
	if _, err := os.Stat(filepath.Join(p, "_version.py")); err == nil && filepath.Base(filepath.Clean(p)) == "jupyterhub" {
		parent := filepath.Dir(filepath.Clean(p))
		return parent, kindOf(parent), nil
	}
	// A prefix or virtualenv: lib/pythonX.Y/site-packages, Debian's
	// lib/python3/dist-packages, Windows' Lib/site-packages.
	var cands []string
	for _, pat := range []string{"lib/python3*/site-packages", "lib64/python3*/site-packages", "lib/python3*/dist-packages",
		"local/lib/python3*/dist-packages", "local/lib/python3*/site-packages", "Lib/site-packages"} {
		m, _ := filepath.Glob(filepath.Join(p, filepath.FromSlash(pat)))
		sort.Sort(sort.Reverse(sort.StringSlice(m)))
		cands = append(cands, m...)
	}
	for _, c := range cands {
		if isPkg(c) {
			return c, "installed package", nil
		}
	}
	return "", "", fmt.Errorf("%s: no JupyterHub here (looked for jupyterhub/_version.py, and for it under lib/python3*/site-packages and lib/python3/dist-packages)", p)
}

func openWheel(p string) (*Package, error) {
	zr, err := zip.OpenReader(p)
	if err != nil {
		return nil, fmt.Errorf("%s: not a wheel: %w", p, err)
	}
	defer zr.Close()
	pkg := &Package{Kind: "wheel", Path: p, Files: map[string][]byte{}}
	total := 0
	for _, f := range zr.File {
		name := f.Name
		if i := strings.Index(name, ".data/data/"+templatesDir); i >= 0 && !strings.Contains(name[:i], "/") {
			name = name[i+len(".data/data/"):]
		}
		if f.FileInfo().IsDir() || !wanted(name) {
			continue
		}
		if total += int(f.UncompressedSize64); total > maxPackageBytes || f.UncompressedSize64 > maxPackageBytes {
			return nil, fmt.Errorf("%s: more than %d MB of Python source: not a JupyterHub wheel", p, maxPackageBytes>>20)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", p, f.Name, err)
		}
		b, err := io.ReadAll(io.LimitReader(rc, maxPackageBytes))
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", p, f.Name, err)
		}
		pkg.Files[name] = b
	}
	if _, ok := pkg.Files["jupyterhub/_version.py"]; !ok {
		return nil, fmt.Errorf("%s: not a JupyterHub wheel (no jupyterhub/_version.py)", p)
	}
	return pkg, nil
}

// ReadTar reads a tar stream (an sdist, or `git archive` of a tag) whose
// files are either at the top or under one top folder ("jupyterhub-5.5.1/").
func ReadTar(r io.Reader, kind string) (*Package, error) {
	tr := tar.NewReader(r)
	all := map[string][]byte{}
	total := 0
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("not a readable tar archive: %w", err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		name := strings.TrimPrefix(path.Clean(h.Name), "./")
		// Keep only what wanted() may select under a root at depth 0 or 1.
		rel := name
		if i := strings.IndexByte(name, '/'); i >= 0 && !wanted(name) {
			rel = name[i+1:]
		}
		if !wanted(rel) {
			continue
		}
		if total += int(h.Size); total > maxPackageBytes {
			return nil, fmt.Errorf("more than %d MB of Python source: not a JupyterHub archive", maxPackageBytes>>20)
		}
		var buf bytes.Buffer
		if _, err := io.Copy(&buf, io.LimitReader(tr, maxPackageBytes)); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		all[name] = buf.Bytes()
	}
	prefix := ""
	if _, ok := all["jupyterhub/_version.py"]; !ok {
		for name := range all {
			if strings.HasSuffix(name, "/jupyterhub/_version.py") && strings.Count(name, "/") == 2 {
				prefix = strings.TrimSuffix(name, "jupyterhub/_version.py")
				break
			}
		}
		if prefix == "" {
			return nil, errors.New("no jupyterhub/_version.py in the archive: not JupyterHub's source")
		}
	}
	pkg := &Package{Kind: kind, Files: map[string][]byte{}}
	for name, b := range all {
		if rel, ok := strings.CutPrefix(name, prefix); ok && wanted(rel) {
			pkg.Files[rel] = b
		}
	}
	return pkg, nil
}

// metadataDir returns the dist-info or egg-info folder of the package
// ("" when there is none).
func (p *Package) metadataDir() string {
	var dirs []string
	for name := range p.Files {
		if dir, _ := path.Split(name); isMetaDir(strings.TrimSuffix(dir, "/")) {
			dirs = append(dirs, strings.TrimSuffix(dir, "/"))
		}
	}
	sort.Strings(dirs)
	if len(dirs) == 0 {
		return ""
	}
	return dirs[len(dirs)-1]
}

// pyFiles returns the paths of the package's Python modules, sorted.
func (p *Package) pyFiles(under string) []string {
	var out []string
	for name := range p.Files {
		if strings.HasPrefix(name, under) && strings.HasSuffix(name, ".py") {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// readInstalledTemplates reads the templates an installed package keeps
// under its prefix's share/jupyterhub/templates (the prefix is up from
// lib/pythonX.Y/site-packages, Debian's lib/python3/dist-packages,
// local/lib/..., or Windows' Lib/site-packages).
func (p *Package) readInstalledTemplates(root string) {
	for _, up := range []string{"../../..", "../../../..", "../.."} {
		dir := filepath.Join(root, filepath.FromSlash(up), filepath.FromSlash(templatesDir))
		ents, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range ents {
			if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".html") {
				continue
			}
			if b, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil && len(b) < 1<<20 {
				p.Files[templatesDir+e.Name()] = b
			}
		}
		return
	}
}

// hasTemplates reports whether the package's page templates were found.
func (p *Package) hasTemplates() bool {
	for name := range p.Files {
		if strings.HasPrefix(name, templatesDir) {
			return true
		}
	}
	return false
}

package env

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"

	"github.com/hubaudit/hubaudit/internal/lazyre"
	"github.com/hubaudit/hubaudit/pep440"
)

var (
	pyDirRE     = lazyre.New(`^python(\d+)\.(\d+)t?$`)
	pyExeRE     = lazyre.New(`^python(\d+\.\d+)$`)
	distInfoRE  = lazyre.New(`^(.+?)-([^-]+?)\.dist-info$`)
	eggInfoRE   = lazyre.New(`^(.+?)-([^-]+?)(?:-py\d+(?:\.\d+)*)?(?:-[^-]+)?\.egg-info$`)
	pyVersionRE = lazyre.New(`^\d+\.\d+(?:\.\d+)?`)
	extraOnlyRE = lazyre.New(`;\s*extra\s*==\s*['"][^'"]*['"]\s*$`)
)

// readPrefix reads an installed Python prefix (venv, virtualenv, conda env,
// system prefix) or a site-packages directory into e.
func readPrefix(e *Environment, dir string) {
	e.Kind = KindPrefix
	if m, _ := filepath.Glob(filepath.Join(dir, "lib", "python3*", "EXTERNALLY-MANAGED")); len(m) > 0 {
		e.ExternallyManaged = m[0]
	}
	r := &prefixReader{env: e, seen: map[string]string{}, modules: map[string]bool{}, commands: map[string]bool{}}
	r.python()
	sites := sitePackageDirs(dir)
	if len(sites) == 0 && looksLikeSitePackages(dir) {
		sites = []string{dir}
	}
	for _, sp := range sites {
		r.readSitePackages(sp)
	}
	e.SitePackages = sites
	r.readCondaMeta(filepath.Join(dir, "conda-meta"))
	r.readBin(filepath.Join(dir, "bin"))
	r.readBin(filepath.Join(dir, "Scripts"))
	for _, p := range []string{filepath.Join(dir, "lib", "node_modules", chpName), filepath.Join(dir, "node_modules", chpName)} {
		if c, ok := readCHPPackage(p); ok {
			e.setCHP(c)
			break
		}
	}
	if len(sites) == 0 && len(e.Packages) == 0 {
		e.Problems = append(e.Problems, Problem{Kind: "no-site-packages", Path: dir,
			Detail: "no lib/python3.X/site-packages, dist-packages or conda-meta found: not a Python prefix"})
	}
	e.Modules = slices.Sorted(maps.Keys(r.modules))
	e.Commands = mergeSorted(e.Commands, slices.Sorted(maps.Keys(r.commands)))
}

type prefixReader struct {
	env      *Environment
	dir      string
	seen     map[string]string // normalized name -> where it was read
	modules  map[string]bool
	commands map[string]bool
}

// sitePackageDirs lists the package directories of a prefix in the order
// Python would search them.
func sitePackageDirs(prefix string) []string {
	var out []string
	add := func(p string) {
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			out = append(out, p)
		}
	}
	for _, lib := range []string{"lib", "lib64", filepath.Join("local", "lib")} {
		ents, err := os.ReadDir(filepath.Join(prefix, lib))
		if err != nil {
			continue
		}
		var pys []string
		for _, d := range ents {
			if pyDirRE().MatchString(d.Name()) || d.Name() == "python3" {
				pys = append(pys, d.Name())
			}
		}
		sort.Slice(pys, func(i, j int) bool { return pyDirLess(pys[j], pys[i]) })
		for _, py := range pys {
			add(filepath.Join(prefix, lib, py, "site-packages"))
			add(filepath.Join(prefix, lib, py, "dist-packages"))
		}
	}
	add(filepath.Join(prefix, "Lib", "site-packages"))
	// Deduplicate (lib64 is often a symlink to lib).
	seen := map[string]bool{}
	var uniq []string
	for _, p := range out {
		real, err := filepath.EvalSymlinks(p)
		if err != nil {
			real = p
		}
		if !seen[real] {
			seen[real] = true
			uniq = append(uniq, p)
		}
	}
	return uniq
}

// pyDirLess orders "python3.9" < "python3.11"; "python3" sorts first.
func pyDirLess(a, b string) bool {
	ma, mb := pyDirRE().FindStringSubmatch(a), pyDirRE().FindStringSubmatch(b)
	switch {
	case ma == nil:
		return mb != nil
	case mb == nil:
		return false
	}
	va, _ := pep440.Parse(ma[1] + "." + ma[2])
	vb, _ := pep440.Parse(mb[1] + "." + mb[2])
	return va.Less(vb)
}

func looksLikeSitePackages(dir string) bool {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, d := range ents {
		if strings.HasSuffix(d.Name(), ".dist-info") || strings.HasSuffix(d.Name(), ".egg-info") {
			return true
		}
	}
	return false
}

// python finds the interpreter version: pyvenv.cfg, then conda-meta, then
// the lib/pythonX.Y directory or bin/pythonX.Y names.
func (r *prefixReader) python() {
	dir := r.env.Path
	r.dir = dir
	if data, err := os.ReadFile(filepath.Join(dir, "pyvenv.cfg")); err == nil {
		var version, info string
		for _, line := range strings.Split(string(data), "\n") {
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				continue
			}
			switch strings.TrimSpace(strings.ToLower(k)) {
			case "version":
				version = strings.TrimSpace(v)
			case "version_info":
				info = strings.TrimSpace(v)
			}
		}
		for _, s := range []string{version, info} {
			if m := pyVersionRE().FindString(s); m != "" {
				r.env.Python = m
				return
			}
		}
	}
	if ents, err := os.ReadDir(filepath.Join(dir, "conda-meta")); err == nil {
		for _, d := range ents {
			if name, version, ok := condaMetaName(d.Name()); ok && name == "python" {
				r.env.Python = version
				return
			}
		}
	}
	best := ""
	for _, lib := range []string{"lib", "lib64"} {
		ents, _ := os.ReadDir(filepath.Join(dir, lib))
		for _, d := range ents {
			if m := pyDirRE().FindStringSubmatch(d.Name()); m != nil {
				if best == "" || pyDirLess("python"+best, d.Name()) {
					best = m[1] + "." + m[2]
				}
			}
		}
	}
	if best == "" {
		ents, _ := os.ReadDir(filepath.Join(dir, "bin"))
		for _, d := range ents {
			if m := pyExeRE().FindStringSubmatch(d.Name()); m != nil {
				best = m[1]
			}
		}
	}
	r.env.Python = best
}

func (r *prefixReader) problem(kind, path, pkg, detail string) {
	r.env.Problems = append(r.env.Problems, Problem{Kind: kind, Path: path, Package: pkg, Detail: detail})
}

// readSitePackages reads every distribution in one site-packages directory.
func (r *prefixReader) readSitePackages(sp string) {
	ents, err := os.ReadDir(sp)
	if err != nil {
		r.problem("unreadable", sp, "", describeErr(err))
		return
	}
	for _, d := range ents {
		name := d.Name()
		switch {
		case strings.HasSuffix(name, ".dist-info"):
			r.readDist(sp, d, false)
		case strings.HasSuffix(name, ".egg-info"):
			r.readDist(sp, d, true)
		case name == "__pycache__" || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".pth") || strings.HasSuffix(name, ".data"):
		case strings.HasSuffix(name, ".py"):
			r.modules[strings.TrimSuffix(name, ".py")] = true
		case strings.HasSuffix(name, ".so") || strings.HasSuffix(name, ".pyd"):
			r.modules[name[:strings.IndexByte(name, '.')]] = true
		case !strings.Contains(name, ".") && !strings.Contains(name, "-"):
			r.modules[name] = true
		}
	}
}

// readDist reads one .dist-info or .egg-info entry.
func (r *prefixReader) readDist(sp string, d fs.DirEntry, egg bool) {
	name := d.Name()
	path := filepath.Join(sp, name)
	re := distInfoRE
	if egg {
		re = eggInfoRE
	}
	var dirName, dirVersion string
	if m := re().FindStringSubmatch(name); m != nil {
		dirName, dirVersion = m[1], m[2]
	} else {
		dirName = strings.TrimSuffix(strings.TrimSuffix(name, ".dist-info"), ".egg-info")
	}
	isDir := d.IsDir()
	if d.Type()&fs.ModeSymlink != 0 {
		fi, err := os.Stat(path)
		if err != nil {
			r.problem("unreadable", path, pep440.NormalizeName(dirName), describeErr(err))
			return
		}
		isDir = fi.IsDir()
	}
	metaPath := path
	switch {
	case isDir && egg:
		metaPath = filepath.Join(path, "PKG-INFO")
	case isDir:
		metaPath = filepath.Join(path, "METADATA")
	case !egg:
		r.problem("bad-metadata", path, pep440.NormalizeName(dirName), "a .dist-info that is not a directory")
		return
	}
	meta, err := readMetadataFile(metaPath)
	if err != nil {
		pkg := pep440.NormalizeName(dirName)
		if meta.Name != "" {
			pkg = pep440.NormalizeName(meta.Name)
		}
		r.problem("bad-metadata", metaPath, pkg, describeErr(err))
		if meta.Name == "" {
			meta.Name = dirName
		}
		if meta.Version == "" {
			meta.Version = dirVersion
		}
		if meta.Version == "" {
			return
		}
	}
	key := pep440.NormalizeName(meta.Name)
	if prev, dup := r.seen[key]; dup {
		// Debian ships some packages with both a .dist-info and an
		// .egg-info of the same version; only differing copies matter.
		if r.env.Packages[key] != meta.Version {
			r.problem("duplicate", path, key, fmt.Sprintf("version %s also installed as %s (version %s); Python imports the first one found", meta.Version, prev, r.env.Packages[key]))
		}
		return
	}
	r.seen[key] = path
	e := r.env
	if e.Packages == nil {
		e.Packages = map[string]string{}
	}
	e.Packages[key] = meta.Version
	if meta.RequiresPython != "" {
		if e.RequiresPython == nil {
			e.RequiresPython = map[string]string{}
		}
		e.RequiresPython[key] = meta.RequiresPython
	}
	reqs := meta.RequiresDist
	if egg && isDir {
		if data, err := os.ReadFile(filepath.Join(path, "requires.txt")); err == nil {
			reqs = append(reqs, parseRequiresTxt(data)...)
		}
	}
	r.addRequires(key, metaPath, reqs)
	if !isDir {
		return
	}
	data, err := os.ReadFile(filepath.Join(path, "entry_points.txt"))
	switch {
	case err == nil:
		ep, err := parseEntryPoints(data)
		if err != nil {
			r.problem("bad-metadata", filepath.Join(path, "entry_points.txt"), key, describeErr(err))
			return
		}
		r.addEntryPoints(key, ep)
	case !errors.Is(err, fs.ErrNotExist):
		r.problem("unreadable", filepath.Join(path, "entry_points.txt"), key, describeErr(err))
	}
}

func (r *prefixReader) addRequires(key, where string, lines []string) {
	for _, line := range lines {
		req, err := ParseRequirement(line)
		if err != nil {
			// A broken line that only concerns an extra is never checked
			// (real packages ship such lines, e.g. Send2Trash 1.8.1b0).
			if !extraOnlyRE().MatchString(line) {
				r.problem("bad-metadata", where, key, "Requires-Dist: "+err.Error())
			}
			continue
		}
		if r.env.Requires == nil {
			r.env.Requires = map[string][]Requirement{}
		}
		r.env.Requires[key] = append(r.env.Requires[key], req)
	}
}

func (r *prefixReader) addEntryPoints(key string, ep entryPoints) {
	e := r.env
	for group, names := range ep.Groups {
		if e.EntryPoints == nil {
			e.EntryPoints = map[string]map[string]string{}
		}
		if e.EntryPoints[group] == nil {
			e.EntryPoints[group] = map[string]string{}
		}
		for _, n := range names {
			if _, taken := e.EntryPoints[group][n]; !taken {
				e.EntryPoints[group][n] = key
			}
		}
	}
	for _, c := range ep.Commands {
		r.commands[c] = true
	}
}

// condaMetaName splits a conda-meta file name "name-version-build.json".
func condaMetaName(file string) (name, version string, ok bool) {
	base, found := strings.CutSuffix(file, ".json")
	if !found {
		return "", "", false
	}
	i := strings.LastIndexByte(base, '-')
	if i <= 0 {
		return "", "", false
	}
	j := strings.LastIndexByte(base[:i], '-')
	if j <= 0 {
		return "", "", false
	}
	return pep440.NormalizeName(base[:j]), base[j+1 : i], true
}

// readCondaMeta adds the conda packages that site-packages did not list
// (non-Python packages such as configurable-http-proxy, nodejs, python).
func (r *prefixReader) readCondaMeta(dir string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			r.problem("unreadable", dir, "", describeErr(err))
		}
		return
	}
	e := r.env
	for _, d := range ents {
		name, version, ok := condaMetaName(d.Name())
		if !ok {
			continue
		}
		if name == chpName && e.ConfigurableHTTPProxy == "" {
			e.ConfigurableHTTPProxy = version
		}
		if _, have := e.Packages[name]; have {
			continue
		}
		if e.Packages == nil {
			e.Packages = map[string]string{}
		}
		e.Packages[name] = version
	}
}

// readBin adds the jupyter* commands found in a bin directory.
func (r *prefixReader) readBin(dir string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, d := range ents {
		n := strings.TrimSuffix(strings.TrimSuffix(d.Name(), ".exe"), "-script.py")
		if isJupyterCommand(n) {
			r.commands[n] = true
		}
	}
}

const chpName = "configurable-http-proxy"

// chpPackage is what an installed configurable-http-proxy says of itself.
type chpPackage struct {
	Version string
	// Node is its package.json "engines.node" range ("" when absent).
	Node string
}

// readCHPPackage reads an npm package directory (or its package.json) of
// configurable-http-proxy.
func readCHPPackage(p string) (chpPackage, bool) {
	if filepath.Base(p) != "package.json" {
		p = filepath.Join(p, "package.json")
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return chpPackage{}, false
	}
	var pkg struct {
		Name    string `json:"name"`
		Version string `json:"version"`
		Engines struct {
			Node string `json:"node"`
		} `json:"engines"`
	}
	if json.Unmarshal(data, &pkg) != nil || pkg.Name != chpName || pkg.Version == "" {
		return chpPackage{}, false
	}
	return chpPackage{Version: pkg.Version, Node: pkg.Engines.Node}, true
}

// findCHP locates configurable-http-proxy from a path that is its npm
// package directory, its package.json, or its command (usually a symlink
// into lib/node_modules).
func findCHP(p string) (chpPackage, bool) {
	if c, ok := readCHPPackage(p); ok {
		return c, true
	}
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return chpPackage{}, false
	}
	for d := filepath.Dir(real); d != filepath.Dir(d); d = filepath.Dir(d) {
		if c, ok := readCHPPackage(d); ok {
			return c, true
		}
		if c, ok := readCHPPackage(filepath.Join(d, "lib", "node_modules", chpName)); ok {
			return c, true
		}
		if filepath.Base(d) == "node_modules" {
			break
		}
	}
	return chpPackage{}, false
}

// setCHP records an installed configurable-http-proxy.
func (e *Environment) setCHP(c chpPackage) {
	e.ConfigurableHTTPProxy = c.Version
	e.ConfigurableHTTPProxyNode = c.Node
}

func mergeSorted(a, b []string) []string {
	m := map[string]bool{}
	for _, s := range a {
		m[s] = true
	}
	for _, s := range b {
		m[s] = true
	}
	if len(m) == 0 {
		return nil
	}
	return slices.Sorted(maps.Keys(m))
}

// describeErr turns a file-system error into a short message without the
// Go error chain's repetition of the path.
func describeErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, syscall.ELOOP):
		return "symbolic link loop"
	case errors.Is(err, fs.ErrNotExist):
		return "does not exist"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.Is(err, errNotText):
		return "binary content, not a metadata file"
	}
	return err.Error()
}

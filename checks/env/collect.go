package env

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/hubaudit/hubaudit/checks"
	"github.com/hubaudit/hubaudit/internal/lazyre"
)

// Options say which environments to read.
type Options struct {
	// Hub is --hub-env: a prefix or an exported package list. Empty means:
	// find the jupyterhub command on PathEnv and read its prefix.
	Hub string
	// Users are the --user-env values, each "PATH" or "name=PATH".
	Users []string
	// SpawnerCmd is c.Spawner.cmd from the config when it is literal: an
	// absolute path to a command there locates a user environment.
	SpawnerCmd []string
	// PathEnv is the PATH to search (the CLI passes os.Getenv("PATH")).
	PathEnv string
	// Proxy optionally names configurable-http-proxy: its command, its npm
	// package directory or its package.json. When empty it is looked up
	// in the hub prefix and then on PathEnv.
	Proxy string
}

// Collect reads the hub and user environments. It returns a
// checks.Absent error when no environment was given and none was found.
// Environments that cannot be read are kept with Kind KindMissing or
// KindUnknown and Problems that say why; Collect never writes anything.
func Collect(opts Options) (*Facts, error) {
	f := &Facts{Environments: []Environment{}}
	names := map[string]int{}
	uniqueName := func(n string) string {
		names[n]++
		if names[n] == 1 {
			return n
		}
		return fmt.Sprintf("%s-%d", n, names[n])
	}
	switch {
	case strings.TrimSpace(opts.Hub) != "":
		f.Environments = append(f.Environments, readEnv(RoleHub, "", opts.Hub, "flag"))
	default:
		if cmd := lookPath("jupyterhub", opts.PathEnv); cmd != "" {
			prefix, err := prefixFromCommand(cmd)
			e := Environment{Role: RoleHub, Path: cmd, Found: "path", Kind: KindMissing, Packages: map[string]string{}}
			if err == nil {
				e = readEnv(RoleHub, "", prefix, "path")
			} else {
				e.Problems = []Problem{{Kind: "unreadable", Path: cmd, Detail: "cannot find the prefix of the jupyterhub command: " + describeErr(err)}}
			}
			f.Environments = append(f.Environments, e)
		}
	}
	// Each environment is read once: a user environment that resolves to
	// the hub's prefix (a symlink, a trailing slash, another spelling) is
	// the hub environment serving users, and one given twice is an alias.
	hubKey := ""
	if hub := f.Hub(); hub != nil {
		hubKey = samePath(hub.Path)
	}
	userAt := map[string]int{} // resolved path -> index in f.Environments
	sameAs := func(key, how, why string) bool {
		if key == hubKey {
			hub := f.Hub()
			if hub.UserEnv == "" {
				hub.UserEnv = why
			} else {
				hub.Aliases = append(hub.Aliases, how)
			}
			return true
		}
		if i, ok := userAt[key]; ok {
			f.Environments[i].Aliases = append(f.Environments[i].Aliases, how)
			return true
		}
		return false
	}
	for _, spec := range opts.Users {
		name, path := splitUserSpec(spec)
		if strings.TrimSpace(path) == "" {
			return nil, fmt.Errorf("--user-env %q: no path", spec)
		}
		key := samePath(path)
		if sameAs(key, spec, "--user-env "+spec+" names the hub's prefix") {
			continue
		}
		if name == "" {
			name = defaultName(path)
		}
		userAt[key] = len(f.Environments)
		f.Environments = append(f.Environments, readEnv(RoleUser, uniqueName(name), path, "flag"))
	}
	if prefix, ok := spawnerPrefix(opts.SpawnerCmd); ok {
		key := samePath(prefix)
		cmd := opts.SpawnerCmd[0]
		for _, c := range opts.SpawnerCmd {
			if filepath.IsAbs(c) && strings.HasPrefix(filepath.Base(c), "jupyter") {
				cmd = c
				break
			}
		}
		if !sameAs(key, "c.Spawner.cmd "+cmd, "c.Spawner.cmd runs "+cmd+" from the hub's prefix") {
			f.Environments = append(f.Environments, readEnv(RoleUser, uniqueName(defaultName(prefix)), prefix, "spawner-cmd"))
		}
	}
	if len(f.Environments) == 0 {
		return nil, checks.Absent("no environment given (--hub-env, --user-env) and no jupyterhub command found on PATH")
	}
	if hub := f.Hub(); hub != nil {
		switch {
		case opts.Proxy != "":
			if c, ok := findCHP(opts.Proxy); ok {
				hub.setCHP(c)
			} else {
				hub.Problems = append(hub.Problems, Problem{Kind: "unreadable", Path: opts.Proxy,
					Detail: "no configurable-http-proxy package.json found there"})
			}
		case hub.ConfigurableHTTPProxy == "" && hub.Kind == KindPrefix:
			if cmd := lookPath(chpName, opts.PathEnv); cmd != "" {
				if c, ok := findCHP(cmd); ok {
					hub.setCHP(c)
				}
			}
		}
		if hub.ConfigurableHTTPProxy != "" {
			hub.NodeJS, hub.NodeJSFrom = findNode(hub, opts.PathEnv)
		}
	}
	return f, nil
}

var userNameRE = lazyre.New(`^[A-Za-z0-9_.@+-]+$`)

// splitUserSpec splits "name=PATH"; a value whose part before "=" is not a
// plain name (or that names an existing file as a whole) is just a path.
func splitUserSpec(s string) (name, path string) {
	n, p, ok := strings.Cut(s, "=")
	if !ok || !userNameRE().MatchString(n) {
		return "", s
	}
	if _, err := os.Lstat(s); err == nil {
		return "", s
	}
	return n, p
}

func defaultName(path string) string {
	b := filepath.Base(filepath.Clean(path))
	if b == "." || b == string(filepath.Separator) || b == "" {
		return "default"
	}
	return b
}

// samePath is the key under which two spellings of one environment
// compare equal: absolute, cleaned, symlinks resolved when it exists.
func samePath(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		a = filepath.Clean(p)
	}
	if r, err := filepath.EvalSymlinks(a); err == nil {
		return r
	}
	return a
}

// readEnv reads one environment given by path.
func readEnv(role, name, path, found string) Environment {
	e := Environment{Role: role, Name: name, Path: path, Found: found, Packages: map[string]string{}}
	fi, err := os.Stat(path)
	if err != nil {
		e.Kind = KindMissing
		kind := "unreadable"
		if os.IsNotExist(err) {
			kind = "missing"
		}
		e.Problems = append(e.Problems, Problem{Kind: kind, Path: path, Detail: describeErr(err)})
		return e
	}
	if fi.IsDir() {
		readPrefix(&e, path)
		return e
	}
	fh, err := os.Open(path)
	if err != nil {
		e.Kind = KindMissing
		e.Problems = append(e.Problems, Problem{Kind: "unreadable", Path: path, Detail: describeErr(err)})
		return e
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, maxExportBytes+1))
	switch {
	case err != nil:
		e.Kind = KindMissing
		e.Problems = append(e.Problems, Problem{Kind: "unreadable", Path: path, Detail: describeErr(err)})
		return e
	case len(data) > maxExportBytes:
		e.Kind = KindUnknown
		e.Problems = append(e.Problems, Problem{Kind: "unknown-format", Path: path, Detail: fmt.Sprintf("larger than %d MiB: not a package list", maxExportBytes>>20)})
		return e
	}
	readExport(&e, data)
	return e
}

// lookPath finds an executable file named cmd in the directories of
// pathEnv, without consulting the process's own PATH.
func lookPath(cmd, pathEnv string) string {
	for _, dir := range filepath.SplitList(pathEnv) {
		if dir == "" {
			continue
		}
		p := filepath.Join(dir, cmd)
		fi, err := os.Stat(p)
		if err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	return ""
}

// prefixFromCommand finds the Python prefix that a console script belongs
// to: the interpreter named by its shebang (bin/python in a prefix), else
// the parent of the bin directory the (symlink-resolved) script is in.
func prefixFromCommand(cmd string) (string, error) {
	real, err := filepath.EvalSymlinks(cmd)
	if err != nil {
		return "", err
	}
	if interp := shebangInterpreter(real); interp != "" && filepath.IsAbs(interp) {
		if d := filepath.Dir(interp); filepath.Base(d) == "bin" {
			return filepath.Dir(d), nil
		}
	}
	d := filepath.Dir(real)
	if b := filepath.Base(d); b == "bin" || b == "Scripts" {
		return filepath.Dir(d), nil
	}
	return d, nil
}

// shebangInterpreter returns the interpreter of a script: "#!/p/bin/python"
// or pip's wrapper for long paths (a "#!/bin/sh" line, then an exec line
// naming /p/bin/python).
func shebangInterpreter(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	br := bufio.NewReader(io.LimitReader(f, 4096))
	first, _ := br.ReadString('\n')
	if !strings.HasPrefix(first, "#!") {
		return ""
	}
	fields := strings.Fields(strings.TrimPrefix(first, "#!"))
	if len(fields) == 0 {
		return ""
	}
	if filepath.Base(fields[0]) == "sh" {
		second, _ := br.ReadString('\n')
		if rest, ok := strings.CutPrefix(strings.TrimSpace(second), "'''exec' "); ok {
			if f := strings.Fields(rest); len(f) > 0 {
				return strings.Trim(f[0], `"'`)
			}
		}
		return ""
	}
	if strings.HasPrefix(filepath.Base(fields[0]), "python") {
		return fields[0]
	}
	return ""
}

// spawnerPrefix finds a user environment from c.Spawner.cmd: an absolute
// path to a jupyter* command (jupyterhub-singleuser, jupyter-labhub).
func spawnerPrefix(cmd []string) (string, bool) {
	for _, c := range cmd {
		if !filepath.IsAbs(c) || !strings.HasPrefix(filepath.Base(c), "jupyter") {
			continue
		}
		if _, err := os.Stat(c); err != nil {
			d := filepath.Dir(c)
			if filepath.Base(d) == "bin" {
				return filepath.Dir(d), true
			}
			return "", false
		}
		p, err := prefixFromCommand(c)
		if err != nil {
			return "", false
		}
		return p, true
	}
	return "", false
}

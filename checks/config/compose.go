package config

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hubaudit/hubaudit/internal/lazyre"
)

// Compose is the hub service of a docker compose file
// (jupyterhub/jupyterhub-deploy-docker's layout): how the hub container
// is built, what environment it gets and which host paths it mounts.
type Compose struct {
	// File is the compose file; Project its project name (the top-level
	// name:, else the directory's name, as docker compose derives it).
	File    string `json:"file"`
	Project string `json:"project"`
	// Service is the hub's service name and Line where it is defined.
	Service string `json:"service"`
	Line    int    `json:"line"`
	// Image is the service's image: (the name the build is tagged with,
	// or the image run when there is no build).
	Image string `json:"image,omitempty"`
	// Build is the service's build: section.
	Build *ComposeBuild `json:"build,omitempty"`
	// Environment is the service's environment: and env_file: values,
	// secret-looking values redacted; environ keeps them for resolving
	// the config's os.environ reads.
	Environment map[string]string `json:"environment"`
	environ     map[string]string
	// Volumes are the service's mounts.
	Volumes []ComposeVolume `json:"volumes"`
	// Ports are the published ports ("8000:8000").
	Ports []string `json:"ports,omitempty"`
	// Command is the service's command: when it sets one.
	Command []string `json:"command,omitempty"`
	// Dockerfile is the hub image's Dockerfile, when the service builds
	// one that could be read.
	Dockerfile *Dockerfile `json:"dockerfile,omitempty"`
}

// ComposeBuild is a service's build: section.
type ComposeBuild struct {
	Context    string            `json:"context"`
	Dockerfile string            `json:"dockerfile"`
	Args       map[string]string `json:"args,omitempty"`
	// ArgLines are the compose file lines of the args.
	ArgLines map[string]int `json:"-"`
}

// ComposeVolume is one mount of a service.
type ComposeVolume struct {
	// Type is "bind" (a host path) or "volume" (a named volume).
	Type string `json:"type"`
	// Source is the host path or the volume name as written; Host is
	// the host directory it is (for a named volume, docker's default
	// local driver directory /var/lib/docker/volumes/PROJECT_NAME/_data).
	Source   string `json:"source"`
	Host     string `json:"host"`
	Target   string `json:"target"`
	ReadOnly bool   `json:"read_only,omitempty"`
	Line     int    `json:"line"`
}

// Dockerfile is what hubaudit reads of the hub image's Dockerfile.
type Dockerfile struct {
	Path string `json:"path"`
	// From is the last FROM image with build args substituted, FromLine
	// its line, FromRaw as written.
	From     string `json:"from"`
	FromRaw  string `json:"from_raw"`
	FromLine int    `json:"from_line"`
	// JupyterHub is the jupyterhub version the image pins ("" when it
	// moves: a tag such as latest, or an unpinned pip install), and
	// PinnedBy says by what ("FROM quay.io/jupyterhub/jupyterhub:5.2.1",
	// "pip install jupyterhub==5.2.1"); PinArg is the build argument that
	// holds the pin, when one does.
	JupyterHub string `json:"jupyterhub,omitempty"`
	PinnedBy   string `json:"pinned_by,omitempty"`
	PinLine    int    `json:"pin_line,omitempty"`
	PinArg     string `json:"pin_arg,omitempty"`
	// Unpinned says why the jupyterhub the image gets moves from build
	// to build ("" when it is pinned, or when the Dockerfile installs no
	// jupyterhub hubaudit knows of): a moving tag of the official image,
	// or a pip install without a version.
	Unpinned string `json:"unpinned,omitempty"`
	// Packages are the pip requirements of its RUN pip install lines,
	// by normalized name ("" when unpinned).
	Packages map[string]string `json:"packages"`
}

// Environ returns the hub service's environment, secrets included (for
// resolving the config's os.environ reads; never serialized).
func (c *Compose) Environ() map[string]string {
	if c == nil {
		return nil
	}
	return c.environ
}

// HostPath maps a path inside the hub container to the host, through
// the service's mounts ("" when no mount holds it).
func (c *Compose) HostPath(p string) string {
	if c == nil || !strings.HasPrefix(p, "/") {
		return ""
	}
	best := -1
	for i, v := range c.Volumes {
		t := strings.TrimSuffix(v.Target, "/")
		if p == t || strings.HasPrefix(p, t+"/") {
			if best < 0 || len(t) > len(c.Volumes[best].Target) {
				best = i
			}
		}
	}
	if best < 0 {
		return ""
	}
	v := c.Volumes[best]
	return filepath.Join(v.Host, strings.TrimPrefix(p, strings.TrimSuffix(v.Target, "/")))
}

// ComposeFiles are the file names docker compose looks for, in its order.
var ComposeFiles = []string{"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"}

// FindCompose returns the compose file in dir ("" when none).
func FindCompose(dir string) string {
	for _, n := range ComposeFiles {
		p := filepath.Join(dir, n)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

// ReadCompose reads a compose file and returns its hub service: the one
// named hub or jupyterhub, else the one that mounts a
// jupyterhub_config.py or whose image or build names jupyterhub.
func ReadCompose(file string) (*Compose, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("compose: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("compose: %s: %v", file, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("compose: %s: not a compose file (no top-level mapping)", file)
	}
	root := doc.Content[0]
	dir := filepath.Dir(file)
	c := &Compose{File: file, Environment: map[string]string{}, environ: map[string]string{}, Volumes: []ComposeVolume{}}
	c.Project = projectName(dir)
	if n := child(root, "name"); n != nil && n.Kind == yaml.ScalarNode {
		c.Project = n.Value
	}
	dotenv := readEnvFile(filepath.Join(dir, ".env"))
	services := child(root, "services")
	if services == nil || services.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("compose: %s: no services", file)
	}
	kn, svc := hubService(services)
	if svc == nil {
		return nil, fmt.Errorf("compose: %s: no service runs jupyterhub (none is named hub or jupyterhub, mounts a jupyterhub_config.py or builds a jupyterhub image)", file)
	}
	c.Service, c.Line = kn.Value, kn.Line
	interp := func(s string) string { return interpolate(s, dotenv) }
	if n := child(svc, "image"); n != nil {
		c.Image = interp(n.Value)
	}
	if n := child(svc, "ports"); n != nil && n.Kind == yaml.SequenceNode {
		for _, p := range n.Content {
			if p.Kind == yaml.ScalarNode {
				c.Ports = append(c.Ports, interp(p.Value))
			}
		}
	}
	if n := child(svc, "command"); n != nil {
		switch n.Kind {
		case yaml.ScalarNode:
			c.Command = strings.Fields(interp(n.Value))
		case yaml.SequenceNode:
			for _, a := range n.Content {
				c.Command = append(c.Command, interp(a.Value))
			}
		}
	}
	// env_file: first, then environment: (which wins, as in compose).
	if n := child(svc, "env_file"); n != nil {
		var files []string
		switch n.Kind {
		case yaml.ScalarNode:
			files = []string{n.Value}
		case yaml.SequenceNode:
			for _, e := range n.Content {
				if e.Kind == yaml.ScalarNode {
					files = append(files, e.Value)
				} else if p := child(e, "path"); p != nil {
					files = append(files, p.Value)
				}
			}
		}
		for _, f := range files {
			if !filepath.IsAbs(f) {
				f = filepath.Join(dir, f)
			}
			for k, v := range readEnvFile(f) {
				c.environ[k] = v
			}
		}
	}
	if n := child(svc, "environment"); n != nil {
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				c.environ[n.Content[i].Value] = interp(n.Content[i+1].Value)
			}
		case yaml.SequenceNode:
			for _, e := range n.Content {
				k, v, ok := strings.Cut(e.Value, "=")
				if !ok {
					v = dotenv[k] // "NAME" alone passes the variable through
				}
				c.environ[k] = interp(v)
			}
		}
	}
	for k, v := range c.environ {
		if secretRE().MatchString(strings.ToLower(k)) || strings.Contains(strings.ToLower(k), "password") {
			v = "<redacted>"
		} else if r := RedactURL(v); r != v {
			v = r
		}
		c.Environment[k] = v
	}
	c.readVolumes(svc, root, dir, interp)
	if b := child(svc, "build"); b != nil {
		c.Build = readBuild(b, dir, interp)
		df, err := ReadDockerfile(c.Build.Dockerfile, c.Build.Args)
		if err == nil {
			c.Dockerfile = df
		}
	}
	return c, nil
}

// hubService picks the service that runs the hub.
func hubService(services *yaml.Node) (*yaml.Node, *yaml.Node) {
	score := func(name string, svc *yaml.Node) int {
		s := 0
		switch name {
		case "hub", "jupyterhub":
			s += 4
		}
		if n := child(svc, "image"); n != nil && strings.Contains(n.Value, "jupyterhub") {
			s += 2
		}
		if n := child(svc, "build"); n != nil {
			if d := child(n, "dockerfile"); d != nil && strings.Contains(strings.ToLower(d.Value), "jupyterhub") {
				s += 2
			}
		}
		if n := child(svc, "volumes"); n != nil {
			for _, v := range n.Content {
				if strings.Contains(v.Value, "jupyterhub_config.py") || strings.Contains(scalar(child(v, "target")), "jupyterhub_config.py") {
					s += 3
				}
			}
		}
		return s
	}
	var bestK, bestV *yaml.Node
	best := 0
	for i := 0; i+1 < len(services.Content); i += 2 {
		if s := score(services.Content[i].Value, services.Content[i+1]); s > best {
			best, bestK, bestV = s, services.Content[i], services.Content[i+1]
		}
	}
	return bestK, bestV
}

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// readVolumes reads the short ("SRC:DST[:ro]") and long forms of
// volumes:, resolving named volumes through the top-level volumes:.
func (c *Compose) readVolumes(svc, root *yaml.Node, dir string, interp func(string) string) {
	n := child(svc, "volumes")
	if n == nil || n.Kind != yaml.SequenceNode {
		return
	}
	named := child(root, "volumes")
	for _, v := range n.Content {
		var cv ComposeVolume
		cv.Line = v.Line
		switch v.Kind {
		case yaml.ScalarNode:
			parts := strings.Split(interp(v.Value), ":")
			if len(parts) < 2 {
				continue // an anonymous volume: nothing on the host to read
			}
			cv.Source, cv.Target = parts[0], parts[1]
			cv.ReadOnly = len(parts) > 2 && strings.Contains(parts[2], "ro")
		case yaml.MappingNode:
			cv.Source, cv.Target = interp(scalar(child(v, "source"))), interp(scalar(child(v, "target")))
			cv.ReadOnly = scalar(child(v, "read_only")) == "true"
		default:
			continue
		}
		if strings.HasPrefix(cv.Source, ".") || strings.HasPrefix(cv.Source, "/") || strings.HasPrefix(cv.Source, "~") {
			cv.Type = "bind"
			cv.Host = cv.Source
			if !filepath.IsAbs(cv.Host) && !strings.HasPrefix(cv.Host, "~") {
				cv.Host = filepath.Join(dir, cv.Host)
				if a, err := filepath.Abs(cv.Host); err == nil {
					cv.Host = a
				}
			}
		} else {
			cv.Type = "volume"
			name := c.Project + "_" + cv.Source
			if d := child(named, cv.Source); d != nil {
				if x := scalar(child(d, "name")); x != "" {
					name = x
				} else if scalar(child(d, "external")) == "true" {
					name = cv.Source
				}
			}
			cv.Host = "/var/lib/docker/volumes/" + name + "/_data"
		}
		c.Volumes = append(c.Volumes, cv)
	}
}

func readBuild(b *yaml.Node, dir string, interp func(string) string) *ComposeBuild {
	cb := &ComposeBuild{Context: dir, Dockerfile: "Dockerfile", Args: map[string]string{}, ArgLines: map[string]int{}}
	if b.Kind == yaml.ScalarNode {
		cb.Context = filepath.Join(dir, interp(b.Value))
	} else {
		if x := scalar(child(b, "context")); x != "" {
			cb.Context = filepath.Join(dir, interp(x))
		}
		if x := scalar(child(b, "dockerfile")); x != "" {
			cb.Dockerfile = interp(x)
		}
		if a := child(b, "args"); a != nil {
			switch a.Kind {
			case yaml.MappingNode:
				for i := 0; i+1 < len(a.Content); i += 2 {
					cb.Args[a.Content[i].Value] = interp(a.Content[i+1].Value)
					cb.ArgLines[a.Content[i].Value] = a.Content[i].Line
				}
			case yaml.SequenceNode:
				for _, e := range a.Content {
					k, v, _ := strings.Cut(e.Value, "=")
					cb.Args[k], cb.ArgLines[k] = interp(v), e.Line
				}
			}
		}
	}
	if !filepath.IsAbs(cb.Dockerfile) {
		cb.Dockerfile = filepath.Join(cb.Context, cb.Dockerfile)
	}
	return cb
}

// projectName is docker compose's default project name: the directory's
// base name, lower-cased, with only letters, digits, - and _ kept.
func projectName(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	var b strings.Builder
	for _, r := range strings.ToLower(filepath.Base(abs)) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// readEnvFile reads a .env file (KEY=VALUE lines, # comments, optional
// quotes); a missing file is empty.
func readEnvFile(p string) map[string]string {
	out := map[string]string{}
	b, err := os.ReadFile(p)
	if err != nil {
		return out
	}
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "export "))
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		k, v, ok := strings.Cut(l, "=")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1]
		}
		out[strings.TrimSpace(k)] = v
	}
	return out
}

var interpRE = lazyre.New(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)`)

// interpolate substitutes ${VAR}, ${VAR:-default}, ${VAR-default} and
// $VAR from the project's .env file (the shell's environment is not the
// audited machine's, so it is not used); $$ is a literal $.
func interpolate(s string, vars map[string]string) string {
	if !strings.Contains(s, "$") {
		return s
	}
	s = strings.ReplaceAll(s, "$$", "\x00")
	s = interpRE().ReplaceAllStringFunc(s, func(m string) string {
		sm := interpRE().FindStringSubmatch(m)
		name := sm[1] + sm[4]
		v, ok := vars[name]
		if (sm[2] == ":-" && v == "") || (sm[2] == "-" && !ok) {
			return sm[3]
		}
		return v
	})
	return strings.ReplaceAll(s, "\x00", "$")
}

// jupyterhubImages are the images whose tag is the jupyterhub version
// installed in them (the official hub image, on quay.io and Docker Hub).
var jupyterhubImages = []string{"quay.io/jupyterhub/jupyterhub", "jupyterhub/jupyterhub", "docker.io/jupyterhub/jupyterhub"}

var shellSepRE = lazyre.New(`&&|;|\|\|`)

// versionTagRE matches the tags of the official images that name one
// release. jupyterhub's release workflow (action-major-minor-tag-calculator)
// tags each release X.Y.Z and moves the X.Y, X and latest tags to it, so
// only a full version is a pin.
var versionTagRE = lazyre.New(`^\d+\.\d+\.\d+(([abc]|rc|\.dev|\.post)\d*)?$`)

// lineTagRE matches the X and X.Y tags that follow a release line.
var lineTagRE = lazyre.New(`^\d+(\.\d+)?$`)

// movingTag says why an official image reference is not a pin ("" when it
// is: a full version tag, or a digest).
func movingTag(ref, tag string) string {
	switch {
	case strings.Contains(ref, "@sha256:"):
		return ""
	case tag == "":
		return "FROM " + ref + " has no tag, which is latest: each build takes the newest jupyterhub release that day"
	case tag == "latest":
		return "FROM " + ref + " takes the newest jupyterhub release on the day it builds"
	case versionTagRE().MatchString(tag):
		return ""
	case lineTagRE().MatchString(tag):
		return "FROM " + ref + ": tag " + tag + " moves to each new " + tag + ".x release"
	}
	return "FROM " + ref + ": tag " + tag + " is not a release version (a branch build), and moves"
}

// upgrades reports whether a RUN line's pip install upgrades what is
// installed (--upgrade, -U).
func upgrades(run string) bool {
	for _, f := range strings.Fields(run) {
		if f == "--upgrade" || f == "-U" || strings.HasPrefix(f, "-") && !strings.HasPrefix(f, "--") && strings.Contains(f, "U") {
			return true
		}
	}
	return false
}

// ReadDockerfile reads the base image and the pip installs of a
// Dockerfile, with ARG defaults and the given build args substituted.
func ReadDockerfile(path string, args map[string]string) (*Dockerfile, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	d := &Dockerfile{Path: path, Packages: map[string]string{}}
	vars := map[string]string{}
	argLine := map[string]int{}
	lines := joinContinuations(string(src))
	for _, ln := range lines {
		fields := strings.Fields(ln.text)
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		switch strings.ToUpper(fields[0]) {
		case "ARG":
			for _, a := range fields[1:] {
				k, v, hasDefault := strings.Cut(a, "=")
				if given, ok := args[k]; ok {
					vars[k] = given
				} else if hasDefault {
					vars[k] = strings.Trim(v, `"'`)
				}
				argLine[k] = ln.line
			}
		case "FROM":
			if len(fields) < 2 {
				continue
			}
			d.FromRaw, d.FromLine = fields[1], ln.line
			d.From = interpolate(fields[1], vars)
			d.JupyterHub, d.PinnedBy, d.PinLine, d.PinArg, d.Unpinned = "", "", 0, "", ""
			repo, tag := splitImage(d.From)
			for _, im := range jupyterhubImages {
				if repo != im {
					continue
				}
				d.PinnedBy, d.PinLine = "FROM "+d.From, ln.line
				if versionTagRE().MatchString(tag) {
					d.JupyterHub = tag
				}
				if m := interpRE().FindStringSubmatch(fields[1]); m != nil {
					d.PinArg = m[1] + m[4]
				}
				d.Unpinned = movingTag(d.From, tag)
			}
		case "RUN":
			for _, req := range pipInstalls(ln.text) {
				name, ver := splitRequirement(req)
				d.Packages[name] = ver
				switch {
				case name != "jupyterhub":
				case ver != "":
					d.JupyterHub, d.PinnedBy, d.PinLine, d.PinArg, d.Unpinned = ver, "pip install "+req, ln.line, "", ""
				case d.JupyterHub == "" || upgrades(ln.text):
					// An unpinned install decides the version unless a
					// pinned base image already has one (pip then keeps it,
					// unless told to upgrade).
					d.JupyterHub, d.PinnedBy, d.PinLine, d.PinArg = "", "pip install "+req, ln.line, ""
					d.Unpinned = "pip install " + req + " pins no release: each build installs the newest jupyterhub it allows on PyPI that day"
				}
			}
		}
	}
	return d, nil
}

type dockerLine struct {
	text string
	line int
}

// joinContinuations joins lines ending in a backslash, keeping the line
// number of the first.
func joinContinuations(src string) []dockerLine {
	var out []dockerLine
	var cur strings.Builder
	start := 0
	for i, l := range strings.Split(src, "\n") {
		t := strings.TrimRight(l, " \t\r")
		if cur.Len() == 0 {
			start = i + 1
		} else if strings.HasPrefix(strings.TrimSpace(t), "#") {
			continue // comments inside a continued instruction
		}
		if strings.HasSuffix(t, "\\") {
			cur.WriteString(strings.TrimSuffix(t, "\\"))
			cur.WriteByte(' ')
			continue
		}
		cur.WriteString(t)
		out = append(out, dockerLine{cur.String(), start})
		cur.Reset()
	}
	return out
}

// pipInstalls returns the requirement arguments of the pip install
// commands in a RUN line (options and their values left out).
func pipInstalls(run string) []string {
	var out []string
	for _, cmd := range shellSepRE().Split(run, -1) {
		f := strings.Fields(cmd)
		i := 0
		for i < len(f) && f[i] != "install" {
			i++
		}
		if i == len(f) || !strings.Contains(strings.Join(f[:i], " "), "pip") {
			continue
		}
		for _, a := range f[i+1:] {
			a = strings.Trim(a, `"'`)
			switch {
			case a == "" || strings.HasPrefix(a, "-") || strings.Contains(a, "/") || strings.HasPrefix(a, "."):
				continue
			}
			out = append(out, a)
		}
	}
	sort.Strings(out)
	return out
}

// splitRequirement splits "name==1.2" into the normalized name and the
// exact version ("" when not pinned exactly).
func splitRequirement(req string) (string, string) {
	name, ver := req, ""
	if i := strings.IndexAny(req, "=<>!~[;"); i >= 0 {
		name = req[:i]
		if v, ok := strings.CutPrefix(req[i:], "=="); ok && !strings.ContainsAny(v, "*,") {
			ver = v
		}
	}
	return normName(name), ver
}

func normName(s string) string {
	s = strings.ToLower(s)
	return strings.NewReplacer("_", "-", ".", "-").Replace(s)
}

// splitImage splits "repo:tag" (a registry port is not a tag).
func splitImage(ref string) (string, string) {
	if i := strings.IndexByte(ref, '@'); i >= 0 {
		ref = ref[:i]
	}
	i := strings.LastIndexByte(ref, ':')
	if i < 0 || strings.Contains(ref[i:], "/") {
		return ref, ""
	}
	return ref[:i], ref[i+1:]
}

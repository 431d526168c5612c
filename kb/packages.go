package kb

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/hubaudit/hubaudit/kb/kbdata"
	"github.com/hubaudit/hubaudit/pep440"
)

// loadPackages checks the embedded package facts once. It does not need
// the core, so the config collector can use it while the core loads.
var loadPackages = sync.OnceValues(func() (*kbdata.Packages, error) {
	p := embeddedPackages
	if err := checkPackages(&p); err != nil {
		return nil, err
	}
	return &p, nil
})

// entryPointGroups are the groups JupyterHub loads *_class options from.
var entryPointGroups = map[string]bool{
	"jupyterhub.authenticators": true, "jupyterhub.spawners": true, "jupyterhub.proxies": true,
}

func checkPackages(p *kbdata.Packages) error {
	seen := map[string]string{}
	for _, e := range p.EntryPoints {
		if !entryPointGroups[e.Group] || e.Name == "" || e.Class == "" || e.Module == "" || e.Package == "" {
			return fmt.Errorf("knowledge base: entry point %s %q is incomplete", e.Group, e.Name)
		}
		for _, r := range []string{e.FirstRelease, e.LastRelease} {
			if r != "" {
				if _, err := pep440.Parse(r); err != nil {
					return fmt.Errorf("knowledge base: entry point %s %q: %w", e.Group, e.Name, err)
				}
			}
		}
		key := e.Group + " " + e.Name
		if pkg, dup := seen[key]; dup {
			return fmt.Errorf("knowledge base: entry point %s registered by %s and %s", key, pkg, e.Package)
		}
		seen[key] = e.Package
	}
	for _, c := range p.Z2JHKeys {
		if c.Key == "" || !strings.Contains(c.Trait, ".") {
			return fmt.Errorf("knowledge base: z2jh chart key %q -> %q is incomplete", c.Key, c.Trait)
		}
	}
	for _, im := range p.SingleuserImages {
		if im.Image == "" || im.Source == "" || strings.ContainsAny(im.Image, ":@ ") || im.Image != strings.ToLower(im.Image) {
			return fmt.Errorf("knowledge base: single-user image %q: a lower-case repository without tag, with its source", im.Image)
		}
	}
	for _, r := range p.TLJHReleases {
		if _, err := pep440.Parse(r.Tag); err != nil {
			return fmt.Errorf("knowledge base: tljh release %q: %w", r.Tag, err)
		}
		if _, err := pep440.ParseSpecifier(r.JupyterHub); err != nil || r.JupyterHub == "" {
			return fmt.Errorf("knowledge base: tljh release %s: jupyterhub specifier %q: %v", r.Tag, r.JupyterHub, err)
		}
	}
	for _, c := range p.UncatalogedClasses {
		if c.Package == "" || c.Class == "" || c.Module == "" {
			return fmt.Errorf("knowledge base: uncataloged class %q is incomplete", c.Class)
		}
	}
	for _, d := range p.Z2JHDefaults {
		if !strings.Contains(d.Trait, ".") || d.Value == nil {
			return fmt.Errorf("knowledge base: z2jh chart default %q is incomplete", d.Trait)
		}
	}
	return nil
}

// EntryPoint returns the class that entry-point name (as a *_class option
// takes it: "github", "docker") stands for in group
// ("jupyterhub.authenticators", "jupyterhub.spawners",
// "jupyterhub.proxies"). Names are matched case-insensitively, as
// JupyterHub does.
func EntryPoint(group, name string) (kbdata.EntryPoint, bool) {
	p, err := loadPackages()
	if err != nil {
		return kbdata.EntryPoint{}, false
	}
	for _, e := range p.EntryPoints {
		if e.Group == group && strings.EqualFold(e.Name, name) {
			return e, true
		}
	}
	return kbdata.EntryPoint{}, false
}

// EntryPointOf returns the entry point of group that names class (the
// name a *_class option can take for it), and whether there is one.
func EntryPointOf(group, class string) (kbdata.EntryPoint, bool) {
	p, err := loadPackages()
	if err != nil {
		return kbdata.EntryPoint{}, false
	}
	for _, e := range p.EntryPoints {
		if e.Group == group && e.Class == class {
			return e, true
		}
	}
	return kbdata.EntryPoint{}, false
}

// DistributionOfModule returns the PyPI distribution that provides a
// top-level module ("kubespawner" -> "jupyterhub-kubespawner").
func DistributionOfModule(module string) (string, bool) {
	p, err := loadPackages()
	if err != nil {
		return "", false
	}
	d, ok := p.Modules[module]
	return d, ok
}

// CheckPackages reports whether the embedded packages data is valid (a
// test and the load-time validation use it).
func CheckPackages() error {
	_, err := loadPackages()
	return err
}

// EntryPointNames returns the entry-point names of group that the
// knowledge base knows, sorted.
func EntryPointNames(group string) []string {
	p, err := loadPackages()
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range p.EntryPoints {
		if e.Group == group {
			out = append(out, e.Name)
		}
	}
	sort.Strings(out)
	return out
}

// Z2JHChart returns what the Zero to JupyterHub chart's own config does:
// the chart-level values.yaml keys it maps to traits, and the traits it
// sets by default.
func Z2JHChart() ([]kbdata.ChartKey, []kbdata.ChartDefault) {
	p, err := loadPackages()
	if err != nil {
		return nil, nil
	}
	return p.Z2JHKeys, p.Z2JHDefaults
}

// SingleuserImageVersion returns the jupyterhub version a container image
// reference pins, for the images whose tags are jupyterhub versions
// (singleuser_images.tsv): "quay.io/jupyterhub/singleuser:5.2.1" is 5.2.1,
// "jupyterhub/singleuser:0.9" is 0.9. repo is the image without its tag.
// ok is false for other images, for a reference without tag or by digest,
// and for tags that are not versions (latest, main), which move. The
// Zero to JupyterHub chart's single-user sample image is known too: its
// tag is the chart version ("quay.io/jupyterhub/k8s-singleuser-sample:3.3.8"
// pins jupyterhub 4.1.6).
func SingleuserImageVersion(ref string) (repo string, v pep440.Version, ok bool) {
	p, err := loadPackages()
	if err != nil {
		return "", pep440.Version{}, false
	}
	ref = strings.TrimSpace(ref)
	if strings.Contains(ref, "@") {
		return "", pep440.Version{}, false
	}
	colon := strings.LastIndexByte(ref, ':')
	if colon < 0 || colon < strings.LastIndexByte(ref, '/') {
		return "", pep440.Version{}, false // no tag (a registry port is not one)
	}
	repo, tag := ref[:colon], ref[colon+1:]
	name := strings.ToLower(repo)
	for _, prefix := range []string{"docker.io/", "index.docker.io/", "registry-1.docker.io/"} {
		name = strings.TrimPrefix(name, prefix)
	}
	for _, im := range p.SingleuserImages {
		if im.Image != name {
			continue
		}
		// Tags carry no "v" (4.1.6); pep440.Parse would take v4 too.
		if tag == "" || tag[0] < '0' || tag[0] > '9' {
			return "", pep440.Version{}, false
		}
		v, err := pep440.Parse(tag)
		if err != nil {
			return "", pep440.Version{}, false
		}
		return repo, v, true
	}
	// The Zero to JupyterHub chart's single-user sample image is tagged
	// with the chart version, and pins the chart's jupyterhub.
	if c, ok := ChartOfSingleuserImage(ref); ok && !c.SingleuserJupyterHub.IsZero() {
		return repo, c.SingleuserJupyterHub, true
	}
	return "", pep440.Version{}, false
}

// TLJHReleases returns The Littlest JupyterHub's releases, oldest first,
// with the jupyterhub specifier each one's installer uses
// (tljh_releases.tsv).
func TLJHReleases() []kbdata.TLJHRelease {
	p, err := loadPackages()
	if err != nil {
		return nil
	}
	return p.TLJHReleases
}

// UncatalogedClass returns the package of a configurable class that
// hubaudit knows exists but has no trait catalog for
// (uncataloged_classes.tsv: jupyterhub-traefik-proxy's proxies, TLJH's
// UserCreatingSpawner, FirstUseAuthenticator).
func UncatalogedClass(class string) (pkg string, ok bool) {
	p, err := loadPackages()
	if err != nil {
		return "", false
	}
	for _, c := range p.UncatalogedClasses {
		if c.Class == class {
			return c.Package, true
		}
	}
	return "", false
}

// TLJHReleaseByTag returns a TLJH release by its tag; an empty tag is
// the newest final release.
func TLJHReleaseByTag(tag string) (kbdata.TLJHRelease, bool) {
	rels := TLJHReleases()
	for i := len(rels) - 1; i >= 0; i-- {
		if rels[i].Tag == tag || tag == "" && !rels[i].Prerelease {
			return rels[i], true
		}
	}
	return kbdata.TLJHRelease{}, false
}

// RecreatedTokenNotes returns the notes the hub gives the API tokens it
// creates from its config at every start (recreated_tokens.tsv), for
// JupyterHub release v; a zero v (release unknown) gets every note.
func RecreatedTokenNotes(v pep440.Version) []string {
	p, err := loadPackages()
	if err != nil {
		return nil
	}
	var out []string
	for _, r := range p.RecreatedTokens {
		if v.IsZero() || inTags(v, r.FirstTag, r.LastTag) {
			out = append(out, r.Note)
		}
	}
	return out
}

// SpawnerUserEnv returns where spawner class runs single-user servers
// from with JupyterHub release v (spawner_user_env.tsv): user env
// "hub-path" is the hub's own environment unless a trait of unless is
// set. False when the class is not listed for v.
func SpawnerUserEnv(class string, v pep440.Version) (userEnv string, unless []string, ok bool) {
	p, err := loadPackages()
	if err != nil {
		return "", nil, false
	}
	for _, s := range p.SpawnerUserEnvs {
		if s.Class == class && (v.IsZero() || inTags(v, s.JupyterHubFirst, s.JupyterHubLast)) {
			return s.UserEnv, s.Unless, true
		}
	}
	return "", nil, false
}

// inTags reports whether v is in [first, last]; a v after last counts as
// in when last is the newest release the knowledge base has (the fact has
// not been seen to change).
func inTags(v pep440.Version, first, last string) bool {
	f, err1 := pep440.Parse(first)
	l, err2 := pep440.Parse(last)
	if err1 != nil || err2 != nil || v.Less(f) {
		return false
	}
	if !l.Less(v) {
		return true
	}
	k, err := Load()
	if err != nil {
		return false
	}
	for _, r := range k.Releases() {
		if l.Less(r.Version) {
			return false // a newer release was checked and the fact ended
		}
	}
	return true
}

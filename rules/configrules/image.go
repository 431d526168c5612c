package configrules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/rules"
)

// SingleuserImage compares the jupyterhub that the single-user images
// named in the config pin with the hub's.
var SingleuserImage = &rules.Rule{
	ID: "HUB116", Name: "singleuser-image-version", Severity: rules.Warning, Source: rules.SourceConfig, Needs: cfg,
	Title: "a single-user image in the config pins another jupyterhub than the hub's",
	Doc: "With DockerSpawner, KubeSpawner and the other container spawners, the user environment is an " +
		"image, and the official single-user images (`jupyterhub/singleuser`, " +
		"`quay.io/jupyterhub/singleuser`) are tagged with the jupyterhub version they pin. hubaudit reads " +
		"those tags in `c.<Spawner>.image` (and its older names `image_spec`, `container_image`), " +
		"`profile_list` overrides and `allowed_images`, and compares " +
		"them with the hub's version after the upgrade (the target; in `post`, the target or the running " +
		"version) the way the hub does (see HUB302): a difference the hub warns about is a warning, an " +
		"error in `post`; versions on either side of a known breaking release (2.0) are an error, because " +
		"users fail to authenticate. Tags that move (`latest`, `main`) and other images are not judged: " +
		"pass their package list with --user-env.\n\nFix: change the tag to the hub's version, or rebuild " +
		"the image with the hub's jupyterhub.",
	Run: func(p *rules.Pass) error {
		hv := p.Current
		if p.Target != nil {
			hv = p.Target.Version
		}
		if hv.IsZero() {
			return nil
		}
		hub := "the hub runs"
		if p.Target != nil && p.Mode == rules.ModePre {
			hub = "the upgraded hub runs"
		}
		for _, a := range p.Config.Assignments {
			if !strings.HasSuffix(a.Class(), "Spawner") || a.ValueKind != "literal" {
				continue
			}
			switch a.Name() {
			// image_spec and container_image are KubeSpawner's and
			// DockerSpawner's older names of image.
			case "image", "image_spec", "container_image", "profile_list", "allowed_images", "image_whitelist":
			default:
				continue
			}
			for _, ref := range imageRefs(a.Value) {
				repo, uv, ok := kb.SingleuserImageVersion(ref)
				if !ok {
					continue
				}
				f := rules.Finding{Location: rules.Location{File: a.File, Line: a.Line, Column: a.Column, Subject: "image:" + ref},
					Fix: &rules.Fix{Description: imageFix(p, ref, repo, hv)}}
				switch g := p.KB.SingleuserGap(hv, uv); {
				case g.Crosses:
					f.Severity = rules.Error
					f.Message = fmt.Sprintf("c.%s names %s, which pins jupyterhub %s, and %s %s: the two are on either side of %s, a known breaking release for hub and single-user servers: users will fail to authenticate",
						a.Trait, ref, uv, hub, hv, g.Breaking.MajorMinor())
				case g.Warned:
					f.Severity = p.FailsInPost()
					f.Message = fmt.Sprintf("c.%s names %s, which pins jupyterhub %s, and %s %s: the %s hub warns about a different %s version (failed authentication, redirect loops)",
						a.Trait, ref, uv, hub, hv, hv, g.Compare)
				default:
					continue
				}
				p.Report(f)
			}
		}
		return nil
	},
}

// imageFix says which image to use instead of ref for a hub at hv: the
// official single-user image of that version, or for the chart's sample
// image the target chart's.
func imageFix(p *rules.Pass, ref, repo string, hv fmt.Stringer) string {
	if _, ok := kb.ChartOfSingleuserImage(ref); ok {
		if ch := p.Charts(); ch != nil && ch.Target != nil {
			if im := ch.Target.Images()["singleuser.image"]; im != "" {
				return fmt.Sprintf("use %s (chart %s's sample image, jupyterhub %s), or leave singleuser.image unset to get it, or rebuild the image with jupyterhub==%s", im, ch.Target.Version, ch.Target.SingleuserJupyterHub, hv)
			}
		}
		return fmt.Sprintf("use the sample image of the chart release that ships jupyterhub %s, or rebuild the image with jupyterhub==%s", hv, hv)
	}
	return fmt.Sprintf("use %s:%s, or rebuild the image with jupyterhub==%s", repo, hv, hv)
}

// imageRefs returns the strings of a literal value: the value itself, the
// items of a list, the values of a dict, recursively (profile_list
// overrides, allowed_images), sorted and without repeats.
func imageRefs(v any) []string {
	seen := map[string]bool{}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			seen[x] = true
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

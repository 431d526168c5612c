package audit

import (
	"fmt"
	"os"
	"strings"

	"github.com/hubaudit/hubaudit/checks/env"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/kb/extract"
	"github.com/hubaudit/hubaudit/pep440"
	"github.com/hubaudit/hubaudit/report"
	"github.com/hubaudit/hubaudit/rules"
)

// isPackagePath reports whether --target names a package rather than a
// version: it has a path separator, a wheel or sdist suffix, or it is not
// a version and something of that name exists.
func isPackagePath(spec string) bool {
	if strings.ContainsAny(spec, `/\`) || strings.HasSuffix(spec, ".whl") || strings.HasSuffix(spec, ".tar.gz") || strings.HasSuffix(spec, ".tgz") {
		return true
	}
	s := strings.TrimPrefix(strings.TrimSpace(spec), "v")
	if _, err := pep440.Parse(s); err == nil || strings.EqualFold(s, "latest") {
		return false
	}
	_, err := os.Stat(spec)
	return err == nil
}

// resolveRelease turns --target into a release of the knowledge base it
// returns: a version (or line, or latest) that k knows, or the release of
// a package (a prefix or virtualenv where it is installed, a wheel, an
// sdist, a source tree), learned from it and added to a copy of k.
func resolveRelease(k *kb.KB, spec string) (*kb.KB, *kb.Release, error) {
	if isPackagePath(spec) {
		l, _, err := extract.Learn(k, spec)
		if err != nil {
			return nil, nil, usagef("--target takes a version, or a prefix, virtualenv, wheel (.whl) or sdist (.tar.gz) of the target JupyterHub", "--target %s: %v", spec, err)
		}
		nk, err := k.Learn(l)
		if err != nil {
			return nil, nil, usagef("", "--target %s: %v", spec, err)
		}
		r, _ := nk.Release(l.Release.Version)
		return nk, r, nil
	}
	r, err := k.Resolve(spec)
	if err == nil {
		return k, r, nil
	}
	newest := k.Newest()
	if v, perr := pep440.Parse(strings.TrimPrefix(strings.TrimSpace(spec), "v")); perr == nil && newest.Version.Less(v) {
		return nil, nil, &UsageError{
			Msg:  fmt.Sprintf("JupyterHub %s is newer than hubaudit's knowledge, which ends at %s", v, describe(newest)),
			Hint: fmt.Sprintf("point --target at a package of %s instead: the prefix or virtualenv where it is installed (build the new environment first), a wheel or an sdist, e.g. --target /opt/jupyterhub-%s or --target jupyterhub-%s-py3-none-any.whl", v, v, v),
		}
	}
	return nil, nil, &UsageError{Msg: err.Error(), Hint: "known versions: " + strings.Join(k.VersionList(), ", ") + " (or a line such as 5.5, or latest; chart:4.4.0 for a Zero to JupyterHub chart release; or the path of a package of the target release)"}
}

// describe names a release with its date, when known.
func describe(r *kb.Release) string {
	if r.Date.IsZero() {
		return r.Version.String()
	}
	return fmt.Sprintf("%s (%s)", r.Version, r.Date.Format("2006-01-02"))
}

// learnHubRelease learns the hub environment's jupyterhub from its
// installed package when it is newer than the knowledge base, so that
// the running release is judged by its own facts rather than an older
// one's.
func learnHubRelease(in *rules.Input) {
	if in.Env == nil {
		return
	}
	for _, e := range in.Env.Environments {
		if e.Role != "hub" || e.Kind != env.KindPrefix {
			continue
		}
		v, err := pep440.Parse(e.Packages["jupyterhub"])
		if err != nil || !in.KB.Newest().Version.Less(v) {
			continue
		}
		if _, ok := in.KB.LearnedFrom(v); ok {
			continue
		}
		l, _, err := extract.Learn(in.KB, e.Path)
		if err == nil {
			var nk *kb.KB
			if nk, err = in.KB.Learn(l); err == nil {
				in.KB = nk
				if in.Target != nil {
					in.Target, _ = nk.Release(in.Target.Version.String())
				}
				return
			}
		}
		in.Extra[extraLearnFailed] = fmt.Sprintf("the hub environment's jupyterhub %s is newer than hubaudit's knowledge (%s), and could not be learned from %s: %v; it is judged as %s", v, describe(in.KB.Newest()), e.Path, err, in.KB.Latest().Version)
	}
}

// extraLearnFailed holds the note that a newer hub release could not be
// learned.
const extraLearnFailed = "audit.learn_failed"

// knowledge says how far the knowledge base goes and which releases were
// learned from packages, for the report.
func knowledge(in *rules.Input) *report.Knowledge {
	k := in.KB
	n := k.Newest()
	out := &report.Knowledge{Newest: n.Version.String(), Latest: k.Latest().Version.String()}
	if !n.Date.IsZero() {
		out.NewestDate = n.Date.Format("2006-01-02")
	}
	for _, r := range k.Releases() {
		l, ok := k.LearnedFrom(r.Version)
		if !ok {
			continue
		}
		why := "hub environment"
		if in.Target != nil && in.Target.Version.Equal(r.Version) {
			why = "--target"
		}
		out.Learned = append(out.Learned, report.LearnedRelease{Version: r.Version.String(), From: l.From, Why: why, Notes: l.Notes})
	}
	if s, ok := in.Extra[extraLearnFailed].(string); ok {
		out.Notes = append(out.Notes, s)
	}
	return out
}

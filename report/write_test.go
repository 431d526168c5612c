package report

import "testing"

// TestHeadlineVersions checks the verdict line with and without a known
// running version.
func TestHeadlineVersions(t *testing.T) {
	cur, target := "4.1.6", "5.5.1"
	for _, c := range []struct {
		verdict string
		current *string
		want    string
	}{
		{VerdictNotReady, &cur, "not ready: fix the 2 errors before upgrading jupyterhub 4.1.6 to 5.5.1"},
		{VerdictNotReady, nil, "not ready: fix the 2 errors before upgrading to jupyterhub 5.5.1"},
		{VerdictReady, &cur, "ready: this deployment (jupyterhub 4.1.6) can be upgraded to 5.5.1"},
		{VerdictReady, nil, "ready: this deployment can be upgraded to 5.5.1"},
	} {
		r := &Report{Verdict: c.verdict, CurrentVersion: c.current, TargetVersion: &target}
		r.Summary.Error = 2
		if got := headline(r); got != c.want {
			t.Errorf("headline = %q, want %q", got, c.want)
		}
	}
}

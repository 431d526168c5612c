package main

import (
	"strings"
	"testing"
)

// TestSharedPasswordAdvice is issue 11's "advice that hurts" case: the
// DummyAuthenticator.password fix used to say only "use
// SharedPasswordAuthenticator.user_password", which followed literally
// keeps DummyAuthenticator running without a password and locks the admin
// out. It now gives the whole change: the class by its entry point, the
// password's new home, admin_password (32+ characters) for the admins and
// an allow config, DummyAuthenticator's own default being gone.
func TestSharedPasswordAdvice(t *testing.T) {
	dir := deployment(t, map[string]string{
		"jupyterhub_config.py": "c = get_config()\nc.JupyterHub.authenticator_class = 'dummy'\nc.DummyAuthenticator.password = 'course-2026'\nc.Authenticator.admin_users = {'root'}\n",
	})
	_, fs := auditJSON(t, "pre", "--target", "5.5.1", "--dir", dir)
	h := byRule(fs, "HUB102")
	if len(h) != 1 || h[0].Fix == nil {
		t.Fatalf("HUB102: %+v", h)
	}
	if !strings.Contains(h[0].Message, "takes effect only with SharedPasswordAuthenticator selected") {
		t.Errorf("message: %s", h[0].Message)
	}
	for _, want := range []string{
		`c.JupyterHub.authenticator_class = "shared-password"`,
		"c.SharedPasswordAuthenticator.user_password (at least 8 characters)",
		"c.SharedPasswordAuthenticator.admin_password (at least 32 characters, not the same as user_password) for the admin users (root)",
		"c.Authenticator.allow_all = True, which admits anyone who knows user_password",
	} {
		if !strings.Contains(h[0].Fix.Description, want) {
			t.Errorf("fix lacks %q: %s", want, h[0].Fix.Description)
		}
	}
	for _, f := range fs {
		if strings.Contains(f.Message+fixText(f), "course-2026") {
			t.Errorf("the password is shown: %+v", f)
		}
	}
}

func fixText(f jsonFinding) string {
	if f.Fix == nil {
		return ""
	}
	return f.Fix.Description
}

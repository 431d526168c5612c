package kb

import "testing"

func TestLogMessages(t *testing.T) {
	k := MustLoad()
	if len(k.LogMessages()) < 10 {
		t.Fatalf("only %d log messages", len(k.LogMessages()))
	}
	cases := map[string]string{
		"traitlets.config_not_recognized": "Config option `cookie_max_age_dayz` not recognized by `JupyterHub`.  Did you mean `cookie_max_age_days`?",
		"deprecation.renamed_trait":       "DummyAuthenticator.whitelist is deprecated in JupyterHub 1.2, use DummyAuthenticator.allowed_users instead",
		"deprecation.as_of":               "JupyterHub.hub_connect_port is deprecated as of 0.9. Use JupyterHub.hub_connect_url to fully specify the URL for connecting to the Hub.",
		"hub.access":                      "503 GET /user/alice/lab?x=1 (alice@10.0.0.1) 12.50ms",
		"spawner.stopped_while_down":      "alice appears to have stopped while the Hub was down",
	}
	for id, text := range cases {
		var found bool
		for _, m := range k.LogMessages() {
			if m.ID == id {
				found = true
				if !m.Regexp().MatchString(text) {
					t.Errorf("%s: %q does not match %s", id, text, m.Pattern)
				}
			}
		}
		if !found {
			t.Errorf("%s missing", id)
		}
	}
}

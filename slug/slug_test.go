package slug

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestSafeKubeSpawnerExamples are the cases of kubespawner's own
// tests/test_slugs.py (7.0.0).
func TestSafeKubeSpawnerExamples(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"jupyter-alex", "jupyter-alex"},
		{"jupyter-Alex", "jupyter-alex---3a1c285c"},
		{"jupyter-üni", "jupyter-ni---a5aaf5dd"},
		{"endswith-", "endswith---165f1166"},
		{"user@email.com", "user-email-com---0925f997"},
		{"user-_@_emailß.com", "user-email-com---7e3a7efd"},
		{"has.dot", "has-dot---03e27fdf"},
		{"z9", "z9"},
		{"9z9", "x-9z9---224de202"},
		{"-start", "start---f587e2dc"},
		{"üser", "ser---73506260"},
		{"username--servername", "username-servername---d957f1de"},
		{"start---f587e2dc", "start-f587e2dc---cc5bb9c9"},
		{strings.Repeat("x", 63), strings.Repeat("x", 63)},
		{strings.Repeat("x", 64), "xxxxxxxxxxxxxxxxxxxxx---7ce10097"},
		{strings.Repeat("x", 65), "xxxxxxxxxxxxxxxxxxxxx---9537c5fd"},
		{"", "x---e3b0c442"},
	} {
		got, err := Safe(tc.name, nil, 0)
		if err != nil || got != tc.want {
			t.Errorf("Safe(%q) = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		max, length int
		want        string
	}{
		{16, 16, strings.Repeat("x", 16)},
		{16, 17, "xxxxx---d04fd59f"},
		{11, 16, "error"},
		{12, 16, "x---9c572959"},
	} {
		got, err := Safe(strings.Repeat("x", tc.length), nil, tc.max)
		if tc.want == "error" {
			if err == nil {
				t.Errorf("max %d: got %q, want an error", tc.max, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("max %d len %d: %q, %v; want %q", tc.max, tc.length, got, err, tc.want)
		}
	}
	for _, tc := range []struct{ name, want string }{
		{"", ""}, {"x", "x"}, {"a-b", "a-b"}, {"9a", "9a"}, {"9.", "x-9---99a1b84b"},
		{"AbC", "AbC"}, {"AbC.", "abc---dbe8c5d1"}, {"ab.c", "ab.c"}, {"a@b.c", "a-b-c---d648b243"},
		{"-x", "x---a4209624"}, {"x-", "x---c8b60efc"},
		{strings.Repeat("x", 63), strings.Repeat("x", 63)},
		{strings.Repeat("x", 64), "xxxxxxxxxxxxxxxxxxxxx---7ce10097"},
		{strings.Repeat("x", 65), "xxxxxxxxxxxxxxxxxxxxx---9537c5fd"},
	} {
		got, err := Safe(tc.name, IsValidLabel, 0)
		if err != nil || got != tc.want {
			t.Errorf("Safe(%q, label) = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}

// TestDocumentedExamples are the tables of kubespawner's
// docs/source/templates.md (7.0.0): the default pod name template, and
// the escape and safe schemes side by side. The docs' third pod name,
// "jupyter-user-email-com--some-name---0c1fe94b" (one hash), is not what
// the 7.0.0 code computes: both names fit in 48 characters, so
// _expand_user_properties joins the two safe slugs, each with its own
// hash. The code is what runs, so the code's value is expected here.
func TestDocumentedExamples(t *testing.T) {
	for _, tc := range []struct{ user, server, want string }{
		{"user", "", "jupyter-user"},
		{"user", "server", "jupyter-user--server"},
		{"user@email.com", "Some Name", "jupyter-user-email-com---0925f997--some-name---3a8b1764"},
	} {
		got, err := Expand("jupyter-{user_server}", Server{User: tc.user, Name: tc.server}, SchemeSafe)
		if err != nil || got != tc.want {
			t.Errorf("%q/%q: %q, %v; want %q", tc.user, tc.server, got, err, tc.want)
		}
	}
	for _, tc := range []struct{ name, escape, safe string }{
		{"username", "username", "username"},
		{"has-hyphen", "has-2dhyphen", "has-hyphen"},
		{"Capital", "-43apital", "capital---1a1cf792"},
		{"user@email.com", "user-40email-2ecom", "user-email-com---0925f997"},
		{"a-very-long-name-that-is-too-long-for-sixty-four-character-labels", "a-2dvery-2dlong-2dname-2dthat-2dis-2dtoo-2dlong-2dfor-2dsixty-2dfour-2dcharacter-2dlabels", "a-very-long-name-that-is-too-long-for---29ac5fd2"},
		{"ALLCAPS", "-41-4c-4c-43-41-50-53", "allcaps---27c6794c"},
	} {
		s := Server{User: tc.name}
		if got, _ := Expand("{username}", s, SchemeEscape); got != tc.escape {
			t.Errorf("escape %q = %q, want %q", tc.name, got, tc.escape)
		}
		if got, _ := Expand("{username}", s, SchemeLegacy); got != tc.escape {
			t.Errorf("legacy %q = %q, want %q", tc.name, got, tc.escape)
		}
		if got, _ := Expand("{username}", s, SchemeSafe); got != tc.safe {
			t.Errorf("safe %q = %q, want %q", tc.name, got, tc.safe)
		}
	}
}

// TestTrickyNames compares with testdata/tricky.json, computed by
// kubespawner 7.0.0's slugs.py for names with capitals, "@", ".",
// more than 48 characters, non-ASCII letters, emoji and control
// characters, default and named servers.
func TestTrickyNames(t *testing.T) {
	b, err := os.ReadFile("testdata/tricky.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		User, Server string
		Safe, Escape []string
		Label        string
	}
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 30 {
		t.Fatalf("%d cases", len(cases))
	}
	for _, tc := range cases {
		s := Server{User: tc.User, Name: tc.Server}
		for scheme, want := range map[Scheme][]string{SchemeSafe: tc.Safe, SchemeEscape: tc.Escape} {
			f, err := Fields(s, scheme)
			if err != nil {
				t.Fatalf("%q: %v", tc.User, err)
			}
			got := []string{f["username"], f["servername"], f["user_server"]}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("%s %q/%q: %q, want %q", scheme, tc.User, tc.Server, got, want)
			}
		}
		if got, _ := Safe(tc.User, IsValidLabel, 0); got != tc.Label {
			t.Errorf("label %q: %q, want %q", tc.User, got, tc.Label)
		}
	}
}

func TestExpand(t *testing.T) {
	s := Server{User: "Alice.Smith@example.org", UserID: 7}
	for _, tc := range []struct {
		tmpl   string
		scheme Scheme
		want   string
		err    string
	}{
		{"{username}", SchemeLegacy, "-41lice-2e-53mith-40example-2eorg", ""},
		{"{username}", SchemeSafe, "alice-smith-example-org---323a0b32", ""},
		{"{escaped_username}", SchemeSafe, "-41lice-2e-53mith-40example-2eorg", ""},
		{"claim-{username}{servername}", SchemeLegacy, "claim--41lice-2e-53mith-40example-2eorg", ""},
		{"{username}--{servername}", SchemeSafe, "alice-smith-example-org---323a0b32", ""},
		{"home-{username}-", SchemeSafe, "home-alice-smith-example-org---323a0b32-", ""},
		{"/home/{unescaped_username}/{userid}", SchemeSafe, "/home/Alice.Smith@example.org/7", ""},
		{"{{literal}} {username}", SchemeSafe, "{literal} alice-smith-example-org---323a0b32", ""},
		{"{legacy_escape_username}", SchemeLegacy, "alice-smith-example-org", ""},
		{"{legacy_escape_username}", SchemeSafe, "", "unknown template field {legacy_escape_username}"},
		{"{user_server}", SchemeLegacy, "", "unknown template field {user_server}"},
		{"{username!r}", SchemeSafe, "", "not supported"},
		{"{username", SchemeSafe, "", "single '{'"},
		{"}", SchemeSafe, "", "single '}'"},
		{"{username}", "bogus", "", "slug scheme must be"},
	} {
		got, err := Expand(tc.tmpl, s, tc.scheme)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s %q: %q, %v; want error %q", tc.scheme, tc.tmpl, got, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s %q: %q, %v; want %q", tc.scheme, tc.tmpl, got, err, tc.want)
		}
	}
	used, err := UsedFields("claim-{username}{{x}}{servername}")
	if err != nil || strings.Join(used, ",") != "username,servername" {
		t.Errorf("UsedFields: %v %v", used, err)
	}
}

func FuzzExpand(f *testing.F) {
	f.Add("{username}-{servername}", "Alice", "srv")
	f.Add("{user_server}", "名前", "")
	f.Fuzz(func(t *testing.T, tmpl, user, server string) {
		for _, sc := range []Scheme{SchemeLegacy, SchemeEscape, SchemeSafe} {
			_, _ = Expand(tmpl, Server{User: user, Name: server}, sc)
		}
		s, err := Safe(user, nil, FieldMaxLength)
		if err != nil || !IsValidObjectName(s) || len(s) > FieldMaxLength {
			t.Fatalf("Safe(%q) = %q, %v: not a valid name", user, s, err)
		}
	})
}

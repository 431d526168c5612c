package pep440

import (
	"sort"
	"testing"
)

func TestOrder(t *testing.T) {
	in := []string{"5.0.0", "1.2.0dev", "5.0.0b1", "1.2.0", "4.1.6", "5.0.0rc1", "5.0.0.post1", "0.9.0", "1.2.0a1", "5.0.0b2", "6.0.0b1", "1.10.0"}
	want := []string{"0.9.0", "1.2.0.dev0", "1.2.0a1", "1.2.0", "1.10.0", "4.1.6", "5.0.0b1", "5.0.0b2", "5.0.0rc1", "5.0.0", "5.0.0.post1", "6.0.0b1"}
	var vs []Version
	for _, s := range in {
		vs = append(vs, MustParse(s))
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i].Less(vs[j]) })
	for i, v := range vs {
		if v.String() != want[i] {
			t.Errorf("position %d: got %s, want %s", i, v, want[i])
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, s := range []string{"", "abc", "1.x", "5.0.0-beta-what"} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) succeeded", s)
		}
	}
	if !MustParse("5.0").Equal(MustParse("5.0.0")) {
		t.Error("5.0 != 5.0.0")
	}
}

func TestSpecifier(t *testing.T) {
	cases := []struct {
		spec, v string
		want    bool
	}{
		{">=3.8", "3.11.7", true},
		{">=3.8", "3.7.9", false},
		{">=3.10", "3.9", false},
		{"~=3.3", "3.9", true},
		{"~=3.3", "4.0", false},
		{"~=2.0.1", "2.0.5", true},
		{"~=2.0.1", "2.1.0", false},
		{">=1.4,<2", "2.0.0", false},
		{">=1.4,<2", "1.4.46", true},
		{"<2", "2.0.0b1", false},
		{"==1.2.*", "1.2.9", true},
		{"!=1.2.*", "1.2.9", false},
		{"", "1.0", true},
		{">4", "4.0.post1", false},
		{"(>=2.2)", "5.5.1", true},
		{"==4.1.6", "4.1.6+local", true},
	}
	for _, c := range cases {
		sp, err := ParseSpecifier(c.spec)
		if err != nil {
			t.Fatalf("%q: %v", c.spec, err)
		}
		if got := sp.Contains(MustParse(c.v)); got != c.want {
			t.Errorf("%q contains %s = %v, want %v", c.spec, c.v, got, c.want)
		}
	}
	if _, err := ParseSpecifier("foo"); err == nil {
		t.Error("bad specifier accepted")
	}
}

func TestNormalizeName(t *testing.T) {
	for in, want := range map[string]string{"Jupyter_Server": "jupyter-server", "ruamel.yaml": "ruamel-yaml", "a--b__c": "a-b-c"} {
		if got := NormalizeName(in); got != want {
			t.Errorf("NormalizeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseForms(t *testing.T) {
	cases := map[string]string{
		"v4.1.6": "4.1.6", "1.2.0dev": "1.2.0.dev0", "5.0.0.b1": "5.0.0b1", "1.0-1": "1.0.post1",
		"2!1.0": "2!1.0", "1.0.0rc2": "1.0.0rc2", "1.0c1": "1.0rc1", "1.0alpha3": "1.0a3",
		"1.0.post2.dev3": "1.0.post2.dev3", "0.9.0-beta.2": "0.9.0b2", "1.0+ubuntu.1": "1.0+ubuntu.1",
		" 3.11.7 ": "3.11.7", "1.0-r4": "1.0.post4", "2.0.0.dev": "2.0.0.dev0", "6.0.0B2": "6.0.0b2",
		"3.0.0+ds1": "3.0.0+ds1", "1.0.preview1": "1.0rc1",
	}
	for in, want := range cases {
		v, err := Parse(in)
		if err != nil || v.String() != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", in, v, err, want)
		}
	}
	for _, bad := range []string{"1.", ".1", "1..2", "1.0+", "1.0+a..b", "1.0x", "v", "1.0-", "99999999999999999999"} {
		if v, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) = %q, want an error", bad, v)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"4.1.6", "1.0.post1.dev2+x.y", "2!1.0rc1", "1.0-1", "v5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Parse(s)
		if err != nil {
			return
		}
		// The normalized form parses to the same version.
		w, err := Parse(v.String())
		if err != nil || w.Compare(v) != 0 {
			t.Fatalf("%q -> %q -> %v (%v)", s, v, w, err)
		}
	})
}

func TestMajorMinor(t *testing.T) {
	for in, want := range map[string]string{"5.5.1": "5.5", "2": "2.0", "0.9.6": "0.9", "6.0.0b2": "6.0", "1!4.1": "4.1"} {
		if got := MustParse(in).MajorMinor(); got != want {
			t.Errorf("MajorMinor(%s) = %s, want %s", in, got, want)
		}
	}
}

package deploy

import (
	"strings"
	"testing"
)

// TestSpecsRender renders every step of every kind with the kind's own
// variables: a template that names a missing variable or does not parse
// fails here, not in an admin's plan.
func TestSpecsRender(t *testing.T) {
	if len(Specs()) < 8 {
		t.Fatalf("only %d kinds registered: %v", len(Specs()), Names())
	}
	for _, s := range Specs() {
		f := &Facts{Kind: s.Kind, Python: &Python{}}
		p := &Params{Target: "5.5.1", Prefix: "/p", Python: "/p/bin/python", Packages: "'jupyterhub==5.5.1'", ConfigFile: "c.py", Post: "hubaudit post", Facts: f, Vars: map[string]string{}}
		if s.Vars != nil {
			p.Vars = s.Vars(f, "5.5.1")
		}
		for id := range s.Steps {
			if _, _, err := s.StepFor(id, p); err != nil {
				t.Errorf("%s step %s: %v", s.Kind, id, err)
			}
		}
		for _, x := range s.Extra {
			if _, _, err := s.ExtraBefore(x.Before, p); err != nil {
				t.Errorf("%s extra step %s: %v", s.Kind, x.ID, err)
			}
		}
		for _, pr := range s.Probes {
			if pr.Why == "" {
				t.Errorf("%s: probe %s %s says nothing", s.Kind, pr.Type, pr.Path)
			}
		}
	}
}

// TestDetectionOrder: installers and orchestrators are tried before the
// plain kinds, and every kind is in the order.
func TestDetectionOrder(t *testing.T) {
	if got := strings.Join(Names(), " "); got != "z2jh compose tljh managed conda venv prefix export" {
		t.Errorf("order: %s", got)
	}
	if _, err := ParseKind("tljh"); err != nil {
		t.Error(err)
	}
	if _, err := ParseKind("helm"); err == nil {
		t.Error("helm accepted")
	}
}

// TestHubURL derives the post step's URL the way JupyterHub places the
// hub (app.py init_hub): hub_bind_url wins over hub_ip/hub_port, the
// prefix is base_url + hub/, and an address on every interface is reached
// on loopback.
func TestHubURL(t *testing.T) {
	tljh, _ := Lookup(TLJH)
	for _, c := range []struct {
		s    Shape
		spec *Spec
		want string
	}{
		{Shape{}, nil, "http://127.0.0.1:8081/hub/"},
		{Shape{}, tljh, "http://127.0.0.1:15001/hub/"},
		{Shape{HubPort: 8082, BaseURL: "jh"}, tljh, "http://127.0.0.1:8082/jh/hub/"},
		{Shape{HubIP: "0.0.0.0", HubPort: 9000}, nil, "http://127.0.0.1:9000/hub/"},
		{Shape{HubIP: "10.0.0.5"}, nil, "http://10.0.0.5:8081/hub/"},
		{Shape{HubBindURL: "https://hub.internal:8443/ignored/", HubPort: 1}, nil, "https://hub.internal:8443/hub/"},
		{Shape{HubBindURL: "http://[::]:8090", BaseURL: "/a/b/"}, nil, "http://127.0.0.1:8090/a/b/hub/"},
		{Shape{HubIP: "::1", HubPort: 8081}, nil, "http://[::1]:8081/hub/"},
	} {
		if got := hubURL(c.s, c.spec); got != c.want {
			t.Errorf("%+v: %s, want %s", c.s, got, c.want)
		}
	}
}

package deploy

import (
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hubaudit/hubaudit/checks/config"
)

// JupyterHub's own defaults for the settings that place the hub
// (jupyterhub/app.py: hub_ip, hub_port, base_url; the hub's prefix is
// base_url + "hub/").
const (
	defaultHubIP   = "127.0.0.1"
	defaultHubPort = 8081
)

// shape reads the config's listening and component settings. The last
// literal assignment wins, as in traitlets.
func shape(cf *config.Facts, spec *Spec) Shape {
	s := Shape{ProxyManaged: true, ProxyClass: "ConfigurableHTTPProxy", Spawner: "LocalProcessSpawner", Authenticator: "PAMAuthenticator", DB: "sqlite file jupyterhub.sqlite in the hub's working directory (the default)"}
	var from []string
	if cf != nil {
		set := map[string]string{}
		for _, a := range cf.Assignments {
			if a.Op != "=" && a.Op != "chart" && a.Op != "tljh" {
				continue
			}
			pos := fmt.Sprintf("%s:%d", a.File, a.Line)
			switch a.Trait {
			case "JupyterHub.bind_url":
				s.BindURL = str(a)
			case "JupyterHub.hub_bind_url":
				s.HubBindURL, set["hub_bind_url"] = str(a), pos
			case "JupyterHub.hub_ip":
				s.HubIP, set["hub_ip"] = str(a), pos
			case "JupyterHub.hub_port":
				if n, ok := a.Value.(int64); ok && a.ValueKind == "literal" {
					s.HubPort, set["hub_port"] = int(n), pos
				}
			case "JupyterHub.base_url":
				s.BaseURL, set["base_url"] = str(a), pos
			}
		}
		for _, k := range []string{"hub_bind_url", "hub_ip", "hub_port", "base_url"} {
			if p, ok := set[k]; ok {
				from = append(from, k+" ("+p+")")
			}
		}
		s.ProxyManaged = cf.Proxy.ShouldStart
		s.ProxyClass = cf.Proxy.Class
		if c := cf.SpawnerClass; c != nil {
			s.Spawner = firstNonEmpty(c.Class, c.Value)
		}
		if c := cf.AuthenticatorClass; c != nil {
			s.Authenticator = firstNonEmpty(c.Class, c.Value)
		}
		s.DB, s.dbPath = describeDB(cf)
	}
	s.HubURL = hubURL(s, spec)
	switch {
	case len(from) > 0:
		s.HubURLFrom = "config: " + strings.Join(from, ", ")
	case spec != nil && spec.HubPort != 0 && spec.HubPort != defaultHubPort:
		s.HubURLFrom = fmt.Sprintf("%s sets hub_port %d", spec.Title, spec.HubPort)
	default:
		s.HubURLFrom = "JupyterHub's defaults (hub_ip 127.0.0.1, hub_port 8081, base_url /)"
	}
	return s
}

// hubURL is the URL of the hub's own prefix (where /api lives) as seen
// from the machine the hub runs on: hub_bind_url's scheme, host and port
// if set, else hub_ip and hub_port; an address bound on every interface
// is reached on loopback.
func hubURL(s Shape, spec *Spec) string {
	scheme, host, port := "http", s.HubIP, s.HubPort
	if port == 0 {
		port = defaultHubPort
		if spec != nil && spec.HubPort != 0 {
			port = spec.HubPort
		}
	}
	if s.HubBindURL != "" {
		if u, err := url.Parse(s.HubBindURL); err == nil && u.Host != "" {
			scheme, host = u.Scheme, u.Hostname()
			if p, err := strconv.Atoi(u.Port()); err == nil {
				port = p
			} else if scheme == "https" {
				port = 443
			} else {
				port = 80
			}
		}
	}
	switch host {
	case "", "0.0.0.0", "::", "*":
		host = defaultHubIP
	}
	if s.HubIP == "" && s.HubBindURL == "" {
		host = defaultHubIP
	}
	return fmt.Sprintf("%s://%s%s", scheme, net.JoinHostPort(host, strconv.Itoa(port)), hubPrefix(s.BaseURL))
}

// hubPrefix is base_url + "hub/", with the slashes JupyterHub adds.
func hubPrefix(base string) string {
	if base == "" {
		base = "/"
	}
	if !strings.HasPrefix(base, "/") {
		base = "/" + base
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	return base + "hub/"
}

// describeDB says in words where db_url points, and returns the SQLite
// file path as the hub sees it.
func describeDB(cf *config.Facts) (string, string) {
	u := cf.DBURL
	if u == "" && cf.DBURLEnv != "" {
		if cf.DBURLEnvDefault == "" {
			return fmt.Sprintf("read from the environment variable %s (no default)", cf.DBURLEnv), ""
		}
		u = cf.DBURLEnvDefault
	}
	if u == "" {
		if cf.DBURLFrom != "" {
			return "set at " + cf.DBURLFrom + " to a value hubaudit cannot read", ""
		}
		return "sqlite file jupyterhub.sqlite in the hub's working directory (the default)", ""
	}
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return "sqlite file " + u, u
	}
	if strings.HasPrefix(scheme, "sqlite") {
		p := strings.TrimPrefix(rest, "/")
		if i := strings.IndexByte(p, '?'); i >= 0 {
			p = p[:i]
		}
		switch {
		case p == "" || p == ":memory:":
			return "sqlite in memory (nothing is kept across restarts)", ""
		case strings.HasPrefix(p, "/"):
			return "sqlite file " + p, p
		}
		return "sqlite file " + p + " relative to the hub's working directory", p
	}
	dialect := strings.SplitN(scheme, "+", 2)[0]
	if pu, err := url.Parse(u); err == nil && pu.Host != "" {
		return fmt.Sprintf("%s server %s, database %s", dialect, pu.Host, strings.TrimPrefix(pu.Path, "/")), ""
	}
	return dialect + " server", ""
}

func str(a config.Assignment) string {
	if s, ok := a.Value.(string); ok && a.ValueKind == "literal" {
		return s
	}
	return ""
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}

// relTo shortens p relative to dir when it is inside it.
func relTo(dir, p string) string {
	if dir == "" {
		return p
	}
	if r, err := filepath.Rel(dir, p); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return p
}

package e2e

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Tools are the external programs a real hub needs.
type Tools struct {
	// JupyterHub is the jupyterhub command (Debian: /usr/bin/jupyterhub).
	JupyterHub string
	// Proxy is configurable-http-proxy from npm (install-e2e.sh puts it in
	// /usr/local/bin, ahead of Debian's, which does not start).
	Proxy string
}

// FindTools locates jupyterhub and a configurable-http-proxy that starts.
// HUBAUDIT_E2E_JUPYTERHUB and HUBAUDIT_E2E_PROXY override the lookup.
func FindTools() (Tools, error) {
	var t Tools
	var err error
	if t.JupyterHub, err = findCommand("HUBAUDIT_E2E_JUPYTERHUB", "/usr/bin/jupyterhub", "jupyterhub"); err != nil {
		return t, err
	}
	if t.Proxy, err = findCommand("HUBAUDIT_E2E_PROXY", "/usr/local/bin/configurable-http-proxy", "configurable-http-proxy"); err != nil {
		return t, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, t.Proxy, "--version").CombinedOutput(); err != nil {
		return t, fmt.Errorf("%s --version fails (%v): %s", t.Proxy, err, firstLine(out))
	}
	return t, nil
}

func findCommand(envName, preferred, name string) (string, error) {
	if p := os.Getenv(envName); p != "" {
		if st, err := os.Stat(p); err != nil || st.IsDir() {
			return "", fmt.Errorf("%s=%s: not an executable file", envName, p)
		}
		return p, nil
	}
	if st, err := os.Stat(preferred); err == nil && !st.IsDir() {
		return preferred, nil
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s is not installed (run .ci/install-e2e.sh)", name)
	}
	return p, nil
}

func firstLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// RequireTools returns the tools, or skips the test loudly when they are
// missing; with CI=true a missing tool fails the test instead.
func RequireTools(t testing.TB) Tools {
	t.Helper()
	tools, err := FindTools()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("e2e: CI=true but the real hub cannot run: %v", err)
		}
		Shout("SKIPPING the end-to-end test against a real JupyterHub: %v", err)
		t.Skipf("SKIPPED LOUDLY: %v", err)
	}
	return tools
}

// Shout prints a banner on stderr and, since `go test ./...` shows the
// output of passing packages only with -v, also on the terminal when there
// is one.
func Shout(format string, args ...any) {
	msg := fmt.Sprintf("\n*** e2e: "+format+" ***\n\n", args...)
	fmt.Fprint(os.Stderr, msg)
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		fmt.Fprint(tty, msg)
		tty.Close()
	}
}

// FreePort returns a loopback TCP port that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// DeployOptions shape a deployment.
type DeployOptions struct {
	// DBURL is the hub's db_url; "" means sqlite:///jupyterhub.sqlite in
	// the deployment directory (relative, as admins write it).
	DBURL string
	// Admin is the admin user's name (default "admin").
	Admin string
	// ExtraConfig is appended to jupyterhub_config.py.
	ExtraConfig string
	// TLS serves the hub over HTTPS with this certificate and key.
	TLSCert, TLSKey string
	// Spawn configures SimpleLocalProcessSpawner (homes under Dir/home,
	// --allow-root for the single-user server) so that StartServer works.
	Spawn bool
	// HubBindURL sets the hub's own address with c.JupyterHub.hub_bind_url
	// instead of hub_ip and hub_port.
	HubBindURL bool
}

// Deployment is a JupyterHub deployment in a temporary directory.
type Deployment struct {
	Tools Tools
	// Dir holds jupyterhub_config.py, the SQLite DB, the cookie secret and
	// the hub log (jupyterhub.log).
	Dir    string
	Config string
	DBURL  string
	Admin  string
	// Port is the public (proxy) port, HubPort the hub's own, ProxyAPIPort
	// the proxy's REST API.
	Port, HubPort, ProxyAPIPort int
	// Log is the hub's stdout+stderr, appended across starts.
	Log string
	// Scheme is "http", or "https" when the config sets ssl_cert (set it
	// in DeployOptions); CACert is then the certificate to trust.
	Scheme string
	CACert string

	opts DeployOptions
	cmd  *exec.Cmd
	done chan error
}

// NewDeployment writes a jupyterhub_config.py in a new temporary directory:
// DummyAuthenticator, loopback ports picked free, the given db_url, no
// servers spawned.
func NewDeployment(t testing.TB, tools Tools, opts DeployOptions) *Deployment {
	t.Helper()
	d := &Deployment{Tools: tools, Dir: t.TempDir(), DBURL: opts.DBURL, Admin: opts.Admin}
	if opts.TLSCert != "" {
		d.Scheme, d.CACert = "https", opts.TLSCert
	}
	if d.Admin == "" {
		d.Admin = "admin"
	}
	if d.DBURL == "" {
		d.DBURL = "sqlite:///jupyterhub.sqlite"
	}
	d.Config = filepath.Join(d.Dir, "jupyterhub_config.py")
	d.Log = filepath.Join(d.Dir, "jupyterhub.log")
	d.opts = opts
	d.pickPorts(t)
	d.writeConfig(t)
	t.Cleanup(func() { d.kill() })
	return d
}

// pickPorts chooses three distinct free loopback ports.
func (d *Deployment) pickPorts(t testing.TB) {
	d.Port, d.HubPort, d.ProxyAPIPort = FreePort(t), FreePort(t), FreePort(t)
	for d.HubPort == d.Port || d.ProxyAPIPort == d.Port || d.ProxyAPIPort == d.HubPort {
		d.HubPort, d.ProxyAPIPort = FreePort(t), FreePort(t)
	}
}

// writeConfig writes jupyterhub_config.py.
func (d *Deployment) writeConfig(t testing.TB) {
	t.Helper()
	opts := d.opts
	var b strings.Builder
	fmt.Fprintf(&b, "# hubaudit e2e deployment (JupyterHub 3.0.0 from Debian)\n")
	fmt.Fprintf(&b, "c = get_config()  # noqa\n\n")
	fmt.Fprintf(&b, "c.JupyterHub.bind_url = '%s://127.0.0.1:%d'\n", d.scheme(), d.Port)
	if opts.HubBindURL {
		fmt.Fprintf(&b, "c.JupyterHub.hub_bind_url = 'http://127.0.0.1:%d'\n", d.HubPort)
	} else {
		fmt.Fprintf(&b, "c.JupyterHub.hub_ip = '127.0.0.1'\n")
		fmt.Fprintf(&b, "c.JupyterHub.hub_port = %d\n", d.HubPort)
	}
	fmt.Fprintf(&b, "c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:%d'\n", d.ProxyAPIPort)
	fmt.Fprintf(&b, "c.ConfigurableHTTPProxy.command = [%s]\n", pyString(d.Tools.Proxy))
	fmt.Fprintf(&b, "c.JupyterHub.db_url = %s\n", pyString(d.DBURL))
	fmt.Fprintf(&b, "c.JupyterHub.cookie_secret_file = 'jupyterhub_cookie_secret'\n")
	fmt.Fprintf(&b, "c.JupyterHub.authenticator_class = 'dummy'\n")
	fmt.Fprintf(&b, "c.JupyterHub.cleanup_servers = False\n")
	fmt.Fprintf(&b, "c.Authenticator.admin_users = {%s}\n", pyString(d.Admin))
	if opts.TLSCert != "" {
		fmt.Fprintf(&b, "c.JupyterHub.ssl_cert = %s\n", pyString(opts.TLSCert))
		fmt.Fprintf(&b, "c.JupyterHub.ssl_key = %s\n", pyString(opts.TLSKey))
	}
	if opts.Spawn {
		fmt.Fprintf(&b, "c.JupyterHub.spawner_class = 'simple'\n")
		fmt.Fprintf(&b, "c.SimpleLocalProcessSpawner.home_dir_template = %s\n", pyString(filepath.Join(d.Dir, "home", "{username}")))
		fmt.Fprintf(&b, "c.Spawner.args = ['--allow-root']\n")
		fmt.Fprintf(&b, "c.Spawner.ip = '127.0.0.1'\n")
		fmt.Fprintf(&b, "c.Spawner.start_timeout = 90\n")
		fmt.Fprintf(&b, "c.Spawner.http_timeout = 90\n")
	}
	b.WriteString(opts.ExtraConfig)
	if err := os.WriteFile(d.Config, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// pyString quotes s as a Python string literal.
func pyString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// URL is the hub's API base behind the proxy, as --hub-url takes it.
func (d *Deployment) URL() string {
	return fmt.Sprintf("%s://127.0.0.1:%d/hub/", d.scheme(), d.Port)
}

func (d *Deployment) scheme() string {
	if d.Scheme == "" {
		return "http"
	}
	return d.Scheme
}

// client is an HTTP client that trusts the deployment's certificate.
func (d *Deployment) client(timeout time.Duration) *http.Client {
	c := &http.Client{Timeout: timeout}
	if d.CACert != "" {
		pool := x509.NewCertPool()
		if b, err := os.ReadFile(d.CACert); err == nil {
			pool.AppendCertsFromPEM(b)
		}
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
		c.Transport = tr
	}
	return c
}

// jupyterhub runs a jupyterhub subcommand in the deployment directory.
func (d *Deployment) jupyterhub(args ...string) *exec.Cmd {
	cmd := exec.Command(d.Tools.JupyterHub, args...)
	cmd.Dir = d.Dir
	cmd.Env = append(os.Environ(), "PYTHONUNBUFFERED=1")
	return cmd
}

// NewToken creates an API token for user with `jupyterhub token`, before
// the hub runs (it creates the database and the user when needed).
func (d *Deployment) NewToken(t testing.TB, user string) string {
	t.Helper()
	cmd := d.jupyterhub("token", "-f", d.Config, user)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("jupyterhub token %s: %v\n%s", user, err, stderr.String())
	}
	tok := strings.TrimSpace(stdout.String())
	if i := strings.LastIndexByte(tok, '\n'); i >= 0 {
		tok = strings.TrimSpace(tok[i+1:])
	}
	if len(tok) < 16 || strings.ContainsAny(tok, " \t") {
		t.Fatalf("jupyterhub token %s printed no token (stdout %d bytes)", user, stdout.Len())
	}
	return tok
}

// Start runs the hub and waits until its health endpoint answers through
// the proxy. The hub is stopped at the end of the test at the latest. When
// a port picked free was taken meanwhile, it retries with new ports.
func (d *Deployment) Start(t testing.TB) {
	t.Helper()
	if d.cmd != nil {
		t.Fatalf("hub already running")
	}
	for attempt := 1; ; attempt++ {
		err := d.start(t)
		if err == nil {
			return
		}
		log := d.tail()
		if attempt < 3 && portTaken(log) {
			t.Logf("jupyterhub could not bind a port (attempt %d), retrying with new ports", attempt)
			d.pickPorts(t)
			d.writeConfig(t)
			continue
		}
		t.Fatalf("%v; log:\n%s", err, log)
	}
}

// portTaken reports whether a hub log says a port was in use.
func portTaken(log string) bool {
	return strings.Contains(log, "Address already in use") || strings.Contains(log, "EADDRINUSE")
}

func (d *Deployment) start(t testing.TB) error {
	logf, err := os.OpenFile(d.Log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	cmd := d.jupyterhub("-f", d.Config)
	cmd.Stdout, cmd.Stderr = logf, logf
	// Own process group: the proxy the hub starts goes with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("start jupyterhub: %v", err)
	}
	d.cmd = cmd
	d.done = make(chan error, 1)
	go func() { d.done <- cmd.Wait(); logf.Close() }()

	deadline := time.Now().Add(60 * time.Second)
	client := d.client(2 * time.Second)
	for {
		select {
		case err := <-d.done:
			d.cmd = nil
			return fmt.Errorf("jupyterhub exited during start (%v)", err)
		default:
		}
		resp, err := client.Get(d.URL() + "health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			d.kill()
			return fmt.Errorf("jupyterhub did not become healthy at %shealth within 60s", d.URL())
		}
		time.Sleep(150 * time.Millisecond)
	}
}

// Stop sends SIGTERM to the hub and waits for it (and its proxy) to exit.
func (d *Deployment) Stop(t testing.TB) {
	t.Helper()
	if d.cmd == nil {
		return
	}
	pid := d.cmd.Process.Pid
	_ = syscall.Kill(pid, syscall.SIGTERM)
	select {
	case <-d.done:
	case <-time.After(30 * time.Second):
		d.kill()
		t.Fatalf("jupyterhub did not stop within 30s of SIGTERM; log:\n%s", d.tail())
	}
	d.cmd = nil
	// The proxy is stopped by the hub; make sure nothing of the group is
	// left (ESRCH when it is gone).
	_ = syscall.Kill(-pid, syscall.SIGKILL)
}

// kill ends the hub's process group at once (cleanup).
func (d *Deployment) kill() {
	if d.cmd == nil {
		return
	}
	pid := d.cmd.Process.Pid
	_ = syscall.Kill(-pid, syscall.SIGTERM)
	select {
	case <-d.done:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		<-d.done
	}
	_ = syscall.Kill(-pid, syscall.SIGKILL)
	d.cmd = nil
}

// Running reports whether the hub process is up.
func (d *Deployment) Running() bool { return d.cmd != nil }

// tail returns the last lines of the hub log.
func (d *Deployment) tail() string {
	b, _ := os.ReadFile(d.Log)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > 40 {
		lines = lines[len(lines)-40:]
	}
	return strings.Join(lines, "\n")
}

// ErrStatus is returned by API for an unexpected HTTP status.
var ErrStatus = errors.New("unexpected HTTP status")

// API sends one request to the hub's REST API with the token and decodes
// a JSON answer into out (when not nil). want lists the accepted statuses.
func (d *Deployment) API(token, method, path string, body any, out any, want ...int) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, d.URL()+"api/"+strings.TrimPrefix(path, "/"), rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "token "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := d.client(20 * time.Second).Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if len(want) == 0 {
		want = []int{http.StatusOK, http.StatusCreated, http.StatusNoContent}
	}
	ok := false
	for _, w := range want {
		ok = ok || resp.StatusCode == w
	}
	if !ok {
		return fmt.Errorf("%w: %s %s: %d %s", ErrStatus, method, path, resp.StatusCode, firstLine(raw))
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("%s %s: decode: %w", method, path, err)
		}
	}
	return nil
}

// Populate is what Fill creates through the REST API.
type Populate struct {
	Users  []string
	Groups map[string][]string
	// Tokens are users that get a new API token each.
	Tokens []string
	// Servers are users whose default server is started (needs Spawn).
	Servers []string
}

// Fill creates users, groups (with members) and tokens through the REST
// API, as an admin would.
func (d *Deployment) Fill(t testing.TB, token string, p Populate) {
	t.Helper()
	if len(p.Users) > 0 {
		if err := d.API(token, "POST", "users", map[string]any{"usernames": p.Users}, nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(p.Groups)) {
		if err := d.API(token, "POST", "groups/"+name, map[string]any{"users": p.Groups[name]}, nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range p.Tokens {
		var tok struct {
			Token string `json:"token"`
		}
		if err := d.API(token, "POST", "users/"+u+"/tokens", map[string]any{"note": "hubaudit e2e", "expires_in": 86400}, &tok); err != nil {
			t.Fatal(err)
		}
		if tok.Token == "" {
			t.Fatalf("POST users/%s/tokens returned no token", u)
		}
	}
	for _, u := range p.Servers {
		d.StartServer(t, token, u)
	}
}

// StartServer starts user's default server through the REST API, waits
// until it is ready and returns its pid. The server outlives the hub
// (cleanup_servers is False), so it is killed at the end of the test.
func (d *Deployment) StartServer(t testing.TB, token, user string) int {
	t.Helper()
	if err := d.API(token, "POST", "users/"+user+"/server", nil, nil, http.StatusCreated, http.StatusAccepted); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(90 * time.Second)
	for {
		var model struct {
			Servers map[string]struct {
				Ready bool `json:"ready"`
				State struct {
					PID int `json:"pid"`
				} `json:"state"`
			} `json:"servers"`
		}
		if err := d.API(token, "GET", "users/"+user, nil, &model); err != nil {
			t.Fatal(err)
		}
		if srv, ok := model.Servers[""]; ok && srv.Ready && srv.State.PID > 0 {
			pid := srv.State.PID
			t.Cleanup(func() { stopPID(pid) })
			return pid
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s's server not ready after 90s; log:\n%s", user, d.tail())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// stopPID ends a single-user server the test started.
func stopPID(pid int) {
	if syscall.Kill(pid, syscall.SIGTERM) != nil {
		return
	}
	for range 50 {
		time.Sleep(100 * time.Millisecond)
		if syscall.Kill(pid, 0) != nil {
			return
		}
	}
	_ = syscall.Kill(pid, syscall.SIGKILL)
}

// DeleteUser removes a user through the REST API (the "data loss" step).
func (d *Deployment) DeleteUser(t testing.TB, token, name string) {
	t.Helper()
	if err := d.API(token, "DELETE", "users/"+name, nil, nil); err != nil {
		t.Fatal(err)
	}
}

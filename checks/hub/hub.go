package hub

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hubaudit/hubaudit/checks"
)

// DefaultTimeout bounds each HTTP request when Options.Timeout is zero.
const DefaultTimeout = 5 * time.Second

// pageLimit is the page size asked for when listing users and groups
// (JupyterHub's default api_page_max_limit is 200).
const pageLimit = 200

// maxPages stops a listing that never ends (a hub that ignores offset and
// keeps returning new-looking pages).
const maxPages = 10000

// maxBody bounds how much of one response is read.
const maxBody = 64 << 20

// PaginationMediaType is the Accept type that makes JupyterHub (2.0 and
// later) answer list requests with {"items": ..., "_pagination": ...}.
const PaginationMediaType = "application/jupyterhub-pagination+json"

// Options says which hub to probe and how.
type Options struct {
	// URL is the hub's base URL, e.g. http://127.0.0.1:8081/hub/ ("" means
	// the source is absent). A URL without the /hub/ prefix is tried as
	// given first and then with hub/ appended.
	URL string
	// Token is an API token (resolved by the caller from
	// JUPYTERHUB_API_TOKEN or a token file). It is only ever sent in the
	// Authorization header.
	Token string
	// CACert is a PEM file with extra trusted certificates (self-signed
	// TLS).
	CACert string
	// Insecure skips TLS certificate verification.
	Insecure bool
	// Timeout bounds each request; 0 means DefaultTimeout.
	Timeout time.Duration
}

// Facts is what the probe found. It is serialized under facts.hub in the
// JSON report.
type Facts struct {
	// URL is the hub URL that answered (normalized, credentials removed).
	URL string `json:"url"`
	// Version is the JupyterHub version the hub reports at api/.
	Version string `json:"version"`
	// Reachable is true when api/ answered with a JupyterHub version.
	Reachable bool `json:"reachable"`
	// Healthy is true when the health endpoint answered 200.
	Healthy bool `json:"healthy"`
	// HealthStatus is the HTTP status of the health endpoint (0: no
	// answer).
	HealthStatus int `json:"health_status"`
	// APIStatus is the HTTP status of api/ (0: no answer).
	APIStatus int `json:"api_status"`
	// TokenGiven is true when a token was used for the listings.
	TokenGiven bool `json:"token_given"`
	// UsersStatus and GroupsStatus are the HTTP statuses of the first
	// page of api/users and api/groups (0 when not asked).
	UsersStatus  int `json:"users_status,omitempty"`
	GroupsStatus int `json:"groups_status,omitempty"`
	// Users, Admins and ServersRunning are counted from api/users (nil
	// when it could not be listed).
	Users          *int `json:"users,omitempty"`
	Admins         *int `json:"admins,omitempty"`
	ServersRunning *int `json:"servers_running,omitempty"`
	// Groups is counted from api/groups (nil when it could not be listed).
	Groups *int `json:"groups,omitempty"`
	// UserNames and GroupNames are the sorted names seen, so that a
	// comparison can name what is missing.
	UserNames  []string `json:"user_names,omitempty"`
	GroupNames []string `json:"group_names,omitempty"`
	// Paginated is true when the hub answered lists in the paginated form.
	Paginated bool `json:"paginated,omitempty"`
	// TLSInsecure is true when certificate verification was skipped.
	TLSInsecure bool `json:"tls_insecure,omitempty"`
	// Errors describes what failed, one line each, without secrets.
	Errors []string `json:"errors,omitempty"`
}

// Collect probes the hub described by opts.
func Collect(ctx context.Context, opts Options) (*Facts, error) {
	if strings.TrimSpace(opts.URL) == "" {
		return nil, checks.Absent("no hub URL given (--hub-url)")
	}
	base, err := parseBase(opts.URL)
	if err != nil {
		return nil, err
	}
	client, err := newClient(opts)
	if err != nil {
		return nil, err
	}
	p := &prober{client: client, token: opts.Token, facts: &Facts{TLSInsecure: opts.Insecure, TokenGiven: opts.Token != ""}}

	candidates := []*url.URL{base}
	if !strings.HasSuffix(base.Path, "/hub/") {
		alt := *base
		alt.Path += "hub/"
		candidates = append(candidates, &alt)
	}
	var found *url.URL
	var firstErr string
	for i, c := range candidates {
		status, version, err := p.version(ctx, c)
		if i == 0 {
			p.facts.APIStatus = status
		}
		if err == nil {
			p.facts.APIStatus = status
			p.facts.Version = version
			found = c
			break
		}
		if firstErr == "" {
			firstErr = err.Error()
		}
		if status == 0 && ctx.Err() != nil {
			break
		}
	}
	if found == nil {
		p.facts.URL = base.String()
		p.errorf("%s", firstErr)
		// The health endpoint may still answer (e.g. api/ behind auth).
		p.health(ctx, base)
		return p.facts, nil
	}
	p.facts.URL = found.String()
	p.facts.Reachable = true
	p.health(ctx, found)
	if opts.Token == "" {
		return p.facts, nil
	}
	p.users(ctx, found)
	p.groups(ctx, found)
	return p.facts, nil
}

// CheckURL reports whether raw is a usable hub URL (http or https, with a
// host), so that the CLI can refuse a malformed --hub-url before it
// reads anything. The error never shows credentials.
func CheckURL(raw string) error {
	_, err := parseBase(raw)
	return err
}

// parseBase checks the URL and normalizes it to end with a slash, without
// user info, query or fragment.
func parseBase(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if !strings.Contains(raw, "://") {
		return nil, fmt.Errorf("hub URL %q: scheme must be http or https (e.g. http://127.0.0.1:8081/hub/)", redactURLString(raw))
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("hub URL %q is not a URL", redactURLString(raw))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("hub URL %q: scheme must be http or https", redactURLString(raw))
	}
	if u.Host == "" {
		return nil, fmt.Errorf("hub URL %q has no host", redactURLString(raw))
	}
	u.User = nil
	u.RawQuery = ""
	u.Fragment = ""
	u.RawPath = ""
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	// An API URL pasted as the hub URL (".../hub/api/").
	if strings.HasSuffix(u.Path, "/api/") {
		u.Path = strings.TrimSuffix(u.Path, "api/")
	}
	return u, nil
}

// redactURLString removes user info from a URL-like string for messages.
func redactURLString(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		u.User = nil
		return u.String()
	}
	if i := strings.Index(raw, "@"); i >= 0 {
		if j := strings.Index(raw, "://"); j >= 0 && j < i {
			return raw[:j+3] + "REDACTED" + raw[i:]
		}
		return "REDACTED" + raw[i:]
	}
	return raw
}

func newClient(opts Options) (*http.Client, error) {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if opts.CACert != "" || opts.Insecure {
		cfg := &tls.Config{MinVersion: tls.VersionTLS12}
		if opts.CACert != "" {
			pem, err := os.ReadFile(opts.CACert)
			if err != nil {
				return nil, fmt.Errorf("read CA certificate: %w", err)
			}
			pool, err := x509.SystemCertPool()
			if err != nil || pool == nil {
				pool = x509.NewCertPool()
			}
			if !pool.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("CA certificate %s holds no PEM certificate", opts.CACert)
			}
			cfg.RootCAs = pool
		}
		cfg.InsecureSkipVerify = opts.Insecure //nolint:gosec // asked for explicitly, reported in facts
		tr.TLSClientConfig = cfg
	}
	return &http.Client{Transport: tr, Timeout: timeout}, nil
}

type prober struct {
	client *http.Client
	token  string
	facts  *Facts
}

func (p *prober) errorf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if p.token != "" {
		msg = strings.ReplaceAll(msg, p.token, "REDACTED")
	}
	p.facts.Errors = append(p.facts.Errors, msg)
}

// get sends one GET and returns the status and the (bounded) body.
func (p *prober) get(ctx context.Context, u *url.URL, auth bool, accept string) (int, []byte, http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, nil, nil, err
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if auth && p.token != "" {
		req.Header.Set("Authorization", "token "+p.token)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return 0, nil, nil, cleanErr(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return resp.StatusCode, nil, resp.Header, fmt.Errorf("GET %s: reading body: %w", u.Redacted(), cleanErr(err))
	}
	return resp.StatusCode, body, resp.Header, nil
}

// cleanErr strips the *url.Error wrapper's quoting so messages stay one
// line and readable.
func cleanErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Timeout() {
			return fmt.Errorf("%s %s: timed out", ue.Op, ue.URL)
		}
		return fmt.Errorf("%s %s: %v", ue.Op, ue.URL, ue.Err)
	}
	return err
}

func resolve(base *url.URL, ref string) *url.URL {
	r, _ := url.Parse(ref)
	return base.ResolveReference(r)
}

// version asks api/ for the JupyterHub version.
func (p *prober) version(ctx context.Context, base *url.URL) (int, string, error) {
	u := resolve(base, "api/")
	status, body, hdr, err := p.get(ctx, u, false, "application/json")
	if err != nil {
		return status, "", err
	}
	if status != http.StatusOK {
		return status, "", fmt.Errorf("GET %s: %d %s", u, status, http.StatusText(status))
	}
	var v struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(body, &v); err != nil || v.Version == "" {
		if h := hdr.Get("X-JupyterHub-Version"); h != "" {
			return status, h, nil
		}
		return status, "", fmt.Errorf("GET %s: answer is not JupyterHub's {\"version\": ...}", u)
	}
	return status, v.Version, nil
}

func (p *prober) health(ctx context.Context, base *url.URL) {
	u := resolve(base, "health")
	status, _, _, err := p.get(ctx, u, false, "")
	p.facts.HealthStatus = status
	p.facts.Healthy = err == nil && status == http.StatusOK
	switch {
	case err != nil:
		p.errorf("%v", err)
	case status != http.StatusOK:
		p.errorf("GET %s: %d %s", u, status, http.StatusText(status))
	}
}

// apiUser is the part of JupyterHub's user model that is counted.
type apiUser struct {
	Name    string                     `json:"name"`
	Admin   bool                       `json:"admin"`
	Server  *string                    `json:"server"`
	Servers map[string]json.RawMessage `json:"servers"`
}

type apiGroup struct {
	Name string `json:"name"`
}

type pagination struct {
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
	Total  int `json:"total"`
	Next   *struct {
		Offset int `json:"offset"`
		Limit  int `json:"limit"`
	} `json:"next"`
}

// list fetches every page of a list endpoint and calls add for each item,
// which returns false for an item already seen. It returns the status of
// the first page and whether the listing completed.
func (p *prober) list(ctx context.Context, base *url.URL, path string, add func(json.RawMessage) (bool, error)) (int, bool) {
	offset, limit := 0, pageLimit
	firstStatus := 0
	for page := 0; page < maxPages; page++ {
		u := resolve(base, path)
		q := url.Values{}
		q.Set("offset", strconv.Itoa(offset))
		q.Set("limit", strconv.Itoa(limit))
		u.RawQuery = q.Encode()
		status, body, _, err := p.get(ctx, u, true, PaginationMediaType)
		if page == 0 {
			firstStatus = status
		}
		if err != nil {
			p.errorf("%v", err)
			return firstStatus, false
		}
		if status != http.StatusOK {
			hint := ""
			if status == http.StatusForbidden || status == http.StatusUnauthorized {
				hint = " (the token is not accepted or lacks the scope to list " + strings.TrimPrefix(path, "api/") + ")"
			}
			p.errorf("GET %s: %d %s%s", u.Redacted(), status, http.StatusText(status), hint)
			return firstStatus, false
		}
		items, pg, err := decodeList(body)
		if err != nil {
			p.errorf("GET %s: %v", u.Redacted(), err)
			return firstStatus, false
		}
		if pg != nil {
			p.facts.Paginated = true
		}
		fresh := 0
		for _, it := range items {
			isNew, err := add(it)
			if err != nil {
				p.errorf("GET %s: %v", u.Redacted(), err)
				return firstStatus, false
			}
			if isNew {
				fresh++
			}
		}
		switch {
		case pg != nil:
			if pg.Next == nil || len(items) == 0 || fresh == 0 {
				return firstStatus, true
			}
			offset = pg.Next.Offset
			if pg.Next.Limit > 0 {
				limit = pg.Next.Limit
			}
		default:
			// A plain list: old hubs ignore limit/offset and send
			// everything; newer ones cap the page. Ask for the next
			// offset until a page brings nothing new.
			if len(items) == 0 || fresh == 0 {
				return firstStatus, true
			}
			offset += len(items)
		}
	}
	p.errorf("%s: gave up after %d pages", path, maxPages)
	return firstStatus, false
}

// decodeList accepts a plain JSON list or the paginated form.
func decodeList(body []byte) ([]json.RawMessage, *pagination, error) {
	trimmed := strings.TrimSpace(string(body))
	if strings.HasPrefix(trimmed, "[") {
		var items []json.RawMessage
		if err := json.Unmarshal(body, &items); err != nil {
			return nil, nil, fmt.Errorf("bad JSON list: %v", err)
		}
		return items, nil, nil
	}
	var paged struct {
		Items      []json.RawMessage `json:"items"`
		Pagination *pagination       `json:"_pagination"`
	}
	if err := json.Unmarshal(body, &paged); err != nil {
		return nil, nil, fmt.Errorf("bad JSON: %v", err)
	}
	if paged.Items == nil && paged.Pagination == nil {
		return nil, nil, errors.New("answer is neither a list nor {\"items\": ..., \"_pagination\": ...}")
	}
	if paged.Pagination == nil {
		paged.Pagination = &pagination{}
	}
	return paged.Items, paged.Pagination, nil
}

func (p *prober) users(ctx context.Context, base *url.URL) {
	seen := map[string]bool{}
	admins, running := 0, 0
	status, ok := p.list(ctx, base, "api/users", func(raw json.RawMessage) (bool, error) {
		var u apiUser
		if err := json.Unmarshal(raw, &u); err != nil {
			return false, fmt.Errorf("bad user entry: %v", err)
		}
		if seen[u.Name] {
			return false, nil
		}
		seen[u.Name] = true
		if u.Admin {
			admins++
		}
		switch {
		case u.Servers != nil:
			running += len(u.Servers)
		case u.Server != nil && *u.Server != "":
			running++
		}
		return true, nil
	})
	p.facts.UsersStatus = status
	if !ok {
		return
	}
	n := len(seen)
	p.facts.Users, p.facts.Admins, p.facts.ServersRunning = &n, &admins, &running
	p.facts.UserNames = slices.Sorted(maps.Keys(seen))
}

func (p *prober) groups(ctx context.Context, base *url.URL) {
	seen := map[string]bool{}
	status, ok := p.list(ctx, base, "api/groups", func(raw json.RawMessage) (bool, error) {
		var g apiGroup
		if err := json.Unmarshal(raw, &g); err != nil {
			return false, fmt.Errorf("bad group entry: %v", err)
		}
		if seen[g.Name] {
			return false, nil
		}
		seen[g.Name] = true
		return true, nil
	})
	p.facts.GroupsStatus = status
	if !ok {
		return
	}
	n := len(seen)
	p.facts.Groups = &n
	p.facts.GroupNames = slices.Sorted(maps.Keys(seen))
}

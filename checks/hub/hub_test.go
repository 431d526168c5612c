package hub

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hubaudit/hubaudit/checks"
)

const testToken = "0123456789abcdef0123456789abcdef"

func ptr(n int) *int { return &n }

func names(users []fakeUser) []string {
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = u.name
	}
	return out
}

func start(t *testing.T, h *fakeHub) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func collect(t *testing.T, opts Options) *Facts {
	t.Helper()
	f, err := Collect(context.Background(), opts)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	assertNoSecret(t, f, opts.Token)
	return f
}

// assertNoSecret fails when the token shows up anywhere in the facts.
func assertNoSecret(t *testing.T, f *Facts, secret string) {
	t.Helper()
	if secret == "" {
		return
	}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), secret) {
		t.Fatalf("token leaked into facts: %s", b)
	}
}

func TestCollectAbsent(t *testing.T) {
	_, err := Collect(context.Background(), Options{})
	var abs *checks.AbsentError
	if !errors.As(err, &abs) {
		t.Fatalf("want checks.AbsentError, got %v", err)
	}
}

func TestCollectBadURL(t *testing.T) {
	for _, tc := range []struct{ url, want string }{
		{"ftp://127.0.0.1/hub/", "scheme must be http or https"},
		{"http:///hub/", "has no host"},
		{"127.0.0.1:8081/hub/", "scheme must be http or https"},
		{"http://admin:s3cretpw@%zz/", "is not a URL"},
	} {
		_, err := Collect(context.Background(), Options{URL: tc.url})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Collect(%q) = %v, want error containing %q", tc.url, err, tc.want)
			continue
		}
		if strings.Contains(err.Error(), "s3cretpw") {
			t.Errorf("password leaked: %v", err)
		}
	}
}

// TestCollectPaginated is JupyterHub 5.5.1 with more users than one page:
// the client follows _pagination.next (not its public URL).
func TestCollectPaginated(t *testing.T) {
	h := &fakeHub{version: "5.5.1", listing: "paginated", maxLimit: 200, token: testToken,
		users: makeUsers(450, 3, 100), groups: []string{"staff", "students"}}
	srv := start(t, h)
	got := collect(t, Options{URL: srv.URL + "/hub", Token: testToken})
	want := &Facts{
		URL: srv.URL + "/hub/", Version: "5.5.1", Reachable: true, Healthy: true,
		HealthStatus: 200, APIStatus: 200, TokenGiven: true, UsersStatus: 200, GroupsStatus: 200,
		Users: ptr(450), Admins: ptr(3), ServersRunning: ptr(5), Groups: ptr(2),
		UserNames: names(h.users), GroupNames: []string{"staff", "students"}, Paginated: true,
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("facts:\n got %+v\nwant %+v", got, want)
	}
	// api/, health, 3 user pages, 1 group page.
	if n := h.requests.Load(); n != 6 {
		t.Errorf("requests = %d, want 6", n)
	}
}

// TestCollectPlainCapped is a hub that answers plain lists capped at 50
// items per page: the client walks the offsets.
func TestCollectPlainCapped(t *testing.T) {
	h := &fakeHub{version: "3.0.0", listing: "plain", maxLimit: 50, token: testToken,
		users: makeUsers(120, 1, 7), groups: []string{"students"}}
	srv := start(t, h)
	got := collect(t, Options{URL: srv.URL + "/hub/", Token: testToken})
	if *got.Users != 120 || *got.Admins != 1 || *got.ServersRunning != 18 || *got.Groups != 1 || got.Paginated {
		t.Fatalf("users=%d admins=%d running=%d groups=%d paginated=%v", *got.Users, *got.Admins, *got.ServersRunning, *got.Groups, got.Paginated)
	}
	if !reflect.DeepEqual(got.UserNames, names(h.users)) {
		t.Errorf("user names differ")
	}
	if len(got.Errors) != 0 {
		t.Errorf("errors: %v", got.Errors)
	}
}

// TestCollectLegacy is a 1.x hub that ignores limit and offset: the second
// page repeats the first and the client stops.
func TestCollectLegacy(t *testing.T) {
	h := &fakeHub{version: "1.5.1", listing: "legacy", token: testToken,
		users: makeUsers(5, 2, 2), groups: []string{}}
	srv := start(t, h)
	got := collect(t, Options{URL: srv.URL + "/hub/", Token: testToken})
	if *got.Users != 5 || *got.Admins != 2 || *got.ServersRunning != 3 || *got.Groups != 0 {
		t.Fatalf("users=%d admins=%d running=%d groups=%d", *got.Users, *got.Admins, *got.ServersRunning, *got.Groups)
	}
	// api/, health, 2 user pages, 1 group page (empty).
	if n := h.requests.Load(); n != 5 {
		t.Errorf("requests = %d, want 5", n)
	}
}

func TestCollectNoToken(t *testing.T) {
	h := &fakeHub{version: "3.0.0", listing: "paginated", maxLimit: 200, token: testToken, users: makeUsers(3, 1, 0)}
	srv := start(t, h)
	got := collect(t, Options{URL: srv.URL + "/hub/"})
	want := &Facts{URL: srv.URL + "/hub/", Version: "3.0.0", Reachable: true, Healthy: true, HealthStatus: 200, APIStatus: 200}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("facts:\n got %+v\nwant %+v", got, want)
	}
}

func TestCollectRejectedToken(t *testing.T) {
	h := &fakeHub{version: "3.0.0", listing: "paginated", maxLimit: 200, token: "the-real-one", users: makeUsers(3, 1, 0)}
	srv := start(t, h)
	got := collect(t, Options{URL: srv.URL + "/hub/", Token: testToken})
	if got.Users != nil || got.Groups != nil || got.UsersStatus != 403 || got.GroupsStatus != 403 {
		t.Fatalf("got users=%v groups=%v statuses %d/%d", got.Users, got.Groups, got.UsersStatus, got.GroupsStatus)
	}
	want := []string{
		"GET " + srv.URL + "/hub/api/users?limit=200&offset=0: 403 Forbidden (the token is not accepted or lacks the scope to list users)",
		"GET " + srv.URL + "/hub/api/groups?limit=200&offset=0: 403 Forbidden (the token is not accepted or lacks the scope to list groups)",
	}
	if !reflect.DeepEqual(got.Errors, want) {
		t.Fatalf("errors:\n got %q\nwant %q", got.Errors, want)
	}
}

// TestCollectTokenNeverInErrors: a hostile or broken hub redirects to a
// URL carrying the token; the error naming that URL must not show it.
func TestCollectTokenNeverInErrors(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := l.Addr().String()
	l.Close()
	h := &fakeHub{version: "3.0.0", listing: "paginated", maxLimit: 200, token: testToken,
		redirectUsers: "http://" + dead + "/?leak=" + testToken}
	srv := start(t, h)
	got := collect(t, Options{URL: srv.URL + "/hub/", Token: testToken}) // collect asserts no leak
	if got.Users != nil || len(got.Errors) == 0 || !strings.Contains(got.Errors[0], "leak=REDACTED") {
		t.Fatalf("errors = %q", got.Errors)
	}
}

func TestCollectUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	got := collect(t, Options{URL: "http://" + addr + "/hub/", Token: testToken})
	if got.Reachable || got.Healthy || got.APIStatus != 0 || got.HealthStatus != 0 || got.Users != nil {
		t.Fatalf("facts = %+v", got)
	}
	if len(got.Errors) != 2 || !strings.Contains(got.Errors[0], "connection refused") {
		t.Fatalf("errors = %q", got.Errors)
	}
}

func TestCollectUnhealthy(t *testing.T) {
	h := &fakeHub{version: "5.5.1", listing: "paginated", maxLimit: 200, health: http.StatusServiceUnavailable}
	srv := start(t, h)
	got := collect(t, Options{URL: srv.URL + "/hub/"})
	if !got.Reachable || got.Healthy || got.HealthStatus != 503 {
		t.Fatalf("facts = %+v", got)
	}
	want := []string{"GET " + srv.URL + "/hub/health: 503 Service Unavailable"}
	if !reflect.DeepEqual(got.Errors, want) {
		t.Fatalf("errors = %q", got.Errors)
	}
}

// TestCollectBaseWithoutHubPrefix: the public URL without /hub/ still
// finds the API under hub/.
func TestCollectBaseWithoutHubPrefix(t *testing.T) {
	h := &fakeHub{version: "5.5.1", listing: "paginated", maxLimit: 200}
	srv := start(t, h)
	got := collect(t, Options{URL: srv.URL})
	if !got.Reachable || got.URL != srv.URL+"/hub/" || got.Version != "5.5.1" || !got.Healthy || got.APIStatus != 200 {
		t.Fatalf("facts = %+v", got)
	}
}

// TestCollectAPIURLGiven: the API URL pasted instead of the hub URL.
func TestCollectAPIURLGiven(t *testing.T) {
	h := &fakeHub{version: "3.0.0", listing: "paginated", maxLimit: 200}
	srv := start(t, h)
	for _, u := range []string{srv.URL + "/hub/api", srv.URL + "/hub/api/", srv.URL + "/hub?x=1#y"} {
		got := collect(t, Options{URL: u})
		if !got.Reachable || got.URL != srv.URL+"/hub/" {
			t.Errorf("Collect(%s): facts = %+v", u, got)
		}
	}
}

// TestCollectNotAHub: something answers, but not JupyterHub.
func TestCollectNotAHub(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<html>hello</html>")
	}))
	defer srv.Close()
	got := collect(t, Options{URL: srv.URL + "/hub/"})
	if got.Reachable || got.Version != "" || len(got.Errors) == 0 ||
		got.Errors[0] != "GET "+srv.URL+"/hub/api/: answer is not JupyterHub's {\"version\": ...}" {
		t.Fatalf("facts = %+v", got)
	}
}

func TestCollectTimeout(t *testing.T) {
	h := &fakeHub{version: "5.5.1", listing: "paginated", maxLimit: 200, delay: 20 * time.Second}
	srv := start(t, h)
	t0 := time.Now()
	got := collect(t, Options{URL: srv.URL + "/hub/", Timeout: 100 * time.Millisecond})
	// Two requests (api/, health) of 100ms each; generous for a loaded
	// machine, far below the hub's 20s.
	if el := time.Since(t0); el > 5*time.Second {
		t.Errorf("took %v with a 100ms timeout", el)
	}
	if got.Reachable || len(got.Errors) == 0 || !strings.Contains(got.Errors[0], "timed out") {
		t.Fatalf("facts = %+v", got)
	}
}

func TestCollectTLS(t *testing.T) {
	h := &fakeHub{version: "5.5.1", listing: "paginated", maxLimit: 200}
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	srv.StartTLS()
	defer srv.Close()
	url := srv.URL + "/hub/"

	got := collect(t, Options{URL: url})
	if got.Reachable || len(got.Errors) == 0 || !strings.Contains(got.Errors[0], "certificate") {
		t.Fatalf("untrusted cert: facts = %+v", got)
	}

	ca := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(ca, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	got = collect(t, Options{URL: url, CACert: ca})
	if !got.Reachable || !got.Healthy || got.TLSInsecure {
		t.Fatalf("with CA: facts = %+v", got)
	}

	got = collect(t, Options{URL: url, Insecure: true})
	if !got.Reachable || !got.TLSInsecure {
		t.Fatalf("insecure: facts = %+v", got)
	}

	if _, err := Collect(context.Background(), Options{URL: url, CACert: filepath.Join(t.TempDir(), "missing.pem")}); err == nil {
		t.Fatal("missing CA file: no error")
	}
	notPEM := filepath.Join(t.TempDir(), "bad.pem")
	os.WriteFile(notPEM, []byte("not a certificate"), 0o600)
	if _, err := Collect(context.Background(), Options{URL: url, CACert: notPEM}); err == nil || !strings.Contains(err.Error(), "no PEM certificate") {
		t.Fatalf("bad CA file: %v", err)
	}
}

func TestDecodeList(t *testing.T) {
	for _, tc := range []struct {
		body    string
		items   int
		paged   bool
		wantErr string
	}{
		{`[]`, 0, false, ""},
		{`[{"name":"a"},{"name":"b"}]`, 2, false, ""},
		{`{"items":[{"name":"a"}],"_pagination":{"offset":0,"limit":1,"total":2,"next":{"offset":1,"limit":1}}}`, 1, true, ""},
		{`{"items":[]}`, 0, true, ""},
		{`{"status":403}`, 0, false, "neither a list"},
		{`[{"name":`, 0, false, "bad JSON list"},
		{`<html>`, 0, false, "bad JSON"},
	} {
		items, pg, err := decodeList([]byte(tc.body))
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("decodeList(%s) err = %v, want %q", tc.body, err, tc.wantErr)
			}
			continue
		}
		if err != nil || len(items) != tc.items || (pg != nil) != tc.paged {
			t.Errorf("decodeList(%s) = %d items, paged %v, err %v", tc.body, len(items), pg != nil, err)
		}
	}
}

func BenchmarkCollect(b *testing.B) {
	h := &fakeHub{version: "5.5.1", listing: "paginated", maxLimit: 200, token: testToken,
		users: makeUsers(1000, 5, 10), groups: []string{"a", "b", "c"}}
	srv := httptest.NewServer(h)
	defer srv.Close()
	opts := Options{URL: srv.URL + "/hub/", Token: testToken}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Collect(context.Background(), opts); err != nil {
			b.Fatal(err)
		}
	}
}

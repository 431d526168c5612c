package e2e

import (
	"context"
	"fmt"
	"net"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/hubaudit/hubaudit/checks/hub"
)

// content is what every e2e deployment holds after populate.
var content = Populate{
	Users:   []string{"alice", "bob", "carol"},
	Groups:  map[string][]string{"students": {"alice", "bob"}, "staff": {"carol"}},
	Tokens:  []string{"alice"},
	Servers: []string{"alice"},
}

// populate creates a deployment on dbURL, a token for its admin, starts
// the hub, fills it through the REST API and leaves it running.
func populate(t testing.TB, tools Tools, dbURL string) (*Deployment, string) {
	t.Helper()
	d := NewDeployment(t, tools, DeployOptions{DBURL: dbURL, Spawn: true})
	token := d.NewToken(t, d.Admin)
	d.Start(t)
	d.Fill(t, token, content)
	return d, token
}

// TestRealHubProbe runs the hub probe (checks/hub) against the real hub:
// version, health, and the counts of users and groups through the
// paginated API, with and without a token.
func TestRealHubProbe(t *testing.T) {
	tools := RequireTools(t)
	d, token := populate(t, tools, "")
	defer d.Stop(t)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	got, err := hub.Collect(ctx, hub.Options{URL: d.URL(), Token: token})
	if err != nil {
		t.Fatal(err)
	}
	four, two, one := 4, 2, 1
	want := &hub.Facts{
		URL: d.URL(), Version: "3.0.0", Reachable: true, Healthy: true, HealthStatus: 200, APIStatus: 200,
		TokenGiven: true, UsersStatus: 200, GroupsStatus: 200,
		Users: &four, Admins: &one, ServersRunning: &one, Groups: &two,
		UserNames: []string{"admin", "alice", "bob", "carol"}, GroupNames: []string{"staff", "students"},
		Paginated: true,
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("probe of the real hub:\n got %+v\nwant %+v", got, want)
	}

	// The public URL without /hub/ finds the API too; no token: no counts.
	got, err = hub.Collect(ctx, hub.Options{URL: d.URL()[:len(d.URL())-len("hub/")]})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Reachable || got.Version != "3.0.0" || !got.Healthy || got.Users != nil || len(got.Errors) != 0 {
		t.Fatalf("probe without token: %+v", got)
	}

	// A user deleted behind the hub's back is seen at once.
	d.DeleteUser(t, token, "bob")
	got, err = hub.Collect(ctx, hub.Options{URL: d.URL(), Token: token})
	if err != nil {
		t.Fatal(err)
	}
	if *got.Users != 3 || !reflect.DeepEqual(got.UserNames, []string{"admin", "alice", "carol"}) {
		t.Fatalf("after DELETE bob: users %d %v", *got.Users, got.UserNames)
	}

	// A stopped hub is unreachable, which is a fact, not an error.
	d.Stop(t)
	got, err = hub.Collect(ctx, hub.Options{URL: d.URL(), Token: token, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if got.Reachable || got.Healthy || len(got.Errors) == 0 {
		t.Fatalf("stopped hub: %+v", got)
	}
}

// TestStartRetriesTakenPort: a port picked free and taken before the hub
// binds it makes Start retry with new ports.
func TestStartRetriesTakenPort(t *testing.T) {
	tools := RequireTools(t)
	d := NewDeployment(t, tools, DeployOptions{})
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", d.HubPort))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	taken := d.HubPort
	d.Start(t)
	defer d.Stop(t)
	if d.HubPort == taken {
		t.Fatalf("hub port %d still in use", taken)
	}
	if log, _ := os.ReadFile(d.Log); !portTaken(string(log)) {
		t.Fatalf("the log shows no port conflict:\n%s", log)
	}
}

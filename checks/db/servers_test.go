package db

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// TestServerNames reads every user with their servers from a real
// JupyterHub 5.5.1 schema: a user without spawner rows still has the
// default server, and named servers follow.
func TestServerNames(t *testing.T) {
	p := filepath.Join(t.TempDir(), "jupyterhub.sqlite")
	d, err := sqlOpen(p)
	if err != nil {
		t.Fatal(err)
	}
	testsrvSchema(t, d)
	for _, q := range []string{
		"INSERT INTO users (id, name, admin, cookie_id) VALUES (1, 'Alice.Smith@example.org', 0, 'a'), (2, 'bob', 0, 'b'), (3, 'carol', 0, 'c')",
		"INSERT INTO spawners (id, user_id, name) VALUES (1, 1, ''), (2, 1, 'gpu'), (3, 3, 'big')",
	} {
		if _, err := d.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	d.Close()
	f, err := Collect(context.Background(), Options{URL: "sqlite:///" + p, ServerNames: true, SkipIntegrityCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(f.ServerNames)
	want := "[{1 Alice.Smith@example.org } {1 Alice.Smith@example.org gpu} {2 bob } {3 carol big} {3 carol }]"
	if got != want {
		t.Errorf("server names %s, want %s", got, want)
	}
	f, _ = Collect(context.Background(), Options{URL: "sqlite:///" + p, SkipIntegrityCheck: true})
	if f.ServerNames != nil {
		t.Errorf("read without ServerNames: %v", f.ServerNames)
	}
}

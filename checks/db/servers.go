package db

import (
	"context"
	"database/sql"
)

// ServerName is one user's server as the database names it: the user's
// name and id and the server's name ("" for the default server).
type ServerName struct {
	UserID int64
	User   string
	Server string
}

// readServerNames loads every user with each of their servers (a user
// without a spawner row has the default server), for rules that compute
// per-server names (KubeSpawner's slugs). Users come in id order.
func readServerNames(ctx context.Context, s *session, f *Facts) error {
	q := "SELECT users.id, users.name, spawners.name FROM users LEFT JOIN spawners ON spawners.user_id = users.id ORDER BY users.id, spawners.id"
	if !hasTable(f, "spawners") || !hasCols(f, "spawners", []string{"user_id", "name"}) {
		q = "SELECT users.id, users.name, NULL FROM users ORDER BY users.id"
	}
	rows, err := s.tx.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	lastUser, hasDefault := int64(-1), false
	var lastName string
	flush := func() {
		if lastUser >= 0 && !hasDefault {
			f.ServerNames = append(f.ServerNames, ServerName{UserID: lastUser, User: lastName})
		}
	}
	f.ServerNames = []ServerName{}
	for rows.Next() {
		var id int64
		var user, server sql.NullString
		if err := rows.Scan(&id, &user, &server); err != nil {
			return err
		}
		if id != lastUser {
			flush()
			lastUser, lastName, hasDefault = id, user.String, false
		}
		if !server.Valid {
			continue
		}
		if server.String == "" {
			hasDefault = true
		}
		f.ServerNames = append(f.ServerNames, ServerName{UserID: id, User: user.String, Server: server.String})
	}
	if err := rows.Err(); err != nil {
		return err
	}
	flush()
	return nil
}

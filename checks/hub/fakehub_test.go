package hub

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// fakeHub serves the shapes of JupyterHub's REST API answers as recorded
// from real hubs (3.0.0 from Debian, 5.5.1), for testing the client's
// parsing and pagination. The end-to-end test in ./e2e runs the client
// against a real hub.
type fakeHub struct {
	version string
	// listing is how lists are served: "paginated" (2.0 and later: the
	// {"items", "_pagination"} form when asked for, a plain list capped at
	// maxLimit otherwise), "plain" (2.0 and later without honouring the
	// pagination Accept type) or "legacy" (1.x: everything, ignoring
	// limit and offset).
	listing  string
	maxLimit int
	token    string
	users    []fakeUser
	groups   []string
	health   int
	delay    time.Duration
	// redirectUsers sends api/users elsewhere.
	redirectUsers string
	requests      atomic.Int64
}

type fakeUser struct {
	name    string
	admin   bool
	running bool
}

func (h *fakeHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.requests.Add(1)
	if h.delay > 0 {
		// A slow hub: answers after delay unless the client gives up.
		select {
		case <-time.After(h.delay):
		case <-r.Context().Done():
			return
		}
	}
	w.Header().Set("X-JupyterHub-Version", h.version)
	switch r.URL.Path {
	case "/hub/api/", "/hub/api":
		writeJSON(w, map[string]string{"version": h.version})
	case "/hub/health":
		status := h.health
		if status == 0 {
			status = http.StatusOK
		}
		w.WriteHeader(status)
	case "/hub/api/users":
		if h.redirectUsers != "" {
			http.Redirect(w, r, h.redirectUsers, http.StatusFound)
			return
		}
		if !h.authorized(w, r) {
			return
		}
		items := make([]any, len(h.users))
		for i, u := range h.users {
			items[i] = h.userModel(u)
		}
		h.serveList(w, r, items)
	case "/hub/api/groups":
		if !h.authorized(w, r) {
			return
		}
		items := make([]any, len(h.groups))
		for i, g := range h.groups {
			items[i] = map[string]any{"kind": "group", "name": g, "users": []string{}, "roles": []string{}, "properties": map[string]any{}}
		}
		h.serveList(w, r, items)
	default:
		w.WriteHeader(http.StatusNotFound)
		writeJSON(w, map[string]any{"status": 404, "message": "Not Found"})
	}
}

func (h *fakeHub) authorized(w http.ResponseWriter, r *http.Request) bool {
	if r.Header.Get("Authorization") == "token "+h.token {
		return true
	}
	w.WriteHeader(http.StatusForbidden)
	writeJSON(w, map[string]any{"status": 403, "message": "Action is not authorized with current scopes; requires any of [list:users]"})
	return false
}

func (h *fakeHub) serveList(w http.ResponseWriter, r *http.Request, items []any) {
	if h.listing == "legacy" {
		writeJSON(w, items)
		return
	}
	q := r.URL.Query()
	offset, _ := strconv.Atoi(q.Get("offset"))
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 || limit > h.maxLimit {
		limit = h.maxLimit
	}
	end := min(offset+limit, len(items))
	page := []any{}
	if offset < len(items) {
		page = items[offset:end]
	}
	if h.listing == "paginated" && strings.Contains(r.Header.Get("Accept"), PaginationMediaType) {
		var next any
		if end < len(items) {
			next = map[string]any{"offset": end, "limit": limit,
				"url": fmt.Sprintf("http://public.example%s?offset=%d&limit=%d", r.URL.Path, end, limit)}
		}
		writeJSON(w, map[string]any{"items": page, "_pagination": map[string]any{
			"offset": offset, "limit": limit, "total": len(items), "next": next}})
		return
	}
	writeJSON(w, page)
}

// userModel is a user as JupyterHub 3.0.0 (Debian) or 5.5.1 lists it to
// an admin token.
func (h *fakeHub) userModel(u fakeUser) map[string]any {
	roles := []string{"user"}
	if u.admin {
		roles = append(roles, "admin")
	}
	m := map[string]any{
		"kind": "user", "name": u.name, "admin": u.admin, "roles": roles, "groups": []string{},
		"server": nil, "pending": nil, "created": "2026-11-25T12:29:35.218158Z",
		"last_activity": nil, "auth_state": nil, "servers": map[string]any{},
	}
	if u.running {
		url := "/user/" + u.name + "/"
		m["server"] = url
		srv := map[string]any{
			"name": "", "last_activity": "2026-11-25T12:31:02.118Z", "started": "2026-11-25T12:30:58.501Z",
			"pending": nil, "ready": true, "state": map[string]any{"pid": 4242}, "url": url,
			"user_options": map[string]any{}, "progress_url": "/hub/api/users/" + u.name + "/server/progress",
		}
		if strings.HasPrefix(h.version, "5.") {
			srv["full_name"] = u.name + "/"
			srv["stopped"] = false
			srv["full_url"] = nil
			srv["full_progress_url"] = nil
			m["subscopes"] = []string{}
		}
		m["servers"] = map[string]any{"": srv}
	}
	return m
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// makeUsers returns n users named user0000..., of which the first admins
// are admins and every runEvery-th runs a server (0: none).
func makeUsers(n, admins, runEvery int) []fakeUser {
	out := make([]fakeUser, n)
	for i := range out {
		out[i] = fakeUser{name: fmt.Sprintf("user%04d", i), admin: i < admins, running: runEvery > 0 && i%runEvery == 0}
	}
	return out
}

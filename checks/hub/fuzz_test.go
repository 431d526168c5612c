package hub

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// FuzzDecodeList: any answer body is decoded or refused, never a panic.
func FuzzDecodeList(f *testing.F) {
	for _, s := range []string{
		`[]`, `[{"name":"a","admin":true,"servers":{"":{}}}]`,
		`{"items":[{"name":"a"}],"_pagination":{"offset":0,"limit":1,"total":2,"next":{"offset":1,"limit":1}}}`,
		`{"items":null,"_pagination":null}`, `{"status":403,"message":"no"}`, `<html>`, ``, `null`, `[null]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		items, pg, err := decodeList(body)
		if err != nil && (items != nil || pg != nil) {
			t.Fatalf("error %v with results", err)
		}
		for _, it := range items {
			var u apiUser
			_ = json.Unmarshal(it, &u)
		}
	})
}

// FuzzParseBase: a hub URL is normalized or refused, never a panic, and a
// password in it shows up neither in the result nor in the error.
func FuzzParseBase(f *testing.F) {
	for _, s := range []string{
		"http://127.0.0.1:8081/hub/", "https://hub.example.org/jupyter/hub", "http://u:s3cret@h/hub/api/",
		"127.0.0.1:8081", "ftp://x/", "http://[::1]:8000", "http://%zz", "http://u:s3cret@%zz/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := parseBase(raw)
		var pw string
		if u0, err0 := url.Parse(strings.TrimSpace(raw)); err0 == nil && u0.User != nil {
			if p, ok := u0.User.Password(); ok && len(p) >= 4 && strings.Count(raw, p) == 1 {
				pw = p
			}
		}
		if err != nil {
			if pw != "" && strings.Contains(err.Error(), pw) {
				t.Fatalf("password in error: %v", err)
			}
			return
		}
		if u.User != nil || !strings.HasSuffix(u.Path, "/") || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			t.Fatalf("parseBase(%q) = %s", raw, u)
		}
		if pw != "" && strings.Contains(u.String(), pw) {
			t.Fatalf("password in URL %s", u)
		}
	})
}

package db

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
)

// connectError is the error of a failed connection, in one line: the
// drivers' messages with repeated attempts folded (pgx tries TLS and then
// plain text with sslmode=prefer, and every address a host name resolves
// to, and reports each), plus a hint for the causes an admin meets most.
type connectError struct {
	err error
}

func (e *connectError) Error() string {
	msg := "cannot connect: " + foldLines(e.err.Error())
	if hint := connectHint(e.err); hint != "" {
		msg += " (" + hint + ")"
	}
	return msg
}

func (e *connectError) Unwrap() error { return e.err }

// foldLines joins a multi-line driver message into one line, dropping
// lines that repeat an earlier one or part of one.
func foldLines(s string) string {
	seen := map[string]bool{}
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || seen[line] || strings.Contains(b.String(), line) {
			continue
		}
		seen[line] = true
		if b.Len() > 0 {
			if strings.HasSuffix(b.String(), ":") {
				b.WriteString(" ")
			} else {
				b.WriteString("; ")
			}
		}
		b.WriteString(line)
	}
	return b.String()
}

// connectHint names the likely cause of a connection failure.
func connectHint(err error) string {
	var nerr net.Error
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "nothing listens at that address: is the database server running, and is the host and port right?"
	case errors.As(err, &dnsErr):
		return fmt.Sprintf("the host name %s does not resolve from this machine", dnsErr.Name)
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &nerr) && nerr.Timeout():
		return "no answer within --timeout: a firewall, a wrong host, or a server under load"
	}
	return ""
}

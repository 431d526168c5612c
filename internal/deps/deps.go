//go:build tools

// Package deps pins the modules hubaudit's packages use while they are
// being written, so `go mod tidy` keeps them. It is never built.
package deps

import (
	_ "github.com/go-python/gpython/parser"
	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/jedib0t/go-pretty/v6/table"
	_ "github.com/klauspost/compress/gzip"
	_ "github.com/sergi/go-diff/diffmatchpatch"
	_ "github.com/spf13/cobra"
	_ "golang.org/x/term"
	_ "gopkg.in/yaml.v3"
	_ "modernc.org/sqlite"
)

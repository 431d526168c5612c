package testsrv

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// Server is a running database server.
type Server struct {
	// Kind is "postgresql" or "mariadb".
	Kind string
	// Host and Port are where it listens (127.0.0.1 and a free port).
	Host string
	Port int
	// User and Password are the superuser's credentials.
	User     string
	Password string
	// Dir is the temporary directory holding data, socket and logs.
	Dir string
	// Version is the server's version string.
	Version string

	cmd     *exec.Cmd
	logFile string
	stopped bool
	mu      sync.Mutex
}

// URL returns a SQLAlchemy URL, as JupyterHub's db_url would hold it, for
// database db with the given credentials ("" = the superuser's).
func (s *Server) URL(db, user, password string) string {
	if user == "" {
		user, password = s.User, s.Password
	}
	scheme := "postgresql"
	if s.Kind == "mariadb" {
		scheme = "mysql+pymysql"
	}
	return fmt.Sprintf("%s://%s:%s@%s:%d/%s", scheme, url.PathEscape(user), url.PathEscape(password), s.Host, s.Port, db)
}

// DSN returns a Go driver DSN for database db as the superuser: a libpq
// URL for PostgreSQL ("pgx" driver), a go-sql-driver DSN for MariaDB
// ("mysql" driver).
func (s *Server) DSN(db string) string {
	if s.Kind == "mariadb" {
		cfg := mysql.NewConfig()
		cfg.User, cfg.Passwd, cfg.Net, cfg.Addr, cfg.DBName = s.User, s.Password, "tcp", net.JoinHostPort(s.Host, strconv.Itoa(s.Port)), db
		cfg.MultiStatements = true
		return cfg.FormatDSN()
	}
	return fmt.Sprintf("postgres://%s:%s@%s:%d/%s?sslmode=disable", url.PathEscape(s.User), url.PathEscape(s.Password), s.Host, s.Port, db)
}

// DriverName is the database/sql driver for DSN.
func (s *Server) DriverName() string {
	if s.Kind == "mariadb" {
		return "mysql"
	}
	return "pgx"
}

// Open opens database db as the superuser.
func (s *Server) Open(tb testing.TB, db string) *sql.DB {
	tb.Helper()
	d, err := sql.Open(s.DriverName(), s.DSN(db))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { d.Close() })
	return d
}

// Exec runs statements (separated by ";\n" for PostgreSQL, which the
// extended protocol needs one at a time) in database db as the superuser.
func (s *Server) Exec(tb testing.TB, db, statements string) {
	tb.Helper()
	d := s.Open(tb, db)
	if s.Kind == "mariadb" {
		if _, err := d.Exec(statements); err != nil {
			tb.Fatalf("%s: %v", s.Kind, err)
		}
		return
	}
	for _, st := range SplitStatements(statements) {
		if _, err := d.Exec(st); err != nil {
			tb.Fatalf("%s: %v\n%s", s.Kind, err, st)
		}
	}
}

// CreateDatabase creates an empty database with a unique name derived
// from base and returns that name.
func (s *Server) CreateDatabase(tb testing.TB, base string) string {
	tb.Helper()
	name := uniqueName(base)
	s.Exec(tb, s.adminDB(), "CREATE DATABASE "+name)
	return name
}

// CreateReadOnlyUser creates a user that may only SELECT in database db
// and returns its name and password.
func (s *Server) CreateReadOnlyUser(tb testing.TB, db string) (string, string) {
	tb.Helper()
	name := uniqueName("ro")
	pw := "ro-Secret-" + name
	if s.Kind == "mariadb" {
		s.Exec(tb, db, fmt.Sprintf("CREATE USER '%s'@'%%' IDENTIFIED BY '%s'; GRANT SELECT ON `%s`.* TO '%s'@'%%'", name, pw, db, name))
		return name, pw
	}
	s.Exec(tb, db, fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD '%s';\nGRANT CONNECT ON DATABASE %s TO %s;\nGRANT USAGE ON SCHEMA public TO %s;\nGRANT SELECT ON ALL TABLES IN SCHEMA public TO %s", name, pw, db, name, name, name))
	return name, pw
}

// LoadDump restores a dump into database db as the superuser with the
// server's own command-line client (psql for a pg_dump file, mariadb for
// a mysqldump file), which handles what the Go drivers do not (COPY ...
// FROM stdin, client meta-commands, DELIMITER).
func (s *Server) LoadDump(tb testing.TB, db, path string) {
	tb.Helper()
	var cmd *exec.Cmd
	if s.Kind == "mariadb" {
		client, err := findBinary("mariadb")
		if err != nil {
			unavailable(tb, err)
		}
		in, err := os.Open(path)
		if err != nil {
			tb.Fatal(err)
		}
		defer in.Close()
		cmd = exec.Command(client, "--protocol=tcp", "-h", s.Host, "-P", strconv.Itoa(s.Port), "-u", s.User, db)
		cmd.Env = append(os.Environ(), "MYSQL_PWD="+s.Password)
		cmd.Stdin = in
	} else {
		client, err := findBinary("psql", "/usr/lib/postgresql/*/bin")
		if err != nil {
			unavailable(tb, err)
		}
		cmd = exec.Command(client, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", s.Host, "-p", strconv.Itoa(s.Port), "-U", s.User, "-d", db, "-f", path)
		cmd.Env = append(os.Environ(), "PGPASSWORD="+s.Password)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("restoring %s into %s: %v\n%s", path, s.Kind, err, out)
	}
}

func (s *Server) adminDB() string {
	if s.Kind == "mariadb" {
		return "mysql"
	}
	return "postgres"
}

var nameSeq struct {
	sync.Mutex
	n int
}

func uniqueName(base string) string {
	nameSeq.Lock()
	defer nameSeq.Unlock()
	nameSeq.n++
	var b strings.Builder
	for _, c := range strings.ToLower(base) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' {
			b.WriteRune(c)
		} else {
			b.WriteByte('_')
		}
	}
	return fmt.Sprintf("%s_%d_%d", b.String(), os.Getpid()%100000, nameSeq.n)
}

// Stop stops the server and removes its directory. It is safe to call
// more than once.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return
	}
	s.stopped = true
	if s.cmd != nil && s.cmd.Process != nil {
		// SIGINT is PostgreSQL's fast shutdown; SIGTERM MariaDB's normal one.
		sig := syscall.SIGTERM
		if s.Kind == "postgresql" {
			sig = syscall.SIGINT
		}
		_ = s.cmd.Process.Signal(sig)
		done := make(chan struct{})
		go func() { _ = s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = s.cmd.Process.Kill()
			<-done
		}
	}
	_ = os.RemoveAll(s.Dir)
}

// Log returns the server's log, for failure messages.
func (s *Server) Log() string {
	b, _ := os.ReadFile(s.logFile)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// unavailable fails or skips the test when a server cannot be started.
func unavailable(tb testing.TB, err error) {
	tb.Helper()
	var miss *missingError
	if errors.As(err, &miss) && os.Getenv("CI") != "true" {
		tb.Skipf("SKIP (server test not run): %v", err)
	}
	tb.Fatalf("cannot start test database server: %v", err)
}

type missingError struct{ what string }

func (e *missingError) Error() string { return e.what }

// StartPostgres starts a PostgreSQL server for this test only (stopped in
// tb.Cleanup).
func StartPostgres(tb testing.TB) *Server {
	tb.Helper()
	s, err := startPostgres()
	if err != nil {
		unavailable(tb, err)
	}
	tb.Cleanup(s.Stop)
	return s
}

// StartMariaDB starts a MariaDB server for this test only (stopped in
// tb.Cleanup).
func StartMariaDB(tb testing.TB) *Server {
	tb.Helper()
	s, err := startMariaDB()
	if err != nil {
		unavailable(tb, err)
	}
	tb.Cleanup(s.Stop)
	return s
}

var shared struct {
	sync.Mutex
	servers map[string]*Server
	errs    map[string]error
}

// SharedPostgres returns one PostgreSQL server per test binary, started on
// first use. The package's TestMain must call StopAll after m.Run.
func SharedPostgres(tb testing.TB) *Server {
	tb.Helper()
	return sharedServer(tb, "postgresql", startPostgres)
}

// SharedMariaDB returns one MariaDB server per test binary, started on
// first use. The package's TestMain must call StopAll after m.Run.
func SharedMariaDB(tb testing.TB) *Server {
	tb.Helper()
	return sharedServer(tb, "mariadb", startMariaDB)
}

func sharedServer(tb testing.TB, kind string, start func() (*Server, error)) *Server {
	tb.Helper()
	shared.Lock()
	if shared.servers == nil {
		shared.servers, shared.errs = map[string]*Server{}, map[string]error{}
	}
	s, ok := shared.servers[kind]
	err := shared.errs[kind]
	if !ok && err == nil {
		s, err = start()
		if err != nil {
			shared.errs[kind] = err
		} else {
			shared.servers[kind] = s
		}
	}
	shared.Unlock()
	if err != nil {
		unavailable(tb, err)
	}
	return s
}

// StopAll stops the shared servers.
func StopAll() {
	shared.Lock()
	defer shared.Unlock()
	for _, s := range shared.servers {
		s.Stop()
	}
	shared.servers = nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// findBinary looks in PATH and in the given directories (globs allowed).
func findBinary(name string, dirs ...string) (string, error) {
	for _, d := range dirs {
		matches, _ := filepath.Glob(filepath.Join(d, name))
		sort.Sort(sort.Reverse(sort.StringSlice(matches)))
		for _, m := range matches {
			if st, err := os.Stat(m); err == nil && !st.IsDir() {
				return m, nil
			}
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	return "", &missingError{fmt.Sprintf("%s not found (install the Debian package: apt-get install -y %s)", name, map[string]string{"initdb": "postgresql", "postgres": "postgresql", "mariadbd": "mariadb-server", "mariadb-install-db": "mariadb-server"}[name])}
}

// asUser returns a command running as nobody when we are root (PostgreSQL
// refuses root), else as ourselves.
func asUser(uid, gid int, name string, args ...string) (*exec.Cmd, error) {
	if uid < 0 {
		return exec.Command(name, args...), nil
	}
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		return nil, &missingError{"running as root and setpriv (util-linux) not found to drop to nobody"}
	}
	all := append([]string{fmt.Sprintf("--reuid=%d", uid), fmt.Sprintf("--regid=%d", gid), "--clear-groups", "--", name}, args...)
	return exec.Command(setpriv, all...), nil
}

func nobody() (int, int) {
	if os.Geteuid() != 0 {
		return -1, -1
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		return 65534, 65534
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return uid, gid
}

func chownTree(root string, uid, gid int) error {
	return filepath.Walk(root, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	})
}

// retry starts a server up to three times: a port found free may be taken
// by another process before the server binds it. A missing binary is not
// retried.
func retry(start func() (*Server, error)) (*Server, error) {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		var s *Server
		if s, err = start(); err == nil {
			return s, nil
		}
		var miss *missingError
		if errors.As(err, &miss) {
			return nil, err
		}
	}
	return nil, err
}

func startPostgres() (*Server, error) { return retry(startPostgresOnce) }

func startMariaDB() (*Server, error) { return retry(startMariaDBOnce) }

func startPostgresOnce() (*Server, error) {
	pgDirs := []string{"/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin"}
	initdb, err := findBinary("initdb", pgDirs...)
	if err != nil {
		return nil, err
	}
	postgres, err := findBinary("postgres", filepath.Dir(initdb))
	if err != nil {
		return nil, err
	}
	base, err := os.MkdirTemp("", "hubaudit-pg-")
	if err != nil {
		return nil, err
	}
	s := &Server{Kind: "postgresql", Host: "127.0.0.1", User: "postgres", Password: "pg-Super-Secret-1", Dir: base, logFile: filepath.Join(base, "server.log")}
	fail := func(err error) (*Server, error) {
		s.Stop()
		return nil, err
	}
	if err := os.Chmod(base, 0o755); err != nil {
		return fail(err)
	}
	pwfile := filepath.Join(base, "pw")
	if err := os.WriteFile(pwfile, []byte(s.Password+"\n"), 0o600); err != nil {
		return fail(err)
	}
	uid, gid := nobody()
	if uid >= 0 {
		if err := chownTree(base, uid, gid); err != nil {
			return fail(err)
		}
	}
	data := filepath.Join(base, "data")
	cmd, err := asUser(uid, gid, initdb, "-D", data, "-U", s.User, "--pwfile="+pwfile, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync")
	if err != nil {
		return fail(err)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fail(fmt.Errorf("initdb: %v\n%s", err, out))
	}
	s.Port, err = freePort()
	if err != nil {
		return fail(err)
	}
	logf, err := os.Create(s.logFile)
	if err != nil {
		return fail(err)
	}
	defer logf.Close()
	cmd, err = asUser(uid, gid, postgres, "-D", data, "-p", strconv.Itoa(s.Port), "-k", base,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		"-c", "shared_buffers=16MB", "-c", "max_connections=30")
	if err != nil {
		return fail(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fail(err)
	}
	s.cmd = cmd
	if err := s.waitReady(); err != nil {
		log := s.Log()
		return fail(fmt.Errorf("postgres did not start: %v\n%s", err, log))
	}
	return s, nil
}

func startMariaDBOnce() (*Server, error) {
	mariadbd, err := findBinary("mariadbd", "/usr/sbin", "/usr/libexec")
	if err != nil {
		return nil, err
	}
	install, err := findBinary("mariadb-install-db", "/usr/bin")
	if err != nil {
		return nil, err
	}
	base, err := os.MkdirTemp("", "hubaudit-maria-")
	if err != nil {
		return nil, err
	}
	s := &Server{Kind: "mariadb", Host: "127.0.0.1", User: "root", Password: "maria-Super-Secret-1", Dir: base, logFile: filepath.Join(base, "server.log")}
	fail := func(err error) (*Server, error) {
		s.Stop()
		return nil, err
	}
	data := filepath.Join(base, "data")
	userArgs := []string{}
	if os.Geteuid() == 0 {
		userArgs = []string{"--user=root"}
	} else if u, err := user.Current(); err == nil {
		userArgs = []string{"--user=" + u.Username}
	}
	args := append([]string{"--no-defaults", "--datadir=" + data, "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve"}, userArgs...)
	if out, err := exec.Command(install, args...).CombinedOutput(); err != nil {
		return fail(fmt.Errorf("mariadb-install-db: %v\n%s", err, out))
	}
	s.Port, err = freePort()
	if err != nil {
		return fail(err)
	}
	logf, err := os.Create(s.logFile)
	if err != nil {
		return fail(err)
	}
	defer logf.Close()
	sock := filepath.Join(base, "mysqld.sock")
	args = append([]string{"--no-defaults", "--datadir=" + data, "--socket=" + sock, "--port=" + strconv.Itoa(s.Port),
		"--bind-address=127.0.0.1", "--skip-name-resolve", "--skip-log-bin", "--innodb-buffer-pool-size=16M",
		"--innodb-log-file-size=8M", "--innodb-flush-log-at-trx-commit=0", "--pid-file=" + filepath.Join(base, "mysqld.pid"),
		"--log-error=" + s.logFile}, userArgs...)
	cmd := exec.Command(mariadbd, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fail(err)
	}
	s.cmd = cmd
	// root@localhost has no password yet: set one over the socket, and
	// allow root from 127.0.0.1 with it.
	_ = mysql.SetLogger(quietLogger{})
	rootCfg := mysql.NewConfig()
	rootCfg.User, rootCfg.Net, rootCfg.Addr, rootCfg.MultiStatements = "root", "unix", sock, true
	var d *sql.DB
	deadline := time.Now().Add(60 * time.Second)
	for {
		d, err = sql.Open("mysql", rootCfg.FormatDSN())
		if err == nil {
			if err = d.Ping(); err == nil {
				break
			}
			d.Close()
		}
		if time.Now().After(deadline) || s.exited() {
			return fail(fmt.Errorf("mariadbd did not start: %v\n%s", err, s.Log()))
		}
		time.Sleep(100 * time.Millisecond)
	}
	defer d.Close()
	_, err = d.Exec(fmt.Sprintf("CREATE OR REPLACE USER 'root'@'127.0.0.1' IDENTIFIED BY '%s'; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION; ALTER USER 'root'@'localhost' IDENTIFIED BY '%s'", s.Password, s.Password))
	if err != nil {
		return fail(fmt.Errorf("mariadb: setting the root password: %v", err))
	}
	if err := d.QueryRow("SELECT VERSION()").Scan(&s.Version); err != nil {
		return fail(err)
	}
	return s, nil
}

func (s *Server) exited() bool {
	if s.cmd == nil || s.cmd.Process == nil {
		return true
	}
	return s.cmd.ProcessState != nil || syscall.Kill(s.cmd.Process.Pid, 0) != nil
}

func (s *Server) waitReady() error {
	deadline := time.Now().Add(60 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		if s.exited() {
			return fmt.Errorf("server exited")
		}
		d, err := sql.Open(s.DriverName(), s.DSN(s.adminDB()))
		if err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			err = d.QueryRowContext(ctx, "SHOW server_version").Scan(&s.Version)
			cancel()
			d.Close()
			if err == nil {
				return nil
			}
		}
		last = err
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("timed out: %v", last)
}

// SplitStatements splits SQL text on semicolons at line ends, dropping
// comments and psql meta-commands (lines starting with a backslash), so
// that DDL from a dump can be run statement by statement.
func SplitStatements(text string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "--") || strings.HasPrefix(t, `\`) {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(t, ";") {
			st := strings.TrimSpace(cur.String())
			st = strings.TrimSuffix(st, ";")
			if st != "" {
				out = append(out, st)
			}
			cur.Reset()
		}
	}
	if st := strings.TrimSpace(cur.String()); st != "" {
		out = append(out, st)
	}
	return out
}

// quietLogger drops the driver's "broken pipe" lines while the server is
// still starting.
type quietLogger struct{}

func (quietLogger) Print(...any) {}

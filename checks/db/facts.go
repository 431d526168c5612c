package db

// Facts is what the database collector found. It is serialized under
// facts.db in the JSON report.
type Facts struct {
	// Dialect is "sqlite", "postgresql" or "mysql".
	Dialect string `json:"dialect"`
	// URL is the database URL with any password redacted.
	URL string `json:"url"`
	// Revision is the alembic_version stamp ("" when there is none).
	Revision string `json:"revision"`
	// JupyterHubVersions are the releases whose head is Revision.
	JupyterHubVersions []string `json:"jupyterhub_versions"`
	// Counts holds row counts by name (users, groups, roles, services,
	// api_tokens, servers_running, named_servers, ...).
	Counts map[string]int64 `json:"counts"`

	// Scheme is the URL scheme as written ("postgresql+psycopg2",
	// "postgres", "sqlite"); Driver the SQLAlchemy DBAPI after "+" ("" is
	// the dialect's default driver).
	Scheme string `json:"scheme"`
	Driver string `json:"driver,omitempty"`
	// ServerVersion is the database server's (or SQLite library's)
	// version string.
	ServerVersion string `json:"server_version,omitempty"`
	// HasAlembicTable says whether the alembic_version table exists.
	HasAlembicTable bool `json:"has_alembic_table"`
	// Revisions lists every row of alembic_version (normally one).
	Revisions []string `json:"revisions,omitempty"`
	// RevisionKnown says whether Revision is in JupyterHub's released
	// alembic chain; RevisionUnreleased whether it is a revision that only
	// ever existed on a development branch.
	RevisionKnown      bool `json:"revision_known"`
	RevisionUnreleased bool `json:"revision_unreleased,omitempty"`
	// GuessedVersions are, for a database without alembic_version, the
	// release lines whose tables it has (JupyterHub itself guesses so).
	GuessedVersions []string `json:"guessed_versions,omitempty"`
	// Empty is true when the database has no tables at all.
	Empty bool `json:"empty"`
	// Tables maps each table present to its columns, in table order.
	Tables map[string][]string `json:"tables"`
	// MissingTables are JupyterHub tables that the release matching the
	// revision creates but that are absent.
	MissingTables []string `json:"missing_tables,omitempty"`
	// UsersNotInConfig counts users present in the database but in none of
	// the config's allowed/admin user lists (only when the config lists
	// were known); examples are a few of their names.
	UsersNotInConfig         *int64   `json:"users_not_in_config,omitempty"`
	UsersNotInConfigExamples []string `json:"users_not_in_config_examples,omitempty"`
	// RecreatedTokens counts the API tokens the hub creates again from its
	// config at every start, known by their note (nil when the database
	// keeps no token notes).
	RecreatedTokens *RecreatedTokens `json:"recreated_tokens,omitempty"`
	// InvalidServerNames counts named servers whose names break the
	// JupyterHub 6 naming rule (see ValidServerName), with examples.
	InvalidServerNames         int64    `json:"invalid_server_names"`
	InvalidServerNamesRunning  int64    `json:"invalid_server_names_running"`
	InvalidServerNamesExamples []string `json:"invalid_server_names_examples,omitempty"`
	// ServerNames are every user's servers (Options.ServerNames), for
	// rules that compute names per server; never serialized (nil when
	// not read).
	ServerNames []ServerName `json:"-"`
	// SQLite holds file facts for a SQLite database.
	SQLite *SQLiteFacts `json:"sqlite,omitempty"`
	// MySQL holds server and table facts that matter for upgrades on
	// MySQL/MariaDB.
	MySQL *MySQLFacts `json:"mysql,omitempty"`
	// BackupCommand is the command that backs this database up: the
	// pg_dump or mysqldump invocation (which never contains the password:
	// it comes from PGPASSWORD/.pgpass or the prompt), or for SQLite
	// hubaudit's own consistent copy.
	BackupCommand string `json:"backup_command"`
	// Warnings are things the collector could not read but that did not
	// stop it (a table that could not be counted, ...).
	Warnings []string `json:"warnings,omitempty"`
}

// SQLiteFacts describes a SQLite database file.
type SQLiteFacts struct {
	// Path is the absolute path of the database file.
	Path string `json:"path"`
	Size int64  `json:"size"`
	// JournalMode is "wal" or "delete" (from the file header).
	JournalMode string `json:"journal_mode"`
	// WALPresent says whether a -wal file exists next to the database
	// (another process, normally the hub, has it open in WAL mode).
	WALPresent bool `json:"wal_present"`
	// IntegrityCheck is the result of PRAGMA quick_check ("ok" when sound).
	IntegrityCheck string `json:"integrity_check"`
	// OwnerUID is the file owner's uid; OwnerWritable whether the owner
	// may write the file; DirOwnerWritable whether the file's owner may
	// create files in its directory (upgrade-db writes its backup there).
	OwnerUID         int  `json:"owner_uid"`
	OwnerWritable    bool `json:"owner_writable"`
	DirOwnerWritable bool `json:"dir_owner_writable"`
	// FreeBytes is the free space (for unprivileged users) on the file's
	// file system; -1 when unknown.
	FreeBytes int64 `json:"free_bytes"`
	// Backups are upgrade-db's backups next to the file, newest first.
	Backups []SQLiteBackup `json:"backups,omitempty"`
	// HubauditBackups are `hubaudit backup` directories found next to the
	// deployment or named by --backup, newest first.
	HubauditBackups []HubauditBackup `json:"hubaudit_backups,omitempty"`
}

// SQLiteBackup is a backup file that `jupyterhub upgrade-db` left next to a
// SQLite database (<file>.<YYYY-mm-dd-HHMMSS>).
type SQLiteBackup struct {
	Path string `json:"path"`
	// Time is the timestamp in the name (local time), RFC 3339.
	Time string `json:"time"`
	// AgeHours is how old the backup is at collection time.
	AgeHours float64 `json:"age_hours"`
	Size     int64   `json:"size"`
	// Revision is the backup's alembic revision ("" if unreadable).
	Revision string `json:"revision"`
}

// MySQLFacts describes a MySQL or MariaDB server for upgrade purposes.
type MySQLFacts struct {
	// MariaDB is true for MariaDB servers.
	MariaDB bool `json:"mariadb"`
	// DefaultRowFormat is @@innodb_default_row_format ("" if the server
	// predates the variable); LargePrefix is @@innodb_large_prefix where
	// it still exists.
	DefaultRowFormat string `json:"default_row_format,omitempty"`
	LargePrefix      string `json:"large_prefix,omitempty"`
	// CharacterSet is the database's default character set.
	CharacterSet string `json:"character_set,omitempty"`
	// NarrowRowFormatTables are JupyterHub tables stored with the COMPACT
	// or REDUNDANT row format, whose index keys are limited to 767 bytes.
	NarrowRowFormatTables []string `json:"narrow_row_format_tables,omitempty"`
	// NonInnoDBTables are tables not using InnoDB.
	NonInnoDBTables []string `json:"non_innodb_tables,omitempty"`
}

// RecreatedTokens are the API tokens whose note says the hub made them
// from its config (kb: RecreatedTokenNotes): JupyterHub.api_tokens,
// service_tokens, the services' api_token, and the tokens of managed
// services generated at every start. A lost database does not lose them.
type RecreatedTokens struct {
	// Notes are the notes counted.
	Notes []string `json:"notes"`
	// User and Service count such tokens of users and of services.
	User    int64 `json:"user"`
	Service int64 `json:"service"`
	// ServicesWithOtherTokens counts the services that have a token in
	// the database that is not one of these.
	ServicesWithOtherTokens int64 `json:"services_with_other_tokens"`
}

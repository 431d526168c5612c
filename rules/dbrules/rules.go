package dbrules

import "github.com/hubaudit/hubaudit/rules"

// Rules are the HUB2xx rules, in ID order.
var Rules = []*rules.Rule{
	UpgradeDBNeeded,
	SchemaAhead,
	UnknownRevision,
	NoRevisionStamp,
	NoRecentBackup,
	IntegrityCheckFailed,
	SQLiteNotWritable,
	SQLiteDiskSpace,
	SQLiteMigrationCaveats,
	MigrationDropsTokens,
	DeleteImpact,
	RunningServers,
	InvalidNamedServers,
	PostgresScheme,
	MissingDBDriver,
	MySQLIndexPrefix,
	MissingTables,
	OldDatabaseServer,
}

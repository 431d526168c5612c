package envrules

import "github.com/hubaudit/hubaudit/rules"

// Rules are the HUB3xx rules, in ID order.
var Rules = []*rules.Rule{
	JupyterHubMissing,
	SingleuserMismatch,
	UserEnvBehindTarget,
	PythonTooOld,
	CompanionIncompatible,
	HubRequirementUnsatisfied,
	ClassNotImportable,
	DBDriverMissing,
	SingleuserServerMissing,
	DependencyConflict,
	SpawnerCommandMissing,
	EnvUnreadable,
	ProxyMissing,
	UndeclaredIncompatibility,
	ProxyNodeTooOld,
	HubImageUnpinned,
}

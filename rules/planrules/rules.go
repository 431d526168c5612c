package planrules

import "github.com/hubaudit/hubaudit/rules"

// Rules are the HUB5xx rules, in ID order.
var Rules = []*rules.Rule{
	VersionSourcesDisagree,
	CurrentUnknown,
	TargetNotNewer,
	PrereleaseTarget,
	MajorsCrossed,
	DataLost,
	HubNotAtTarget,
	SchemaNotAtHead,
	HubUnreachable,
	APICountsDiffer,
}

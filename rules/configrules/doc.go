// Package configrules holds hubaudit's HUB1xx rules, which judge the config
// facts against the knowledge base at the target release:
//
//	HUB100 config-syntax-error     a file (or part) does not parse
//	HUB101 unknown-option          not an option of its class (did you mean)
//	HUB102 deprecated-option       deprecated at the target, with since/replacement
//	HUB103 removed-option          removed before the target (option or class)
//	HUB104 ignored-option          accepted but without effect (blacklist)
//	HUB105 unknown-class           a section for a class nobody defines
//	HUB106 empty-config            an empty config file
//	HUB110 allow-config-required   5.0 allow_all: nobody new can log in
//	HUB111 token-in-url            5.0 tokens in URLs refused
//	HUB112 subdomain-scheme-change 5.0 subdomain_hook
//	HUB113 named-server-names      6.0 named-server name rules
//	HUB114 python-floor            the target's Python floor (note)
//	HUB115 manage-groups-contract  5.0 groups required with manage_groups
//	HUB120 hardcoded-secret        a secret written in the config
//	HUB130 proxy-disruption        do users lose servers during the upgrade
//
// Version facts (which release deprecated, removed or introduced what)
// come from the knowledge base, never from literals here.
package configrules

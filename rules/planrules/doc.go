// Package planrules holds hubaudit's HUB5xx rules, which judge the upgrade facts.
package planrules

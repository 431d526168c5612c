// Package envrules holds hubaudit's HUB3xx rules, which judge the env facts.
package envrules

// Package dbrules holds hubaudit's HUB2xx rules, which judge the db facts.
package dbrules

// Package configrules holds hubaudit's HUB1xx rules, which judge the config facts.
package configrules

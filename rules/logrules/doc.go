// Package logrules holds hubaudit's HUB4xx rules, which judge the logs facts.
package logrules

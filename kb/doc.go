// Package kb is hubaudit's knowledge base: what every JupyterHub release
// from 0.9.0 to the newest ships (dates, alembic heads, Python floors,
// requirements), the alembic revision chain, the configurable-trait catalog
// of JupyterHub and its companion packages, and the exact message formats the
// hub prints. The data is generated from the fact tables in kb/facts and kb/extra by ./gen
// (`go generate ./kb`), embedded, and validated when first loaded.
package kb

//go:generate go run ./gen -facts facts -out .

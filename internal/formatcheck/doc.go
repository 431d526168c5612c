// Package formatcheck validates hubaudit's machine outputs the way their
// consumers do, for tests: SARIF against the SARIF 2.1.0 JSON schema and
// the further rules GitHub code scanning applies on upload (and, where it
// is installed, with Microsoft's SARIF Multitool), JUnit XML against
// Jenkins' junit-10.xsd with xmllint, GitLab Code Quality against the
// fields GitLab documents, and the JSON report against
// docs/report.schema.json. The SARIF schema and the XSD are embedded
// (schema/README.md says where each comes from); only test code imports
// this package.
package formatcheck

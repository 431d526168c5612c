// Command hubaudit audits a JupyterHub deployment before and after an
// upgrade: `hubaudit pre --target VERSION` says whether it is ready and in
// what order to upgrade, `hubaudit post` whether the upgrade worked and
// nothing was lost. See `hubaudit --help` and the README.
package main

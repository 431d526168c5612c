// Package chartrules holds the rules about Zero to JupyterHub Helm chart
// deployments:
//
//	HUB140 chart-key-unknown      a values key the chart's values.schema.yaml does not take (did you mean)
//	HUB520 slug-scheme-change     KubeSpawner 7's safe slugs change templated names, folders and volumes
//	HUB521 chart-upgrade          what the target chart's hub image brings (jupyterhub, kubespawner, ...)
package chartrules

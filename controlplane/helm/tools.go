//go:build tools

// Package helm pins the Helm CLI used by the chart tests. It is a module of
// its own so Helm's Kubernetes library versions never fight the control
// plane's.
package helm

import _ "helm.sh/helm/v3/cmd/helm"

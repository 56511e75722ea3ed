//go:build tools

// Package alertmanager pins Alertmanager, which receives the controller's
// escalations in the e2e tests. A module of its own, so its libraries never
// fight the control plane's, Helm's or Prometheus's.
package alertmanager

import _ "github.com/prometheus/alertmanager/cmd/alertmanager"

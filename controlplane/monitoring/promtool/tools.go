//go:build tools

// Package promtool pins Prometheus's promtool, which checks and unit-tests the
// chart's alerting rules. A module of its own, so Prometheus's libraries never
// fight the control plane's, Helm's or Alertmanager's.
package promtool

import _ "github.com/prometheus/prometheus/cmd/promtool"

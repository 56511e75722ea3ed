//go:build tools

// Package netpol pins the NetworkPolicy firewall the node runs: kube-router with only its
// firewall controller on (no routing, no service proxy).
package netpol

import (
	_ "github.com/cloudnativelabs/kube-router/v2/cmd/kube-router"
)

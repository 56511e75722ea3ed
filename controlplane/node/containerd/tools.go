//go:build tools

// Package containerd pins the node's container runtime: containerd v2 with its CRI plugin, its
// runc shim and ctr (used to import locally built images).
package containerd

import (
	_ "github.com/containerd/containerd/v2/cmd/containerd"
	_ "github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2"
	_ "github.com/containerd/containerd/v2/cmd/ctr"
)

//go:build tools

// Package tools pins the daemonless image builder: BuildKit's buildkitd (run only for the length
// of one build) and buildctl. The runc its OCI worker runs RUN steps with is the local node's
// (controlplane/node/runc).
package tools

import (
	_ "github.com/moby/buildkit/cmd/buildctl"
	_ "github.com/moby/buildkit/cmd/buildkitd"
)

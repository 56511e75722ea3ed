//go:build tools

// Package tools pins the daemonless image builder: BuildKit's buildkitd (run only for the length
// of one build) and buildctl, plus runc, the OCI runtime BuildKit's OCI worker runs RUN steps with.
package tools

import (
	_ "github.com/moby/buildkit/cmd/buildctl"
	_ "github.com/moby/buildkit/cmd/buildkitd"
	_ "github.com/opencontainers/runc"
)

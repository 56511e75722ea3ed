//go:build tools

// Package runc pins the OCI runtime the containerd shim runs containers with (built with cgo).
package runc

import _ "github.com/opencontainers/runc"

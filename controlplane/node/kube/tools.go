//go:build tools

// Package kube pins the node's Kubernetes components (kubelet, kube-proxy, kube-scheduler) at
// the same k8s.io/kubernetes version as the control plane, in a module of its own so the node's
// dependency graph never changes the control plane's.
package kube

import (
	_ "k8s.io/kubernetes/cmd/kube-proxy"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubelet"
)

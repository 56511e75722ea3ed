//go:build tools

// Package controlplane pins the Kubernetes and etcd main packages that the
// local test control plane is built from. build.sh compiles them with
// `go build`; nothing imports this file at run time.
package controlplane

import (
	_ "go.etcd.io/etcd/server/v3"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kubectl"
)

#!/usr/bin/env bash
# `npm run e2e:kind`: the e2e suite on a kind cluster (real nodes, real Pods), for people with
# Docker. Builds the image from the Dockerfile, creates a kind cluster, loads the image into its
# nodes, runs the tests that need a cluster without oos (the API and the chart), installs the
# chart with the image just built and runs the tests of a running install (e2e/kind/).
# Never touches your kubeconfig: the cluster's is written to a temporary directory.
#
# Environment:
#   OOS_KIND_CLUSTER     cluster name (default: oos-e2e)
#   OOS_KIND_IMAGE       image to build and load (default: oos:e2e; not :latest, which kind
#                        nodes would try to pull)
#   OOS_KIND_NODE_IMAGE  node image for `kind create cluster --image` (default: kind's own)
#   OOS_KIND_KEEP=1      keep the cluster afterwards (prints its KUBECONFIG)
set -euo pipefail
cd "$(dirname "$0")/../.."

cluster=${OOS_KIND_CLUSTER:-oos-e2e}
image=${OOS_KIND_IMAGE:-oos:e2e}
namespace=oos-system
release=oos

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "e2e:kind: $1 is required: $2" >&2; exit 1; }
}
need docker "install Docker (or Podman with KIND_EXPERIMENTAL_PROVIDER=podman) and start it"
need kind "install kind (v0.27 or newer)"
need kubectl "install kubectl (within one minor version of the cluster)"
need helm "install Helm 3 (v3.19 or newer)"
docker info >/dev/null 2>&1 || {
  echo "e2e:kind: the Docker engine does not answer (docker info failed); start it first" >&2
  exit 1
}

work=$(mktemp -d)
export KUBECONFIG="$work/kubeconfig"
cleanup() {
  status=$?
  if [ -n "${OOS_KIND_KEEP:-}" ]; then
    echo "e2e:kind: kept cluster $cluster: export KUBECONFIG=$KUBECONFIG"
  else
    kind delete cluster --name "$cluster" --kubeconfig "$KUBECONFIG" || true
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT

echo "e2e:kind: building $image"
docker build --tag "$image" .

echo "e2e:kind: creating cluster $cluster"
kind create cluster --name "$cluster" --config e2e/kind/kind-config.yaml \
  --kubeconfig "$KUBECONFIG" --wait 180s ${OOS_KIND_NODE_IMAGE:+--image "$OOS_KIND_NODE_IMAGE"}
kind load docker-image "$image" --name "$cluster"

# The e2e suite uses this cluster instead of starting its own control plane.
export OOS_E2E_KUBECONFIG="$KUBECONFIG"
OOS_E2E_KUBECTL="$(command -v kubectl)"
OOS_E2E_HELM="$(command -v helm)"
export OOS_E2E_KUBECTL OOS_E2E_HELM

echo "e2e:kind: tests that need a cluster without oos"
npx vitest run --project e2e e2e/api/ e2e/chart/

echo "e2e:kind: installing the chart with $image"
helm install "$release" charts/oos --namespace "$namespace" --create-namespace \
  --set image.repository="${image%:*}" --set image.tag="${image##*:}" \
  --set image.pullPolicy=Never --wait --timeout 5m

echo "e2e:kind: tests of the running install"
OOS_E2E_RELEASE="$namespace/$release" OOS_E2E_WORKLOAD_IMAGE="$image" \
  npx vitest run --project e2e e2e/kind/

helm uninstall "$release" --namespace "$namespace" --wait
echo "e2e:kind: passed"

/**
 * The Kubernetes NetworkPolicy, as oos admits it: policies are additive, so anyone who may write
 * one could open a Closed capability's Pods; admission refuses that (engine/network-policy/).
 * Its group, kind and resource are named here once, for the engine's dispatch and the webhook
 * rules of webhooks/registration.ts and the chart.
 */
export const NETWORK_POLICY = {
  group: 'networking.k8s.io',
  kind: 'NetworkPolicy',
  plural: 'networkpolicies',
} as const;

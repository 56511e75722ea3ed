/** The texts of `oos --help` and `oos check --help`: every option is listed. */

export const MAIN_HELP = `oos — execution can be delegated, accountability cannot.

Usage:
  oos <command> [options]

Commands:
  check        Evaluate Kubernetes manifests offline against governance objects, with the same
               engine as the oos admission webhook.
  who          Who answers for a workload: its whole chain read from the cluster, and the
               decision admission would make now (--user: what a person is accountable for).
  mine         Everything you are accountable for: roles, capabilities, delegations you
               granted, open escalations, exemptions to approve.
  ack          Acknowledge an Escalation, as you.
  approve      Approve an Exemption (bound to the content shown), as you.
  suspend      The stop button: suspend a Capability, as you.
  resume       Resume a suspended Capability, as you.
  register     Serve the accountability register (who answers for each AI capability) on
               loopback, read with your kubeconfig; or write it to a file with --output.
  completion   Print a bash or zsh completion script.

The cluster commands read and act with your kubeconfig (--kubeconfig, --context, -n, --as,
--as-group as kubectl), so RBAC and oos's webhook judge every request. As a kubectl plugin
(kubectl-oos on the PATH), every command is also "kubectl oos <command>".

Options:
  -h, --help    Show this help.

Run "oos <command> --help" for the options of each command.
`;

export const CHECK_HELP = `Usage:
  oos check -f <file|dir|-> [--governance <file|dir>] [options]

Evaluates every object of the manifests (multi-document YAML or JSON, List kinds included) as
the oos admission webhook would on CREATE: AI workloads through the accountability chain
(capability -> accountable role -> current human holder -> delegation -> boundaries), oos
governance objects through the authority rules. Prints one line per object:
  ALLOW | WARN | DENY  <Kind> <namespace>/<name>  <Reason>: <message>

Capabilities are also checked for their interactions, over every Capability given (manifests
and governance; a manifest wins over the same capability) under the GovernancePolicy among them
or the built-in defaults: a call, acceptsFrom or egress in a forbiddenEdges class is denied
(InteractionForbidden), as is an egress endpoint missing from the catalogue (EndpointNotFound),
as admission denies them; an edge only one side declares (WaitingForPeer, PortsNotAccepted) and
a peer not found (PeerNotFound) are warnings that name the role that must answer.

Options:
  -f, --filename <file|dir|->      Manifests to evaluate; a directory is read recursively
                                   (.yaml, .yml, .json); - reads standard input. Repeatable.
  -g, --governance <file|dir>      Governance objects (AccountableRole, Capability, Delegation,
                                   Exemption, EscalationPolicy, Escalation, GovernancePolicy),
                                   validated against the oos API; other objects are ignored,
                                   Namespaces give their labels. Repeatable. Without it, no
                                   governance exists and the built-in defaults apply (Enforce).
      --now <RFC3339>              Evaluate at this instant (default: the current time),
                                   e.g. 2026-12-01T00:00:00Z.
      --as <user>                  The requester's username (default: oos-check, a person).
      --group <group>              A group of the requester. Repeatable.
      --namespace-labels <ns=k=v>  Labels of a namespace, which choose its enforcement mode;
                                   several labels: ns=k1=v1,k2=v2. Repeatable. Overrides the
                                   labels of Namespace objects found in the manifests.
      --operator-namespace <ns>    The namespace oos runs in (always exempt).
  -o, --output <text|json>         Output format (default: text). json prints an array of
                                   {kind, apiVersion, namespace, name, allowed, reason, message,
                                   warnings, chain, mode, detection, source, interactions};
                                   interactions (Capabilities only, else []) lists {direction,
                                   peer, state, message, refusal} per declared interaction and
                                   per edge another capability waits on it for.
  -h, --help                       Show this help.

Exit codes:
  0  every object is allowed
  1  at least one object is denied
  2  usage or input error (unreadable file, malformed YAML, invalid governance object)
`;

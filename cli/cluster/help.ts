/** The help texts of the cluster commands: every option is listed. */

const CONNECTION = `Cluster options (as kubectl; every request is yours, so RBAC and oos's webhook judge it):
      --kubeconfig <file>          Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).
      --context <name>             Kubeconfig context (default: its current context).
  -n, --namespace <ns>             Namespace (default: the context's namespace, else default).
      --as <user>                  Act as this user (impersonation; RBAC must allow it).
      --as-group <group>           Act with this group (needs --as). Repeatable.
      --operator-namespace <ns>    The namespace oos runs in, always exempt (default: oos-system).
  -o, --output <text|json>         Output format (default: text).
  -h, --help                       Show this help.`;

const ACTION_EXIT = `Exit codes:
  0  done (or nothing to do: it already was)
  1  refused: by oos (its reason code and message are printed) or by RBAC
  2  usage error, object not found, or the cluster could not be read`;

export const WHO_HELP = `Usage:
  oos who <kind>/<name> [-n <ns>] [options]
  oos who --user <username> [options]

Shows who answers for a running workload, read from the cluster with your kubeconfig: its
capability (autonomy, risk tier, suspended?), the accountable role and its holders with their
attestation expiry, the Delegation to the ServiceAccount it runs as (who granted it, until when),
open Escalations and their level, the Exemptions whose scope covers it, its capability's
interactions (posture; the capabilities it calls and that call it, the clients that are not AI,
its egress; each Agreed, WaitingForPeer, PortsNotAccepted, PeerNotFound or Forbidden, with the
role that must answer), and the decision the oos admission webhook would make on it now (the
same engine). <kind> is a workload kind as kubectl names it: deployment (deploy), statefulset
(sts), daemonset (ds), replicaset (rs), job, cronjob (cj), pod (po), replicationcontroller (rc).
With --user, shows everything that person is accountable for (as "oos mine" does for you).

Options:
      --user <username>            Whose accountability to show instead of a workload's chain.
      --now <RFC3339>              Judge at this instant (default: now), e.g. to see what
                                   happens when a delegation runs out.
${CONNECTION}

JSON (-o json): {workload, anchored, decision {allowed, reason, message, mode, warnings,
detection}, capability, accountableRole {name, exists, title, holders [{user, name, email,
attestedUntil, current}], vacant}, serviceAccounts, delegations [{namespace, name, capability,
serviceAccount, grantedBy, validFrom, validUntil, state}], escalations [...], exemptions [...],
interactions {posture, calls, calledBy, clients, egress}, evaluatedAt, warnings};
cli/README.md documents every field.

Exit codes:
  0  anchored, exempted, or not an AI workload (nothing is missing); --user: always
  1  not anchored: the chain is broken (the decision says where)
  2  usage error, workload not found, or the cluster could not be read
`;

export const MINE_HELP = `Usage:
  oos mine [options]

Everything you (the identity of your kubeconfig, or --as) are accountable for: the roles you hold
and until when you are attested, the capabilities of those roles, the Delegations you granted,
the open Escalations of your capabilities or that notify your roles, the Exemptions waiting for
your approval and those you approved, and the interactions between capabilities that wait for
one of your roles to declare its side. "oos who --user <name>" shows the same for someone else.

Options:
      --now <RFC3339>              Judge at this instant (default: now).
${CONNECTION}

Exit codes:
  0  shown
  2  usage error, or the cluster could not be read
`;

export const ACK_HELP = `Usage:
  oos ack escalation/<name> [-n <ns>] [--note <text>] [options]

Acknowledges an Escalation as you: it stops climbing its levels (it stays open until the
operator finds the cause gone). The webhook stamps acknowledgedBy with your username; oos lets a
current holder of a role notified at its current level, of its accountable role, or a governance
admin acknowledge.

Options:
      --note <text>                acknowledgementNote: what you are doing about it.
${CONNECTION}

${ACTION_EXIT}
`;

export const APPROVE_HELP = `Usage:
  oos approve exemption/<name> [-n <ns>] [--digest <sha256:...>] [options]

Approves an Exemption as you: sets approved: true with the approvedDigest of the content stored
now (scope, capability, justification, expiresAt), which is printed, and the resourceVersion it
was read at, so a change in between is refused. The webhook stamps approvedBy; oos lets a current
holder of its capability's accountable role or a governance admin approve, never its requester.

Options:
      --digest <sha256:...>        The digest you reviewed (e.g. from a colleague's request):
                                   refused when the content no longer matches it.
${CONNECTION}

${ACTION_EXIT}
`;

export const SUSPEND_HELP = `Usage:
  oos suspend capability/<name> [-n <ns>] [--reason <text>] [options]

The stop button: sets suspend: true on a Capability as you. The operator then scales its
workloads to zero (stopAction ScaleToZero) or refuses new ones (DenyNew); the webhook stamps
suspendedBy. Anyone RBAC allows may stop.

Options:
      --reason <text>              suspendReason: why it is stopped.
${CONNECTION}

${ACTION_EXIT}
`;

export const RESUME_HELP = `Usage:
  oos resume capability/<name> [-n <ns>] [options]

Resumes a suspended Capability as you (suspend: false); the operator restores its workloads. oos
lets only a current holder of its accountable role or a governance admin resume; the webhook
stamps resumedBy.

Options:
${CONNECTION}

${ACTION_EXIT}
`;

export const COMPLETION_HELP = `Usage:
  oos completion bash|zsh

Prints a shell completion script for oos and kubectl oos (commands, options, kinds).
  bash:  source <(oos completion bash)
  zsh:   source <(oos completion zsh)

Options:
  -h, --help    Show this help.

Exit codes:
  0  printed
  2  usage error (unknown shell)
`;

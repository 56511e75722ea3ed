/** The text of `oos register --help`: every option is listed. */
export const REGISTER_HELP = `Usage:
  oos register [--port <n>] [--host <loopback>] [options]
  oos register --output <file|-> [--namespace <ns>] [--role <role>] [--person <user>] [options]

The accountability register: one read-only page of every capability with its accountable role
and the people who hold it now (attestation expiry), autonomy x risk tier, delegations with the
time they have left, open escalations and their level, exemptions in effect with requester and
approver, the unanchored workloads the audit finds, and the interaction graph: capabilities
coloured by risk tier (and labelled with it), agreed edges solid, pending ones dashed with the
role they wait for, forbidden ones crossed, destinations outside the cluster apart, and every
edge again in a table. Read from the cluster with your own
kubeconfig, so Kubernetes RBAC decides what you see (a kind you may not list is named on the page).

Served (the default), it listens on loopback only and prints its URL; each page load reads the
cluster again. Filter by namespace, role and person in the page; every capability and workload
links to its chain view (/chain/<namespace>/<kind>/<name>). Ctrl-C stops it.
With --output it writes the page once, as a static HTML file, and exits.

Options:
      --port <n>                   Port to listen on (default: 0, a free port).
      --host <loopback>            Address to listen on: 127.0.0.1 (default), ::1, localhost or
                                   another 127.x.y.z. Any other address is refused: the page shows
                                   what your credentials may read, to whoever reaches it.
  -o, --output <file|->            Write the page to a file (- for standard output) and exit.
      --namespace <ns>             With --output: only the rows of this namespace.
      --role <role>                With --output: only the rows of this AccountableRole.
      --person <user>              With --output: only what this person holds or is named in.
      --kubeconfig <file>          Kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config).
      --context <name>             Context of the kubeconfig (default: its current context).
      --as <user>                  Read as this user (impersonation, like kubectl --as).
      --as-group <group>           Read with this group (like kubectl --as-group). Repeatable.
      --operator-namespace <ns>    The namespace oos runs in (default: oos-system; always exempt).
  -h, --help                       Show this help.

Exit codes:
  0  the page was written, or the server stopped on Ctrl-C
  2  usage error (a non-loopback --host), unreadable kubeconfig, unreachable cluster, or a file
     that cannot be written
`;

/** The options of the cluster commands, as `node:util` `parseArgs` tables (completion reads them). */

/** How every cluster command reaches the cluster and prints, like kubectl. */
export const CLUSTER_OPTIONS = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  as: { type: 'string' },
  'as-group': { type: 'string', multiple: true },
  'operator-namespace': { type: 'string' },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const WHO_OPTIONS = {
  ...CLUSTER_OPTIONS,
  user: { type: 'string' },
  now: { type: 'string' },
} as const;

export const MINE_OPTIONS = { ...CLUSTER_OPTIONS, now: { type: 'string' } } as const;

export const ACK_OPTIONS = { ...CLUSTER_OPTIONS, note: { type: 'string' } } as const;
export const APPROVE_OPTIONS = { ...CLUSTER_OPTIONS, digest: { type: 'string' } } as const;
export const SUSPEND_OPTIONS = { ...CLUSTER_OPTIONS, reason: { type: 'string' } } as const;
export const RESUME_OPTIONS = CLUSTER_OPTIONS;

/** The options of each action command. */
export const ACTION_OPTIONS = {
  ack: ACK_OPTIONS,
  approve: APPROVE_OPTIONS,
  suspend: SUSPEND_OPTIONS,
  resume: RESUME_OPTIONS,
} as const;

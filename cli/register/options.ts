/** The options of `oos register` (also completed by `oos completion`). */
export const REGISTER_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  output: { type: 'string', short: 'o' },
  namespace: { type: 'string' },
  role: { type: 'string' },
  person: { type: 'string' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  as: { type: 'string' },
  'as-group': { type: 'string', multiple: true },
  'operator-namespace': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

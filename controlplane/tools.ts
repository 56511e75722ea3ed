import { existsSync } from 'node:fs';
import { binariesFor, type Binaries } from './build.js';
import { ControlPlaneError } from './errors.js';

/**
 * Where each program that oos's tests, demo and benches run comes from: every one is built from
 * the Go modules of this folder into the cache by `npm run controlplane:build` (`build.ts`), so
 * the version is the pinned one on every machine. The PATH is never consulted: a promtool or an
 * Alertmanager installed by the system would be another version, or missing on a fresh machine.
 */
const TOOLS = {
  kubectl: { field: 'kubectl', what: 'kubectl (Kubernetes)' },
  helm: { field: 'helm', what: 'helm' },
  promtool: { field: 'promtool', what: 'promtool (Prometheus)' },
  alertmanager: { field: 'alertmanager', what: 'Alertmanager' },
} as const satisfies Record<string, { field: keyof Binaries; what: string }>;

export type ToolName = keyof typeof TOOLS;

/**
 * The path of a cached tool; a {@link ControlPlaneError} naming `npm run controlplane:build` when it
 * has not been built yet. Builds nothing itself: a build takes minutes, never a test's surprise.
 */
export function toolPath(name: ToolName, binaries: Binaries = binariesFor()): string {
  const { field, what } = TOOLS[name];
  const path = binaries[field];
  if (!existsSync(path)) {
    throw new ControlPlaneError(
      'OOS_ERR_TOOL_MISSING',
      `${what} is not built yet (expected at ${path}): run \`npm run controlplane:build\`, ` +
        'which builds it from its pinned Go module into the cache (`npm test` runs it first).',
    );
  }
  return path;
}

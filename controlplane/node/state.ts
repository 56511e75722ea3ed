import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ManagedProcess } from '../processes.js';
import type { HostSnapshot } from './host.js';

/** What `<cluster dir>/node/state.json` holds: enough for `cluster:down` to undo everything. */
export interface NodeState {
  readonly dir: string;
  readonly binDir: string;
  readonly containerdSocket: string;
  readonly host: HostSnapshot;
  readonly processes: readonly ManagedProcess[];
}

export const nodeDir = (clusterDir: string): string => join(clusterDir, 'node');
const stateFile = (clusterDir: string): string => join(nodeDir(clusterDir), 'state.json');

export function writeNodeState(clusterDir: string, state: NodeState): void {
  mkdirSync(nodeDir(clusterDir), { recursive: true });
  writeFileSync(stateFile(clusterDir), `${JSON.stringify(state, null, 2)}\n`);
}

export function readNodeState(clusterDir: string): NodeState | undefined {
  const file = stateFile(clusterDir);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as NodeState;
}

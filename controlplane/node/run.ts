import { spawnSync } from 'node:child_process';
import { ControlPlaneError } from '../errors.js';

export interface RunResult {
  readonly ok: boolean;
  readonly output: string;
}

/** Runs a host command to completion; never throws (the caller decides what a failure means). */
export function tryRun(command: string, args: readonly string[], timeoutMs = 60_000): RunResult {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: timeoutMs });
  const output = `${result.stdout}${result.stderr}`.trim();
  if (result.error) return { ok: false, output: `${result.error.message}\n${output}`.trim() };
  return { ok: result.status === 0, output };
}

/** Runs a host command; a failure is a ControlPlaneError that quotes the command and its output. */
export function run(command: string, args: readonly string[], timeoutMs = 60_000): string {
  const result = tryRun(command, args, timeoutMs);
  if (!result.ok) {
    throw new ControlPlaneError(
      'OOS_ERR_NODE_START',
      `\`${[command, ...args].join(' ')}\` failed:\n${result.output}\n` +
        'Run `npm run cluster:down` to remove what the node had made, then try again.',
    );
  }
  return result.output;
}

/** Runs a command inside the node's network namespace (host mount namespace, unlike `ip netns exec`). */
export function inNetns(netns: string, command: string, args: readonly string[]): RunResult {
  return tryRun('nsenter', [`--net=/run/netns/${netns}`, '--', command, ...args]);
}

import { spawn, type SpawnOptions } from 'node:child_process';
import { ControlPlaneError } from '../errors.js';

export type Log = (line: string) => void;

/**
 * Runs a command to its end, passing its output lines to `log`; rejects with the last lines of
 * the output and `hint` (what to do) when it fails.
 */
export function run(
  command: string,
  args: readonly string[],
  options: SpawnOptions & { readonly log: Log; readonly hint: string },
): Promise<string> {
  const { log, hint, ...spawnOptions } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer): void => {
      const text = chunk.toString();
      output += text;
      if (output.length > 1_000_000) output = output.slice(-200_000);
      for (const line of text.split('\n')) if (line.trim()) log(line);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error) => {
      reject(
        new ControlPlaneError(
          'OOS_ERR_IMAGE_BUILD',
          `${command} could not start: ${error.message}`,
        ),
      );
    });
    child.on('close', (code, signal) => {
      if (code === 0) {
        resolve(output);
        return;
      }
      const tail = output.trim().split('\n').slice(-20).join('\n');
      reject(
        new ControlPlaneError(
          'OOS_ERR_IMAGE_BUILD',
          `${command} ${args.slice(0, 3).join(' ')} … failed (${code === null ? `signal ${String(signal)}` : `exit ${code}`}).\n${tail}\n${hint}`,
        ),
      );
    });
  });
}

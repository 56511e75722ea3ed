import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A person (impersonated user and groups), as the cluster commands take them. */
export interface Person {
  readonly as: string;
  readonly groups: readonly string[];
}

function run(file: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`${file} could not run: ${error.message}`));
          return;
        }
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });
}

function personFlags(person: Person | undefined): string[] {
  if (person === undefined) return [];
  return ['--as', person.as, ...person.groups.flatMap((g) => ['--as-group', g])];
}

/** `oos <args>` as a user types it (bin/oos.js), with the e2e kubeconfig and acting as `person`. */
export function oos(args: readonly string[], person?: Person): Promise<Run> {
  return run(
    process.execPath,
    [
      join(ROOT, 'bin', 'oos.js'),
      ...args,
      '--kubeconfig',
      inject('kubeconfig'),
      ...personFlags(person),
    ],
    {},
  );
}

/** `oos <args>` without a cluster (help, completion). */
export function oosOffline(args: readonly string[]): Promise<Run> {
  return run(process.execPath, [join(ROOT, 'bin', 'oos.js'), ...args], {});
}

/** A directory holding `kubectl-oos` (a symlink to bin/kubectl-oos), as a user installs the plugin. */
export function pluginDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'oos-plugin-'));
  symlinkSync(join(ROOT, 'bin', 'kubectl-oos'), join(dir, 'kubectl-oos'));
  return {
    dir,
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `kubectl oos <args>` through the built kubectl, with the plugin directory on the PATH. kubectl
 * finds a plugin only when no flag comes before its name, so the kubeconfig goes by $KUBECONFIG,
 * as a user's would.
 */
export function kubectlOos(dir: string, args: readonly string[], person?: Person): Promise<Run> {
  return run(inject('kubectl'), ['oos', ...args, ...personFlags(person)], {
    PATH: `${dir}:${process.env.PATH ?? ''}`,
    KUBECONFIG: inject('kubeconfig'),
  });
}

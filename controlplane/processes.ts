import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

/** One control plane process as remembered in the state file. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly bin: string;
  readonly log: string;
  /** Its arguments, so it can be started again the same way (`restartApiserver`). */
  readonly args?: readonly string[];
  /** The network namespace it runs in, if any. */
  readonly netns?: string;
}

/** A running child, with a promise that settles if it exits. */
export interface Started extends ManagedProcess {
  readonly exited: Promise<number | null>;
}

/**
 * Starts `bin` in its own process group (so a Ctrl-C aimed at the test runner reaches the reaper's
 * orderly shutdown, not a half-killed control plane), with stdout and stderr appended to `log`.
 * With `netns`, it runs in that named network namespace (nsenter execs it, so the pid is `bin`'s).
 */
export function startProcess(
  name: string,
  bin: string,
  args: readonly string[],
  log: string,
  options: { readonly netns?: string; readonly env?: NodeJS.ProcessEnv } = {},
): Started {
  const fd = openSync(log, 'a');
  const [file, argv] = options.netns
    ? ['nsenter', [`--net=/run/netns/${options.netns}`, '--', bin, ...args]]
    : [bin, args];
  try {
    const child = spawn(file, argv, {
      detached: true,
      stdio: ['ignore', fd, fd],
      ...(options.env ? { env: options.env } : {}),
    });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${bin}`);
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => {
        resolve(code);
      }),
    );
    return {
      name,
      pid: child.pid,
      bin,
      log,
      args,
      ...(options.netns === undefined ? {} : { netns: options.netns }),
      exited,
    };
  } finally {
    closeSync(fd);
  }
}

/** True when `pid` is alive and still runs `bin` (guards against a recycled pid). */
export function isRunning(process_: Pick<ManagedProcess, 'pid' | 'bin'>): boolean {
  try {
    process.kill(process_.pid, 0);
  } catch {
    return false;
  }
  const cmdline = `/proc/${process_.pid}/cmdline`;
  if (!existsSync(cmdline)) return true;
  try {
    const argv0 = readFileSync(cmdline, 'utf8').split('\0')[0] ?? '';
    return argv0 === process_.bin;
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopProcess(process_: ManagedProcess, graceMs = 10_000): Promise<void> {
  if (!isRunning(process_)) return;
  try {
    process.kill(process_.pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (isRunning(process_)) {
    if (Date.now() > deadline) {
      try {
        process.kill(process_.pid, 'SIGKILL');
      } catch {
        return;
      }
    }
    await sleep(50);
  }
}

/** The last lines of a log file, for error messages. */
export function tail(file: string, lines = 12): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

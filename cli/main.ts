import { parseArgs } from 'node:util';
import { ACTIONS, type ActionName } from './actions.js';
import { check, type CheckOptions } from './check.js';
import type { CommandIo } from './cluster/commands.js';
import { COMPLETION_HELP } from './cluster/help.js';
import { ACTION_OPTIONS, MINE_OPTIONS, WHO_OPTIONS } from './cluster/options.js';
import { formatRefusal, Refusal } from './cluster/refusal.js';
import { completionScript, type CompletedCommand } from './completion.js';
import { CliError } from './errors.js';
import { CHECK_HELP, MAIN_HELP } from './help.js';
import { parseNamespaceLabels } from './namespaces.js';
import { formatJson, formatText } from './output.js';
import { REGISTER_OPTIONS } from './register/options.js';

/** What the CLI talks to; tests pass their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readStdin: () => Promise<string>;
  /** The current time, the default of --now. */
  readonly clock: () => Date;
}

/** The exit codes of `oos`: 1 is also "not anchored" (who) and "refused" (the actions). */
export const EXIT = { allowed: 0, denied: 1, error: 2 } as const;

const DEFAULT_USER = 'oos-check';

export const CHECK_OPTIONS = {
  filename: { type: 'string', short: 'f', multiple: true },
  governance: { type: 'string', short: 'g', multiple: true },
  now: { type: 'string' },
  as: { type: 'string' },
  group: { type: 'string', multiple: true },
  'namespace-labels': { type: 'string', multiple: true },
  'operator-namespace': { type: 'string' },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseNow(text: string | undefined, clock: () => Date): Date {
  if (text === undefined) return clock();
  const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
  const now = new Date(text);
  if (!rfc3339.test(text) || Number.isNaN(now.getTime())) {
    throw new CliError(
      'OOS_ERR_USAGE',
      `--now ${JSON.stringify(text)}: expected an RFC 3339 time such as 2026-12-01T00:00:00Z`,
    );
  }
  return now;
}

function usage(error: unknown, command: string): CliError {
  const message = error instanceof Error ? error.message : String(error);
  return new CliError('OOS_ERR_USAGE', `${message}; run "${command} --help" for usage`);
}

async function runCheck(args: readonly string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: CHECK_OPTIONS,
      allowPositionals: false,
      strict: true,
    }));
  } catch (error) {
    throw usage(error, 'oos check');
  }
  if (values.help === true) {
    io.stdout(CHECK_HELP);
    return EXIT.allowed;
  }
  const output = values.output ?? 'text';
  if (output !== 'text' && output !== 'json') {
    throw new CliError(
      'OOS_ERR_USAGE',
      `--output ${JSON.stringify(output)}: expected text or json`,
    );
  }
  const files = values.filename ?? [];
  if (files.length === 0) throw usage(new Error('-f <file|dir|-> is required'), 'oos check');
  const user = values.as ?? DEFAULT_USER;
  if (user === '') throw new CliError('OOS_ERR_USAGE', '--as needs a username');
  const options: CheckOptions = {
    files,
    governance: values.governance ?? [],
    now: parseNow(values.now, io.clock),
    identity: { username: user, groups: values.group ?? [] },
    namespaceLabels: parseNamespaceLabels(values['namespace-labels'] ?? []),
    ...(values['operator-namespace'] === undefined
      ? {}
      : { operatorNamespace: values['operator-namespace'] }),
  };
  const results = await check(options, io);
  io.stdout(output === 'json' ? formatJson(results) : formatText(results));
  return results.every((result) => result.allowed) ? EXIT.allowed : EXIT.denied;
}

/** Every command and its options, for shell completion. */
export const COMMANDS: Readonly<Record<string, CompletedCommand>> = {
  check: { options: CHECK_OPTIONS },
  who: { options: WHO_OPTIONS },
  mine: { options: MINE_OPTIONS },
  ...Object.fromEntries(
    Object.entries(ACTION_OPTIONS).map(([name, options]) => [name, { options }]),
  ),
  register: { options: REGISTER_OPTIONS },
  completion: { options: { help: { type: 'boolean', short: 'h' } } },
};

function runCompletion(args: readonly string[], io: CliIo): number {
  const [shell, ...extra] = args;
  if (shell === '-h' || shell === '--help') {
    io.stdout(COMPLETION_HELP);
    return EXIT.allowed;
  }
  if (shell === undefined || extra.length > 0) {
    throw new CliError('OOS_ERR_USAGE', 'oos completion takes one shell: bash or zsh');
  }
  io.stdout(completionScript(shell, COMMANDS));
  return EXIT.allowed;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '-h' || command === '--help' || command === 'help') {
    io.stdout(MAIN_HELP);
    return EXIT.allowed;
  }
  if (command === undefined) {
    io.stderr(MAIN_HELP);
    return EXIT.error;
  }
  if (command === 'check') return runCheck(rest, io);
  const commandIo: CommandIo = {
    stdout: io.stdout,
    clock: io.clock,
    parseNow: (text) => parseNow(text, io.clock),
  };
  // Loaded on demand: the Kubernetes client would slow every `oos check` down.
  if (command === 'who') return (await import('./cluster/commands.js')).runWho(rest, commandIo);
  if (command === 'mine') return (await import('./cluster/commands.js')).runMine(rest, commandIo);
  if (Object.hasOwn(ACTIONS, command)) {
    const { runActionCommand } = await import('./cluster/commands.js');
    return runActionCommand(command as ActionName, rest, commandIo);
  }
  if (command === 'register') {
    const { runRegister, untilSignal } = await import('./register/command.js');
    return runRegister(rest, { ...io, untilStopped: untilSignal });
  }
  if (command === 'completion') return runCompletion(rest, io);
  throw new CliError(
    'OOS_ERR_USAGE',
    `unknown command ${JSON.stringify(command)}; run "oos --help" for the commands`,
  );
}

/** Runs `oos` with `argv` (without node and the script) and returns the exit code. Never throws. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof Refusal) {
      io.stderr(`oos: ${formatRefusal(error)}\n`);
      return EXIT.denied;
    }
    if (error instanceof CliError) {
      io.stderr(`oos: ${error.code}: ${error.message}\n`);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      io.stderr(`oos: OOS_ERR_INTERNAL: ${message}\n`);
    }
    return EXIT.error;
  }
}

/** Standard input as text. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/** The process's own streams and clock. */
export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin,
  clock: () => new Date(),
};

import { rename, rm, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { buildRegister, filterRegister, type RegisterFilter } from '../../engine/register/index.js';
import { readCluster, type ReadOptions } from '../cluster/read.js';
import { CliError } from '../errors.js';
import { REGISTER_HELP } from './help.js';
import { REGISTER_OPTIONS } from './options.js';
import { STATIC_LINKS } from './links.js';
import { renderRegisterPage } from './page.js';
import { serveRegister, type RunningRegister } from './server.js';

/** What `oos register` needs from its caller: output, the clock, and when to stop serving. */
export interface RegisterIo {
  readonly stdout: (text: string) => void;
  readonly clock: () => Date;
  /** Resolves when the server should stop (Ctrl-C); given the running server. */
  readonly untilStopped: (running: RunningRegister) => Promise<void>;
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return 0;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) {
    throw new CliError('OOS_ERR_USAGE', `--port ${JSON.stringify(text)}: expected 0 to 65535`);
  }
  return port;
}

/** Writes next to the file, then renames: a failed write never leaves half a page. */
async function writePage(file: string, page: string): Promise<void> {
  const temporary = `${file}.${String(process.pid)}.tmp`;
  try {
    await writeFile(temporary, page, 'utf8');
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    const why = error instanceof Error ? error.message : String(error);
    throw new CliError('OOS_ERR_OUTPUT', `cannot write ${file}: ${why}`);
  }
}

/** Runs `oos register` with its arguments; returns the exit code. */
export async function runRegister(args: readonly string[], io: RegisterIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: REGISTER_OPTIONS,
      allowPositionals: false,
      strict: true,
    }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError('OOS_ERR_USAGE', `${message}; run "oos register --help" for usage`);
  }
  if (values.help === true) {
    io.stdout(REGISTER_HELP);
    return 0;
  }
  const read: ReadOptions = {
    ...(values.kubeconfig === undefined ? {} : { kubeconfig: values.kubeconfig }),
    ...(values.context === undefined ? {} : { context: values.context }),
    ...(values.as === undefined ? {} : { as: values.as }),
    ...(values['as-group'] === undefined ? {} : { asGroups: values['as-group'] }),
    ...(values['operator-namespace'] === undefined
      ? {}
      : { operatorNamespace: values['operator-namespace'] }),
  };
  const filter: RegisterFilter = {
    namespace: values.namespace,
    role: values.role,
    person: values.person,
  };
  if (values.output === undefined) {
    if (
      filter.namespace !== undefined ||
      filter.role !== undefined ||
      filter.person !== undefined
    ) {
      throw new CliError(
        'OOS_ERR_USAGE',
        '--namespace, --role and --person go with --output; when served, filter in the page',
      );
    }
    const host = values.host ?? '127.0.0.1';
    const port = parsePort(values.port);
    const running = await serveRegister(host, port, () =>
      readCluster({ ...read, now: io.clock() }),
    );
    io.stdout(`oos register: the accountability register is at ${running.url} (Ctrl-C stops it)\n`);
    await io.untilStopped(running);
    await running.close();
    return 0;
  }
  if (values.host !== undefined || values.port !== undefined) {
    throw new CliError('OOS_ERR_USAGE', '--host and --port serve the page; --output writes it');
  }
  const view = await readCluster({ ...read, now: io.clock() });
  const page = renderRegisterPage(filterRegister(buildRegister(view), filter), {
    filter,
    links: STATIC_LINKS,
    warnings: view.warnings,
  });
  if (values.output === '-') io.stdout(page);
  else await writePage(values.output, page);
  return 0;
}

/** Until SIGINT or SIGTERM. */
export function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { JsonRecord } from '../../engine/json.js';
import { apiVersionOfType } from '../../api/workload-types.js';
import { objectPath } from '../../operator/controller/paths.js';
import { KubeRest } from '../../operator/kube/rest.js';
import { ACTIONS, parseObjectReference, runAction, type ActionName } from '../actions.js';
import { CliError } from '../errors.js';
import { mineReport } from '../who/mine.js';
import { whoReport } from '../who/report.js';
import { formatMine, formatWho } from '../who/text.js';
import { loadKubeConfig } from './connect.js';
import { ACK_HELP, APPROVE_HELP, MINE_HELP, RESUME_HELP, SUSPEND_HELP, WHO_HELP } from './help.js';
import { parseWorkloadReference } from './kinds.js';
import type { CLUSTER_OPTIONS } from './options.js';
import { ACTION_OPTIONS, MINE_OPTIONS, WHO_OPTIONS } from './options.js';
import { explainRefusal } from './refusal.js';
import { readCluster } from './read.js';

/** What a cluster command writes to and how it learns the time (main.ts's CliIo). */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly clock: () => Date;
  readonly parseNow: (text: string | undefined) => Date;
}

type Values = Partial<Record<keyof typeof CLUSTER_OPTIONS, unknown>> & Record<string, unknown>;

function parse(
  command: string,
  args: readonly string[],
  options: ParseArgsConfig['options'],
): { values: Values; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options,
      allowPositionals: true,
      strict: true,
    });
    return { values, positionals };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError('OOS_ERR_USAGE', `${message}; run "oos ${command} --help" for usage`);
  }
}

function text(values: Values, key: string): string | undefined {
  const value = values[key];
  return typeof value === 'string' ? value : undefined;
}

function output(values: Values): 'text' | 'json' {
  const value = text(values, 'output') ?? 'text';
  if (value !== 'text' && value !== 'json') {
    throw new CliError('OOS_ERR_USAGE', `--output ${JSON.stringify(value)}: expected text or json`);
  }
  return value;
}

function one(positionals: readonly string[], command: string, what: string): string {
  if (positionals.length !== 1 || positionals[0] === undefined) {
    throw new CliError(
      'OOS_ERR_USAGE',
      `oos ${command} takes one ${what}; run "oos ${command} --help" for usage`,
    );
  }
  return positionals[0];
}

/** The client and namespace of the user's kubeconfig, as kubectl chooses them. */
function connection(values: Values): { rest: KubeRest; namespace: string } {
  const asGroups = values['as-group'];
  const config = loadKubeConfig({
    ...(text(values, 'kubeconfig') === undefined ? {} : { kubeconfig: text(values, 'kubeconfig') }),
    ...(text(values, 'context') === undefined ? {} : { context: text(values, 'context') }),
    ...(text(values, 'as') === undefined ? {} : { as: text(values, 'as') }),
    ...(Array.isArray(asGroups) ? { asGroups: asGroups as string[] } : {}),
  });
  const namespace = text(values, 'namespace') ?? config.namespace ?? 'default';
  return { rest: new KubeRest(config.access), namespace };
}

function readOptions(values: Values, rest: KubeRest, namespace: string, now: Date) {
  const operatorNamespace = text(values, 'operator-namespace');
  return {
    rest,
    namespace,
    now,
    ...(operatorNamespace === undefined ? {} : { operatorNamespace }),
  };
}

/** The username the apiserver sees for the user's credentials (a SelfSubjectReview). */
async function whoAmI(rest: KubeRest): Promise<string> {
  const review = await rest
    .request<{ status?: { userInfo?: { username?: string } } }>(
      'POST',
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } },
    )
    .catch((error: unknown) => {
      const why = error instanceof Error ? error.message : String(error);
      throw new CliError(
        'OOS_ERR_CLUSTER_READ',
        `cannot ask the apiserver who you are (SelfSubjectReview: ${why}); pass "oos who --user <username>"`,
      );
    });
  const username = review.status?.userInfo?.username;
  if (username === undefined || username === '') {
    throw new CliError(
      'OOS_ERR_CLUSTER_READ',
      'the apiserver did not say who you are; pass "oos who --user <username>"',
    );
  }
  return username;
}

async function showMine(values: Values, io: CommandIo, user: string | undefined): Promise<number> {
  const format = output(values);
  const { rest, namespace } = connection(values);
  const now = io.parseNow(text(values, 'now'));
  const username = user ?? (await whoAmI(rest));
  const view = await readCluster(readOptions(values, rest, namespace, now));
  const report = mineReport(view, username);
  io.stdout(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatMine(report));
  return 0;
}

export async function runWho(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parse('who', args, WHO_OPTIONS);
  if (values.help === true) {
    io.stdout(WHO_HELP);
    return 0;
  }
  const user = text(values, 'user');
  if (user !== undefined) {
    if (positionals.length > 0) {
      throw new CliError('OOS_ERR_USAGE', 'oos who takes either <kind>/<name> or --user, not both');
    }
    return showMine(values, io, user);
  }
  const format = output(values);
  const { resource, name } = parseWorkloadReference(one(positionals, 'who', '<kind>/<name>'));
  const { rest, namespace } = connection(values);
  const view = await readCluster(
    readOptions(values, rest, namespace, io.parseNow(text(values, 'now'))),
  );
  const found = view.workloads.find(
    (w) =>
      w.kind === resource.kind &&
      (w.metadata as { namespace?: string; name?: string } | undefined)?.namespace === namespace &&
      (w.metadata as { name?: string } | undefined)?.name === name,
  );
  // Not in the view when the user may get it but not list its kind: ask for it alone.
  const workload: JsonRecord = found ?? {
    ...(await rest
      .request<JsonRecord>('GET', objectPath(resource, namespace, name))
      .catch((error: unknown) => explainRefusal(error, `${resource.kind} ${namespace}/${name}`))),
    apiVersion: apiVersionOfType(resource),
    kind: resource.kind,
  };
  const report = whoReport(view, workload);
  io.stdout(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatWho(report));
  return report.anchored ? 0 : 1;
}

export async function runMine(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parse('mine', args, MINE_OPTIONS);
  if (values.help === true) {
    io.stdout(MINE_HELP);
    return 0;
  }
  if (positionals.length > 0) {
    throw new CliError('OOS_ERR_USAGE', 'oos mine takes no arguments; run "oos mine --help"');
  }
  return showMine(values, io, undefined);
}

/** The action commands, their options and help. */
const ACTION_COMMANDS: Readonly<
  Record<ActionName, { options: ParseArgsConfig['options']; help: string }>
> = {
  ack: { options: ACTION_OPTIONS.ack, help: ACK_HELP },
  approve: { options: ACTION_OPTIONS.approve, help: APPROVE_HELP },
  suspend: { options: ACTION_OPTIONS.suspend, help: SUSPEND_HELP },
  resume: { options: ACTION_OPTIONS.resume, help: RESUME_HELP },
};

export async function runActionCommand(
  name: ActionName,
  args: readonly string[],
  io: CommandIo,
): Promise<number> {
  const { values, positionals } = parse(name, args, ACTION_COMMANDS[name].options);
  if (values.help === true) {
    io.stdout(ACTION_COMMANDS[name].help);
    return 0;
  }
  const format = output(values);
  const kind = ACTIONS[name].kind;
  const objectName = parseObjectReference(one(positionals, name, `${kind.singular}/<name>`), kind);
  const { rest, namespace } = connection(values);
  const note = text(values, 'note');
  const reason = text(values, 'reason');
  const digest = text(values, 'digest');
  const { changed, message } = await runAction(rest, name, namespace, objectName, {
    ...(note === undefined ? {} : { note }),
    ...(reason === undefined ? {} : { reason }),
    ...(digest === undefined ? {} : { digest }),
  });
  io.stdout(
    format === 'json'
      ? `${JSON.stringify({ action: name, kind: kind.kind, namespace, name: objectName, changed, message }, null, 2)}\n`
      : `${message}\n`,
  );
  return 0;
}

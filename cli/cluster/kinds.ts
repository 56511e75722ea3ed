import type { Resource } from '../../operator/controller/paths.js';
import { WORKLOAD_RESOURCES } from './workload-resources.js';
import { CliError } from '../errors.js';

/** kubectl's short names of the workload kinds. */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  deploy: 'Deployment',
  sts: 'StatefulSet',
  ds: 'DaemonSet',
  rs: 'ReplicaSet',
  cj: 'CronJob',
  po: 'Pod',
  rc: 'ReplicationController',
};

/** The names kubectl accepts for a resource: kind, plural, short name, each also `.group`. */
function namesOf(resource: Resource): string[] {
  const short = Object.keys(SHORT_NAMES).filter((name) => SHORT_NAMES[name] === resource.kind);
  const plain = [resource.kind.toLowerCase(), resource.plural, ...short];
  return resource.group === '' ? plain : [...plain, ...plain.map((n) => `${n}.${resource.group}`)];
}

/** The workload resource `text` names (`deployment`, `deploy`, `deployments.apps`, `Pod`…). */
export function workloadResourceNamed(text: string): Resource | undefined {
  const wanted = text.toLowerCase();
  return WORKLOAD_RESOURCES.find((resource) => namesOf(resource).includes(wanted));
}

/** Splits `kind/name` as kubectl does; `kinds` are the accepted kinds (lower case) for messages. */
export function splitReference(text: string, what: string): { kind: string; name: string } {
  const slash = text.indexOf('/');
  if (slash <= 0 || slash === text.length - 1 || text.slice(slash + 1).includes('/')) {
    throw new CliError('OOS_ERR_USAGE', `${JSON.stringify(text)}: expected ${what}`);
  }
  return { kind: text.slice(0, slash), name: text.slice(slash + 1) };
}

/** A workload reference `kind/name`, e.g. `deployment/chat` or `deploy/chat`. */
export function parseWorkloadReference(text: string): { resource: Resource; name: string } {
  const { kind, name } = splitReference(text, '<kind>/<name>, e.g. deployment/chat');
  const resource = workloadResourceNamed(kind);
  if (resource === undefined) {
    throw new CliError(
      'OOS_ERR_USAGE',
      `${JSON.stringify(kind)} is not a workload kind oos reads (${WORKLOAD_RESOURCES.map((r) => r.kind.toLowerCase()).join(', ')})`,
    );
  }
  return { resource, name };
}

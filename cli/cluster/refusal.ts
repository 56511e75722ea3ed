import { REASON_CODES } from '../../engine/index.js';
import { KubeApiError } from '../../operator/kube/rest.js';
import { CliError } from '../errors.js';

/** A request the apiserver refused: RBAC, oos's admission webhook, or a conflict. */
export class Refusal extends Error {
  constructor(
    /** `oos` (its webhook decided: `reason` is one of its codes), `rbac`, or `apiserver`. */
    readonly by: 'oos' | 'rbac' | 'apiserver',
    /** The Status reason: an oos reason code, `Forbidden`, `Conflict`, `Invalid`… */
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'Refusal';
  }
}

const OOS_REASONS: ReadonlySet<string> = new Set(REASON_CODES);

/** The Status message of a {@link KubeApiError} (its message starts with method, path, code). */
function statusMessage(error: KubeApiError): string {
  const prefix = new RegExp(`^\\S+ \\S+: ${error.status} ${error.reason ?? ''}\\s*`);
  return error.message.replace(prefix, '');
}

/**
 * What the apiserver's refusal means to a person: oos's reason code and message when its webhook
 * denied the request (`admission webhook "…" denied the request: NotRoleHolder: …`), RBAC's
 * message on a plain 403. A 404 is a usage error (no such object); anything else is rethrown.
 */
export function explainRefusal(error: unknown, what: string): never {
  if (!(error instanceof KubeApiError)) throw error;
  const message = statusMessage(error);
  const denied = /denied the request: (?:([A-Za-z]+): )?([\s\S]*)$/.exec(message);
  const code = denied?.[1] ?? error.reason;
  if (denied !== null && code !== undefined && OOS_REASONS.has(code)) {
    throw new Refusal('oos', code, denied[2] ?? message);
  }
  if (error.status === 404) throw new CliError('OOS_ERR_NOT_FOUND', `${what}: ${message}`);
  if (error.status === 403 && denied === null) throw new Refusal('rbac', 'Forbidden', message);
  throw new Refusal('apiserver', error.reason ?? String(error.status), message);
}

/** One line for a refusal: `refused by oos: NotRoleHolder: …`. */
export function formatRefusal(refusal: Refusal): string {
  const by = { oos: 'oos', rbac: 'RBAC', apiserver: 'the apiserver' }[refusal.by];
  return `refused by ${by}: ${refusal.reason}: ${refusal.message}`;
}

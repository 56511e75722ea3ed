import {
  capabilityKind,
  escalationKind,
  exemptionKind,
  type KindDefinition,
} from '../api/index.js';
import { exemptionDigest, type ExemptionContent } from '../engine/exemption-digest.js';
import { stringAt, type JsonRecord } from '../engine/json.js';
import { MERGE_PATCH, objectPath, oosResource } from '../operator/controller/paths.js';
import type { KubeRest } from '../operator/kube/rest.js';
import { splitReference } from './cluster/kinds.js';
import { explainRefusal } from './cluster/refusal.js';
import { CliError } from './errors.js';

/** The everyday actions on oos objects, done as the user (their kubeconfig, `--as`). */
export type ActionName = 'ack' | 'approve' | 'suspend' | 'resume';

export interface ActionOptions {
  /** `--note`: the acknowledgement note (ack). */
  readonly note?: string;
  /** `--reason`: why the capability is suspended (suspend). */
  readonly reason?: string;
  /** `--digest`: the approvedDigest the approver reviewed; refused when the content changed (approve). */
  readonly digest?: string;
}

interface Action {
  readonly kind: KindDefinition;
  /** Why nothing needs doing (already acknowledged…), or undefined. */
  readonly done: (stored: JsonRecord) => string | undefined;
  /** The merge patch, built from the stored object (the approval names the stored content). */
  readonly patch: (stored: JsonRecord, options: ActionOptions) => Record<string, unknown>;
  /** What happened, from the object the apiserver returned (with the webhook's stamps). */
  readonly result: (updated: JsonRecord) => string;
}

const spec = (object: JsonRecord, field: string): unknown =>
  (object.spec as Record<string, unknown> | undefined)?.[field];

/** A stamped or string field of the spec, or `fallback`. */
const specText = (object: JsonRecord, field: string, fallback = '?'): string =>
  stringAt(object, 'spec', field) ?? fallback;

function describe(kind: KindDefinition, object: JsonRecord): string {
  const namespace = stringAt(object, 'metadata', 'namespace');
  return `${kind.kind} ${namespace === undefined ? '' : `${namespace}/`}${stringAt(object, 'metadata', 'name') ?? ''}`;
}

/** The content an approval names (engine/exemption-digest.ts), shown before approving. */
export function exemptionContent(stored: JsonRecord): string {
  const content = stored.spec as ExemptionContent;
  return `covers ${JSON.stringify(content.scope)}${content.capability === undefined ? '' : `, capability ${content.capability}`}, until ${content.expiresAt}, justification ${JSON.stringify(content.justification)}`;
}

export const ACTIONS: Readonly<Record<ActionName, Action>> = {
  ack: {
    kind: escalationKind,
    done: (stored) =>
      spec(stored, 'acknowledged') === true
        ? `already acknowledged by ${specText(stored, 'acknowledgedBy')}`
        : undefined,
    patch: (_stored, options) => ({
      spec: {
        acknowledged: true,
        ...(options.note === undefined ? {} : { acknowledgementNote: options.note }),
      },
    }),
    result: (updated) =>
      `${describe(escalationKind, updated)} acknowledged by ${specText(updated, 'acknowledgedBy')}`,
  },
  approve: {
    kind: exemptionKind,
    done: (stored) =>
      spec(stored, 'approved') === true
        ? `already approved by ${specText(stored, 'approvedBy')}`
        : undefined,
    patch: (stored, options) => {
      const digest = exemptionDigest(stored.spec as ExemptionContent);
      if (options.digest !== undefined && options.digest !== digest) {
        throw new CliError(
          'OOS_ERR_CONTENT_CHANGED',
          `${describe(exemptionKind, stored)} is no longer what you reviewed (--digest ${options.digest}); it now ${exemptionContent(stored)}, digest ${digest}`,
        );
      }
      // The resourceVersion makes the apiserver refuse the approval if the object changed after
      // it was read: the approval is of exactly the content shown.
      return {
        metadata: { resourceVersion: stringAt(stored, 'metadata', 'resourceVersion') },
        spec: { approved: true, approvedDigest: digest },
      };
    },
    result: (updated) =>
      `${describe(exemptionKind, updated)} approved by ${specText(updated, 'approvedBy')} (requested by ${specText(updated, 'requestedBy')}): it ${exemptionContent(updated)}; approvedDigest ${specText(updated, 'approvedDigest')}`,
  },
  suspend: {
    kind: capabilityKind,
    done: (stored) =>
      spec(stored, 'suspend') === true
        ? `already suspended by ${specText(stored, 'suspendedBy')}`
        : undefined,
    patch: (_stored, options) => ({
      spec: {
        suspend: true,
        ...(options.reason === undefined ? {} : { suspendReason: options.reason }),
      },
    }),
    result: (updated) =>
      `${describe(capabilityKind, updated)} suspended by ${specText(updated, 'suspendedBy')} (stopAction ${specText(updated, 'stopAction', 'ScaleToZero')}): the operator stops its workloads`,
  },
  resume: {
    kind: capabilityKind,
    done: (stored) => (spec(stored, 'suspend') === true ? undefined : 'not suspended'),
    patch: () => ({ spec: { suspend: false } }),
    result: (updated) =>
      `${describe(capabilityKind, updated)} resumed by ${specText(updated, 'resumedBy')}: the operator restores its workloads`,
  },
};

/** The object name of `kind/name` (or a bare name) when the kind is the action's. */
export function parseObjectReference(text: string, kind: KindDefinition): string {
  if (!text.includes('/')) return text;
  const parsed = splitReference(text, `${kind.singular}/<name>`);
  const names = [kind.kind.toLowerCase(), kind.singular, kind.plural, ...kind.shortNames];
  const wanted = parsed.kind.toLowerCase();
  if (!names.includes(wanted) && !names.map((n) => `${n}.${kind.group}`).includes(wanted)) {
    throw new CliError(
      'OOS_ERR_USAGE',
      `${JSON.stringify(text)}: this command acts on ${kind.singular}/<name>`,
    );
  }
  return parsed.name;
}

/**
 * Runs an action as the user: reads the stored object, patches it (merge patch), and says what
 * happened from the object the apiserver returned. Refusals throw `Refusal` (cluster/refusal.ts).
 */
export async function runAction(
  rest: KubeRest,
  name: ActionName,
  namespace: string,
  objectName: string,
  options: ActionOptions,
): Promise<{ readonly changed: boolean; readonly message: string }> {
  const action = ACTIONS[name];
  const path = objectPath(oosResource(action.kind), namespace, objectName);
  const what = `${action.kind.kind} ${namespace}/${objectName}`;
  const stored = await rest
    .request<JsonRecord>('GET', path)
    .catch((error: unknown) => explainRefusal(error, what));
  const already = action.done(stored);
  if (already !== undefined)
    return { changed: false, message: `${what}: ${already}; nothing to do` };
  const body = action.patch(stored, options);
  const updated = await rest
    .request<JsonRecord>('PATCH', path, { body, contentType: MERGE_PATCH })
    .catch((error: unknown) => explainRefusal(error, what));
  return { changed: true, message: action.result(updated) };
}

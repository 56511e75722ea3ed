import type { STAMPED_FIELDS } from '../../api/index.js';
import type { Verdict } from '../decision.js';
import type { JsonPatchOperation } from '../input.js';
import { field, isRecord, type JsonRecord } from '../json.js';
import type { Actor } from './identity.js';

/**
 * Stamped fields (`grantedBy`, `requestedBy`, `approvedBy`, `acknowledgedBy`, `suspendedBy`,
 * `resumedBy`) record which person did something. Each is written by the mutating webhook from
 * the requester at one transition, and never changes otherwise; a request that sets one to
 * someone else is denied. The table
 * below must name every stamped field of api/ (the `satisfies` clause fails the build otherwise).
 */
type Transition = (old: JsonRecord | undefined, spec: JsonRecord) => boolean;

const created: Transition = (old) => old === undefined;
const becameTrue =
  (key: string): Transition =>
  (old, spec) =>
    field(spec, key) === true && field(old, key) !== true;
const becameFalse =
  (key: string): Transition =>
  (old, spec) =>
    field(old, key) === true && field(spec, key) !== true;

type StampedKind = keyof typeof STAMPED_FIELDS;

interface StampRule {
  readonly when: Transition;
  /** Whether only a person may be stamped (every stamp but suspendedBy: stopping is for anyone). */
  readonly human: boolean;
  /** A field that must name someone else (no one approves their own request). */
  readonly otherThan?: string;
}

export const STAMP_RULES = {
  Capability: {
    suspendedBy: { when: becameTrue('suspend'), human: false },
    resumedBy: { when: becameFalse('suspend'), human: true },
  },
  Delegation: { grantedBy: { when: created, human: true } },
  Escalation: { acknowledgedBy: { when: becameTrue('acknowledged'), human: true } },
  Exemption: {
    requestedBy: { when: created, human: true },
    approvedBy: { when: becameTrue('approved'), human: true, otherThan: 'requestedBy' },
  },
} as const satisfies {
  readonly [K in StampedKind]: Readonly<Record<(typeof STAMPED_FIELDS)[K][number], StampRule>>;
};

interface StampCheck {
  readonly field: string;
  readonly due: boolean;
  readonly human: boolean;
  readonly otherThan: string | undefined;
  readonly old: unknown;
  readonly value: unknown;
}

function isStampedKind(kind: string): kind is StampedKind {
  return Object.hasOwn(STAMP_RULES, kind);
}

/** Each stamped field of `kind`: whether this request stamps it, and its old and new values. */
function stampChecks(kind: string, oldObject: unknown, object: unknown): readonly StampCheck[] {
  if (!isStampedKind(kind)) return [];
  const spec = field(object, 'spec');
  if (!isRecord(spec)) return [];
  const oldSpec = field(oldObject, 'spec');
  const old = isRecord(oldSpec) ? oldSpec : undefined;
  const rules: Readonly<Record<string, StampRule>> = STAMP_RULES[kind];
  return Object.entries(rules).map(([name, rule]) => ({
    field: name,
    due: rule.when(old, spec),
    human: rule.human,
    otherThan: rule.otherThan,
    old: field(old, name),
    value: field(spec, name),
  }));
}

/**
 * The JSON Patch the mutating webhook applies: the requester into every field this request
 * stamps (unless the request set it to someone else — validation denies that), and any stamp the
 * request dropped restored from the stored object (so `kubectl replace` of a manifest without
 * stamps keeps them). A field that needs a person is never stamped with a machine, and an
 * approval is never stamped with the requester (validation then explains the refusal).
 */
export function stampOperations(
  kind: string,
  oldObject: unknown,
  object: unknown,
  actor: Actor,
): JsonPatchOperation[] {
  const operations: JsonPatchOperation[] = [];
  const result = new Map<string, unknown>();
  for (const check of stampChecks(kind, oldObject, object)) {
    const path = `/spec/${check.field}`;
    result.set(check.field, check.value);
    if (check.due) {
      const untouched = check.value === undefined || check.value === check.old;
      const allowed = !check.human || actor.kind === 'Human';
      const self = check.otherThan !== undefined && result.get(check.otherThan) === actor.username;
      if (untouched && check.value !== actor.username && allowed && !self) {
        operations.push({ op: 'add', path, value: actor.username });
        result.set(check.field, actor.username);
      }
    } else if (check.value === undefined && check.old !== undefined) {
      operations.push({ op: 'add', path, value: check.old });
      result.set(check.field, check.old);
    }
  }
  return operations;
}

/**
 * What validation requires of the stamps: a field this request stamps holds the requester; any
 * other keeps its stored value (absent on CREATE).
 */
export function verifyStamps(
  kind: string,
  oldObject: unknown,
  object: unknown,
  actor: Actor,
  subject: string,
): Verdict | undefined {
  for (const check of stampChecks(kind, oldObject, object)) {
    if (check.due && check.value === actor.username) continue;
    if (!check.due && check.value === check.old) continue;
    if (check.due && check.value === undefined) {
      return {
        reason: 'StampMissing',
        message: `${subject} reached validation without spec.${check.field}: the oos mutating webhook must stamp it from the requester, so check that the oos mutating webhook is installed and reachable.`,
      };
    }
    const shown = check.value === undefined ? 'removed' : `set to ${JSON.stringify(check.value)}`;
    return {
      reason: 'StampForged',
      message: `spec.${check.field} of ${subject} is ${shown}, but stamped fields are written by oos admission from the authenticated requester and never typed by hand: remove spec.${check.field} from the object and apply it again.`,
    };
  }
  return undefined;
}

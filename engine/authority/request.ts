import type { z } from 'zod';
import { describeIssues } from '../../api/index.js';
import type { Verdict } from '../decision.js';
import type { AdmissionInput } from '../input.js';
import { stringAt } from '../json.js';
import type { GovernanceSnapshot } from '../snapshot.js';
import { describeObject } from '../workload/view.js';
import { classifyActor, type Actor } from './identity.js';

/** A request on an oos kind, before its objects are parsed. */
export interface RawRequest {
  readonly input: AdmissionInput;
  readonly snapshot: GovernanceSnapshot;
  readonly now: number;
  readonly actor: Actor;
  readonly kind: string;
  readonly namespace: string | undefined;
  /** `Delegation ml/fraud-scoring-bot`: how messages name the object. */
  readonly subject: string;
}

/** A request on an oos kind with its object (and, on UPDATE, the stored object) parsed. */
export interface GovernanceRequest<T> extends RawRequest {
  readonly object: T;
  readonly old: T | undefined;
}

/** The authority rule of one kind: `Authorized`, or why not. */
export type KindRule = (request: RawRequest) => Verdict;

export function readRequest(
  input: AdmissionInput,
  snapshot: GovernanceSnapshot,
  now: number,
): RawRequest {
  const namespace = input.namespace ?? stringAt(input.object, 'metadata', 'namespace');
  const name =
    input.name ??
    stringAt(input.object, 'metadata', 'name') ??
    stringAt(input.oldObject, 'metadata', 'name');
  return {
    input,
    snapshot,
    now,
    actor: classifyActor(input.userInfo, snapshot.policy),
    kind: input.kind.kind,
    namespace,
    subject: describeObject(input.kind.kind, namespace, name),
  };
}

function issues(error: z.ZodError): string {
  return describeIssues(error).slice(0, 3).join('; ');
}

/**
 * Parses the object (and the stored object on UPDATE) with the kind's api/ schema, then applies
 * `rule`. An object that does not match its schema is denied with `InvalidObject`.
 */
export function withParsed<S extends z.ZodType>(
  schema: S,
  raw: RawRequest,
  rule: (request: GovernanceRequest<z.output<S>>) => Verdict,
): Verdict {
  const object = schema.safeParse(raw.input.object);
  if (!object.success) {
    return {
      reason: 'InvalidObject',
      message: `${raw.subject} does not match the ${raw.kind} schema (${issues(object.error)}): fix the object and apply it again.`,
    };
  }
  let old: z.output<S> | undefined;
  if (raw.input.operation === 'UPDATE') {
    const stored = schema.safeParse(raw.input.oldObject);
    if (!stored.success) {
      return {
        reason: 'InvalidObject',
        message: `the stored ${raw.subject} does not match the ${raw.kind} schema (${issues(stored.error)}): a cluster admin must repair or recreate it.`,
      };
    }
    old = stored.data;
  }
  return rule({ ...raw, object: object.data, old });
}

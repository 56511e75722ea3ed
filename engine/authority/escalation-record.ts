import type { Escalation } from '../../api/index.js';
import type { Verdict } from '../decision.js';
import { changedExcept, sameJson } from '../json.js';
import {
  LABEL_ESCALATION_EPISODE,
  LABEL_ESCALATION_KEY,
  LABEL_MANAGED_BY,
} from '../escalation/name.js';
import { isOperator } from './checks.js';
import { describeActor } from './identity.js';
import type { GovernanceRequest } from './request.js';

/** The part of an Escalation that is a person's to write: the acknowledgement. */
const ACKNOWLEDGEMENT_FIELDS = ['acknowledged', 'acknowledgementNote', 'acknowledgedBy'];
/** The labels by which the controller knows its escalations (cause and episode). */
const RECORD_LABELS = [LABEL_MANAGED_BY, LABEL_ESCALATION_KEY, LABEL_ESCALATION_EPISODE];

function notOwned(request: GovernanceRequest<Escalation>, what: string): Verdict {
  return {
    reason: 'RecordNotOwned',
    message: `${describeActor(request.actor)} cannot ${what} ${request.subject}: Escalations are the accountability record, opened and advanced by the oos controller alone; a person only acknowledges one (spec.acknowledged: true, with an acknowledgementNote).`,
  };
}

function recordLabels(escalation: Escalation): Record<string, string | undefined> {
  const labels = escalation.metadata.labels ?? {};
  return Object.fromEntries(RECORD_LABELS.map((key) => [key, labels[key]]));
}

/**
 * An Escalation is written by the controller: only it opens one (a person who opened one first,
 * under the name the controller would use, would choose its trigger and severity), and only it
 * changes what one says or the labels that tie it to its cause. A person acknowledges, once:
 * an acknowledgement is never withdrawn or reworded afterwards.
 */
export function escalationRecordChange(
  request: GovernanceRequest<Escalation>,
): Verdict | undefined {
  if (isOperator(request)) return undefined;
  const { old, object } = request;
  if (old === undefined) return notOwned(request, 'open');
  if (changedExcept(old.spec, object.spec, ACKNOWLEDGEMENT_FIELDS)) {
    return notOwned(request, 'change what is recorded in');
  }
  if (!sameJson(recordLabels(old), recordLabels(object))) {
    return notOwned(request, `change the labels ${RECORD_LABELS.join(', ')} of`);
  }
  const acknowledgement = (spec: Escalation['spec']) => ({
    acknowledged: spec.acknowledged,
    note: spec.acknowledgementNote,
  });
  if (old.spec.acknowledged && !sameJson(acknowledgement(old.spec), acknowledgement(object.spec))) {
    return notOwned(request, 'withdraw or reword the acknowledgement of');
  }
  return undefined;
}

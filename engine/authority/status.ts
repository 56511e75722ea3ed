import type { Verdict } from '../decision.js';
import { isOperator } from './checks.js';
import { describeActor } from './identity.js';
import type { RawRequest } from './request.js';

/** Whether the request writes the `status` subresource (the only subresource of the oos kinds). */
export function isStatusWrite(request: RawRequest): boolean {
  return request.input.subResource === 'status';
}

/**
 * The status of the oos kinds is the operator's record of what it observed and did (an
 * Escalation's level and resolution, a Capability's conditions): only the operator writes it.
 * When the snapshot does not know the operator's identity, no one may.
 */
export function authorizeStatusWrite(request: RawRequest): Verdict {
  if (isOperator(request)) {
    return {
      reason: 'Authorized',
      message: `the oos operator may write the status of ${request.subject}.`,
    };
  }
  return {
    reason: 'StatusNotOwned',
    message: `${describeActor(request.actor)} cannot write the status of ${request.subject}: the status of the oos kinds is written by the oos operator alone, from what it observes; change the spec instead (or let the controller catch up).`,
  };
}

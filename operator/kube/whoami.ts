import type { KubeRest } from './rest.js';
import type { ErrorCode } from '../../api/error-codes.js';

/** The operator could not learn which identity its credentials authenticate as. */
export class IdentityUnknownError extends Error {
  readonly code = 'OOS_ERR_OPERATOR_IDENTITY' satisfies ErrorCode;
}

interface SelfSubjectReview {
  readonly status?: { readonly userInfo?: { readonly username?: string } };
}

/**
 * The username the apiserver sees for these credentials (a SelfSubjectReview, which every
 * authenticated identity may create): the operator's own identity, which alone writes the status
 * of the oos kinds and the state it keeps on workloads. Asked once at start, never on the
 * admission path.
 */
export async function whoAmI(rest: KubeRest): Promise<string> {
  let review: SelfSubjectReview;
  try {
    review = await rest.request<SelfSubjectReview>(
      'POST',
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } },
    );
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new IdentityUnknownError(
      `oos could not ask the apiserver which identity it runs as (SelfSubjectReview: ${why}): pass --operator-user <username>.`,
    );
  }
  const username = review.status?.userInfo?.username;
  if (username === undefined || username === '') {
    throw new IdentityUnknownError(
      'the apiserver answered the SelfSubjectReview without a username: pass --operator-user <username>.',
    );
  }
  return username;
}

import type { ErrorCode } from '../error-codes.js';

/** Why a CRD cannot be generated from the schemas, with every problem found (not just the first). */
export class CrdGenerationError extends Error {
  readonly code = 'OOS_ERR_CRD_GENERATION' satisfies ErrorCode;

  constructor(
    what: string,
    readonly problems: readonly string[],
  ) {
    super(`${what}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CrdGenerationError';
  }
}

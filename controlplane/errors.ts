import type { ErrorCode } from '../api/error-codes.js';

/** A failure of the local control plane, with a code and a message that says what to do. */
export class ControlPlaneError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ControlPlaneError';
    this.code = code;
  }
}

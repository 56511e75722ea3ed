import type { ErrorCode } from '../../api/error-codes.js';

/** A failure of `npm run image`, with a code and a message that says what to do. */
export class ImageError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ImageError';
    this.code = code;
  }
}

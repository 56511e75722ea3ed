import { CodedError } from '../api/error-codes.js';

/** An error the CLI reports in one line and exits with code 2: bad usage or unreadable input. */
export class CliError extends CodedError {}

/** `file:line:col`, or `file` when the position is unknown. */
export function where(
  source: string,
  position?: { readonly line: number; readonly col: number },
): string {
  return position === undefined ? source : `${source}:${position.line}:${position.col}`;
}

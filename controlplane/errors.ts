/** A failure of the local control plane, with a code and a message that says what to do. */
export class ControlPlaneError extends Error {
  readonly code: string;

  constructor(code: `OOS_ERR_${string}`, message: string) {
    super(message);
    this.name = 'ControlPlaneError';
    this.code = code;
  }
}

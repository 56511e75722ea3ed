import { CodedError } from '../api/error-codes.js';

/**
 * A failure of the local control plane, its worker node or the image build (`npm run image`),
 * with a code and a message that says what to do.
 */
export class ControlPlaneError extends CodedError {}

/**
 * A JSON body that did not parse. The route still answers it with an AdmissionReview when the
 * request uid can be read from the raw text, as the apiserver needs the uid to match the answer.
 */
export class MalformedBody {
  readonly uid: string | undefined;
  readonly message: string;

  constructor(raw: string, error: unknown) {
    this.uid = /"uid"\s*:\s*"([^"\\]{1,128})"/.exec(raw)?.[1];
    this.message = `the body is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
  }
}

/** Parses a JSON body; never throws (see {@link MalformedBody}). */
export function parseJsonBody(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    return new MalformedBody(raw, error);
  }
}

/**
 * The Kubernetes OpenAPI extensions the schemas in api/ carry as zod metadata. The CRD generator
 * copies them verbatim into the `openAPIV3Schema`; nothing else reads them.
 */

/** The `reason` a failed CEL rule reports (apiextensions `x-kubernetes-validations[].reason`). */
export type CelReason =
  'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';

/** One `x-kubernetes-validations` entry, exactly as the apiserver reads it. */
export interface CelValidation {
  readonly rule: string;
  readonly message: string;
  /** Where the error points, relative to the schema that holds the rule, e.g. `.autonomy`. */
  readonly fieldPath?: string;
  readonly reason?: CelReason;
}

/** `x-kubernetes-list-type`: `map` lists are keyed, `set` lists hold unique scalars. */
export type ListType = 'atomic' | 'set' | 'map';

declare module 'zod' {
  interface GlobalMeta {
    'x-kubernetes-validations'?: readonly CelValidation[];
    'x-kubernetes-list-type'?: ListType;
    'x-kubernetes-list-map-keys'?: readonly string[];
    'x-kubernetes-preserve-unknown-fields'?: true;
  }
}

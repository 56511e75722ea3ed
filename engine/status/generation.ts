/**
 * `status` with `observedGeneration` first, when the object has a generation. Its own keys come
 * first and the status is spread after them, so that every status of the same keys shares one
 * hidden class (see engine/shape.ts): the controller keeps one planned status per object.
 */
export function withObservedGeneration<T extends object>(
  generation: number | undefined,
  status: T,
): T | (T & { readonly observedGeneration: number }) {
  return generation === undefined ? status : { observedGeneration: generation, ...status };
}

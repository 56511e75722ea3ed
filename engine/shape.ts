/**
 * Objects that share V8's hidden classes.
 *
 * V8 gives every object a hidden class (a "map") describing its keys, shared by the objects built
 * with the same keys in the same order. In Node.js 20 (V8 11.3), an object literal that starts
 * with a spread and then adds a key the spread did not bring (`{ ...a, b }`) gets a hidden class
 * of its own once its function is optimized: its map and descriptor array, about 200 bytes in the
 * old generation, per object. A literal that starts with its own keys and spreads after them
 * (`{ b, ...a }`), a spread alone (`{ ...a }`) and a spread that only replaces keys it brought
 * (`{ ...a, b }` where `a` has `b`) share their hidden classes as they should.
 *
 * It matters for objects kept long or built by the thousand: 20,000 cached Pods and 16,000
 * planned statuses built the first way held 33,000 maps, 7 MiB of the controller's heap
 * (bench/README.md). Build those with the helpers here, or with a literal that names its keys
 * first. In optimized code, `shape.test.ts` shows the first kind of literal and `extended()`,
 * `status/generation.test.ts` a literal that spreads after its own key.
 */

/**
 * `{ ...base, ...extra }`, with the hidden class shared by every object of the same keys. Own
 * enumerable string keys are copied as a spread copies them; a `__proto__` key (JSON.parse makes
 * it an own key) stays an own key and never sets the prototype.
 */
export function extended<T extends object, U extends object>(
  base: T,
  extra: U,
): Omit<T, keyof U> & U {
  const copy: Record<string, unknown> = {};
  copyInto(copy, base as Readonly<Record<string, unknown>>);
  copyInto(copy, extra as Readonly<Record<string, unknown>>);
  return copy as Omit<T, keyof U> & U;
}

function copyInto(
  target: Record<string, unknown>,
  source: Readonly<Record<string, unknown>>,
): void {
  for (const key of Object.keys(source)) {
    if (key === '__proto__') {
      Object.defineProperty(target, key, {
        value: source[key],
        writable: true,
        enumerable: true,
        configurable: true,
      });
    } else target[key] = source[key];
  }
}

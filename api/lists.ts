import { z } from 'zod';

/**
 * Lists with Kubernetes semantics. A `set` holds unique scalars, a `map` holds objects unique by
 * their keys; the apiserver refuses duplicates itself and server-side apply merges entries instead
 * of replacing the whole list. zod refuses the same duplicates.
 */

interface Duplicate {
  readonly index: number;
  readonly key: string;
}

function duplicates<T>(items: readonly T[], keyOf: (item: T) => string): Duplicate[] {
  const seen = new Set<string>();
  const repeated: Duplicate[] = [];
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (seen.has(key)) repeated.push({ index, key });
    seen.add(key);
  });
  return repeated;
}

function unique<T>(keyOf: (item: T) => string) {
  return (items: readonly T[], ctx: z.RefinementCtx): void => {
    for (const { index, key } of duplicates(items, keyOf)) {
      ctx.addIssue({ code: 'custom', path: [index], message: `Duplicate value: ${key}` });
    }
  };
}

function sized<T extends z.ZodType>(item: T, minItems: number, maxItems: number): z.ZodArray<T> {
  const list = z.array(item).max(maxItems);
  return minItems > 0 ? list.min(minItems) : list;
}

/** A list of unique scalars, `minItems` to `maxItems` long. */
export function listSet<T extends z.ZodType<string>>(
  item: T,
  maxItems: number,
  minItems = 0,
): z.ZodArray<T> {
  return sized(item, minItems, maxItems)
    .superRefine(unique((value: string) => JSON.stringify(value)))
    .meta({ 'x-kubernetes-list-type': 'set' });
}

type StringKey<T extends z.ZodObject> = Extract<keyof z.output<T>, string>;

/** A list of objects unique by `keys` (required fields of the item), `minItems` to `maxItems` long. */
export function listMap<T extends z.ZodObject>(
  item: T,
  keys: readonly [StringKey<T>, ...StringKey<T>[]],
  maxItems: number,
  minItems = 0,
): z.ZodArray<T> {
  return sized(item, minItems, maxItems)
    .superRefine(
      unique((value: z.output<T>) =>
        JSON.stringify(Object.fromEntries(keys.map((key) => [key, value[key]]))),
      ),
    )
    .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': keys });
}

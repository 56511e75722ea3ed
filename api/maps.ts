import { z } from 'zod';

/**
 * A string-to-string map with at most `maxProperties` entries. The bound lets the apiserver
 * estimate the cost of CEL rules that compare objects holding the map.
 */
export function stringMap<K extends z.ZodType<string>, V extends z.ZodType<string>>(
  key: K,
  value: V,
  maxProperties: number,
) {
  return z
    .record(key, value)
    .refine((map) => Object.keys(map).length <= maxProperties, {
      message: `must have at most ${maxProperties} entries`,
    })
    .meta({ maxProperties });
}

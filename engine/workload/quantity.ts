/**
 * Accelerators are extended resources, whose quantities Kubernetes requires to be whole numbers
 * (`1`, `"2"`). Anything else (a malformed value, `500m`) counts as one accelerator when it is
 * not zero, so a strange quantity never hides a GPU.
 */
export function acceleratorCount(quantity: unknown): number {
  if (typeof quantity === 'number')
    return Number.isFinite(quantity) && quantity > 0 ? Math.ceil(quantity) : 0;
  if (typeof quantity !== 'string') return 0;
  const text = quantity.trim();
  if (/^\+?[0-9]+$/.test(text)) return Number.parseInt(text, 10);
  return /^[+]?0*(\.0*)?[a-zA-Z]*$/.test(text) ? 0 : 1;
}

import type { Port } from '../../api/index.js';
import { compareText } from '../text.js';

/** A port as people read it, e.g. `8080/TCP`. */
export function portText(port: Port): string {
  return `${String(port.port)}/${port.protocol}`;
}

/** The ports of `wanted` that `accepted` does not list; none when `accepted` is unset (any port). */
export function portsNotAccepted(
  wanted: readonly Port[],
  accepted: readonly Port[] | undefined,
): Port[] {
  if (accepted === undefined) return [];
  const allowed = new Set(accepted.map(portText));
  return wanted.filter((port) => !allowed.has(portText(port)));
}

/** The ports in a stable order (by protocol, then number), so generated objects never churn. */
export function sortedPorts(ports: readonly Port[]): Port[] {
  return [...ports].sort((a, b) => compareText(a.protocol, b.protocol) || a.port - b.port);
}

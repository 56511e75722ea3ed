/**
 * When to replace a certificate: once two thirds of its lifetime have passed (cert-manager's
 * default `renewBefore`), so there is always a long margin before it expires.
 */
export function renewalTime(notBefore: Date, notAfter: Date): Date {
  const lifetime = notAfter.getTime() - notBefore.getTime();
  return new Date(notBefore.getTime() + (lifetime * 2) / 3);
}

export function needsRenewal(notBefore: Date, notAfter: Date, now: Date): boolean {
  return now.getTime() >= renewalTime(notBefore, notAfter).getTime();
}

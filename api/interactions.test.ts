import { describe, expect, it } from 'vitest';
import { coordinationSchema } from './coordination.js';
import { isCanonicalCidr } from './formats.js';
import { egressSchema, interactionsSchema } from './interactions.js';

describe('isCanonicalCidr', () => {
  it.each([
    '203.0.113.0/24',
    '10.0.0.0/8',
    '0.0.0.0/0',
    '192.0.2.7/32',
    '2001:db8::/32',
    '::/0',
    'fd00::1/128',
  ])('accepts %s', (value) => {
    expect(isCanonicalCidr(value)).toBe(true);
  });
  it.each([
    '203.0.113.1/24',
    '256.0.0.0/8',
    '10.0.0.0',
    '10.0.0.0/33',
    '1.2.3/24',
    '2001:db8::1/32',
    ':::/64',
    '2001:db8::/129',
    '1::2::3/64',
    'a:b:c:d:e:f:1:2:3/64',
    'example.com/24',
  ])('refuses %s', (value) => {
    expect(isCanonicalCidr(value)).toBe(false);
  });
});

describe('egress', () => {
  const justification = 'Summaries.';
  it('names exactly one of endpoint and cidrs, with ports only for cidrs', () => {
    expect(egressSchema.safeParse({ name: 'a', endpoint: 'provider', justification }).success).toBe(
      true,
    );
    expect(
      egressSchema.safeParse({
        name: 'a',
        cidrs: ['203.0.113.0/24'],
        ports: [{ port: 443 }],
        justification,
      }).success,
    ).toBe(true);
    expect(egressSchema.safeParse({ name: 'a', justification }).success).toBe(false);
    expect(
      egressSchema.safeParse({ name: 'a', endpoint: 'p', cidrs: ['203.0.113.0/24'], justification })
        .success,
    ).toBe(false);
    expect(
      egressSchema.safeParse({ name: 'a', cidrs: ['203.0.113.0/24'], justification }).success,
    ).toBe(false);
    expect(
      egressSchema.safeParse({ name: 'a', endpoint: 'p', ports: [{ port: 443 }], justification })
        .success,
    ).toBe(false);
  });
});

describe('interactions', () => {
  it('refuses a call declared twice and a port listed twice', () => {
    const call = {
      namespace: 'risk',
      capability: 'fraud-scoring',
      ports: [{ port: 8080 }],
      justification: 'x',
    };
    expect(interactionsSchema.safeParse({ calls: [call, call] }).success).toBe(false);
    expect(
      interactionsSchema.safeParse({
        calls: [{ ...call, ports: [{ port: 8080 }, { port: 8080, protocol: 'TCP' }] }],
      }).success,
    ).toBe(false);
  });

  it('defaults ports to TCP', () => {
    const parsed = interactionsSchema.parse({
      calls: [
        {
          namespace: 'risk',
          capability: 'fraud-scoring',
          ports: [{ port: 8080 }],
          justification: 'x',
        },
      ],
    });
    expect(parsed.calls?.[0]?.ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
  });
});

describe('coordination', () => {
  it('is Open with 72h of patience by default', () => {
    expect(coordinationSchema.parse({})).toEqual({ posture: 'Open', maxPending: '72h' });
  });

  it('refuses a rule about outside destinations that also names capability classes', () => {
    const rule = { name: 'r', from: {}, to: { external: true, riskTiers: ['High'] }, reason: 'x' };
    expect(coordinationSchema.safeParse({ forbiddenEdges: [rule] }).success).toBe(false);
  });
});

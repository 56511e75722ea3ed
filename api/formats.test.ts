import { describe, expect, it } from 'vitest';
import { celList, celString, matchesRule } from './cel.js';
import {
  dateTime,
  dns1123Label,
  dns1123Subdomain,
  duration,
  email,
  glob,
  humanUsername,
  positiveDuration,
} from './formats.js';
import { validationErrors } from './issues.js';

describe('string formats', () => {
  const cases = [
    {
      name: 'DNS-1123 label',
      schema: dns1123Label(),
      valid: ['a', 'fraud-scoring', 'a1', '0', 'x'.repeat(63)],
      invalid: ['', 'Fraud', 'fraud_scoring', 'fraud.scoring', '-a', 'a-', 'x'.repeat(64)],
    },
    {
      name: 'DNS-1123 subdomain',
      schema: dns1123Subdomain(),
      valid: ['credit-risk-officer', 'a.b.c', 'oos.dev', 'x'.repeat(253)],
      invalid: ['', 'Credit_Risk', 'a..b', '.a', 'a.', 'a.-b', 'x'.repeat(254)],
    },
    {
      name: 'email',
      schema: email(),
      valid: ['alice@example.com', "o'brien@example.co.uk", 'a.b+tag@sub.example.org'],
      invalid: [
        'alice',
        'alice@',
        '@example.com',
        'Alice <alice@example.com>',
        'a b@example.com',
        'alice@example',
      ],
    },
    {
      name: 'duration',
      schema: duration(),
      valid: ['0s', '90d', '1h30m', '720h'],
      invalid: ['', '90', '3 months', '1.5h', '-1d', '30m1h'],
    },
    {
      name: 'positive duration',
      schema: positiveDuration(),
      valid: ['1s', '90d', '0d1h', '10m'],
      invalid: ['0s', '0d', '0d0h0m0s', '00m'],
    },
    {
      name: 'RFC 3339 date-time',
      schema: dateTime(),
      valid: [
        '2026-03-31T00:00:00Z',
        '2026-03-31T23:59:59.123Z',
        '2026-03-31T08:00:00+02:00',
        '2026-03-31t00:00:00z',
      ],
      invalid: [
        '2026-03-31',
        '2026-03-31T00:00:00',
        'next year',
        '2026-02-30T00:00:00Z',
        '31/03/2026',
      ],
    },
    {
      name: 'glob',
      schema: glob(64),
      valid: ['registry.example.com/risk/*', 'nvidia.com/mig-*', 'AZURE_OPENAI_*'],
      invalid: ['', 'a b', 'tab\there'],
    },
    {
      name: 'human username',
      schema: humanUsername(),
      valid: ['alice', 'alice@example.com', 'oidc:alice', 'System:alice'],
      invalid: ['', 'system:serviceaccount:risk:bot', 'system:admin', 'system:kube-scheduler'],
    },
  ];

  for (const { name, schema, valid, invalid } of cases) {
    it.each(valid)(`${name}: accepts %j`, (value) => {
      expect(validationErrors(schema, value)).toEqual([]);
    });
    it.each(invalid)(`${name}: refuses %j`, (value) => {
      expect(validationErrors(schema, value)).not.toEqual([]);
    });
  }

  it('explains why a ServiceAccount is not a person, exactly once', () => {
    expect(validationErrors(humanUsername(), 'system:serviceaccount:risk:bot')).toEqual([
      'must be a person: a ServiceAccount (system:serviceaccount:...) can execute but never hold accountability',
    ]);
    expect(validationErrors(humanUsername(), 'system:admin')).toEqual([
      'must be a person: system: identities belong to Kubernetes and never hold accountability',
    ]);
  });

  it('carries each format to the apiserver as a CEL rule with the same message', () => {
    const rules = dns1123Label().meta()?.['x-kubernetes-validations'];
    expect(rules).toEqual([
      {
        rule: "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
        message: expect.stringContaining('must be a DNS-1123 label') as unknown,
      },
    ]);
    expect(validationErrors(dns1123Label(), 'Fraud')).toEqual([rules?.[0]?.message]);
  });
});

describe('CEL helpers', () => {
  it('quotes strings for CEL, escaping backslashes and quotes', () => {
    expect(celString('plain')).toBe("'plain'");
    expect(celString("o'brien")).toBe("'o\\'brien'");
    expect(celString('a\\d')).toBe("'a\\\\d'");
    expect(celList(['a', "b'c"])).toBe("['a', 'b\\'c']");
  });

  it('writes a pattern once for CEL and once for TypeScript', () => {
    const rule = matchesRule("^[a-z']+$", 'letters only');
    expect(rule.rule).toBe("self.matches('^[a-z\\']+$')");
    expect(rule.check?.("o'brien")).toBe(true);
    expect(rule.check?.('O1')).toBe(false);
  });
});

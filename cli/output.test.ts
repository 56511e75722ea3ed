import { describe, expect, it } from 'vitest';
import type { CheckResult } from './check.js';
import { formatJson, formatText, verdictOf } from './output.js';

const base: CheckResult = {
  kind: 'Deployment',
  apiVersion: 'apps/v1',
  namespace: 'ml',
  name: 'vllm',
  allowed: false,
  reason: 'AnchorMissing',
  message: 'No anchor.',
  warnings: [],
  chain: {},
  mode: 'Enforce',
  detection: ['kind X'],
  source: 'f.yaml#1',
  interactions: [],
};

describe('output', () => {
  it('tells ALLOW, WARN and DENY', () => {
    expect(verdictOf(base)).toBe('DENY');
    expect(verdictOf({ ...base, allowed: true })).toBe('ALLOW');
    expect(verdictOf({ ...base, allowed: true, warnings: ['w'] })).toBe('WARN');
  });

  it('prints one line per object, warnings besides the message in parentheses', () => {
    const text = formatText([
      base,
      { ...base, allowed: true, warnings: ['No anchor.'], mode: 'Warn' },
      {
        ...base,
        kind: 'AccountableRole',
        namespace: undefined,
        name: 'cro',
        allowed: true,
        reason: 'Anchored',
        message: 'Fine.',
        warnings: ['Template.'],
      },
    ]);
    expect(text).toBe(
      [
        'DENY  Deployment ml/vllm  AnchorMissing: No anchor.',
        'WARN  Deployment ml/vllm  AnchorMissing: No anchor.',
        'WARN  AccountableRole cro  Anchored: Fine. (warning: Template.)',
        '',
      ].join('\n'),
    );
  });

  it('prints JSON with null for a missing namespace or name', () => {
    const [row] = JSON.parse(
      formatJson([{ ...base, namespace: undefined, name: undefined }]),
    ) as Record<string, unknown>[];
    expect(row).toMatchObject({
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      namespace: null,
      name: null,
      allowed: false,
      reason: 'AnchorMissing',
      warnings: [],
      chain: {},
    });
  });
});

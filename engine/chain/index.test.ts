import { describe, expect, it } from 'vitest';
import {
  anchoredLabels,
  anchoredOptions,
  capability,
  chainState,
  deployment,
  pod,
  snapshot,
} from '../testing/fixtures.js';
import { runChain, STEPS } from './index.js';

describe('the anchor chain', () => {
  it('checks the links in the order docs/rules.md documents', () => {
    expect(STEPS.map((step) => step.name)).toEqual([
      'exemptNamespace',
      'exemption',
      'anchor',
      'capability',
      'suspended',
      'role',
      'holders',
      'delegation',
      'boundaries',
    ]);
  });

  it('stops at the first failure', () => {
    const snap = snapshot({
      capabilities: [capability(undefined, { suspend: true })],
      delegations: [],
    });
    expect(runChain(chainState(deployment(anchoredOptions), snap)).reason).toBe(
      'CapabilitySuspended',
    );
  });

  it('anchors a workload whose every link holds, naming the whole chain', () => {
    const verdict = runChain(chainState(deployment({ ...anchoredOptions, name: 'vllm' })));
    expect(verdict.reason).toBe('Anchored');
    expect(verdict.message).toBe(
      'Deployment ml/vllm is anchored: capability chat-assistant → role model-risk-officer (alice) → Delegation chat-assistant-chat-bot to ServiceAccount chat-bot until 2026-07-01T00:00:00Z.',
    );
    expect(verdict.warnings).toEqual([]);
  });

  it('warns when a controller is anchored but its pod template is not', () => {
    const verdict = runChain(chainState(deployment({ ...anchoredOptions, templateLabels: {} })));
    expect(verdict.reason).toBe('Anchored');
    expect(verdict.warnings?.[0]).toContain('its pod template does not');
    expect(
      runChain(chainState(pod({ ...anchoredOptions, labels: anchoredLabels }))).warnings,
    ).toEqual([]);
  });

  it('says when no delegation is needed', () => {
    const verdict = runChain(
      chainState(
        deployment({
          ...anchoredOptions,
          labels: { 'oos.dev/capability': 'forecasting' },
          templateLabels: { 'oos.dev/capability': 'forecasting' },
        }),
      ),
    );
    expect(verdict.message).toContain('(the capability requires no delegation)');
  });
});

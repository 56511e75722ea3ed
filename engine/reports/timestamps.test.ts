import { describe, expect, it } from 'vitest';
import { auditWorkload } from '../escalation/audit.js';
import { anchoredOptions, deployment, NOW, snapshot } from '../testing/fixtures.js';
import { buildReports } from './build.js';
import { carryTimestamps } from './timestamps.js';

const snap = snapshot();
const later = new Date(NOW.getTime() + 60_000);

function reportAt(now: Date, ...objects: Record<string, unknown>[]) {
  const found = objects.flatMap((o) => auditWorkload(o, snap, undefined, now) ?? []);
  const report = buildReports(found, snap, now).reports[0];
  if (report === undefined) throw new Error('no report');
  return report;
}

describe('result timestamps', () => {
  const chat = deployment({ ...anchoredOptions, name: 'chat' });
  const vllm = deployment({ name: 'vllm', image: 'vllm/vllm-openai:1' });

  it('say since when an unchanged result holds, so an unchanged report compares equal', () => {
    const first = reportAt(NOW, chat, vllm);
    const second = carryTimestamps(first, reportAt(later, chat, vllm));
    expect(second).toEqual(first);
  });

  it('move when the result changes, and only for that result', () => {
    const first = reportAt(NOW, chat, vllm);
    const anchoredVllm = deployment({ ...anchoredOptions, name: 'vllm' });
    const second = carryTimestamps(first, reportAt(later, chat, anchoredVllm));
    const seconds = (name: string) =>
      second.results.find((r) => r.resources[0]?.name === name)?.timestamp.seconds;
    expect(seconds('chat')).toBe(NOW.getTime() / 1000);
    expect(seconds('vllm')).toBe(later.getTime() / 1000);
  });

  it('start from now without a report written before', () => {
    const report = reportAt(later, chat);
    expect(carryTimestamps(undefined, report)).toBe(report);
  });
});

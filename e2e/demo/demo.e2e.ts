import { describe, expect, it } from 'vitest';
import { chapter, expectNothingLeft, expectStoryTold, runDemo } from '../support/demo.js';

describe('npm run demo', () => {
  it('tells the whole story on its own control plane, then stops everything', async () => {
    const run = await runDemo(['--exit-after-story'], 240_000);
    expectStoryTold(run);
    const { stdout } = run;
    // The operator runs on this machine; the webhook itself refuses, with how to fix it.
    expect(chapter(stdout, 2)).toMatch(
      /denied the request: AnchorMissing: Deployment risk-ai\/vllm is an AI workload/,
    );
    // No node: the admitted Pods stay Pending.
    expect(stdout).toMatch(/fraud-scorer-\S+\s+0\/1\s+Pending/);
    await expectNothingLeft(stdout);
  }, 300_000);
});

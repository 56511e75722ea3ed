import { describe, expect, it } from 'vitest';
import { nodeNetworkExists } from '../../controlplane/node/network.js';
import { chapter, expectNothingLeft, expectStoryTold, runDemo } from '../support/demo.js';
import { nodeSkipReason } from './support.js';

const unsupported = nodeSkipReason('e2e/node/demo.e2e.ts');

describe.skipIf(unsupported !== undefined)('npm run demo -- --node', () => {
  it('tells the story with oos installed by its chart on a real node: Pods run, then stop', async () => {
    const run = await runDemo(['--node', '--exit-after-story'], 1_500_000);
    expectStoryTold(run);
    const { stdout } = run;
    expect(stdout).toMatch(/oos is running: installed by its chart .* both replicas on node/);
    // 3. the admitted Pods run on the node
    expect(chapter(stdout, 3)).toMatch(/fraud-scorer-\S+\s+1\/1\s+Running/);
    // 7. the stop button stopped them: the Deployment at zero, and no Pod left
    expect(chapter(stdout, 7)).toMatch(/No resources found in risk-ai namespace/);
    await expectNothingLeft(stdout);
    expect(nodeNetworkExists()).toBe(false);
  }, 1_800_000);
});

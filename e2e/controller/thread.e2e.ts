import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { kubectl, kubectlOk } from '../support/kubectl.js';
import type { RunningOperator } from '../support/operator.js';
import { waitFor } from '../support/wait.js';
import { as, installCrds, metric, peopleRbac, removeWebhooks, startController } from './support.js';

const NS = 'ctl-thread';
const DEPLOYER = as('ctl-thread-dev');

const setup = `
${peopleRbac('ctl-thread-people')}
---
apiVersion: v1
kind: Namespace
metadata: { name: ${NS} }
`;

/** An AI Pod no capability answers for: admission refuses it (AnchorMissing). */
const unanchoredPod = `
apiVersion: v1
kind: Pod
metadata: { name: vllm, namespace: ${NS} }
spec:
  containers:
    - name: vllm
      image: vllm/vllm-openai:v0.6.3
`;

const MIB = 1024 * 1024;

let operator: RunningOperator | undefined;

/** Every metric family named by a `# TYPE` line of `/metrics`, in order (duplicates kept). */
async function families(running: RunningOperator): Promise<string[]> {
  const { body } = await running.get('/metrics');
  return body
    .split('\n')
    .filter((line) => line.startsWith('# TYPE '))
    .map((line) => line.split(' ')[2] ?? '');
}

/** The nice value of each thread of a process, by thread id (field 19 of its `stat`). */
function niceByThread(pid: number): Map<number, number> {
  const tasks = `/proc/${String(pid)}/task`;
  return new Map(
    readdirSync(tasks).map((tid) => {
      const stat = readFileSync(`${tasks}/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return [Number(tid), Number(fields[16])];
    }),
  );
}

describe('the controller on a thread of its own', () => {
  beforeAll(async () => {
    await installCrds();
    await kubectlOk(['apply', '-f', '-'], { stdin: setup });
  });

  afterEach(async () => {
    await operator?.stop();
    operator = undefined;
    await removeWebhooks();
  });

  afterAll(async () => {
    await kubectl(['delete', 'namespace', NS, '--wait=false']);
    await kubectl(['delete', 'clusterrolebinding', 'ctl-thread-people', '--ignore-not-found']);
  });

  it('serves the controller thread’s metrics beside admission’s, each family once, within its heap limit and below admission’s CPU priority', async () => {
    const running = await startController(['--controller-heap=192', '--controller-nice=7']);
    operator = running;
    await waitFor('the controller thread to lead', async () =>
      (await metric(running, 'oos_leader')) === 1 ? true : undefined,
    );
    const names = await families(running);
    // Admission's (the process, reviews) and the controller thread's (leader, rounds, its heap).
    for (const name of [
      'oos_process_process_resident_memory_bytes',
      'oos_admission_reviews_total',
      'oos_watch_restarts_total',
      'oos_controller_thread_restarts_total',
      'oos_leader',
      'oos_controller_round_duration_seconds',
      'oos_controller_heap_bytes',
    ]) {
      expect(names).toContain(name);
    }
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
    // V8's limit is the old generation (the flag) plus the young one.
    const limit = await metric(running, 'oos_controller_heap_bytes', { space: 'limit' });
    expect(limit).toBeGreaterThanOrEqual(192 * MIB);
    expect(limit).toBeLessThan(256 * MIB);
    expect(await metric(running, 'oos_controller_heap_bytes', { space: 'used' })).toBeGreaterThan(
      0,
    );
    expect(await metric(running, 'oos_controller_thread_restarts_total')).toBeUndefined();
    // Seven nice steps below admission's thread (the process's main thread), which kept its own.
    const nices = niceByThread(running.pid);
    const admission = nices.get(running.pid) ?? -1;
    expect([...nices.values()]).toContain(Math.min(19, admission + 7));
    expect(running.logs()).toContain('the controller thread runs below admission');
  });

  it('restarts a controller thread that runs out of memory while admission goes on refusing', async () => {
    // A heap no controller fits in: the thread ends as soon as it loads, again and again.
    const running = await startController(['--controller-heap=4']);
    operator = running;
    await waitFor('two restarts of the controller thread for want of memory', async () => {
      const restarts = await metric(running, 'oos_controller_thread_restarts_total', {
        reason: 'out-of-memory',
      });
      return (restarts ?? 0) >= 2 ? restarts : undefined;
    });
    expect(running.logs()).toContain('the controller thread ended');
    // Admission is the other thread's: ready, and still deciding.
    expect((await running.get('/readyz')).status).toBe(200);
    const refused = await kubectl(['apply', '--dry-run=server', '-f', '-'], {
      stdin: unanchoredPod,
      ...DEPLOYER,
    });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('AnchorMissing');
    // No controller holds the Lease while its thread cannot start.
    expect(await metric(running, 'oos_leader')).toBeUndefined();
  });
});

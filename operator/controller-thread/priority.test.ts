import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

/** The nice value of every thread of this process (field 19 of /proc/<pid>/task/<tid>/stat). */
function threadNices(): number[] {
  return readdirSync(`/proc/${String(process.pid)}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${String(process.pid)}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[16]);
  });
}

/** Runs lowerThreadPriority(by) on a thread of its own and answers with what it returned. */
async function onAThread(by: number): Promise<{ nice: number | undefined; worker: Worker }> {
  const entry = new URL('./priority.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const code =
    `const { parentPort } = await import('node:worker_threads');` +
    `(await import(${JSON.stringify(tsx)})).register();` +
    `const { lowerThreadPriority } = await import(${JSON.stringify(entry)});` +
    `parentPort.postMessage(lowerThreadPriority(${String(by)}) ?? null);` +
    `setInterval(() => {}, 1000);`;
  const worker = new Worker(code, { eval: true });
  const nice = await new Promise<number | null>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { nice: nice ?? undefined, worker };
}

describe.runIf(process.platform === 'linux')('lowerThreadPriority', () => {
  it("lowers the calling thread's priority and leaves the others where they were", async () => {
    const base = getPriority(0);
    const before = threadNices().filter((n) => n !== base).length;
    const { nice, worker } = await onAThread(5);
    try {
      expect(nice).toBe(Math.min(19, base + 5));
      expect(getPriority(0)).toBe(base);
      // Exactly one thread more runs at another nice value than this one: the worker's.
      const others = threadNices().filter((n) => n !== base);
      expect(others.length).toBe(before + 1);
      expect(others).toContain(nice);
    } finally {
      await worker.terminate();
    }
  });

  it('stops at 19 and does nothing for 0', async () => {
    const lowest = await onAThread(40);
    await lowest.worker.terminate();
    expect(lowest.nice).toBe(19);
    const same = await onAThread(0);
    await same.worker.terminate();
    expect(same.nice).toBeUndefined();
  });
});

/**
 * Time and bytes allocated per call, for micro-benchmarks that report what a call leaves for the
 * garbage collector. Bytes are the heap's growth over a run with no collection in it, so the
 * script first starts itself again with a young generation large enough for that
 * ({@link withRoomToAllocate}).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';

const SEMI_SPACE_MIB = 256;
/** Node.js hands a collection's performance entry to observers a few milliseconds after it. */
const ENTRIES_DELAY_MS = 100;

/**
 * Runs the script at `moduleUrl` again, with `--expose-gc` and 256 MiB semi-spaces and the same
 * arguments, and exits with its status, unless this process already has them.
 */
export function withRoomToAllocate(moduleUrl: string): void {
  const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  if ((newSpace?.space_size ?? 0) >= SEMI_SPACE_MIB * 1024 * 1024) return;
  const run = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      `--min-semi-space-size=${String(SEMI_SPACE_MIB)}`,
      `--max-semi-space-size=${String(SEMI_SPACE_MIB)}`,
      ...process.execArgv,
      fileURLToPath(moduleUrl),
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit' },
  );
  process.exit(run.status ?? 1);
}

/**
 * Prints the time and the bytes allocated per call of `run`, which makes `calls` calls. If a
 * collection ran meanwhile the bytes are not known (they would be undercounted): run fewer calls.
 */
export async function measure(
  name: string,
  calls: number,
  run: () => void | Promise<void>,
): Promise<void> {
  await run(); // warm up (and compile)
  (globalThis as { gc?: () => void }).gc?.();
  await entriesDelivered(); // that collection's
  let collections = 0;
  const observer = new PerformanceObserver((entries) => {
    collections += entries.getEntries().length;
  });
  observer.observe({ entryTypes: ['gc'] });
  const before = process.memoryUsage().heapUsed;
  const started = performance.now();
  await run();
  const ms = performance.now() - started;
  const bytes = process.memoryUsage().heapUsed - before;
  await entriesDelivered();
  observer.disconnect();
  const allocated =
    collections === 0
      ? `${(bytes / calls).toFixed(0)} bytes`
      : `(a collection ran: bytes not known)`;
  console.log(
    `${name}: ${((ms * 1e6) / calls).toFixed(0)} ns and ${allocated} per call (${String(calls)} calls)`,
  );
}

/** Waits for the performance entries of collections already made to reach their observers. */
function entriesDelivered(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ENTRIES_DELAY_MS));
}

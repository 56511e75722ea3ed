/**
 * The long fuzz run: the property of webhooks/app.fuzz.test.ts (every answer a well-formed
 * AdmissionReview with the request's uid, or a coded 400/413; never a crash) over many more
 * hostile bodies, with the costly ones (nested 10,000 and 100,000 deep, strings up to 400 KB)
 * ten times as often. Prints the count, the time, and what the answers were.
 *
 *   npm run fuzz -- --count 100000 [--seed 42]
 */
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { fuzzApp } from '../webhooks/testing/fuzz-app.js';
import { problemWith } from '../webhooks/testing/fuzz-oracle.js';
import { endpoint, hostileBody } from '../webhooks/testing/fuzz-reviews.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    seed: { type: 'string' },
  },
});
const count = Number(values.count);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
if (!Number.isInteger(count) || count < 1) throw new Error('--count must be a positive integer');

const crashes: string[] = [];
let finished = false;
// An exception nobody caught ends the run at once, loudly: a silent exit would hide it.
const fatal = (what: string) => (error: unknown) => {
  console.log(
    `FAILED: ${what}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exit(1);
};
process.on('uncaughtException', fatal('uncaught exception'));
process.on('unhandledRejection', fatal('unhandled rejection'));
process.on('beforeExit', () => {
  if (!finished) fatal('the run stopped before its end')('nothing left to do');
});
/** The answer, or undefined when none comes in time (a hang is a failure too). */
async function answerWithin<T>(ms: number, answer: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      resolve(undefined);
    }, ms);
  });
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const fuzz = fuzzApp();
const outcomes = new Map<string, number>();
const note = (key: string): void => {
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
};
let sent = 0;
let bytes = 0;
const started = performance.now();
const progressEvery = Math.max(1, Math.floor(count / 10));

const result = await fc.check(
  fc.asyncProperty(hostileBody(10), endpoint, async (raw, url) => {
    const reply = await answerWithin(30_000, fuzz.post(url, raw));
    sent++;
    if (reply === undefined) {
      crashes.push(`no answer within 30 s to a body of ${raw.length} characters`);
      return false;
    }
    bytes += Buffer.byteLength(raw);
    const problem = problemWith(raw, reply, fuzz.bodyLimit);
    if (problem !== undefined) return false;
    if (reply.statusCode !== 200) {
      note(`HTTP ${reply.statusCode} ${(JSON.parse(reply.body) as { code: string }).code}`);
    } else {
      const answer = (
        JSON.parse(reply.body) as {
          response: {
            allowed: boolean;
            status?: { code: number; reason?: string };
            auditAnnotations?: { reason?: string };
          };
        }
      ).response;
      note(
        answer.allowed
          ? `allowed ${url === '/mutate' ? '(mutate)' : (answer.auditAnnotations?.reason ?? '')}`
          : `denied ${answer.status?.code ?? '?'} ${answer.status?.reason ?? ''}`,
      );
    }
    if (sent % progressEvery === 0) {
      const rss = process.memoryUsage().rss / 1e6;
      const elapsed = (performance.now() - started) / 1000;
      console.error(
        `${sent.toLocaleString('en-US')} bodies, ${elapsed.toFixed(0)} s, rss ${rss.toFixed(0)} MB`,
      );
    }
    return crashes.length === 0 && fuzz.errors.length === 0;
  }),
  { numRuns: count, seed, endOnFailure: true },
);
finished = true;
const seconds = (performance.now() - started) / 1000;
await fuzz.app.close();

console.log(
  `${sent.toLocaleString('en-US')} hostile AdmissionReviews (${(bytes / 1e6).toFixed(0)} MB) in ${seconds.toFixed(0)} s ` +
    `(${Math.round(sent / seconds)}/s), seed ${seed}`,
);
for (const [outcome, n] of [...outcomes].sort(([, a], [, b]) => b - a)) {
  console.log(`  ${String(n).padStart(7)}  ${outcome}`);
}
if (result.failed || crashes.length > 0 || fuzz.errors.length > 0) {
  const counterexample = result.counterexample?.[0];
  console.log(`FAILED after ${sent} bodies`);
  if (counterexample !== undefined) {
    const reply = await answerWithin(
      30_000,
      fuzzApp().post(result.counterexample?.[1] ?? '/validate', counterexample),
    );
    const problem =
      reply === undefined
        ? 'no answer within 30 s'
        : problemWith(counterexample, reply, fuzz.bodyLimit);
    console.log(`problem: ${problem ?? '(see the errors below)'}`);
    console.log(`body: ${counterexample.slice(0, 2000)}`);
    console.log(`answer: ${reply?.body.slice(0, 2000) ?? 'none'}`);
  }
  for (const line of [...crashes, ...fuzz.errors].slice(0, 5)) console.log(line);
  process.exit(1);
}
console.log(
  '0 crashes: every answer a well-formed AdmissionReview with its uid, or a coded 400/413',
);

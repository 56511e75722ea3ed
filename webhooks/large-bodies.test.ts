import { describe, expect, it } from 'vitest';
import { announcesLargeBody, LARGE_BODY_BYTES, LargeBodies } from './large-bodies.js';

describe('announcesLargeBody', () => {
  it('is large above the threshold, or when the size is not announced but a body comes', () => {
    expect(announcesLargeBody({ 'content-length': String(LARGE_BODY_BYTES) })).toBe(false);
    expect(announcesLargeBody({ 'content-length': String(LARGE_BODY_BYTES + 1) })).toBe(true);
    expect(announcesLargeBody({ 'transfer-encoding': 'chunked' })).toBe(true);
    expect(announcesLargeBody({})).toBe(false);
  });
});

describe('LargeBodies', () => {
  it('lets `slots` bodies in at once and the others in arrival order as slots free', async () => {
    const gate = new LargeBodies(2);
    const order: number[] = [];
    const first = await gate.admit();
    const second = await gate.admit();
    const later = [3, 4].map((n) =>
      gate.admit().then((release) => {
        order.push(n);
        return release;
      }),
    );
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([]);
    expect(gate.waiting).toBe(2);
    first();
    first(); // a second release of the same slot frees nothing more
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([3]);
    second();
    const [third, fourth] = await Promise.all(later);
    expect(order).toEqual([3, 4]);
    third?.();
    fourth?.();
    // All four slots are back: two more get in at once.
    await gate.admit();
    await gate.admit();
    expect(gate.waiting).toBe(0);
  });

  it('gives each caller an event-loop turn of its own, in order', async () => {
    const gate = new LargeBodies();
    // A ticker that counts event-loop iterations (one check phase each).
    let iteration = 0;
    let ticking = true;
    const tick = (): void => {
      iteration++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const seen: [number, number][] = [];
    await Promise.all(
      [1, 2, 3].map((n) =>
        gate.turn().then(() => {
          seen.push([n, iteration]);
        }),
      ),
    );
    ticking = false;
    expect(seen.map(([n]) => n)).toEqual([1, 2, 3]);
    const iterations = seen.map(([, i]) => i);
    expect(new Set(iterations).size).toBe(3);
  });

  it('needs at least one slot', () => {
    expect(() => new LargeBodies(0)).toThrow(RangeError);
  });
});

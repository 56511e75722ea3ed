import { describe, expect, it } from 'vitest';
import { WriteOverlay } from './overlay.js';

const at = (rv: string, tag: string) => ({ metadata: { resourceVersion: rv }, tag });

describe('the write overlay', () => {
  it('shows our write until the cache has caught up with it', () => {
    let now = 0;
    const overlay = new WriteOverlay<ReturnType<typeof at>>(1_000, () => now);
    overlay.record('k', at('10', 'mine'));
    expect(overlay.resolve('k', at('9', 'stale'))?.tag).toBe('mine');
    expect(overlay.resolve('k', undefined)?.tag).toBe('mine');
    expect(overlay.pending().map((o) => o.tag)).toEqual(['mine']);
    expect(overlay.resolve('k', at('11', 'newer'))?.tag).toBe('newer');
    expect(overlay.resolve('k', at('9', 'stale'))?.tag).toBe('stale');
    overlay.record('j', at('20', 'mine'));
    now = 1_001;
    expect(overlay.resolve('j', at('19', 'stale'))?.tag).toBe('stale');
    expect(overlay.pending()).toEqual([]);
  });

  it('holds a write as the cache would: without managedFields or the last-applied manifest', () => {
    const overlay = new WriteOverlay<{
      metadata: { resourceVersion: string; managedFields?: unknown[]; annotations?: object };
    }>();
    overlay.record('k', {
      metadata: {
        resourceVersion: '10',
        managedFields: [{ manager: 'oos', fieldsV1: { 'f:status': {} } }],
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', team: 'a' },
      },
    });
    const [held] = overlay.pending();
    expect(held?.metadata.managedFields).toBeUndefined();
    expect(held?.metadata.annotations).toEqual({ team: 'a' });
    expect(held?.metadata.resourceVersion).toBe('10');
  });

  it('drops writes whose time is over when asked for the pending ones', () => {
    let now = 0;
    const overlay = new WriteOverlay<ReturnType<typeof at>>(1_000, () => now);
    overlay.record('k', at('10', 'mine'));
    overlay.record('j', at('11', 'mine'));
    expect(overlay.size).toBe(2);
    now = 600;
    overlay.record('j', at('12', 'again'));
    now = 1_001;
    expect(overlay.pending().map((o) => o.tag)).toEqual(['again']);
    expect(overlay.size).toBe(1);
  });

  it('forgets deleted objects', () => {
    const overlay = new WriteOverlay<ReturnType<typeof at>>();
    overlay.record('k', at('10', 'mine'));
    overlay.forget('k');
    expect(overlay.resolve('k', undefined)).toBeUndefined();
  });
});

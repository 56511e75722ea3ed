import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { KubeApiError, type KubeRest } from '../kube/rest.js';
import {
  Informer,
  LAST_APPLIED,
  withoutBookkeeping,
  type Availability,
  type KubeObject,
} from './informer.js';
import { StringTable } from './strings.js';

/** A KubeRest whose list answers `status` (the only call an absent collection gets). */
function refusing(status: number): KubeRest {
  return {
    request: () => Promise.reject(new KubeApiError('GET', '/apis/x/v1/things', status, '{}')),
    stream: () => Promise.reject(new Error('no watch expected')),
  } as unknown as KubeRest;
}

async function availabilityOf(
  status: number,
  forbiddenIsAbsent: boolean,
): Promise<{ synced: boolean; seen: Availability[] }> {
  const seen: Availability[] = [];
  const informer = new Informer({
    name: 'Thing',
    path: '/apis/x/v1/things',
    rest: refusing(status),
    logger: pino({ level: 'silent' }),
    onChange: () => undefined,
    optional: true,
    forbiddenIsAbsent,
    absentRetryMs: 60_000,
    onAvailability: (a) => seen.push(a),
  });
  informer.start();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const synced = informer.synced();
  await informer.stop();
  return { synced, seen };
}

describe('an optional informer', () => {
  it('treats a collection the apiserver does not serve (404) as empty and synced', async () => {
    expect(await availabilityOf(404, false)).toEqual({ synced: true, seen: ['absent'] });
  });

  it('treats a forbidden collection (403) as empty and synced when asked, and says so', async () => {
    expect(await availabilityOf(403, true)).toEqual({ synced: true, seen: ['forbidden'] });
  });

  it('keeps waiting on a 403 otherwise (the governance cache must not run on nothing)', async () => {
    expect(await availabilityOf(403, false)).toEqual({ synced: false, seen: [] });
  });
});

describe('what the store keeps', () => {
  it('drops metadata.managedFields and leaves everything else, the same object when it has none', () => {
    const object = {
      metadata: { name: 'a', labels: { x: 'y' }, managedFields: [{ manager: 'kubectl' }] },
      spec: { replicas: 1 },
    };
    expect(withoutBookkeeping(object)).toEqual({
      metadata: { name: 'a', labels: { x: 'y' } },
      spec: { replicas: 1 },
    });
    expect(object.metadata.managedFields).toHaveLength(1);
    const lean = { metadata: { name: 'b', annotations: { 'oos.dev/x': '1' } } };
    expect(withoutBookkeeping(lean)).toBe(lean);
  });

  it("drops kubectl's last-applied manifest and keeps every other annotation as a map of strings", () => {
    const object = {
      metadata: {
        name: 'a',
        annotations: { [LAST_APPLIED]: '{"kind":"Capability"}', 'oos.dev/stopped-replicas': '3' },
      },
    };
    const lean = withoutBookkeeping(object);
    expect(lean.metadata.annotations).toStrictEqual({ 'oos.dev/stopped-replicas': '3' });
    expect(Object.keys(lean.metadata.annotations)).toEqual(['oos.dev/stopped-replicas']);
    expect(object.metadata.annotations[LAST_APPLIED]).toBe('{"kind":"Capability"}');
  });
});

describe('since when the store may be behind (interruptedSince)', () => {
  /**
   * A KubeRest whose list always succeeds and whose watches behave as scripted: `refuse` (the
   * apiserver is down), `gone` (opens, then a 410 ERROR event), `hold` (opens and stays open).
   * Each call advances the informer's clock by 10 and records what the informer said before it.
   */
  function scripted(steps: readonly ('refuse' | 'gone' | 'hold')[]): {
    informer: Informer<{ metadata: { name: string } }>;
    seen: (number | undefined)[];
    lists: number[];
    held: Promise<void>;
  } {
    let clock = 0;
    const seen: (number | undefined)[] = [];
    const lists: number[] = [];
    let step = 0;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const rest = {
      request: () => {
        clock += 10;
        lists.push(clock);
        seen.push(informer.interruptedSince());
        return Promise.resolve({ metadata: { resourceVersion: String(clock) }, items: [] });
      },
      stream: (
        _path: string,
        onLine: (line: string) => void,
        { signal, onOpen }: { signal: AbortSignal; onOpen?: () => void },
      ) => {
        clock += 10;
        seen.push(informer.interruptedSince());
        const what = steps[step++] ?? 'hold';
        if (what === 'refuse') return Promise.reject(new Error('connect ECONNREFUSED'));
        onOpen?.();
        if (what === 'gone') {
          try {
            onLine(JSON.stringify({ type: 'ERROR', object: { code: 410, message: 'too old' } }));
          } catch (error) {
            return Promise.reject(error instanceof Error ? error : new Error(String(error)));
          }
        }
        release();
        return new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => {
            resolve();
          });
        });
      },
    } as unknown as KubeRest;
    const informer = new Informer<{ metadata: { name: string } }>({
      name: 'Thing',
      path: '/apis/x/v1/things',
      rest,
      logger: pino({ level: 'silent' }),
      onChange: () => undefined,
      now: () => clock,
    });
    return { informer, seen, lists, held };
  }

  it('is undefined while the watch runs', async () => {
    const { informer, held } = scripted(['hold']);
    informer.start();
    await held;
    expect(informer.interruptedSince()).toBeUndefined();
    await informer.stop();
  });

  it('dates from the first failure, through a resumed watch told 410 Gone, until the relist', async () => {
    const { informer, seen, lists, held } = scripted(['refuse', 'refuse', 'gone', 'hold']);
    informer.start();
    await held;
    // list at 10; watch refused at 20 (interrupted from 20); refused again at 30; opened at 40
    // but 410 Gone: still 20 when the relist starts at 50, not 40; the watch at 60 finds it current.
    expect(lists).toEqual([10, 50]);
    expect(seen).toEqual([undefined, undefined, 20, 20, 20, undefined]);
    expect(informer.interruptedSince()).toBeUndefined();
    await informer.stop();
  });
});

describe('an informer with a label selector', () => {
  it('lists and watches only the selected objects (the selector on both paths)', async () => {
    const paths: string[] = [];
    let watching: () => void = () => undefined;
    const watched = new Promise<void>((resolve) => (watching = resolve));
    const rest = {
      request: (_method: string, path: string) => {
        paths.push(path);
        return Promise.resolve({ metadata: { resourceVersion: '7' }, items: [] });
      },
      stream: (path: string, _onLine: unknown, { signal }: { signal: AbortSignal }) => {
        paths.push(path);
        watching();
        return new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => {
            resolve();
          });
        });
      },
    } as unknown as KubeRest;
    const informer = new Informer({
      name: 'NetworkPolicy',
      path: '/apis/networking.k8s.io/v1/networkpolicies',
      rest,
      logger: pino({ level: 'silent' }),
      onChange: () => undefined,
      labelSelector: 'oos.dev/managed-by=oos',
    });
    informer.start();
    await watched;
    await informer.stop();
    expect(paths).toHaveLength(2);
    for (const path of paths) {
      const query = new URLSearchParams(path.slice(path.indexOf('?') + 1));
      expect(query.get('labelSelector')).toBe('oos.dev/managed-by=oos');
    }
    expect(new URLSearchParams(paths[1]?.split('?')[1]).get('watch')).toBe('true');
  });
});

describe('an informer told which events change nothing its readers read', () => {
  it('keeps the object it holds for such an event, and still resumes from its resourceVersion', async () => {
    const held = { metadata: { name: 'a', resourceVersion: '1' }, spec: { x: 1 } };
    // Each event brings a string of its own, which the unchanged comparison does not read.
    const event = (resourceVersion: string, x: number, note: string) => ({
      type: 'MODIFIED',
      object: { metadata: { name: 'a', resourceVersion, annotations: { note } }, spec: { x } },
    });
    const events = [
      event('2', 1, 'dropped-2'),
      event('3', 2, 'kept-3'),
      event('4', 2, 'dropped-4'),
    ];
    const watches: string[] = [];
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const rest = {
      request: () => Promise.resolve({ metadata: { resourceVersion: '1' }, items: [held] }),
      stream: (
        path: string,
        onLine: (line: string) => void,
        { signal }: { signal: AbortSignal },
      ) => {
        watches.push(
          new URLSearchParams(path.slice(path.indexOf('?') + 1)).get('resourceVersion') ?? '',
        );
        if (watches.length === 1) {
          for (const event of events) onLine(JSON.stringify(event));
          return Promise.resolve();
        }
        done();
        return new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => {
            resolve();
          });
        });
      },
    } as unknown as KubeRest;
    const changes: unknown[] = [];
    const seen: unknown[] = [];
    const strings = new StringTable();
    const informer = new Informer<KubeObject>({
      strings,
      name: 'Thing',
      path: '/apis/x/v1/things',
      rest,
      logger: pino({ level: 'silent' }),
      onChange: (change) => changes.push(change),
      unchanged: (before, next) => {
        seen.push(before);
        return (
          JSON.stringify((before as typeof held).spec) ===
          JSON.stringify((next as typeof held).spec)
        );
      },
    });
    informer.start();
    await finished;
    await informer.stop();
    // The list, then the second event only: the first and third changed nothing read.
    expect(changes).toHaveLength(2);
    expect(informer.get(undefined, 'a')).toMatchObject({ metadata: { resourceVersion: '3' } });
    expect(seen[0]).toEqual(held);
    // The watch resumed from the last event's resourceVersion, not the held object's.
    expect(watches).toEqual(['1', '4']);
    // The strings of the objects kept entered the table ('a', 'kept-3'), those of the dropped
    // events did not, nor any resourceVersion.
    expect(strings.size).toBe(2);
  });
});

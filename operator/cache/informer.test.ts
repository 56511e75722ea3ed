import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { KubeApiError, type KubeRest } from '../kube/rest.js';
import { Informer, withoutManagedFields, type Availability } from './informer.js';

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
    expect(withoutManagedFields(object)).toEqual({
      metadata: { name: 'a', labels: { x: 'y' } },
      spec: { replicas: 1 },
    });
    expect(object.metadata.managedFields).toHaveLength(1);
    const lean = { metadata: { name: 'b' } };
    expect(withoutManagedFields(lean)).toBe(lean);
  });
});

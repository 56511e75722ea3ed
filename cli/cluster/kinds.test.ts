import { describe, expect, it } from 'vitest';
import { CliError } from '../errors.js';
import { parseWorkloadReference, workloadResourceNamed } from './kinds.js';

describe('workload references', () => {
  it.each([
    ['deployment', 'Deployment'],
    ['deploy', 'Deployment'],
    ['deployments.apps', 'Deployment'],
    ['Deployment', 'Deployment'],
    ['sts', 'StatefulSet'],
    ['cj', 'CronJob'],
    ['po', 'Pod'],
    ['pods', 'Pod'],
    ['jobs.batch', 'Job'],
    ['rc', 'ReplicationController'],
  ])('reads %s as kubectl does', (name, kind) => {
    expect(workloadResourceNamed(name)?.kind).toBe(kind);
  });

  it('splits kind/name', () => {
    const { resource, name } = parseWorkloadReference('deploy/chat');
    expect([resource.kind, name]).toEqual(['Deployment', 'chat']);
  });

  it.each(['chat', 'deploy/', '/chat', 'deploy/a/b', 'service/chat'])('refuses %s', (text) => {
    expect(() => parseWorkloadReference(text)).toThrow(CliError);
  });
});

import { describe, expect, it } from 'vitest';
import { DNS1123_SUBDOMAIN_PATTERN } from '../../api/index.js';
import { episodeName, escalationBaseName, escalationKey, fnv1a64, kebab } from './name.js';

const subject = {
  apiVersion: 'oos.dev/v1alpha1',
  kind: 'Delegation',
  namespace: 'ml',
  name: 'chat-bot',
};
const identity = {
  namespace: 'ml',
  trigger: 'DelegationExpired' as const,
  subject,
  capability: 'chat',
};

describe('escalation names', () => {
  it('hash with FNV-1a 64', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
  });

  it('are readable and end with the key of the cause', () => {
    const key = escalationKey(identity);
    expect(key).toMatch(/^[0-9a-f]{12}$/);
    expect(escalationBaseName(identity)).toBe(`delegation-expired-chat-bot-${key}`);
    expect(kebab('AccountabilityVacant')).toBe('accountability-vacant');
  });

  it('are the same for the same cause, and differ for any other', () => {
    expect(escalationBaseName({ ...identity })).toBe(escalationBaseName(identity));
    for (const other of [
      { ...identity, capability: 'other' },
      { ...identity, namespace: 'ops' },
      { ...identity, trigger: 'DelegationExpiring' as const },
      { ...identity, subject: { ...subject, kind: 'Deployment' } },
    ]) {
      expect(escalationKey(other)).not.toBe(escalationKey(identity));
    }
  });

  it('stay DNS-1123 subdomains for long and odd subject names', () => {
    const long = { ...identity, subject: { ...subject, name: `${'a.'.repeat(120)}b` } };
    const name = escalationBaseName(long);
    expect(name.length).toBeLessThanOrEqual(213);
    expect(name).toMatch(new RegExp(DNS1123_SUBDOMAIN_PATTERN));
    expect(episodeName(name, 3)).toBe(`${name}-3`);
    expect(episodeName(name, 1)).toBe(name);
  });
});

import { describe, expect, it } from 'vitest';
import { KubeApiError } from '../../operator/kube/rest.js';
import { CliError } from '../errors.js';
import { explainRefusal, formatRefusal, Refusal } from './refusal.js';

const PATH = '/apis/oos.dev/v1alpha1/namespaces/ml/capabilities/chat';

function caught(error: unknown): unknown {
  try {
    explainRefusal(error, 'Capability ml/chat');
  } catch (thrown) {
    return thrown;
  }
  throw new Error('explainRefusal returned');
}

const status = (code: number, reason: string, message: string) =>
  JSON.stringify({ kind: 'Status', status: 'Failure', code, reason, message });

describe('explainRefusal', () => {
  it("names oos's reason code and message when its webhook denied the request", () => {
    const error = new KubeApiError(
      'PATCH',
      PATH,
      403,
      status(
        403,
        'NotRoleHolder',
        'admission webhook "validate.oos.dev" denied the request: NotRoleHolder: mallory cannot resume Capability ml/chat: only a current holder of chat-owner may.',
      ),
    );
    const refusal = caught(error);
    expect(refusal).toBeInstanceOf(Refusal);
    expect(formatRefusal(refusal as Refusal)).toBe(
      'refused by oos: NotRoleHolder: mallory cannot resume Capability ml/chat: only a current holder of chat-owner may.',
    );
  });

  it("gives RBAC's own message on a plain 403", () => {
    const message =
      'capabilities.oos.dev "chat" is forbidden: User "eve" cannot patch resource "capabilities" in API group "oos.dev" in the namespace "ml"';
    const refusal = caught(new KubeApiError('PATCH', PATH, 403, status(403, 'Forbidden', message)));
    expect(refusal).toMatchObject({ by: 'rbac', reason: 'Forbidden', message });
  });

  it('is a usage error when the object does not exist', () => {
    const error = caught(
      new KubeApiError(
        'GET',
        PATH,
        404,
        status(404, 'NotFound', 'capabilities.oos.dev "chat" not found'),
      ),
    );
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toBe(
      'Capability ml/chat: capabilities.oos.dev "chat" not found',
    );
  });

  it('reports a conflict (changed since read) as the apiserver refusing', () => {
    const refusal = caught(
      new KubeApiError('PATCH', PATH, 409, status(409, 'Conflict', 'the object has been modified')),
    );
    expect(refusal).toMatchObject({ by: 'apiserver', reason: 'Conflict' });
  });

  it('rethrows what is not an answer of the apiserver', () => {
    const error = new Error('connect ECONNREFUSED 127.0.0.1:1');
    expect(caught(error)).toBe(error);
  });
});

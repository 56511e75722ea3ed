import { describe, expect, it } from 'vitest';
import {
  isAlreadyExists,
  isConflict,
  isExpired,
  isForbidden,
  isInvalid,
  isNamespaceGone,
  isNotFound,
  isTooManyRequests,
  reasonOf,
  STATUS_REASONS,
} from './errors.js';
import { KubeApiError } from './rest.js';

/** An apiserver answer as the REST client builds it from a `Status` body. */
function status(code: number, body: Record<string, unknown> | string): KubeApiError {
  return new KubeApiError(
    'POST',
    '/api/v1/namespaces/ml/configmaps',
    code,
    typeof body === 'string' ? body : JSON.stringify({ kind: 'Status', code, ...body }),
  );
}

describe('Kubernetes API errors, keyed on the Status reason', () => {
  it('tells apart the reasons that share an HTTP code', () => {
    const exists = status(409, {
      reason: 'AlreadyExists',
      message: 'configmaps "c" already exists',
    });
    const conflict = status(409, {
      reason: 'Conflict',
      message: 'Operation cannot be fulfilled on configmaps "c": the object has been modified',
    });
    expect([isAlreadyExists(exists), isConflict(exists)]).toEqual([true, false]);
    expect([isAlreadyExists(conflict), isConflict(conflict)]).toEqual([false, true]);
    expect(isExpired(status(410, { reason: 'Expired', message: 'too old resource version' }))).toBe(
      true,
    );
    expect(isExpired(status(410, { reason: 'Gone' }))).toBe(true);
  });

  it('reads the reason, not the message', () => {
    // A webhook's denial may say anything; only the reason counts.
    const denied = status(403, { reason: 'Forbidden', message: 'not found: already exists' });
    expect([isForbidden(denied), isNotFound(denied), isAlreadyExists(denied)]).toEqual([
      true,
      false,
      false,
    ]);
    expect(isInvalid(status(422, { reason: 'Invalid', message: 'spec.x: Required value' }))).toBe(
      true,
    );
    expect(isTooManyRequests(status(429, { reason: 'TooManyRequests' }))).toBe(true);
  });

  it('falls back on the HTTP code only when no known reason came, and only where it is unambiguous', () => {
    expect(reasonOf(status(404, 'page not found'))).toBe('NotFound');
    expect(reasonOf(status(409, {}))).toBe('Conflict');
    expect(isAlreadyExists(status(409, {}))).toBe(false);
    expect(reasonOf(status(410, { reason: 'SomethingNew' }))).toBe('Gone');
    expect(reasonOf(status(418, {}))).toBeUndefined();
    // A known reason wins over a code that would say otherwise.
    expect(reasonOf(status(500, { reason: 'ServerTimeout' }))).toBe('ServerTimeout');
  });

  it('is false for anything that is not an apiserver answer', () => {
    for (const error of [new Error('NotFound'), 'AlreadyExists', undefined, { status: 404 }]) {
      expect(reasonOf(error)).toBeUndefined();
      expect(isNotFound(error)).toBe(false);
    }
  });

  it('maps each code the table marks as standing in to exactly one reason', () => {
    const byCode = Object.values(STATUS_REASONS)
      .filter((entry) => entry.byCode)
      .map((entry) => entry.code);
    expect(new Set(byCode).size).toBe(byCode.length);
  });

  it('recognises a namespace being deleted or gone by the Status details', () => {
    const terminating = status(403, {
      reason: 'Forbidden',
      message: 'unable to create new content in namespace ml because it is being terminated',
      details: {
        name: 'ml',
        kind: 'namespaces',
        causes: [{ reason: 'NamespaceTerminating', field: 'metadata.namespace' }],
      },
    });
    const missing = status(404, {
      reason: 'NotFound',
      message: 'namespaces "ml" not found',
      details: { name: 'ml', kind: 'namespaces' },
    });
    const otherMissing = status(404, {
      reason: 'NotFound',
      details: { name: 'c', kind: 'configmaps' },
    });
    const rbac = status(403, { reason: 'Forbidden', message: 'being terminated' });
    expect([terminating, missing, otherMissing, rbac].map(isNamespaceGone)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

import { KubeApiError, type KubeRest } from '../../operator/kube/rest.js';

/** Items per page: the apiserver's own default for kubectl is 500. */
export const PAGE_SIZE = 500;

interface ListPage {
  readonly items?: readonly Record<string, unknown>[];
  readonly metadata?: { readonly continue?: string };
}

/** Every item of a collection, page by page (`limit` + `continue`), as kubectl lists. */
export async function listAll(
  rest: KubeRest,
  path: string,
  pageSize = PAGE_SIZE,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let token: string | undefined;
  do {
    const query = new URLSearchParams({ limit: String(pageSize) });
    if (token !== undefined) query.set('continue', token);
    const page = await rest.request<ListPage>('GET', `${path}?${query.toString()}`);
    items.push(...(page.items ?? []));
    const next = page.metadata?.continue;
    token = next === undefined || next === '' ? undefined : next;
  } while (token !== undefined);
  return items;
}

/** What one list came to: its items, or why the user may not read it. */
export type ListOutcome =
  | { readonly ok: true; readonly items: Record<string, unknown>[] }
  | { readonly ok: false; readonly status: 403 | 404; readonly message: string };

/**
 * {@link listAll}, with a refusal (403: RBAC) or an absent resource (404: its API is not served)
 * as a value: the caller reports a partial read. Anything else (unreachable server, 401) throws.
 */
export async function tryList(rest: KubeRest, path: string): Promise<ListOutcome> {
  try {
    return { ok: true, items: await listAll(rest, path) };
  } catch (error) {
    if (error instanceof KubeApiError && (error.status === 403 || error.status === 404)) {
      return { ok: false, status: error.status, message: error.message };
    }
    throw error;
  }
}

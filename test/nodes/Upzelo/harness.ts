import nock from 'nock';

import { Upzelo } from '../../../nodes/Upzelo/Upzelo.node';
import { nodeTypesFor, runNode } from '../../helpers/engine';
import type { RecordedRequest } from '../../helpers/requests';
import { recordRequests } from '../../helpers/requests';

/** TEST_CREDENTIALS.upzeloApi */
export const BASE = 'https://upzelo.test';
export const API_KEY = 'upz_test_key_123';

export const nodeTypes = nodeTypesFor({ upzelo: new Upzelo() });

export const run = (parameters: Record<string, unknown>, extra: Partial<Parameters<typeof runNode>[0]> = {}) =>
	runNode({ type: 'upzelo', nodeTypes, parameters: parameters as never, ...extra });

/** One nock scope for the Upzelo base URL, and the requests it answered. */
export function upzelo(): { api: nock.Scope; requests: RecordedRequest[] } {
	const api = nock(BASE);
	return { api, requests: recordRequests(api) };
}

/** Every request carries the credential's two headers and asks for JSON. */
export function expectSigned(request: RecordedRequest): void {
	expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
	expect(request.headers['x-app-id']).toBe('app_42');
	expect(request.headers.accept).toBe('application/json');
}

/** Method, path with query, and body of each request, for exact comparison. */
export const sent = (requests: RecordedRequest[]) => requests.map((r) => [r.method, r.path, r.body]);

export const single = (name: string, record: object) => ({ data: { [name]: record } });
export const list = (name: string, records: object[], hasMore = false, nextCursor: string | null = null) => ({
	data: { [name]: records },
	pagination: { has_more: hasMore, next_cursor: nextCursor, previous_cursor: null },
});

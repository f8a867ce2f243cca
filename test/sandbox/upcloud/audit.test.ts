/**
 * The sandbox's audit log on its own, with plain fetch: the documented filters, inclusive bounds, paging with
 * Upcloud-Total-Count, and the /__control call that appends events.
 */
import nock from 'nock';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startSandbox } = require('../server');

const NOW = '2026-11-15T12:30:00Z';
const AUTH = { authorization: `Basic ${Buffer.from('sandbox_user:Sandbox-Pass-123').toString('base64')}`, accept: 'application/json' };

let sb: { upcloudUrl: string; controlUrl: string; close(): Promise<void>; reset(body?: object): void };

beforeAll(async () => {
	nock.enableNetConnect('127.0.0.1');
	sb = await startSandbox({ port: 0, now: NOW });
});

beforeEach(() => sb.reset());

afterAll(async () => {
	await sb.close();
});

async function list(query: string) {
	const response = await fetch(`${sb.upcloudUrl}/audit-logs${query}`, { headers: AUTH });
	const body = (await response.json()) as { audit_logs?: Array<Record<string, unknown>>; error?: { error_code: string } };
	return { status: response.status, total: response.headers.get('upcloud-total-count'), body };
}

async function append(body: object) {
	const response = await fetch(`${sb.controlUrl}/audit-logs`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: response.status, body: (await response.json()) as { added: Array<Record<string, unknown>>; total: number; error?: string } };
}

describe('sandbox audit log', () => {
	it('appends events through /__control, several at one timestamp, and lists them newest first with the total', async () => {
		const appended = await append({ count: 3, event: { action: 'create', resource_type: 'auth', resource_sub_type: 'api-token', time: '2026-11-15T12:29:00Z' } });
		expect(appended.status).toBe(200);
		expect(appended.body.added).toHaveLength(3);
		const ids = appended.body.added.map((e) => e.cloud_event_id);
		expect(new Set(ids).size).toBe(3);

		const { status, total, body } = await list('?created_after=2026-11-15T12:29:00Z&resource_types=auth&actions=create');
		expect(status).toBe(200);
		expect(total).toBe('3');
		expect(body.audit_logs?.map((e) => e.time)).toEqual(['2026-11-15T12:29:00Z', '2026-11-15T12:29:00Z', '2026-11-15T12:29:00Z']);
	});

	it('created_after and created_before include their own instant; limit and offset page with the same total', async () => {
		await append({ events: [0, 1, 2, 3, 4].map((i) => ({ action: 'delete', time: `2026-11-15T12:0${i}:00Z` })) });
		const window = await list('?actions=delete&created_after=2026-11-15T12:01:00Z&created_before=2026-11-15T12:03:00Z');
		expect(window.body.audit_logs?.map((e) => e.time)).toEqual(['2026-11-15T12:03:00Z', '2026-11-15T12:02:00Z', '2026-11-15T12:01:00Z']);
		const page = await list('?actions=delete&limit=2&offset=2');
		expect(page.total).toBe('5');
		expect(page.body.audit_logs?.map((e) => e.time)).toEqual(['2026-11-15T12:02:00Z', '2026-11-15T12:01:00Z']);
	});

	it('refuses values outside the documented lists and limits', async () => {
		expect((await list('?actions=start')).body.error?.error_code).toBe('INVALID_FILTER');
		expect((await list('?limit=201')).status).toBe(400);
		expect((await list('?created_after=yesterday')).body.error?.error_code).toBe('INVALID_TIMESTAMP');
		expect((await append({ events: [{ action: 'explode' }] })).status).toBe(400);
	});

	it('logs other GETs as reads, which the actions filter leaves out', async () => {
		const before = Number((await list('?actions=read&limit=0')).total);
		await fetch(`${sb.upcloudUrl}/account`, { headers: AUTH });
		expect(Number((await list('?actions=read&limit=0')).total)).toBe(before + 1);
		expect((await list('?actions=create&actions=login&limit=200')).body.audit_logs?.some((e) => e.action === 'read')).toBe(false);
	});
});

/**
 * The sandbox must behave like the documented APIs on its own (it is what end-to-end tests and `npm run dev`
 * run against), so these tests talk to it with plain fetch, never through the nodes.
 */
import nock from 'nock';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startSandbox } = require('./server');

interface Sandbox {
	url: string;
	upcloudUrl: string;
	close(): Promise<void>;
	reset(body?: object): void;
}

const NOW = '2026-11-15T12:30:00Z';
const UPCLOUD_AUTH = `Basic ${Buffer.from('sandbox_user:Sandbox-Pass-123').toString('base64')}`;
const UPZELO_HEADERS = {
	Authorization: 'Bearer sandbox_key',
	'x-app-id': 'sandbox_app',
	Accept: 'application/json',
	'Content-Type': 'application/json',
};

let sb: Sandbox;

beforeAll(async () => {
	nock.enableNetConnect('127.0.0.1');
	sb = await startSandbox({ port: 0, upzeloSeedCount: 250, now: NOW });
});

afterAll(async () => {
	await sb.close();
});

/* eslint-disable @typescript-eslint/no-explicit-any */
type Init = Omit<RequestInit, 'headers'> & { headers?: Record<string, string> };
interface Reply {
	status: number;
	headers: Headers;
	text: string;
	json: any;
}

async function upcloud(path: string, init: Init = {}): Promise<Reply> {
	const res = await fetch(`${sb.upcloudUrl}${path}`, {
		...init,
		headers: { Authorization: UPCLOUD_AUTH, Accept: 'application/json', 'Content-Type': 'application/json', ...init.headers },
	});
	const text = await res.text();
	return { status: res.status, headers: res.headers, text, json: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined };
}

async function upzelo(path: string, init: Init = {}): Promise<{ status: number; json: any }> {
	const res = await fetch(`${sb.url}${path}`, { ...init, headers: { ...UPZELO_HEADERS, ...init.headers } });
	return { status: res.status, json: await res.json() };
}

async function control(path: string, body?: object): Promise<any> {
	const res = await fetch(`${sb.url}/__control${path}`, {
		method: body ? 'POST' : 'GET',
		headers: { 'Content-Type': 'application/json' },
		body: body ? JSON.stringify(body) : undefined,
	});
	return res.json();
}

describe('authentication', () => {
	it('UpCloud: 401 AUTHENTICATION_FAILED for a wrong password, no credentials, or a Bearer header', async () => {
		for (const headers of [
			{ Authorization: `Basic ${Buffer.from('sandbox_user:wrong').toString('base64')}` },
			{ Authorization: '' },
			{ Authorization: 'Bearer sandbox_key' },
		]) {
			const r = await upcloud('/account', { headers });
			expect(r.status).toBe(401);
			expect(r.json).toEqual({
				error: { error_code: 'AUTHENTICATION_FAILED', error_message: expect.any(String) },
			});
		}
	});

	it('Upzelo: 401 errors array without the key, with a wrong key, or without x-app-id', async () => {
		const variants: Array<Record<string, string>> = [
			{ Authorization: '' },
			{ Authorization: 'Bearer wrong' },
			{ 'x-app-id': '' },
			{ 'x-app-id': 'other_app' },
		];
		for (const headers of variants) {
			const r = await upzelo('/api/customers', { headers });
			expect(r.status).toBe(401);
			expect(r.json).toEqual({ errors: [{ code: 401, title: expect.any(String), detail: expect.any(String) }] });
		}
	});

	it('logs which auth each request used, never the secret', async () => {
		await upcloud('/account');
		await upzelo('/api/products?limit=1');
		const log = await control('/requests');
		const text = JSON.stringify(log);
		expect(text).not.toContain('Sandbox-Pass-123');
		expect(text).not.toContain('sandbox_key');
		const last = log.requests.slice(-2);
		expect(last[0]).toMatchObject({ service: 'upcloud', method: 'GET', path: '/1.3/account', auth: 'basic:sandbox_user', status: 200 });
		expect(last[1]).toMatchObject({ service: 'upzelo', path: '/api/products', query: { limit: '1' }, status: 200 });
		expect(last[1].auth).toMatch(/^bearer/);
	});
});

describe('Upzelo pagination', () => {
	it('serves 250 customers as 3 pages of at most 100 with opaque cursors', async () => {
		const ids: string[] = [];
		const cursors: string[] = [];
		let cursor: string | null = null;
		const pages: number[] = [];
		do {
			const q: string = `/api/customers?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
			const r = await upzelo(q);
			expect(r.status).toBe(200);
			expect(Object.keys(r.json)).toEqual(['data', 'pagination']);
			const page = r.json.data.customers;
			pages.push(page.length);
			ids.push(...page.map((c: { id: string }) => c.id));
			expect(r.json.pagination.has_more).toBe(pages.length < 3);
			cursor = r.json.pagination.next_cursor;
			if (cursor) {
				cursors.push(cursor);
				expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/); // opaque base64url, not an id
				expect(ids).not.toContain(cursor);
			}
			if (pages.length > 5) throw new Error('pagination does not end');
		} while (cursor);
		expect(pages).toEqual([100, 100, 50]);
		expect(new Set(ids).size).toBe(250);
		expect(ids.every((id) => /^upz_cus_[0-9a-f]{24}$/.test(id))).toBe(true);
		expect(new Set(cursors).size).toBe(2);
	});

	it('previous_cursor leads back to the previous page', async () => {
		const p1 = await upzelo('/api/products?limit=10');
		const p2 = await upzelo(`/api/products?limit=10&cursor=${p1.json.pagination.next_cursor}`);
		expect(p1.json.pagination.previous_cursor).toBeNull();
		expect(p2.json.pagination.previous_cursor).toEqual(expect.any(String));
		const back = await upzelo(`/api/products?limit=10&cursor=${p2.json.pagination.previous_cursor}`);
		expect(back.json.data.products).toEqual(p1.json.data.products);
	});

	it('refuses a limit above 100 with a 422 and the documented errors shape', async () => {
		const r = await upzelo('/api/prices?limit=101');
		expect(r.status).toBe(422);
		expect(r.json).toEqual({ errors: [{ code: 422, title: expect.any(String), detail: 'The limit must not be greater than 100.' }] });
	});

	it('honours include on invoices and products', async () => {
		const inv = await upzelo('/api/invoices?limit=2&include=line_items,customer,subscription');
		const invoice = inv.json.data.invoices[0];
		expect(invoice.line_items.length).toBeGreaterThan(0);
		expect(invoice.customer.id).toBe(invoice.customer_id);
		expect(invoice.subscription.id).toBe(invoice.subscription_id);
		const plain = await upzelo(`/api/invoices/${invoice.id}`);
		expect(plain.json.data.invoice).not.toHaveProperty('line_items');
		const prod = await upzelo('/api/products?limit=1&include=prices');
		// (fetch's JSON arrays come from another realm than jest's Array, hence isArray)
		expect(Array.isArray(prod.json.data.products[0].prices)).toBe(true);
		expect(prod.json.data.products[0].prices.length).toBeGreaterThan(0);
	});
});

describe('Upzelo records', () => {
	it('404 Entity not found with the documented detail', async () => {
		const r = await upzelo('/api/prices/upz_prc_doesntexist');
		expect(r.status).toBe(404);
		expect(r.json).toEqual({
			errors: [{ code: 404, title: 'Entity not found', detail: 'We cannot find an entity with an id matching upz_prc_doesntexist' }],
		});
	});

	it('422 for the "required when type is recurring" rule, then creates the price', async () => {
		const products = await upzelo('/api/products?limit=1');
		const productId = products.json.data.products[0].id;
		const body = { id: 'price-1', product_id: productId, currency: 'GBP', price: 4900, type: 'recurring' };
		const bad = await upzelo('/api/prices', { method: 'POST', body: JSON.stringify(body) });
		expect(bad.status).toBe(422);
		expect(bad.json.errors.map((e: { detail: string }) => e.detail)).toEqual([
			'The interval field is required when type is recurring.',
			'The interval count field is required when type is recurring.',
		]);
		const ok = await upzelo('/api/prices', { method: 'POST', body: JSON.stringify({ ...body, interval: 'month', interval_count: 1 }) });
		expect(ok.status).toBe(200);
		expect(ok.json.data.price).toMatchObject({ id: expect.stringMatching(/^upz_prc_/), price: 4900, type: 'recurring', interval: 'month' });
	});

	it('anonymises a customer found by its external id', async () => {
		const created = await upzelo('/api/customers', {
			method: 'POST',
			body: JSON.stringify({ id: 'crm-42', name: 'Richard Hendricks', email: 'richard@piedpiper.com', metadata: { plan: 'pro' } }),
		});
		const r = await upzelo('/api/customers/crm-42', { method: 'PUT' });
		expect(r.status).toBe(200);
		expect(r.json.data.customer).toEqual({
			id: created.json.data.customer.id,
			name: 'Anonymous',
			email: 'anonymous@example.com',
			metadata: { plan: 'pro' },
		});
	});
});

describe('UpCloud', () => {
	it('INVALID_TIME_WINDOW_SIZE for JSON over 31 days, but CSV for the same window', async () => {
		const q = '/account/network_usage/?from=2026-09-01T00:00:00Z&to=2026-10-15T00:00:00Z&accumulate=day';
		const json = await upcloud(q);
		expect(json.status).toBe(400);
		expect(json.json.error.error_code).toBe('INVALID_TIME_WINDOW_SIZE');
		const csv = await upcloud(q, { headers: { Accept: 'text/csv' } });
		expect(csv.status).toBe(200);
		expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
		const lines = csv.text.trim().split('\n');
		expect(lines[0]).toBe('start time,sent bytes,total sent bytes,accumulated quota bytes,projected monthly quota bytes,quota increase');
		expect(lines).toHaveLength(1 + 45);
	});

	it('partner create: password rule, 201 with a flat account, 409 ACCOUNT_EXISTS', async () => {
		const body = {
			username: 'sdk_test_partner_account',
			password: 'superSecret123',
			contact_details: { first_name: 'Test', last_name: 'User', country: 'FIN', email: 'test@myhost.mydomain', phone: '+358.31245434' },
		};
		const weak = await upcloud('/partner/accounts', { method: 'POST', body: JSON.stringify({ ...body, password: 'alllowercase1' }) });
		expect(weak.status).toBe(400);
		expect(weak.json).toEqual({ error: { error_code: 'PASSWORD_INVALID', error_message: 'The attribute password has an invalid value.' } });
		const ok = await upcloud('/partner/accounts', { method: 'POST', body: JSON.stringify(body) });
		expect(ok.status).toBe(201);
		expect(ok.json).toEqual({
			address: '', city: '', company: '', country: 'FIN', email: 'test@myhost.mydomain', first_name: 'Test',
			last_name: 'User', phone: '+358.31245434', postal_code: '', state: '', username: 'sdk_test_partner_account', vat_number: '',
		});
		const again = await upcloud('/partner/accounts', { method: 'POST', body: JSON.stringify(body) });
		expect(again.status).toBe(409);
		expect(again.json.error.error_code).toBe('ACCOUNT_EXISTS');
		const list = await upcloud('/partner/accounts');
		expect(Array.isArray(list.json)).toBe(true);
		expect(list.json.map((a: { username: string }) => a.username)).toContain('sdk_test_partner_account');
	});

	it('subaccount create, modify and delete answer 204 with an empty body', async () => {
		const create = await upcloud('/account/sub', {
			method: 'POST',
			body: JSON.stringify({
				sub_account: {
					username: 'jest_sub', password: 'mysecr3tPassword', email: 'jest@example.com', phone: '+358.31245434',
					currency: 'EUR', language: 'en', timezone: 'Europe/Helsinki', labels: [{ key: 'department', value: 'qa' }],
				},
			}),
		});
		expect([create.status, create.text]).toEqual([204, '']);
		const modify = await upcloud('/account/sub/jest_sub', { method: 'PUT', body: JSON.stringify({ account: { first_name: 'Jest' } }) });
		expect([modify.status, modify.text]).toEqual([204, '']);
		const details = await upcloud('/account/details/jest_sub');
		expect(details.json.account).toMatchObject({ username: 'jest_sub', type: 'sub', first_name: 'Jest', main_account: 'sandbox_user' });
		const listed = await upcloud('/account/list?label=Department%3Dqa');
		expect(listed.json.accounts.account.map((a: { username: string }) => a.username)).toEqual(['jest_sub']);
		const del = await upcloud('/account/sub/jest_sub', { method: 'DELETE' });
		expect([del.status, del.text]).toEqual([204, '']);
		const gone = await upcloud('/account/details/jest_sub');
		expect(gone.status).toBe(404);
	});

	it('validates subaccount bodies: envelope, phone format, state for USA billing accounts', async () => {
		const base = { username: 'jest_sub2', email: 'j@example.com', phone: '+358.31245434', currency: 'EUR', language: 'en', timezone: 'UTC' };
		const wrongEnvelope = await upcloud('/account/sub', { method: 'POST', body: JSON.stringify({ account: base }) });
		expect(wrongEnvelope.json.error.error_code).toBe('INVALID_REQUEST');
		const phone = await upcloud('/account/sub', { method: 'POST', body: JSON.stringify({ sub_account: { ...base, phone: '+358 31245434' } }) });
		expect(phone.json.error.error_code).toBe('PHONE_INVALID');
		const usa = {
			...base, roles: { role: ['billing'] }, first_name: 'A', last_name: 'B', address: '1 Main St', postal_code: '10001', city: 'New York', country: 'USA',
		};
		const state = await upcloud('/account/sub', { method: 'POST', body: JSON.stringify({ sub_account: usa }) });
		expect([state.status, state.json.error.error_code]).toEqual([400, 'STATE_MISSING']);
	});

	it('control endpoint drives credits, month spend and transfer', async () => {
		await control('/state', { credits: 4210, monthSpend: 321.5, transferBytes: 5e12 });
		const account = await upcloud('/account');
		expect(account.json.account.credits).toBe(4210);
		const summary = await upcloud('/account/billing/summary/2026-11');
		expect(summary.json.total_amount).toBe(321.5);
		const usage = await upcloud('/account/current_network_usage');
		expect(usage.json.stats.current_network_usage.total_sent_bytes).toBe(5e12);
		const deprecated = await upcloud('/account/billing_summary/2026-11');
		expect(deprecated.json.billing.total_amount).toBe(321.5);
	});
});

describe('fault injection (POST /__control/faults)', () => {
	const page = (cursor?: string) => upzelo(`/api/products?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);

	afterEach(async () => {
		await fetch(`${sb.url}/__control/faults`, { method: 'DELETE' });
	});

	it('fails the matching request with the service\'s error body and Retry-After, then answers normally', async () => {
		await control('/faults', { service: 'upcloud', status: 503, count: 1, path: '/1.3/account', retryAfter: 2 });
		const failed = await upcloud('/account');
		expect(failed.status).toBe(503);
		expect(failed.headers.get('retry-after')).toBe('2');
		expect(failed.json).toEqual({ error: { error_code: 'SERVICE_UNAVAILABLE', error_message: 'Injected fault: Service Unavailable.' } });
		expect((await upcloud('/account')).status).toBe(200);
	});

	it('after N lets N matching requests through; count fails that many; the log marks the faults', async () => {
		const since = (await control('/requests')).requests.at(-1)?.seq ?? 0;
		const date = 'Wed, 21 Oct 2026 07:28:00 GMT';
		await control('/faults', { service: 'upzelo', status: 429, after: 1, count: 2, pathPattern: '^/api/products$', retryAfter: date });
		expect((await upzelo('/api/products/upz_prod_x')).status).toBe(404);
		const statuses: number[] = [];
		for (let i = 0; i < 4; i++) statuses.push((await page()).status);
		expect(statuses).toEqual([200, 429, 429, 200]);
		const log = (await control(`/requests?since=${since}`)).requests;
		expect(log.map((r: { status: number; fault?: string }) => [r.status, r.fault])).toEqual([
			[404, undefined],
			[200, undefined],
			[429, 'status'],
			[429, 'status'],
			[200, undefined],
		]);
		const res = await fetch(`${sb.url}/__control/faults`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ service: 'upzelo', status: 503, retryAfter: date }),
		});
		expect(res.status).toBe(200);
		const fetched = await fetch(`${sb.url}/api/products?limit=1`, { headers: UPZELO_HEADERS });
		expect(fetched.headers.get('retry-after')).toBe(date);
	});

	it('reset: true closes the connection without an answer', async () => {
		await control('/faults', { service: 'upzelo', reset: true, method: 'get', path: '/api/products' });
		await expect(page()).rejects.toThrow();
		expect((await page()).status).toBe(200);
		const log = (await control('/requests')).requests;
		expect(log.at(-2)).toMatchObject({ method: 'GET', path: '/api/products', status: 0, fault: 'reset' });
	});

	it('refuses faults it cannot apply, naming the field', async () => {
		const refuse = async (body: object) => {
			const res = await fetch(`${sb.url}/__control/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
			return [res.status, ((await res.json()) as { error: string }).error];
		};
		expect(await refuse({ service: 'upzelo' })).toEqual([400, 'fault.status must be an HTTP error status (400–599), or set reset: true']);
		expect(await refuse({ service: 'upzelo', status: 503, pathPatern: 'x' })).toEqual([
			400,
			'unknown fault fields: pathPatern (known: service, status, reset, count, times, after, path, pathPattern, method, retryAfter)',
		]);
		expect((await refuse({ service: 'upzelo', status: 503, pathPattern: '(' }))[1]).toMatch(/^fault.pathPattern is not a regular expression/);
		expect((await control('/faults')).faults).toEqual([]);
	});
});

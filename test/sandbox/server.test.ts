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
	state: { upcloud: { tokenState: { tokens: Map<string, { name: string; secret: string }> } } };
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
	it('UpCloud: 401 AUTHENTICATION_FAILED for a wrong password, no credentials, or an unknown Bearer token', async () => {
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

	it('logs what identifyClient says about each request, and when it arrived', async () => {
		const ports: number[] = [];
		const own = await startSandbox({
			port: 0,
			identifyClient: (req: { socket: { remotePort: number } }) => {
				ports.push(req.socket.remotePort);
				return 'worker1';
			},
		});
		try {
			const before = Date.now();
			await fetch(`${own.url}/1.3/account`, { headers: { Authorization: UPCLOUD_AUTH } });
			const [entry] = own.requests();
			expect(entry).toMatchObject({ client: 'worker1', path: '/1.3/account', status: 200 });
			expect(ports).toHaveLength(1);
			expect(entry.startedAt).toBeGreaterThanOrEqual(before);
			expect(entry.startedAt).toBeLessThanOrEqual(Date.parse(entry.time));
		} finally {
			await own.close();
		}
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

describe('UpCloud API tokens (Bearer)', () => {
	const SEEDED = 'ucat_01SANDBOX0SEEDED0TOKEN0001';
	const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
	const inAnHour = () => new Date(Date.parse(NOW) + 3_600_000).toISOString();
	const create = (body: object, token = SEEDED) =>
		upcloud('/account/tokens', { method: 'POST', headers: bearer(token), body: JSON.stringify(body) });

	beforeEach(() => sb.reset());

	it('the seeded token authenticates beside Basic and acts as the main account; the log names it, never the secret', async () => {
		const r = await upcloud('/account', { headers: bearer(SEEDED) });
		expect(r.status).toBe(200);
		expect(r.json.account.username).toBe('sandbox_user');
		const log = await control('/requests');
		expect(log.requests.slice(-1)[0]).toMatchObject({ path: '/1.3/account', auth: 'bearer:sandbox_user', status: 200 });
		expect(JSON.stringify(log)).not.toContain(SEEDED);
	});

	it('create answers 201 with the secret once; get and list never show it; the new token authenticates', async () => {
		const created = await create({ name: 'n8n', expires_at: inAnHour(), can_create_tokens: false, allowed_ip_ranges: ['127.0.0.1', '::1/128'] });
		expect(created.status).toBe(201);
		expect(created.json).toEqual({
			token: expect.stringMatching(/^ucat_[0-9A-Z]{26}$/),
			id: expect.stringMatching(/^[0-9a-f-]{36}$/),
			name: 'n8n',
			type: 'workspace',
			created_at: expect.any(String),
			expires_at: '2026-11-15T13:30:00.00001Z',
			can_create_tokens: false,
			allowed_ip_ranges: ['127.0.0.1', '::1/128'],
			gui: false,
		});
		const { token, ...details } = created.json;
		const got = await upcloud(`/account/tokens/${details.id}`);
		expect(got.json).toEqual(details);
		expect((await upcloud('/account', { headers: bearer(token) })).status).toBe(200);
		const again = await upcloud(`/account/tokens/${details.id}`);
		expect(again.json.last_used_at).toEqual(expect.any(String));
		const list = await upcloud('/account/tokens?limit=100');
		expect(JSON.stringify(list.json)).not.toContain('ucat_');
	});

	it('without allowed_ip_ranges the token works from anywhere; with [] from nowhere', async () => {
		const open = await create({ name: 'open', expires_at: inAnHour() });
		const closed = await create({ name: 'closed', expires_at: inAnHour(), allowed_ip_ranges: [] });
		expect(open.json.allowed_ip_ranges).toEqual(['0.0.0.0/0', '::/0']);
		expect(closed.json.allowed_ip_ranges).toEqual([]);
		expect((await upcloud('/account', { headers: bearer(open.json.token) })).status).toBe(200);
		const refused = await upcloud('/account', { headers: bearer(closed.json.token) });
		expect(refused.status).toBe(401);
		expect(refused.json).toEqual({
			error: { error_code: 'AUTHENTICATION_FAILED', error_message: 'Authentication failed using the given bearer token.' },
		});
	});

	it('a deleted token is refused; deleting it again is a 404 problem+json', async () => {
		const { json } = await create({ name: 'short-lived', expires_at: inAnHour() });
		const deleted = await upcloud(`/account/tokens/${json.id}`, { method: 'DELETE' });
		expect(deleted.status).toBe(204);
		expect(deleted.text).toBe('');
		expect((await upcloud('/account', { headers: bearer(json.token) })).status).toBe(401);
		const again = await upcloud(`/account/tokens/${json.id}`, { method: 'DELETE' });
		expect(again.status).toBe(404);
		expect(again.headers.get('content-type')).toBe('application/problem+json');
		expect(again.json).toEqual({
			type: 'https://developers.upcloud.com/1.3/errors#ERROR_NOT_FOUND',
			title: 'Not Found',
			status: 404,
			detail: `Token ${json.id} not found.`,
			correlation_id: expect.any(String),
		});
	});

	it('refuses the expired and the GUI session token of the seed', async () => {
		const { tokens } = sb.state.upcloud.tokenState;
		for (const name of ['ci-deploy-2023', 'control-panel-session']) {
			const secret = [...tokens.values()].find((t) => t.name === name)!.secret;
			expect((await upcloud('/account', { headers: bearer(secret) })).status).toBe(401);
		}
	});

	it('validates create as documented, with problem+json invalid_params', async () => {
		const r = await create({
			name: '',
			expires_at: new Date(Date.parse(NOW) + 8761 * 3_600_000).toISOString(),
			allowed_ip_ranges: ['10.0.0.1-10.0.0.9'],
			extra: 1,
		});
		expect(r.status).toBe(400);
		expect(r.headers.get('content-type')).toBe('application/problem+json');
		expect(r.json.type).toBe('https://developers.upcloud.com/1.3/errors#ERROR_BAD_REQUEST');
		expect(r.json.invalid_params).toEqual([
			{ name: 'extra', reason: 'unknown attribute' },
			{ name: 'name', reason: 'must be 1-1024 characters' },
			{ name: 'expires_at', reason: 'must be at most 8760h in the future' },
			{ name: 'allowed_ip_ranges[0]', reason: 'must be an IP address or CIDR block' },
		]);
		const past = await create({ name: 'x', expires_at: '2026-11-15T12:00:00Z' });
		expect(past.json.invalid_params).toEqual([{ name: 'expires_at', reason: 'must be in the future' }]);
		const many = await create({ name: 'x', expires_at: inAnHour(), allowed_ip_ranges: Array(101).fill('::/0') });
		expect(many.json.invalid_params).toEqual([{ name: 'allowed_ip_ranges', reason: 'must have at most 100 entries' }]);
		const duration = await create({ name: 'x', expires_in: '1h30m' });
		expect(duration.status).toBe(201);
		expect(duration.json.expires_at).toBe('2026-11-15T14:00:00.00001Z');
	});

	it('a token may create tokens only with can_create_tokens; a 403 problem otherwise', async () => {
		const { json } = await create({ name: 'limited', expires_at: inAnHour() });
		const r = await create({ name: 'child', expires_at: inAnHour() }, json.token);
		expect(r.status).toBe(403);
		expect(r.json).toMatchObject({ type: 'https://developers.upcloud.com/1.3/errors#ERROR_FORBIDDEN', status: 403 });
	});

	it('lists a bare array paged by limit (default 20, at most 100) and offset, sorted and filtered by gui', async () => {
		for (let i = 0; i < 25; i++) await create({ name: `bulk-${String(i).padStart(2, '0')}`, expires_at: inAnHour() });
		const first = await upcloud('/account/tokens');
		expect(Array.isArray(first.json)).toBe(true);
		expect(first.json).toHaveLength(20);
		const all = await upcloud('/account/tokens?limit=100&offset=0');
		expect(all.json).toHaveLength(28); // 3 seeded for the main account + 25
		const pages = [];
		for (let offset = 0; ; offset += 10) {
			const page = (await upcloud(`/account/tokens?limit=10&offset=${offset}`)).json;
			pages.push(...page);
			if (page.length < 10) break;
		}
		expect(pages.map((t: { id: string }) => t.id)).toEqual(all.json.map((t: { id: string }) => t.id));
		const byName = await upcloud('/account/tokens?limit=3&sort=%2Bname');
		expect(byName.json.map((t: { name: string }) => t.name)).toEqual(['bulk-00', 'bulk-01', 'bulk-02']);
		const gui = await upcloud('/account/tokens?gui=true');
		expect(gui.json.map((t: { name: string }) => t.name)).toEqual(['control-panel-session']);
		expect((await upcloud('/account/tokens?limit=101')).status).toBe(400);
		expect((await upcloud('/account/tokens?sort=size')).json.invalid_params[0].name).toBe('sort');
	});

	it('a subaccount sees only its own tokens', async () => {
		const sub = `Basic ${Buffer.from('ops_team:Sandbox-Sub-Pass-123').toString('base64')}`;
		const r = await upcloud('/account/tokens', { headers: { Authorization: sub } });
		expect(r.json.map((t: { name: string }) => t.name)).toEqual(['ops-automation']);
		expect((await upcloud(`/account/tokens/${r.json[0].id}`)).status).toBe(404);
	});
});

describe('UpCloud permissions', () => {
	const PERMISSION = { target_identifier: '00798b85-efdc-41ca-8021-f6ef457b8531', target_type: 'server', user: 'auditor_ro', options: { storage: 'yes' } };
	const post = (path: string, permission: object, headers: Record<string, string> = {}) =>
		upcloud(path, { method: 'POST', headers, body: JSON.stringify({ permission }) });

	beforeEach(() => sb.reset());

	it('grant echoes the permission (200), list shows it, revoke with the same body answers 204', async () => {
		const granted = await post('/permission/grant', PERMISSION);
		expect(granted.status).toBe(200);
		expect(granted.json).toEqual({ permission: PERMISSION });
		const list = await upcloud('/permission');
		expect(list.json.permissions.permission).toContainEqual(PERMISSION);
		const revoked = await post('/permission/revoke', PERMISSION);
		expect(revoked.status).toBe(204);
		expect((await upcloud('/permission')).json.permissions.permission).not.toContainEqual(PERMISSION);
	});

	it('answers in the legacy error format: unknown target, repeated grant, unknown user, bad type, revoking nothing', async () => {
		const missing = await post('/permission/grant', { ...PERMISSION, target_identifier: '00000000-0000-4000-8000-000000000000' });
		expect(missing.status).toBe(404);
		expect(missing.json).toEqual({ error: { error_code: 'TARGET_NOT_FOUND', error_message: expect.any(String) } });
		const skipped = await post('/permission/grant?skip_target_check=true', { ...PERMISSION, target_identifier: '00000000-0000-4000-8000-000000000000' });
		expect(skipped.status).toBe(200);
		await post('/permission/grant', PERMISSION);
		expect((await post('/permission/grant', PERMISSION)).json.error.error_code).toBe('PERMISSION_EXISTS');
		expect((await post('/permission/grant', { ...PERMISSION, user: 'ghost_user' })).json.error.error_code).toBe('USER_NOT_FOUND');
		expect((await post('/permission/grant', { ...PERMISSION, target_type: 'vm' })).json.error.error_code).toBe('TARGET_TYPE_INVALID');
		expect((await post('/permission/grant', { ...PERMISSION, target_type: 'network', target_identifier: '*' })).json.error.error_code).toBe('OPTIONS_INVALID');
		const nothing = await post('/permission/revoke', { ...PERMISSION, user: 'finance_bot' });
		expect(nothing.status).toBe(404);
		expect(nothing.json.error.error_code).toBe('PERMISSION_NOT_FOUND');
	});

	it('a subaccount lists only its own permissions and may not grant', async () => {
		const sub = { Authorization: `Basic ${Buffer.from('ops_team:Sandbox-Sub-Pass-123').toString('base64')}` };
		const list = await upcloud('/permission', { headers: sub });
		expect(list.json.permissions.permission).toEqual([
			{ options: { storage: 'yes' }, target_identifier: '*', target_type: 'server', user: 'ops_team' },
		]);
		const grant = await post('/permission/grant', PERMISSION, sub);
		expect(grant.status).toBe(403);
	});

	it('works with the seeded token as well', async () => {
		const r = await post('/permission/grant', PERMISSION, { Authorization: 'Bearer ucat_01SANDBOX0SEEDED0TOKEN0001' });
		expect(r.status).toBe(200);
	});
});

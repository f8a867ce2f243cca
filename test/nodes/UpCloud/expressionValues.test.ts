import nock from 'nock';

import { anyRequest, api, BASE, run } from './fixtures';

/**
 * Issue #20, the examples as reported: values that expressions really produce ({{ $json.id }} as a number,
 * objects, NaN, padded text, bad limits). Each is either normalised into the correct request, or a clear input
 * error naming the field and showing the value, with nothing sent.
 */

/** Runs with one input item whose `v` is the value under test, each parameter given as {{ $json.… }}. */
const withValue = (value: unknown, parameters: Record<string, unknown>) => run(parameters, { items: [{ v: value } as never] });

function expectRefused(result: Awaited<ReturnType<typeof run>>, requests: unknown[], message: string) {
	expect(result.error?.message).toBe(message);
	expect(result.error?.description).toContain('Nothing was sent.');
	expect(requests).toEqual([]);
}

const BILL = { currency: 'EUR', total_amount: 1 };

describe('UpCloud: values from expressions are normalised once, before any rule or routing', () => {
	it('1. partner billing with a numeric username sends it as text in the username query', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/billing/summary/2025-05').query({ username: '12345678' }).reply(200, BILL);
		const result = await withValue(12345678, {
			resource: 'partnerAccount',
			operation: 'getBillingSummary',
			yearMonth: '2025-05',
			username: '={{ $json.v }}',
		});
		expect(result.error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual(['/1.3/account/billing/summary/2025-05?username=12345678']);
		expect(result.items.map((i) => i.json)).toEqual([BILL]);
	});

	it('1. partner billing with an object as username is refused, showing it as JSON', async () => {
		const requests = anyRequest();
		const result = await withValue({ id: 7 }, {
			resource: 'partnerAccount',
			operation: 'getBillingSummary',
			yearMonth: '2025-05',
			username: '={{ $json.v }}',
		});
		expectRefused(result, requests, 'Username must be text or a number (got {"id":7})');
	});

	it('2. subaccount delete with a numeric username deletes that subaccount, never the collection', async () => {
		const { scope, requests } = api();
		scope.delete('/1.3/account/sub/4711').reply(204);
		const result = await withValue(4711, { resource: 'subaccount', operation: 'delete', username: '={{ $json.v }}' });
		expect(result.error).toBeUndefined();
		expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['DELETE /1.3/account/sub/4711']);
		expect(result.items.map((i) => i.json)).toEqual([{ success: true, username: '4711' }]);
	});

	it('2. subaccount delete with an undefined username is refused', async () => {
		const requests = anyRequest();
		const result = await withValue(undefined, { resource: 'subaccount', operation: 'delete', username: '={{ $json.missing }}' });
		expectRefused(result, requests, 'Username is required');
	});

	it('3. partner account create with a numeric username sends it as text', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/partner/accounts').reply(201, { username: '12345678' });
		const result = await withValue(12345678, {
			resource: 'partnerAccount',
			operation: 'create',
			username: '={{ $json.v }}',
			password: 'Abcdefg1',
		});
		expect(result.error).toBeUndefined();
		expect(requests[0].body).toEqual({ username: '12345678', password: 'Abcdefg1' });
	});

	it('3. subaccount create with a numeric username sends sub_account.username as text and reads it back', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/account/sub').reply(204);
		scope.get('/1.3/account/details/12345678').reply(200, { account: { username: '12345678' } });
		const result = await withValue(12345678, {
			resource: 'subaccount',
			operation: 'create',
			username: '={{ $json.v }}',
			email: 'a@example.com',
			firstName: 'A',
			lastName: 'B',
			phone: '+358.91111111',
			company: 'C',
			address: 'Street 1',
			postalCode: '00100',
			city: 'Helsinki',
			country: 'FIN',
			timezone: 'UTC',
			currency: 'EUR',
			language: 'en',
			vatNumber: '',
		});
		expect(result.error?.message).toBeUndefined();
		expect((requests[0].body as { sub_account: { username: unknown } }).sub_account.username).toBe('12345678');
		expect(result.items.map((i) => i.json)).toEqual([{ username: '12345678' }]);
	});

	it('4. a numeric resource ID filter is sent, not dropped', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/billing/summary/2025-05').query(true).reply(200, BILL);
		const result = await withValue(1000000, {
			resource: 'billing',
			operation: 'getSummary',
			yearMonth: '2025-05',
			filters: { resourceId: '={{ $json.v }}' },
		});
		expect(result.error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual(['/1.3/account/billing/summary/2025-05?resource_id=1000000']);
	});

	it('4. zones with a number among them keep the whole filter', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/resource_network_usage').query(true).reply(200, { stats: { stat: [{ resource_id: 'x' }] } });
		const result = await run(
			{
				resource: 'networkUsage',
				operation: 'getResourceTransferStats',
				from: '2024-09-01T00:00:00',
				to: '2024-09-02T00:00:00',
				filters: { zones: '={{ ["fi-hel1", 2024] }}' },
			},
		);
		expect(result.error?.message).toBeUndefined();
		expect(requests).toHaveLength(1);
		expect(requests[0].path).toContain('zone=fi-hel1&zone=2024');
	});

	it('5. account get with a numeric username reads that account', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/details/12345').reply(200, { account: { username: '12345' } });
		const result = await withValue(12345, { resource: 'account', operation: 'get', username: '={{ $json.v }}' });
		expect(result.error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual(['/1.3/account/details/12345']);
	});

	it('5. a numeric resource ID goes into its path segment', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/resource_billing_summary/1000000/2019-12').reply(200, { billing: BILL });
		const result = await withValue(1000000, {
			resource: 'billing',
			operation: 'getResourceSummary',
			yearMonth: '2019-12',
			resourceId: '={{ $json.v }}',
		});
		expect(result.error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual(['/1.3/account/resource_billing_summary/1000000/2019-12']);
	});

	it('5. account update with a numeric username updates that account (no TypeError)', async () => {
		const { scope, requests } = api();
		scope.put('/1.3/account/details/12345').reply(204);
		scope.get('/1.3/account/details/12345').reply(200, { account: { username: '12345', first_name: 'Ada' } });
		const result = await withValue(12345, {
			resource: 'account',
			operation: 'update',
			username: '={{ $json.v }}',
			updateFields: { firstName: 'Ada' },
		});
		expect(result.error).toBeUndefined();
		expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
			'PUT /1.3/account/details/12345',
			'GET /1.3/account/details/12345',
		]);
	});

	it('8. a padded month is sent trimmed', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/billing_summary/2024-09').reply(200, { billing: BILL });
		const result = await run({ resource: 'billing', operation: 'getLegacySummary', yearMonth: ' 2024-09 ' });
		expect(result.error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual(['/1.3/account/billing_summary/2024-09']);
	});

	it.each([
		[0, 'Limit must be a whole number of at least 1; turn on Return All to get more (got 0)'],
		[-1, 'Limit must be a whole number of at least 1; turn on Return All to get more (got -1)'],
		['abc', 'Limit must be a whole number of at least 1; turn on Return All to get more (got "abc")'],
		[2.5, 'Limit must be a whole number of at least 1; turn on Return All to get more (got 2.5)'],
	])('9. account getAll with Limit %j is refused', async (limit, message) => {
		for (const resource of ['account', 'partnerAccount', 'permission']) {
			const requests = anyRequest();
			const result = await withValue(limit, { resource, operation: 'getAll', returnAll: false, limit: '={{ $json.v }}' });
			expectRefused(result, requests, message);
			nock.cleanAll();
		}
	});

	it('9. token getAll with Limit true is refused, not sent as limit=true', async () => {
		const requests = anyRequest();
		const result = await withValue(true, { resource: 'token', operation: 'getAll', returnAll: false, limit: '={{ $json.v }}' });
		expectRefused(result, requests, 'Limit must be a whole number from 1 to 100; turn on Return All to get more (got true)');
	});

	it('10. an object in a date field is shown as JSON, a missing value as nothing', async () => {
		let requests = anyRequest();
		let result = await withValue({ a: 1 }, {
			resource: 'networkUsage',
			operation: 'getTransferStats',
			from: '={{ $json.v }}',
			to: '2024-09-02T00:00:00',
		});
		expectRefused(result, requests, 'From must be a date and time, e.g. 2024-09-01T00:00:00 (got {"a":1})');
		nock.cleanAll();
		requests = anyRequest();
		result = await withValue({ toString: 'x' }, { resource: 'account', operation: 'get', username: '={{ $json.v }}' });
		expectRefused(result, requests, 'Username must be text or a number (got {"toString":"x"})');
	});

	it('11. NaN and Infinity are refused as token IDs', async () => {
		for (const expression of ['={{ NaN }}', '={{ Infinity }}']) {
			const requests = anyRequest();
			const result = await run({ resource: 'token', operation: 'get', tokenId: { __rl: true, mode: 'id', value: expression } });
			expect(result.error?.message).toMatch(/^Token must be text or a number \(got (NaN|Infinity)\)$/);
			expect(requests).toEqual([]);
			nock.cleanAll();
		}
	});
});

describe('UpCloud: answers that are not the JSON the API documents are one clear NodeApiError', () => {
	it.each([
		['an HTML page with 200', 200, '<!doctype html><html><body>Proxy</body></html>', { 'content-type': 'text/html' }, 'an HTML page (text/html)'],
		['an empty body', 200, '', { 'content-type': 'application/json' }, 'an empty body (application/json)'],
		['null', 200, 'null', { 'content-type': 'application/json' }, 'null (application/json)'],
		['truncated JSON', 200, '{"account": {"cred', { 'content-type': 'application/json' }, 'truncated or invalid JSON (application/json)'],
		['a list of non-objects', 200, '[1, "a", null]', { 'content-type': 'application/json' }, 'a list of non-objects (application/json)'],
	])('%s', async (_name, status, body, headers, shape) => {
		for (const [resource, operation, path, extra] of [
			['account', 'getCurrent', '/1.3/account', {}],
			['billing', 'getSummary', '/1.3/account/billing/summary/2025-05', { yearMonth: '2025-05' }],
			['partnerAccount', 'getAll', '/1.3/partner/accounts', { returnAll: true }],
		] as const) {
			const { scope } = api();
			scope.get(path).reply(status, body, headers);
			const result = await run({ resource, operation, ...extra });
			expect(result.error?.name).toBe('NodeApiError');
			expect(result.error?.message).toBe(`UpCloud answered with ${shape} where JSON was expected`);
			expect(result.error?.description).toContain('HTTP 200');
			expect(result.items).toEqual([]);
			nock.cleanAll();
		}
	});

	it('an object without the documented envelope gives no undefined item', async () => {
		nock(BASE).get('/1.3/account').reply(200, { something: 'else' });
		const result = await run({ resource: 'account', operation: 'getCurrent' });
		expect(result.error?.message).toBe('UpCloud answered without what the API documents (an item would be nothing (undefined))');
	});
});

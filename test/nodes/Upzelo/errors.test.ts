import nock from 'nock';

import { API_KEY, list, run, single, upzelo } from './harness';

const notFound = (id: string) => ({
	errors: [{ code: 404, title: 'Entity not found', detail: `We cannot find an entity with an id matching ${id}` }],
});

describe('Upzelo errors', () => {
	it('404: shows Upzelo\'s title and detail', async () => {
		const { api } = upzelo();
		api.get('/api/prices/upz_prc_doesntexist').reply(404, notFound('upz_prc_doesntexist'));
		const { error, items } = await run({ resource: 'price', operation: 'get', priceId: 'upz_prc_doesntexist' });
		expect(error?.message).toBe('Entity not found: We cannot find an entity with an id matching upz_prc_doesntexist');
		expect(error?.httpCode).toBe('404');
		expect(error?.description).toContain('Nothing with this ID exists');
		expect(items).toEqual([]);
	});

	it('401: readable, says where to fix it, and never shows the API key even when echoed back', async () => {
		const { api } = upzelo();
		api.get('/api/customers').query(true).reply(401, {
			errors: [{ code: 401, title: 'Unauthenticated', detail: `The API key ${API_KEY} is not valid for app app_42.` }],
		});
		const { error } = await run({ resource: 'customer', operation: 'getAll', returnAll: false, limit: 5 });
		expect(error?.message).toBe('Unauthenticated: The API key *** is not valid for app app_42.');
		expect(error?.httpCode).toBe('401');
		expect(error?.description).toContain('Developer section of Upzelo');
		expect(JSON.stringify(error)).not.toContain(API_KEY);
		expect(JSON.stringify(error)).not.toContain('Bearer');
	});

	it('422: every field\'s detail under the one title', async () => {
		const { api, requests } = upzelo();
		api.post('/api/subscriptions').reply(422, {
			errors: [
				{ code: 422, title: 'Validation error', detail: 'The selected price id is invalid.' },
				{ code: 422, title: 'Validation error', detail: 'The customer id field is required when customer is not present.' },
			],
		});
		const { error } = await run({
			resource: 'subscription',
			operation: 'create',
			externalId: 'sub-1',
			priceId: 'upz_prc_nope',
			status: 'active',
			startDate: '2022-11-10T16:10:41',
			cancelAtPeriodEnd: false,
			additionalFields: {},
		});
		expect(requests).toHaveLength(1);
		expect(error?.message).toBe(
			'Validation error: The selected price id is invalid. The customer id field is required when customer is not present.',
		);
		expect(error?.httpCode).toBe('422');
		expect(error?.description).toContain('rejected the input');
	});

	it('422 in Laravel\'s own format is readable too', async () => {
		const { api } = upzelo();
		api.post('/api/products').reply(422, {
			message: 'The given data was invalid.',
			errors: { name: ['The name field is required.'], id: ['The id has already been taken.'] },
		});
		const { error } = await run({ resource: 'product', operation: 'create', externalId: 'p', name: 'x' });
		expect(error?.message).toBe('The given data was invalid.: The name field is required. The id has already been taken.');
	});

	it.each<[number, object | string, string, string, number]>([
		[403, { errors: [{ code: 403, title: 'Forbidden', detail: 'This action is unauthorized.' }] }, 'Forbidden: This action is unauthorized.', 'App ID', 1],
		[429, { message: 'Too Many Attempts.' }, 'Too Many Attempts.', 'wait a moment', 5],
		[500, { errors: [{ code: 500, title: 'Server Error', detail: 'Something went wrong.' }] }, 'Server Error: Something went wrong.', 'try again later', 1],
		[502, '<html><body><h1>502 Bad Gateway</h1></body></html>', 'Upzelo answered HTTP 502: 502 Bad Gateway', 'try again later', 5],
		[503, '', 'Upzelo answered HTTP 503', 'try again later', 5],
	])('%s: readable message and meaning (%#: after every attempt the policy allows)', async (status, body, message, meaning, attempts) => {
		const { api } = upzelo();
		api.get('/api/discounts/upz_dis_1').times(attempts).reply(status, body as never);
		const { error } = await run({ resource: 'discount', operation: 'get', discountId: 'upz_dis_1' });
		expect(error?.message).toBe(message);
		expect(error?.httpCode).toBe(String(status));
		expect(error?.description).toContain(meaning);
		if (attempts > 1) {
			expect(error?.description).toMatch(/^Tried 5 times \(4 retries, 15 s of waiting\); the service kept failing\. /);
		}
	});

	it('an answer without Upzelo\'s envelope (wrong Base URL) is a clear error, not an empty item', async () => {
		const { api } = upzelo();
		api.get('/api/products/upz_prod_1').reply(200, '<!doctype html><title>Upzelo</title>', { 'content-type': 'text/html' });
		const { error } = await run({ resource: 'product', operation: 'get', productId: 'upz_prod_1' });
		expect(error?.message).toBe('Upzelo answered with an HTML page (text/html) where JSON was expected');
		expect(error?.description).toContain('Base URL');
		expect(error?.description).toContain('HTTP 200');
	});

	it('a connection failure does not expose the API key', async () => {
		// A real refused connection (nothing listens on port 9) rather than a nock error, which leaks
		// its socket error into the next test.
		nock.enableNetConnect('127.0.0.1');
		try {
			const { error } = await run(
				{ resource: 'customer', operation: 'get', customerId: 'upz_cus_1' },
				{ credentials: { upzeloApi: { apiKey: API_KEY, appId: 'app_42', baseUrl: 'http://127.0.0.1:9' } } },
			);
			expect(error?.message).toMatch(/refused/i);
			expect(JSON.stringify(error)).not.toContain(API_KEY);
		} finally {
			nock.disableNetConnect();
		}
	});

	it('an error on a later page fails the item (Return All)', async () => {
		const { api, requests } = upzelo();
		api.get('/api/invoices').query({ limit: '100' }).reply(200, list('invoices', [{ id: 'i1' }], true, 'c2'));
		api.get('/api/invoices').query({ limit: '100', cursor: 'c2' }).reply(500, { errors: [{ code: 500, title: 'Server Error', detail: 'Timeout.' }] });
		const { error, items } = await run({ resource: 'invoice', operation: 'getAll', returnAll: true });
		expect(requests).toHaveLength(2);
		expect(error?.message).toBe('Server Error: Timeout.');
		expect(items).toEqual([]);
	});

	it('subscription update: a missing subscription fails on the read, no PUT is sent', async () => {
		const { api, requests } = upzelo();
		api.get('/api/subscriptions/upz_sub_doesntexist').reply(404, notFound('upz_sub_doesntexist'));
		const { error } = await run({
			resource: 'subscription',
			operation: 'update',
			subscriptionId: 'upz_sub_doesntexist',
			updateFields: { status: 'canceled' },
		});
		expect(requests.map((r) => r.method)).toEqual(['GET']);
		expect(error?.message).toBe('Entity not found: We cannot find an entity with an id matching upz_sub_doesntexist');
		expect(error?.httpCode).toBe('404');
	});

	it('Continue On Fail: mixed items give records and error items, each linked to its input', async () => {
		const { api } = upzelo();
		api.get('/api/customers/upz_cus_1').reply(200, single('customer', { id: 'upz_cus_1', name: 'Gilfoyle' }));
		api.get('/api/customers/upz_cus_doesntexist').reply(404, notFound('upz_cus_doesntexist'));
		api.get('/api/customers/upz_cus_3').reply(401, { errors: [{ code: 401, title: 'Unauthenticated', detail: 'Bad key.' }] });
		const { items, error } = await run(
			{ resource: 'customer', operation: 'get', customerId: '={{ $json.id }}' },
			{ items: [{ id: 'upz_cus_1' }, { id: 'upz_cus_doesntexist' }, { id: '' }, { id: 'upz_cus_3' }], continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(items.map(({ json, pairedItem }) => ({ json, pairedItem }))).toEqual([
			{ json: { id: 'upz_cus_1', name: 'Gilfoyle' }, pairedItem: { item: 0 } },
			{
				json: { error: 'Entity not found: We cannot find an entity with an id matching upz_cus_doesntexist' },
				pairedItem: { item: 1 },
			},
			{ json: { error: 'Customer ID is required' }, pairedItem: { item: 2 } },
			{ json: { error: 'Unauthenticated: Bad key.' }, pairedItem: { item: 3 } },
		]);
	});

	it('without Continue On Fail the first failing item stops the node and names its item', async () => {
		const { api } = upzelo();
		api.get('/api/customers/upz_cus_1').reply(200, single('customer', { id: 'upz_cus_1' }));
		api.get('/api/customers/upz_cus_doesntexist').reply(404, notFound('upz_cus_doesntexist'));
		const { error } = await run(
			{ resource: 'customer', operation: 'get', customerId: '={{ $json.id }}' },
			{ items: [{ id: 'upz_cus_1' }, { id: 'upz_cus_doesntexist' }] },
		);
		expect(error?.message).toBe('Entity not found: We cannot find an entity with an id matching upz_cus_doesntexist');
		expect(error?.context?.itemIndex).toBe(1);
	});
});

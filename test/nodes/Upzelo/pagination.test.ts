import { expectSigned, list, run, sent, upzelo } from './harness';

const records = (prefix: string, from: number, count: number) =>
	Array.from({ length: count }, (_, i) => ({ id: `${prefix}_${from + i}` }));

describe('Upzelo Get Many pagination', () => {
	it('Return All: 250 customers over 3 pages of 100 follow next_cursor, 3 requests, 250 items in order', async () => {
		const { api, requests } = upzelo();
		api.get('/api/customers').query({ limit: '100' }).reply(200, list('customers', records('c', 0, 100), true, 'cur1=='));
		api.get('/api/customers').query({ limit: '100', cursor: 'cur1==' }).reply(200, list('customers', records('c', 100, 100), true, 'cur2'));
		api.get('/api/customers').query({ limit: '100', cursor: 'cur2' }).reply(200, list('customers', records('c', 200, 50), false, null));
		const { items, error } = await run({ resource: 'customer', operation: 'getAll', returnAll: true });
		expect(error).toBeUndefined();
		expect(sent(requests)).toEqual([
			['GET', '/api/customers?limit=100', undefined],
			['GET', '/api/customers?limit=100&cursor=cur1%3D%3D', undefined],
			['GET', '/api/customers?limit=100&cursor=cur2', undefined],
		]);
		requests.forEach(expectSigned);
		expect(items).toHaveLength(250);
		expect(items.map((item) => item.json.id)).toEqual(records('c', 0, 250).map((r) => r.id));
		expect(items.every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(true);
	});

	it('Return All: exactly 200 records cost 2 requests (has_more is false on the second page)', async () => {
		const { api, requests } = upzelo();
		api.get('/api/prices').query({ limit: '100' }).reply(200, list('prices', records('p', 0, 100), true, 'n1'));
		api.get('/api/prices').query({ limit: '100', cursor: 'n1' }).reply(200, list('prices', records('p', 100, 100), false, null));
		const { items, error } = await run({ resource: 'price', operation: 'getAll', returnAll: true });
		expect(error).toBeUndefined();
		expect(requests).toHaveLength(2);
		expect(items).toHaveLength(200);
	});

	it.each([
		['price', 'prices'],
		['customer', 'customers'],
		['discount', 'discounts'],
		['invoice', 'invoices'],
		['product', 'products'],
		['subscription', 'subscriptions'],
	])('the one paginator serves %s Get Many', async (resource, plural) => {
		const { api, requests } = upzelo();
		api.get(`/api/${plural}`).query({ limit: '100' }).reply(200, list(plural, records(plural, 0, 100), true, 'next'));
		api.get(`/api/${plural}`).query({ limit: '100', cursor: 'next' }).reply(200, list(plural, records(plural, 100, 1)));
		const { items, error } = await run({ resource, operation: 'getAll', returnAll: true });
		expect(error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual([`/api/${plural}?limit=100`, `/api/${plural}?limit=100&cursor=next`]);
		expect(items).toHaveLength(101);
	});

	it('Limit 7: one request with limit=7 even when Upzelo says more follow', async () => {
		const { api, requests } = upzelo();
		api.get('/api/subscriptions').query({ limit: '7' }).reply(200, list('subscriptions', records('s', 0, 7), true, 'more'));
		const { items, error } = await run({ resource: 'subscription', operation: 'getAll', returnAll: false, limit: 7 });
		expect(error).toBeUndefined();
		expect(sent(requests)).toEqual([['GET', '/api/subscriptions?limit=7', undefined]]);
		expect(items.map((item) => item.json.id)).toEqual(records('s', 0, 7).map((r) => r.id));
	});

	it('keeps include on every page', async () => {
		const { api, requests } = upzelo();
		const include = 'line_items,subscription,customer';
		api.get('/api/invoices').query({ include, limit: '100' }).reply(200, list('invoices', records('i', 0, 100), true, 'p2'));
		api.get('/api/invoices').query({ include, limit: '100', cursor: 'p2' }).reply(200, list('invoices', records('i', 100, 100), true, 'p3'));
		api.get('/api/invoices').query({ include, limit: '100', cursor: 'p3' }).reply(200, list('invoices', records('i', 200, 3)));
		const { items, error } = await run({
			resource: 'invoice',
			operation: 'getAll',
			returnAll: true,
			include: ['line_items', 'subscription', 'customer'],
		});
		expect(error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual([
			'/api/invoices?include=line_items%2Csubscription%2Ccustomer&limit=100',
			'/api/invoices?include=line_items%2Csubscription%2Ccustomer&limit=100&cursor=p2',
			'/api/invoices?include=line_items%2Csubscription%2Ccustomer&limit=100&cursor=p3',
		]);
		expect(items).toHaveLength(203);
	});

	it('stops with a clear error when Upzelo repeats a cursor', async () => {
		const { api, requests } = upzelo();
		api.get('/api/products').query({ limit: '100' }).reply(200, list('products', records('p', 0, 100), true, 'same'));
		api.get('/api/products').query({ limit: '100', cursor: 'same' }).reply(200, list('products', records('p', 100, 100), true, 'same'));
		const { items, error } = await run({ resource: 'product', operation: 'getAll', returnAll: true });
		expect(requests).toHaveLength(2);
		expect(items).toEqual([]);
		expect(error?.message).toBe('Upzelo sent the same page cursor twice (same)');
		expect(error?.description).toContain('Stopped after 200 records');
	});

	it('stops when the cursors run in a circle (A → B → A)', async () => {
		const { api, requests } = upzelo();
		api.get('/api/prices').query({ limit: '100' }).reply(200, list('prices', records('p', 0, 100), true, 'A'));
		api.get('/api/prices').query({ limit: '100', cursor: 'A' }).reply(200, list('prices', records('p', 100, 100), true, 'B'));
		api.get('/api/prices').query({ limit: '100', cursor: 'B' }).reply(200, list('prices', records('p', 200, 100), true, 'A'));
		const { error } = await run({ resource: 'price', operation: 'getAll', returnAll: true });
		expect(requests).toHaveLength(3);
		expect(error?.message).toBe('Upzelo sent the same page cursor twice (A)');
	});

	it('stops with a clear error when has_more comes without a cursor', async () => {
		const { api, requests } = upzelo();
		api.get('/api/discounts').query({ limit: '100' }).reply(200, list('discounts', records('d', 0, 100), true, null));
		const { error } = await run({ resource: 'discount', operation: 'getAll', returnAll: true });
		expect(requests).toHaveLength(1);
		expect(error?.message).toBe('Upzelo said more records follow but sent no cursor to fetch them');
		expect(error?.description).toContain('Stopped after 100 records');
	});

	it('links every record to its own input item when several items run', async () => {
		const { api, requests } = upzelo();
		for (const item of [0, 1]) {
			api.get('/api/customers').query({ limit: '100' }).reply(200, list('customers', records(`in${item}`, 0, 100), true, `c${item}`));
		}
		// Items run concurrently: answer each cursor with its own second page.
		api.get('/api/customers').query({ limit: '100', cursor: 'c0' }).reply(200, list('customers', records('in0', 100, 1)));
		api.get('/api/customers').query({ limit: '100', cursor: 'c1' }).reply(200, list('customers', records('in1', 100, 2)));
		const { items, error } = await run(
			{ resource: 'customer', operation: 'getAll', returnAll: true },
			{ items: [{ n: 0 }, { n: 1 }] },
		);
		expect(error).toBeUndefined();
		expect(requests).toHaveLength(4);
		expect(items).toHaveLength(203);
		// Items run concurrently, so either may get either first page; each item's records stay one
		// list (one prefix, its own cursor's second page) linked to that item.
		const pairs = items.map((item) => (item.pairedItem as { item: number }).item);
		const first = pairs.filter((p) => p === 0).length;
		expect([101, 102]).toContain(first);
		expect(pairs).toEqual([...Array(first).fill(0), ...Array(203 - first).fill(1)]);
		const prefixes = (from: number, to: number) => new Set(items.slice(from, to).map((i) => String(i.json.id).split('_')[0]));
		expect(prefixes(0, first).size).toBe(1);
		expect(prefixes(first, 203).size).toBe(1);
	});

	it('pairs the results of each input item with that item (Limit, several items)', async () => {
		const { api } = upzelo();
		api.get('/api/prices').query({ limit: '2' }).reply(200, list('prices', records('a', 0, 2)));
		api.get('/api/prices').query({ limit: '3' }).reply(200, list('prices', records('b', 0, 3)));
		const { items, error } = await run(
			{ resource: 'price', operation: 'getAll', returnAll: false, limit: '={{ $json.n }}' },
			{ items: [{ n: 2 }, { n: 3 }] },
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.id, item.pairedItem])).toEqual([
			['a_0', { item: 0 }],
			['a_1', { item: 0 }],
			['b_0', { item: 1 }],
			['b_1', { item: 1 }],
			['b_2', { item: 1 }],
		]);
	});
});

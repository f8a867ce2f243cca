import nock from 'nock';

import { run, single, upzelo } from './harness';

/** Issue #20 on Upzelo: classes 10 and 11, and a numeric ID normalised to its text. */
describe('Upzelo: values from expressions', () => {
	afterEach(() => nock.cleanAll());

	it.each([
		['={{ NaN }}', 'Customer ID must be text or a number (got NaN)'],
		['={{ Infinity }}', 'Customer ID must be text or a number (got Infinity)'],
		['={{ { id: 1 } }}', 'Customer ID must be text or a number (got {"id":1})'],
		['={{ $json.missing }}', 'Customer ID is required'],
	])('customer get with Customer ID %s is refused, nothing sent', async (customerId, message) => {
		const { requests } = upzelo();
		const { error } = await run({ resource: 'customer', operation: 'get', customerId });
		expect(error?.message).toBe(message);
		expect(error?.description).toContain('Nothing was sent.');
		expect(requests).toEqual([]);
	});

	it('a numeric Customer ID is sent as its text', async () => {
		const { api, requests } = upzelo();
		api.get('/api/customers/4711').reply(200, single('customer', { id: '4711' }));
		const { error, items } = await run({ resource: 'customer', operation: 'get', customerId: '={{ 4711 }}' });
		expect(error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual(['/api/customers/4711']);
		expect(items.map((i) => i.json)).toEqual([{ id: '4711' }]);
	});

	it('an object in Include is shown as JSON, not [object Object]', async () => {
		const { requests } = upzelo();
		const { error } = await run({ resource: 'invoice', operation: 'get', invoiceId: 'upz_inv_1', include: '={{ [{ a: 1 }] }}' });
		expect(error?.message).toBe('Include must be one of its options (got {"a":1})');
		expect(requests).toEqual([]);
	});
});

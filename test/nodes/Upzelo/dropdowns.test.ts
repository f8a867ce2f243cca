import { runListSearch } from '../../helpers/load-options';
import { describePrice } from '../../../nodes/Upzelo/listSearch';
import { expectSigned, list, nodeTypes, upzelo } from './harness';

const search = (method: string, parameter: string, filter?: string, paginationToken?: string) =>
	runListSearch({ type: 'upzelo', nodeTypes, method, parameter, filter, paginationToken });

describe('Upzelo dropdowns', () => {
	it('products for Price → Create come from GET /api/products, a page at a time', async () => {
		const { api, requests } = upzelo();
		api.get('/api/products').query({ limit: '100' }).reply(
			200,
			list('products', [{ id: 'upz_prod_1', name: 'Middle out' }, { id: 'upz_prod_2', name: 'Box' }], true, 'next=='),
		);
		const result = await search('searchProducts', 'productId');
		expect(requests.map((r) => r.path)).toEqual(['/api/products?limit=100']);
		expectSigned(requests[0]);
		expect(result).toEqual({
			results: [
				{ name: 'Middle out', value: 'upz_prod_1' },
				{ name: 'Box', value: 'upz_prod_2' },
			],
			paginationToken: 'next==',
		});
	});

	it('the next page is asked for with the cursor, and a search filters by name or ID', async () => {
		const { api, requests } = upzelo();
		api.get('/api/products').query({ limit: '100', cursor: 'next==' }).reply(
			200,
			list('products', [{ id: 'upz_prod_3', name: 'Middle-out Pro' }, { id: 'upz_prod_4', name: 'Signature Box' }]),
		);
		const result = await search('searchProducts', 'productId', 'MIDDLE', 'next==');
		expect(requests.map((r) => r.path)).toEqual(['/api/products?limit=100&cursor=next%3D%3D']);
		expect(result).toEqual({ results: [{ name: 'Middle-out Pro', value: 'upz_prod_3' }], paginationToken: undefined });
	});

	it('a cursor that repeats ends the dropdown\'s paging', async () => {
		const { api } = upzelo();
		api.get('/api/products').query({ limit: '100', cursor: 'same' }).reply(200, list('products', [], true, 'same'));
		const result = await search('searchProducts', 'productId', undefined, 'same');
		expect(result.paginationToken).toBeUndefined();
	});

	it('prices for Subscription → Create show title, amount and interval', async () => {
		const { api, requests } = upzelo();
		api.get('/api/prices').query({ limit: '100' }).reply(
			200,
			list('prices', [
				{ id: 'upz_prc_1', title: null, currency: 'gbp', price: 1000, type: 'recurring', interval: 'month', interval_count: 1 },
				{ id: 'upz_prc_2', title: 'quarterly', currency: 'usd', price: 2500, type: 'recurring', interval: 'month', interval_count: 3 },
				{ id: 'upz_prc_3', title: 'setup', currency: 'eur', price: 500, type: 'one_time', interval: null, interval_count: null },
			]),
		);
		const result = await search('searchPrices', 'priceId');
		expectSigned(requests[0]);
		expect(result.results).toEqual([
			{ name: 'Untitled price (10.00 GBP / month)', value: 'upz_prc_1' },
			{ name: 'quarterly (25.00 USD every 3 months)', value: 'upz_prc_2' },
			{ name: 'setup (5.00 EUR one time)', value: 'upz_prc_3' },
		]);
		expect(describePrice({ price: null, tiered: true, type: 'recurring', interval: 'year', interval_count: 1 })).toBe('Tiered / year');
	});

	it('an Upzelo error reaches the dropdown readably', async () => {
		const { api } = upzelo();
		api.get('/api/prices').query(true).reply(401, { errors: [{ code: 401, title: 'Unauthenticated', detail: 'Bad key.' }] });
		await expect(search('searchPrices', 'priceId')).rejects.toThrow('Unauthenticated: Bad key.');
	});
});

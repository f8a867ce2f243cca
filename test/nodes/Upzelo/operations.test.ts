import nock from 'nock';

import { TEST_CREDENTIALS } from '../../helpers/engine';
import { recordRequests } from '../../helpers/requests';
import { expectSigned, list, run, sent, single, upzelo } from './harness';

// Records as Upzelo's docs show them.
const PRICE = {
	id: 'upz_prc_96f6081bdd7a8cec76b91d70',
	title: null,
	currency: 'gbp',
	price: 1000,
	tiered: false,
	type: 'recurring',
	interval: 'month',
	interval_count: 1,
};
const CUSTOMER = {
	id: 'upz_cus_f71131445dc150e5dfab1752',
	name: 'Richard Hendricks',
	email: 'richard@piedpiper.com',
	metadata: { 'signup-source': 'facebook', 'marketing-campaign': 'summer-2022' },
};
const DISCOUNT = {
	id: 'upz_dis_64ed0421075ef4bbd0e4bcbd',
	name: 'Test Discount',
	duration: 'forever',
	duration_in_months: null,
	amount_off: 1,
	percent_off: null,
	currency: 'gbp',
};
const INVOICE = {
	id: 'upz_inv_e4a7a78ef8627d991b50ea1b',
	total: 10000,
	created: 1586044800,
	period_start: 1586044800,
	period_end: 1588636800,
	currency: 'GBP',
	customer_id: 'upz_cus_76061f3bfae24e02ef3e7528',
	subscription_id: 'upz_sub_3256ab69668e527ac869532f',
};
const PRODUCT = { id: 'upz_prod_d500626f627e3d4a9023486', name: 'Test Product' };
const SUBSCRIPTION = {
	id: 'upz_sub_15178e786c1d72e393555e69',
	customer_id: 'upz_cus_76061f3bfae24e02ef3e7528',
	current_period_start: 1659182400,
	current_period_end: 1661860800,
	cancel_at_period_end: false,
	status: 'active',
	start_date: 1659182400,
	canceled_at: null,
};

const one = (json: object) => [{ json, pairedItem: { item: 0 } }];

describe('Upzelo prices', () => {
	it('getAll: GET /api/prices?limit=<Limit>, one item per price', async () => {
		const { api, requests } = upzelo();
		const other = { ...PRICE, id: 'upz_prc_2', type: 'one_time', interval: null, interval_count: null };
		api.get('/api/prices').query({ limit: '2' }).reply(200, list('prices', [PRICE, other], true, 'eyJuZXh0IjoxfQ'));
		const { items, error } = await run({ resource: 'price', operation: 'getAll', returnAll: false, limit: 2 });
		expect(error).toBeUndefined();
		expect(sent(requests)).toEqual([['GET', '/api/prices?limit=2', undefined]]);
		expectSigned(requests[0]);
		expect(items).toEqual([...one(PRICE), ...one(other)]);
	});

	it('create: POSTs every documented field, product chosen from the dropdown', async () => {
		const { api, requests } = upzelo();
		api.post('/api/prices').reply(200, single('price', PRICE));
		const { items, error } = await run({
			resource: 'price',
			operation: 'create',
			externalId: 'price-1233',
			productId: { __rl: true, mode: 'list', value: 'upz_prod_12374', cachedResultName: 'Middle out' },
			currency: 'GBP',
			price: 4900,
			type: 'recurring',
			additionalFields: { title: 'middle-out-gbp', interval: 'month', intervalCount: 1 },
		});
		expect(error).toBeUndefined();
		expect(sent(requests)).toEqual([
			[
				'POST',
				'/api/prices',
				{
					id: 'price-1233',
					product_id: 'upz_prod_12374',
					currency: 'GBP',
					price: 4900,
					type: 'recurring',
					title: 'middle-out-gbp',
					interval: 'month',
					interval_count: 1,
				},
			],
		]);
		expectSigned(requests[0]);
		expect(requests[0].headers['content-type']).toBe('application/json');
		expect(items).toEqual(one(PRICE));
	});

	it('create: a one-time price with the product typed as an ID, another currency by expression', async () => {
		const { api, requests } = upzelo();
		api.post('/api/prices').reply(200, single('price', { ...PRICE, type: 'one_time' }));
		const { error } = await run({
			resource: 'price',
			operation: 'create',
			externalId: '={{ 42 }}',
			productId: { __rl: true, mode: 'id', value: 'upz_prod_12374' },
			currency: '={{ "chf" }}',
			price: 0,
			type: 'one_time',
			additionalFields: {},
		});
		expect(error).toBeUndefined();
		expect(requests[0].body).toEqual({
			id: '42',
			product_id: 'upz_prod_12374',
			currency: 'CHF',
			price: 0,
			type: 'one_time',
		});
	});

	it('get: GET /api/prices/{id} with the ID URL-encoded, record unwrapped', async () => {
		const { api, requests } = upzelo();
		api.get('/api/prices/upz_prc_96f6081bdd7a8cec76b91d70').reply(200, single('price', PRICE));
		api.get('/api/prices/a%2Fb%3Fc%20d').reply(200, single('price', PRICE));
		const first = await run({ resource: 'price', operation: 'get', priceId: ' upz_prc_96f6081bdd7a8cec76b91d70 ' });
		const second = await run({ resource: 'price', operation: 'get', priceId: 'a/b?c d' });
		expect(first.error).toBeUndefined();
		expect(second.error).toBeUndefined();
		expect(sent(requests)).toEqual([
			['GET', '/api/prices/upz_prc_96f6081bdd7a8cec76b91d70', undefined],
			['GET', '/api/prices/a%2Fb%3Fc%20d', undefined],
		]);
		requests.forEach(expectSigned);
		expect(first.items).toEqual(one(PRICE));
	});
});

describe('Upzelo customers', () => {
	it('getAll: GET /api/customers?limit=<Limit>', async () => {
		const { api, requests } = upzelo();
		api.get('/api/customers').query({ limit: '50' }).reply(200, list('customers', [CUSTOMER]));
		const { items, error } = await run({ resource: 'customer', operation: 'getAll', returnAll: false, limit: 50 });
		expect(error).toBeUndefined();
		expect(sent(requests)).toEqual([['GET', '/api/customers?limit=50', undefined]]);
		expectSigned(requests[0]);
		expect(items).toEqual(one(CUSTOMER));
	});

	it('create: POSTs the docs\' example, the picked date converted from the workflow time zone', async () => {
		const { api, requests } = upzelo();
		api.post('/api/customers').reply(200, single('customer', CUSTOMER));
		const { items, error } = await run(
			{
				resource: 'customer',
				operation: 'create',
				externalId: 'customer-1233',
				additionalFields: {
					name: 'Richard Hendricks',
					email: 'richard@piedpiper.com',
					description: 'Created middle-out compression',
					// Wall clock in Europe/London (BST, UTC+1) as the date picker gives it.
					created: '2022-08-05T10:31:02',
					phone: '+447123456789',
					metadata: {
						entry: [
							{ key: 'signup-source', value: 'facebook' },
							{ key: 'marketing-campaign', value: 'summer-2022' },
						],
					},
				},
			},
			{ timezone: 'Europe/London' },
		);
		expect(error).toBeUndefined();
		expect(sent(requests)).toEqual([
			[
				'POST',
				'/api/customers',
				{
					id: 'customer-1233',
					name: 'Richard Hendricks',
					email: 'richard@piedpiper.com',
					description: 'Created middle-out compression',
					created: '2022-08-05T09:31:02',
					phone: '+447123456789',
					metadata: { 'signup-source': 'facebook', 'marketing-campaign': 'summer-2022' },
				},
			],
		]);
		expectSigned(requests[0]);
		expect(items).toEqual(one(CUSTOMER));
	});

	it('create: only the External ID when nothing else is given; empty optional text is left out', async () => {
		const { api, requests } = upzelo();
		api.post('/api/customers').reply(200, single('customer', { ...CUSTOMER, name: null, email: null }));
		const { error } = await run({
			resource: 'customer',
			operation: 'create',
			externalId: 'customer-2',
			additionalFields: { name: '', email: '', created: '' },
		});
		expect(error).toBeUndefined();
		expect(requests[0].body).toEqual({ id: 'customer-2' });
	});

	it('create: dates from expressions (ISO with offset, Unix seconds) are sent in the docs\' format', async () => {
		const { api, requests } = upzelo();
		api.post('/api/customers').times(2).reply(200, single('customer', CUSTOMER));
		await run({ resource: 'customer', operation: 'create', externalId: 'c', additionalFields: { created: '2022-08-05T11:31:02+02:00' } });
		await run({ resource: 'customer', operation: 'create', externalId: 'c', additionalFields: { created: '={{ 1659691862 }}' } });
		expect(requests.map((r) => r.body)).toEqual([
			{ id: 'c', created: '2022-08-05T09:31:02' },
			{ id: 'c', created: '2022-08-05T09:31:02' },
		]);
	});

	it('get: GET /api/customers/{id}', async () => {
		const { api, requests } = upzelo();
		api.get('/api/customers/upz_cus_76061f3bfae24e02ef3e7528').reply(200, single('customer', CUSTOMER));
		const { items, error } = await run({ resource: 'customer', operation: 'get', customerId: 'upz_cus_76061f3bfae24e02ef3e7528' });
		expect(error).toBeUndefined();
		expect(sent(requests)).toEqual([['GET', '/api/customers/upz_cus_76061f3bfae24e02ef3e7528', undefined]]);
		expectSigned(requests[0]);
		expect(items).toEqual(one(CUSTOMER));
	});

	it('anonymize: PUT /api/customers/{id or external ID} with no body', async () => {
		const { api, requests } = upzelo();
		const anonymous = { ...CUSTOMER, name: 'Anonymous', email: 'anonymous@example.com' };
		api.put('/api/customers/customer-1233').reply(200, single('customer', anonymous));
		const { items, error } = await run({ resource: 'customer', operation: 'anonymize', customerId: 'customer-1233' });
		expect(error).toBeUndefined();
		expect(sent(requests)).toEqual([['PUT', '/api/customers/customer-1233', undefined]]);
		expect(requests[0].headers['content-type']).toBeUndefined();
		expect(requests[0].headers['content-length'] ?? '0').toBe('0');
		expectSigned(requests[0]);
		expect(items).toEqual(one(anonymous));
	});
});

describe('Upzelo discounts', () => {
	it('getAll: GET /api/discounts?limit=<Limit>, including the template discount whose id is null', async () => {
		const { api, requests } = upzelo();
		const template = { ...DISCOUNT, id: null, name: 'Upzelo template money offer', duration: 'once' };
		api.get('/api/discounts').query({ limit: '10' }).reply(200, list('discounts', [template, DISCOUNT]));
		const { items, error } = await run({ resource: 'discount', operation: 'getAll', returnAll: false, limit: 10 });
		expect(error).toBeUndefined();
		expect(sent(requests)).toEqual([['GET', '/api/discounts?limit=10', undefined]]);
		expectSigned(requests[0]);
		expect(items).toEqual([...one(template), ...one(DISCOUNT)]);
	});

	it('create: a repeating percentage discount, duration_in_months sent as the documented string', async () => {
		const { api, requests } = upzelo();
		const created = { ...DISCOUNT, duration: 'repeating', duration_in_months: 3, amount_off: null, percent_off: 25 };
		api.post('/api/discounts').reply(200, single('discount', created));
		const { items, error } = await run({
			resource: 'discount',
			operation: 'create',
			externalId: 'discount-1',
			name: '25% for a quarter',
			duration: 'repeating',
			currency: 'GBP',
			additionalFields: { durationInMonths: 3, percentOff: 25 },
		});
		expect(error).toBeUndefined();
		expect(sent(requests)).toEqual([
			[
				'POST',
				'/api/discounts',
				{
					id: 'discount-1',
					name: '25% for a quarter',
					duration: 'repeating',
					currency: 'GBP',
					duration_in_months: '3',
					percent_off: 25,
				},
			],
		]);
		expectSigned(requests[0]);
		expect(items).toEqual(one(created));
	});

	it('create: an amount discount forever', async () => {
		const { api, requests } = upzelo();
		api.post('/api/discounts').reply(200, single('discount', DISCOUNT));
		const { error } = await run({
			resource: 'discount',
			operation: 'create',
			externalId: 'discount-2',
			name: 'Test Discount',
			duration: 'forever',
			currency: 'GBP',
			additionalFields: { amountOff: 500 },
		});
		expect(error).toBeUndefined();
		expect(requests[0].body).toEqual({
			id: 'discount-2',
			name: 'Test Discount',
			duration: 'forever',
			currency: 'GBP',
			amount_off: 500,
		});
	});

	it('get: GET /api/discounts/{id}', async () => {
		const { api, requests } = upzelo();
		api.get('/api/discounts/upz_dis_64ed0421075ef4bbd0e4bcbd').reply(200, single('discount', DISCOUNT));
		const { items, error } = await run({ resource: 'discount', operation: 'get', discountId: 'upz_dis_64ed0421075ef4bbd0e4bcbd' });
		expect(error).toBeUndefined();
		expect(sent(requests)).toEqual([['GET', '/api/discounts/upz_dis_64ed0421075ef4bbd0e4bcbd', undefined]]);
		expectSigned(requests[0]);
		expect(items).toEqual(one(DISCOUNT));
	});
});

describe('Upzelo invoices', () => {
	it('getAll: include is one comma list next to limit', async () => {
		const { api, requests } = upzelo();
		const withCustomer = { ...INVOICE, customer: CUSTOMER, line_items: [] };
		api.get('/api/invoices').query({ limit: '5', include: 'customer,line_items' }).reply(200, list('invoices', [withCustomer]));
		const { items, error } = await run({
			resource: 'invoice',
			operation: 'getAll',
			returnAll: false,
			limit: 5,
			include: ['customer', 'line_items'],
		});
		expect(error).toBeUndefined();
		expect(sent(requests)).toEqual([['GET', '/api/invoices?include=customer%2Cline_items&limit=5', undefined]]);
		expectSigned(requests[0]);
		expect(items).toEqual(one(withCustomer));
	});

	it('getAll: no include parameter when none is chosen', async () => {
		const { api, requests } = upzelo();
		api.get('/api/invoices').query({ limit: '50' }).reply(200, list('invoices', [INVOICE]));
		const { error } = await run({ resource: 'invoice', operation: 'getAll', returnAll: false, limit: 50, include: [] });
		expect(error).toBeUndefined();
		expect(requests[0].path).toBe('/api/invoices?limit=50');
	});

	it('create: POSTs the invoice with discounts and line items', async () => {
		const { api, requests } = upzelo();
		api.post('/api/invoices').reply(200, single('invoice', INVOICE));
		const { items, error } = await run({
			resource: 'invoice',
			operation: 'create',
			externalId: 'invoice-1',
			total: 10000,
			currency: 'GBP',
			created: '2022-11-10T16:10:41',
			periodStart: '2022-11-10T16:10:41',
			periodEnd: '2022-12-10T16:10:41',
			customerId: 'upz_cus_76061f3bfae24e02ef3e7528',
			subscriptionId: 'upz_sub_3256ab69668e527ac869532f',
			additionalFields: {
				discounts: ['upz_dis_64ed0421075ef4bbd0e4bcbd'],
				lineItems: {
					lineItem: [
						{
							id: 'li-1',
							amount: 9000,
							currency: 'GBP',
							quantity: 1,
							discountAmount: 900,
							taxAmount: 1900,
							periodStart: '2022-11-10T16:10:41',
							periodEnd: '2022-12-10T16:10:41',
							interval: 'month',
							intervalCount: 1,
							type: 'recurring',
						},
						{
							id: 'li-2',
							amount: 1000,
							currency: 'USD',
							quantity: 2,
							discountAmount: 0,
							taxAmount: 0,
							periodStart: '2022-11-10T16:10:41',
							periodEnd: '2022-11-10T16:10:41',
							interval: 'day',
							intervalCount: 12,
							type: 'one_time',
						},
					],
				},
			},
		});
		expect(error).toBeUndefined();
		expect(sent(requests)).toEqual([
			[
				'POST',
				'/api/invoices',
				{
					id: 'invoice-1',
					total: 10000,
					currency: 'GBP',
					created: '2022-11-10T16:10:41',
					period_start: '2022-11-10T16:10:41',
					period_end: '2022-12-10T16:10:41',
					customer_id: 'upz_cus_76061f3bfae24e02ef3e7528',
					subscription_id: 'upz_sub_3256ab69668e527ac869532f',
					discounts: ['upz_dis_64ed0421075ef4bbd0e4bcbd'],
					line_items: [
						{
							id: 'li-1',
							amount: 9000,
							currency: 'GBP',
							quantity: 1,
							discount_amount: 900,
							tax_amount: 1900,
							period_start: '2022-11-10T16:10:41',
							period_end: '2022-12-10T16:10:41',
							interval: 'month',
							interval_count: 1,
							type: 'recurring',
						},
						{
							id: 'li-2',
							amount: 1000,
							currency: 'USD',
							quantity: 2,
							discount_amount: 0,
							tax_amount: 0,
							period_start: '2022-11-10T16:10:41',
							period_end: '2022-11-10T16:10:41',
							interval: 'day',
							interval_count: 12,
							type: 'one_time',
						},
					],
				},
			],
		]);
		expectSigned(requests[0]);
		expect(items).toEqual(one(INVOICE));
	});

	it('get: GET /api/invoices/{id}?include=…', async () => {
		const { api, requests } = upzelo();
		const full = { ...INVOICE, subscription: SUBSCRIPTION, line_items: [] };
		api.get('/api/invoices/upz_inv_e4a7a78ef8627d991b50ea1b').query({ include: 'line_items,subscription' }).reply(200, single('invoice', full));
		const { items, error } = await run({
			resource: 'invoice',
			operation: 'get',
			invoiceId: 'upz_inv_e4a7a78ef8627d991b50ea1b',
			include: ['line_items', 'subscription'],
		});
		expect(error).toBeUndefined();
		expect(sent(requests)).toEqual([
			['GET', '/api/invoices/upz_inv_e4a7a78ef8627d991b50ea1b?include=line_items%2Csubscription', undefined],
		]);
		expectSigned(requests[0]);
		expect(items).toEqual(one(full));
	});
});

describe('Upzelo products', () => {
	it('getAll: GET /api/products with the documented prices include', async () => {
		const { api, requests } = upzelo();
		const withPrices = { ...PRODUCT, prices: [PRICE] };
		api.get('/api/products').query({ limit: '3', include: 'prices' }).reply(200, list('products', [withPrices]));
		const { items, error } = await run({ resource: 'product', operation: 'getAll', returnAll: false, limit: 3, include: ['prices'] });
		expect(error).toBeUndefined();
		expect(sent(requests)).toEqual([['GET', '/api/products?include=prices&limit=3', undefined]]);
		expectSigned(requests[0]);
		expect(items).toEqual(one(withPrices));
	});

	it('create: POST /api/products', async () => {
		const { api, requests } = upzelo();
		api.post('/api/products').reply(200, single('product', PRODUCT));
		const { items, error } = await run({ resource: 'product', operation: 'create', externalId: 'product-1233', name: 'Middle out compression' });
		expect(error).toBeUndefined();
		expect(sent(requests)).toEqual([['POST', '/api/products', { id: 'product-1233', name: 'Middle out compression' }]]);
		expectSigned(requests[0]);
		expect(items).toEqual(one(PRODUCT));
	});

	it('get: GET /api/products/{id}', async () => {
		const { api, requests } = upzelo();
		api.get('/api/products/upz_prod_d500626f627e3d4a9023486').reply(200, single('product', PRODUCT));
		const { items, error } = await run({ resource: 'product', operation: 'get', productId: 'upz_prod_d500626f627e3d4a9023486', include: [] });
		expect(error).toBeUndefined();
		expect(sent(requests)).toEqual([['GET', '/api/products/upz_prod_d500626f627e3d4a9023486', undefined]]);
		expectSigned(requests[0]);
		expect(items).toEqual(one(PRODUCT));
	});
});

describe('Upzelo subscriptions', () => {
	it('getAll: GET /api/subscriptions?limit=<Limit>', async () => {
		const { api, requests } = upzelo();
		api.get('/api/subscriptions').query({ limit: '1' }).reply(200, list('subscriptions', [SUBSCRIPTION], true, 'eyJhIjoxfQ'));
		const { items, error } = await run({ resource: 'subscription', operation: 'getAll', returnAll: false, limit: 1 });
		expect(error).toBeUndefined();
		expect(sent(requests)).toEqual([['GET', '/api/subscriptions?limit=1', undefined]]);
		expectSigned(requests[0]);
		expect(items).toEqual(one(SUBSCRIPTION));
	});

	it('create: for an existing customer, every documented field', async () => {
		const { api, requests } = upzelo();
		api.post('/api/subscriptions').reply(200, single('subscription', SUBSCRIPTION));
		const { items, error } = await run({
			resource: 'subscription',
			operation: 'create',
			externalId: 'subscription-1233',
			priceId: { __rl: true, mode: 'list', value: 'upz_prc_96f6081bdd7a8cec76b91d70' },
			status: 'trialing',
			startDate: '2022-07-30T12:00:00',
			cancelAtPeriodEnd: true,
			additionalFields: {
				customerId: 'upz_cus_123344',
				currentPeriodStart: '2022-07-30T12:00:00',
				currentPeriodEnd: '2022-08-30T12:00:00',
				canceledAt: '',
				created: '2022-07-29T08:00:00',
				metadata: { entry: [{ key: 'plan', value: 'pro' }] },
			},
		});
		expect(error).toBeUndefined();
		expect(sent(requests)).toEqual([
			[
				'POST',
				'/api/subscriptions',
				{
					id: 'subscription-1233',
					price_id: 'upz_prc_96f6081bdd7a8cec76b91d70',
					status: 'trialing',
					start_date: '2022-07-30T12:00:00',
					cancel_at_period_end: true,
					customer_id: 'upz_cus_123344',
					current_period_start: '2022-07-30T12:00:00',
					current_period_end: '2022-08-30T12:00:00',
					canceled_at: null,
					created: '2022-07-29T08:00:00',
					metadata: { plan: 'pro' },
				},
			],
		]);
		expectSigned(requests[0]);
		expect(items).toEqual(one(SUBSCRIPTION));
	});

	it('create: with an inline customer object instead of a customer ID', async () => {
		const { api, requests } = upzelo();
		api.post('/api/subscriptions').reply(200, single('subscription', SUBSCRIPTION));
		const { error } = await run({
			resource: 'subscription',
			operation: 'create',
			externalId: 'subscription-2',
			priceId: 'upz_prc_96f6081bdd7a8cec76b91d70',
			status: 'active',
			startDate: '2022-11-10T16:10:41',
			cancelAtPeriodEnd: false,
			additionalFields: {
				customer: {
					details: {
						externalId: 'customer-77',
						name: 'Jared Dunn',
						email: 'jared@piedpiper.com',
						description: '',
						created: '2022-11-10T16:10:41',
						phone: '',
					},
				},
			},
		});
		expect(error).toBeUndefined();
		expect(requests[0].body).toEqual({
			id: 'subscription-2',
			price_id: 'upz_prc_96f6081bdd7a8cec76b91d70',
			status: 'active',
			start_date: '2022-11-10T16:10:41',
			cancel_at_period_end: false,
			customer: { id: 'customer-77', name: 'Jared Dunn', email: 'jared@piedpiper.com', created: '2022-11-10T16:10:41' },
		});
	});

	it('get: GET /api/subscriptions/{id}', async () => {
		const { api, requests } = upzelo();
		api.get('/api/subscriptions/upz_sub_15178e786c1d72e393555e69').reply(200, single('subscription', SUBSCRIPTION));
		const { items, error } = await run({ resource: 'subscription', operation: 'get', subscriptionId: 'upz_sub_15178e786c1d72e393555e69' });
		expect(error).toBeUndefined();
		expect(sent(requests)).toEqual([['GET', '/api/subscriptions/upz_sub_15178e786c1d72e393555e69', undefined]]);
		expectSigned(requests[0]);
		expect(items).toEqual(one(SUBSCRIPTION));
	});

	it('update: one PUT when status and cancel_at_period_end are both given', async () => {
		const { api, requests } = upzelo();
		const canceled = { ...SUBSCRIPTION, status: 'canceled', cancel_at_period_end: true, canceled_at: 1660000000 };
		api.put('/api/subscriptions/upz_sub_7d061f3bfaf25e06e7327439').reply(200, single('subscription', canceled));
		const { items, error } = await run({
			resource: 'subscription',
			operation: 'update',
			subscriptionId: 'upz_sub_7d061f3bfaf25e06e7327439',
			updateFields: {
				status: 'canceled',
				cancelAtPeriodEnd: true,
				currentPeriodStart: '2022-08-01T00:00:00',
				currentPeriodEnd: '2022-09-01T00:00:00',
				canceledAt: '2022-08-08T23:06:40',
				metadata: { entry: [{ key: 'reason', value: 'too expensive' }] },
			},
		});
		expect(error).toBeUndefined();
		expect(sent(requests)).toEqual([
			[
				'PUT',
				'/api/subscriptions/upz_sub_7d061f3bfaf25e06e7327439',
				{
					status: 'canceled',
					cancel_at_period_end: true,
					current_period_start: '2022-08-01T00:00:00',
					current_period_end: '2022-09-01T00:00:00',
					canceled_at: '2022-08-08T23:06:40',
					metadata: { reason: 'too expensive' },
				},
			],
		]);
		expectSigned(requests[0]);
		expect(items).toEqual(one(canceled));
	});

	it('update: fields left out of the PUT the docs require are read from the subscription and kept', async () => {
		const { api, requests } = upzelo();
		const current = { ...SUBSCRIPTION, status: 'past_due', cancel_at_period_end: true };
		api.get('/api/subscriptions/upz_sub_1').reply(200, single('subscription', current));
		api.put('/api/subscriptions/upz_sub_1').reply(200, single('subscription', current));
		const { items, error } = await run({
			resource: 'subscription',
			operation: 'update',
			subscriptionId: 'upz_sub_1',
			updateFields: { canceledAt: '', metadata: { entry: [{ key: 'note', value: 'dunning' }] } },
		});
		expect(error).toBeUndefined();
		expect(sent(requests)).toEqual([
			['GET', '/api/subscriptions/upz_sub_1', undefined],
			[
				'PUT',
				'/api/subscriptions/upz_sub_1',
				{ canceled_at: null, metadata: { note: 'dunning' }, status: 'past_due', cancel_at_period_end: true },
			],
		]);
		requests.forEach(expectSigned);
		expect(items).toEqual(one(current));
	});

	it('update: only the missing one of status / cancel_at_period_end is taken from the subscription', async () => {
		const { api, requests } = upzelo();
		api.get('/api/subscriptions/upz_sub_1').reply(200, single('subscription', SUBSCRIPTION));
		api.put('/api/subscriptions/upz_sub_1').reply(200, single('subscription', SUBSCRIPTION));
		const { error } = await run({
			resource: 'subscription',
			operation: 'update',
			subscriptionId: 'upz_sub_1',
			updateFields: { cancelAtPeriodEnd: true },
		});
		expect(error).toBeUndefined();
		expect(requests[1].body).toEqual({ cancel_at_period_end: true, status: 'active' });
	});

	it.each([
		['pasted with a trailing slash', 'https://upzelo.test/', 'https://upzelo.test'],
		['left empty (Upzelo itself)', '', 'https://upzelo.com'],
	])('update: the read and the PUT go to the same host when the Base URL is %s', async (_, baseUrl, host) => {
		const api = nock(host);
		const requests = recordRequests(api);
		api.get('/api/subscriptions/upz_sub_1').reply(200, single('subscription', SUBSCRIPTION));
		api.put('/api/subscriptions/upz_sub_1').reply(200, single('subscription', SUBSCRIPTION));
		const { items, error } = await run(
			{ resource: 'subscription', operation: 'update', subscriptionId: 'upz_sub_1', updateFields: { cancelAtPeriodEnd: true } },
			{ credentials: { ...TEST_CREDENTIALS, upzeloApi: { ...TEST_CREDENTIALS.upzeloApi, baseUrl } } },
		);
		expect(error).toBeUndefined();
		expect(sent(requests)).toEqual([
			['GET', '/api/subscriptions/upz_sub_1', undefined],
			['PUT', '/api/subscriptions/upz_sub_1', { cancel_at_period_end: true, status: 'active' }],
		]);
		requests.forEach(expectSigned);
		expect(items).toEqual(one(SUBSCRIPTION));
	});
});

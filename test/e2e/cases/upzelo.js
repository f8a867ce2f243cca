'use strict';
/**
 * Upzelo node in a real n8n: one workflow per resource (every operation), Return All over 250 records, and
 * Upzelo's errors. Records created here chain into the next node by expression, as users build flows.
 */

const assert = require('node:assert/strict');

const { upzelo, chain, parallel } = require('../lib/workflow');
const { items, json, runError } = require('../lib/run-data');

const byId = (expr) => ({ __rl: true, mode: 'id', value: expr });
const upzeloCalls = (requests) => requests.filter((r) => r.service === 'upzelo');
const AUTH = 'bearer + x-app-id:sandbox_app';

/**
 * Return All over `count` customers (node "All Customers"): ceil(count/100) requests of limit=100 following the
 * cursor, `count` distinct items without the envelope, each paired to the one input item. The queue-mode suite
 * runs it over 1,000.
 */
function checkReturnAll(run, requests, count) {
	const pages = Math.ceil(count / 100);
	const all = items(run, 'All Customers');
	assert.equal(all.length, count);
	assert.equal(new Set(all.map((i) => i.json.id)).size, count, 'no record twice');
	assert.ok(all.every((i) => /^upz_cus_/.test(i.json.id) && !('data' in i.json)), 'records without the envelope');
	assert.ok(all.every((i) => i.pairedItem && i.pairedItem.item === 0), 'every item paired to the input item');
	const calls = upzeloCalls(requests);
	assert.equal(calls.length, pages, `ceil(${count}/100) = ${pages} requests (got ${calls.length})`);
	assert.deepEqual(calls.map((r) => r.query.limit), Array(pages).fill('100'));
	assert.equal(calls[0].query.cursor, undefined, 'first page without a cursor');
	const cursors = calls.slice(1).map((r) => r.query.cursor);
	assert.ok(cursors.every(Boolean) && new Set(cursors).size === cursors.length, 'every later page follows a new cursor');
	assert.ok(calls.every((r) => r.auth === AUTH && r.status === 200), 'Bearer key and x-app-id on every page');
}

const cases = [
	{
		id: 'e2eUzReturnAll',
		title: 'Upzelo Return All over 250 customers: 3 requests of limit=100 following the cursor, 250 items',
		workflow: () =>
			chain('e2eUzReturnAll', 'e2e Upzelo Return All', [
				upzelo('All Customers', { resource: 'customer', operation: 'getAll', returnAll: true }),
			]),
		check(run, { requests }) {
			checkReturnAll(run, requests, 250);
		},
	},
	{
		id: 'e2eUzCustomer',
		title: 'Upzelo customers: Get Many (Limit), Get each, Create with metadata → Anonymize',
		workflow: ({ tag }) =>
			parallel('e2eUzCustomer', 'e2e Upzelo customers', [
				[
					upzelo('List 3', { resource: 'customer', operation: 'getAll', returnAll: false, limit: 3 }),
					upzelo('Get Each', { resource: 'customer', operation: 'get', customerId: '={{ $json.id }}' }),
				],
				[
					upzelo('Create', {
						resource: 'customer',
						operation: 'create',
						externalId: `e2e-cus-${tag}`,
						additionalFields: {
							name: 'Erin Example',
							email: 'erin@customer.example',
							metadata: { entry: [{ key: 'plan', value: 'pro' }, { key: 'source', value: 'n8n' }] },
						},
					}),
					upzelo('Anonymize', { resource: 'customer', operation: 'anonymize', customerId: `e2e-cus-${tag}` }),
				],
			]),
		check(run, { requests, tag }) {
			const listed = json(run, 'List 3');
			assert.equal(listed.length, 3);
			const list = requests.find((r) => r.path === '/api/customers' && r.method === 'GET');
			assert.equal(list.query.limit, '3', 'Limit 3 is one request with limit=3');
			const got = items(run, 'Get Each');
			assert.deepEqual(got.map((i) => i.json.id), listed.map((c) => c.id));
			assert.deepEqual(got.map((i) => i.pairedItem), [{ item: 0 }, { item: 1 }, { item: 2 }]);

			const [created] = json(run, 'Create');
			assert.match(created.id, /^upz_cus_/);
			assert.equal(created.name, 'Erin Example');
			assert.deepEqual(created.metadata, { plan: 'pro', source: 'n8n' });
			const post = requests.find((r) => r.method === 'POST' && r.path === '/api/customers');
			assert.deepEqual(post.body, {
				id: `e2e-cus-${tag}`,
				name: 'Erin Example',
				email: 'erin@customer.example',
				metadata: { plan: 'pro', source: 'n8n' },
			});
			const [anon] = json(run, 'Anonymize');
			assert.equal(anon.id, created.id, 'anonymized by external ID');
			assert.equal(anon.name, 'Anonymous');
			const put = requests.find((r) => r.method === 'PUT');
			assert.equal(put.path, `/api/customers/e2e-cus-${tag}`);
			assert.equal(put.body, undefined, 'no body on anonymize');
		},
	},
	{
		id: 'e2eUzPrice',
		title: 'Upzelo prices: Get Many, Create (product from a previous node, recurring) → Get',
		workflow: ({ tag }) =>
			parallel('e2eUzPrice', 'e2e Upzelo prices', [
				upzelo('List Prices', { resource: 'price', operation: 'getAll', returnAll: false, limit: 5 }),
				[
					upzelo('One Product', { resource: 'product', operation: 'getAll', returnAll: false, limit: 1 }),
					upzelo('Create Price', {
						resource: 'price',
						operation: 'create',
						externalId: `e2e-prc-${tag}`,
						productId: byId('={{ $json.id }}'),
						currency: 'EUR',
						price: 4900,
						type: 'recurring',
						additionalFields: { title: 'Pro monthly', interval: 'month', intervalCount: 1 },
					}),
					upzelo('Get Price', { resource: 'price', operation: 'get', priceId: '={{ $json.id }}' }),
				],
			]),
		check(run, { requests }) {
			assert.equal(json(run, 'List Prices').length, 5);
			const [product] = json(run, 'One Product');
			const [price] = json(run, 'Create Price');
			assert.match(price.id, /^upz_prc_/);
			assert.equal(price.price, 4900);
			assert.equal(price.interval, 'month');
			const post = requests.find((r) => r.method === 'POST' && r.path === '/api/prices');
			assert.equal(post.body.product_id, product.id, 'product ID taken from the resource locator expression');
			assert.equal(post.body.interval_count, 1);
			assert.deepEqual(json(run, 'Get Price'), [price]);
		},
	},
	{
		id: 'e2eUzProduct',
		title: 'Upzelo products: Create → Get with include=prices; Get Many with include',
		workflow: ({ tag }) =>
			parallel('e2eUzProduct', 'e2e Upzelo products', [
				[
					upzelo('Create Product', { resource: 'product', operation: 'create', externalId: `e2e-prod-${tag}`, name: 'E2E Compression' }),
					upzelo('Get Product', { resource: 'product', operation: 'get', productId: '={{ $json.id }}', include: ['prices'] }),
				],
				upzelo('List Products', { resource: 'product', operation: 'getAll', returnAll: false, limit: 4, include: ['prices'] }),
			]),
		check(run, { requests }) {
			const [created] = json(run, 'Create Product');
			assert.match(created.id, /^upz_prod_/);
			assert.equal(created.name, 'E2E Compression');
			const [got] = json(run, 'Get Product');
			assert.equal(got.id, created.id);
			assert.deepEqual(got.prices, [], 'include=prices embeds (no) prices');
			const listed = json(run, 'List Products');
			assert.equal(listed.length, 4);
			assert.ok(listed.every((p) => Array.isArray(p.prices)));
			assert.ok(requests.filter((r) => r.method === 'GET').every((r) => r.query.include === 'prices'));
		},
	},
	{
		id: 'e2eUzDiscount',
		title: 'Upzelo discounts: Create (repeating, percent) → Get; Get Many',
		workflow: ({ tag }) =>
			parallel('e2eUzDiscount', 'e2e Upzelo discounts', [
				[
					upzelo('Create Discount', {
						resource: 'discount',
						operation: 'create',
						externalId: `e2e-dis-${tag}`,
						name: 'Spring 20%',
						duration: 'repeating',
						currency: 'EUR',
						additionalFields: { durationInMonths: 3, percentOff: 20 },
					}),
					upzelo('Get Discount', { resource: 'discount', operation: 'get', discountId: '={{ $json.id }}' }),
				],
				upzelo('List Discounts', { resource: 'discount', operation: 'getAll', returnAll: false, limit: 2 }),
			]),
		check(run, { requests }) {
			const [created] = json(run, 'Create Discount');
			assert.match(created.id, /^upz_dis_/);
			assert.equal(created.percent_off, 20);
			assert.equal(Number(created.duration_in_months), 3);
			const post = requests.find((r) => r.method === 'POST');
			assert.equal(post.body.duration, 'repeating');
			assert.equal(post.body.amount_off, undefined, 'only one of amount_off / percent_off');
			assert.deepEqual(json(run, 'Get Discount'), [created]);
			assert.equal(json(run, 'List Discounts').length, 2);
		},
	},
	{
		id: 'e2eUzInvoice',
		title: 'Upzelo invoices: Get Many with include, Create with a line item (ids from a subscription) → Get',
		workflow: ({ tag }) =>
			parallel('e2eUzInvoice', 'e2e Upzelo invoices', [
				upzelo('List Invoices', {
					resource: 'invoice',
					operation: 'getAll',
					returnAll: false,
					limit: 2,
					include: ['line_items', 'customer'],
				}),
				[
					upzelo('One Subscription', { resource: 'subscription', operation: 'getAll', returnAll: false, limit: 1 }),
					upzelo('Create Invoice', {
						resource: 'invoice',
						operation: 'create',
						externalId: `e2e-inv-${tag}`,
						total: 5900,
						currency: 'EUR',
						created: '2026-11-01T09:30:00',
						periodStart: '2026-11-01T00:00:00',
						periodEnd: '2026-11-30T23:59:59',
						customerId: '={{ $json.customer_id }}',
						subscriptionId: '={{ $json.id }}',
						additionalFields: {
							lineItems: {
								lineItem: [
									{
										id: 'li-1',
										amount: 4900,
										currency: 'EUR',
										quantity: 1,
										discountAmount: 0,
										taxAmount: 1000,
										periodStart: '2026-11-01T00:00:00',
										periodEnd: '2026-11-30T23:59:59',
										interval: 'month',
										intervalCount: 1,
										type: 'recurring',
									},
								],
							},
						},
					}),
					upzelo('Get Invoice', { resource: 'invoice', operation: 'get', invoiceId: '={{ $json.id }}', include: ['line_items'] }),
				],
			]),
		check(run, { requests }) {
			const listed = json(run, 'List Invoices');
			assert.equal(listed.length, 2);
			assert.ok(listed.every((i) => Array.isArray(i.line_items) && i.customer), 'includes embedded');
			const listCall = requests.find((r) => r.path === '/api/invoices' && r.method === 'GET');
			assert.equal(listCall.query.include, 'line_items,customer', 'include as one comma list');
			const [sub] = json(run, 'One Subscription');
			const [invoice] = json(run, 'Create Invoice');
			assert.match(invoice.id, /^upz_inv_/);
			assert.equal(invoice.subscription_id, sub.id);
			const post = requests.find((r) => r.method === 'POST');
			assert.equal(post.body.created, '2026-11-01T09:30:00', 'dates sent in the docs\' format');
			assert.equal(post.body.line_items.length, 1);
			assert.equal(post.body.line_items[0].tax_amount, 1000);
			const [got] = json(run, 'Get Invoice');
			assert.equal(got.id, invoice.id);
			assert.equal(got.line_items[0].id, 'li-1');
		},
	},
	{
		id: 'e2eUzSubscr',
		title: 'Upzelo subscriptions: Create with an inline new customer → Update (other fields kept) → Get; Get Many',
		workflow: ({ tag }) =>
			parallel('e2eUzSubscr', 'e2e Upzelo subscriptions', [
				[
					upzelo('One Price', { resource: 'price', operation: 'getAll', returnAll: false, limit: 1 }),
					upzelo('Create Subscription', {
						resource: 'subscription',
						operation: 'create',
						externalId: `e2e-sub-${tag}`,
						priceId: byId('={{ $json.id }}'),
						status: 'trialing',
						startDate: '2026-11-01T00:00:00',
						cancelAtPeriodEnd: false,
						additionalFields: {
							customer: { details: { externalId: `e2e-newcus-${tag}`, name: 'Nina New', email: 'nina@new.example' } },
							metadata: { entry: [{ key: 'channel', value: 'partner' }] },
						},
					}),
					upzelo('Cancel At Period End', {
						resource: 'subscription',
						operation: 'update',
						subscriptionId: '={{ $json.id }}',
						updateFields: { cancelAtPeriodEnd: true },
					}),
					upzelo('Get Subscription', { resource: 'subscription', operation: 'get', subscriptionId: '={{ $json.id }}' }),
				],
				upzelo('List Subscriptions', { resource: 'subscription', operation: 'getAll', returnAll: false, limit: 3 }),
			]),
		check(run, { requests }) {
			const [created] = json(run, 'Create Subscription');
			assert.match(created.id, /^upz_sub_/);
			assert.equal(created.status, 'trialing');
			assert.match(created.customer_id, /^upz_cus_/, 'inline customer created');
			const post = requests.find((r) => r.method === 'POST' && r.path === '/api/subscriptions');
			assert.equal(post.body.customer.name, 'Nina New');
			assert.equal(post.body.customer_id, undefined);
			const [updated] = json(run, 'Cancel At Period End');
			assert.equal(updated.cancel_at_period_end, true);
			assert.equal(updated.status, 'trialing', 'status kept when only Cancel At Period End changes');
			const put = requests.find((r) => r.method === 'PUT');
			assert.deepEqual(put.body, { cancel_at_period_end: true, status: 'trialing' });
			const [got] = json(run, 'Get Subscription');
			assert.equal(got.cancel_at_period_end, true);
			assert.equal(json(run, 'List Subscriptions').length, 3);
		},
	},
	{
		id: 'e2eUzErr404',
		title: 'Upzelo API error fails the run with Upzelo\'s title and detail (404 Entity not found)',
		expect: 'failure',
		workflow: () =>
			chain('e2eUzErr404', 'e2e Upzelo 404', [
				upzelo('Get Missing', { resource: 'customer', operation: 'get', customerId: 'upz_cus_doesnotexist' }),
			]),
		check(run, { result, record }) {
			assert.notEqual(result.code, 0);
			const error = runError(run);
			record('upzelo404', { message: error.message, description: error.description, httpCode: error.httpCode });
			const text = `${error.message} ${error.description ?? ''}`;
			assert.match(text, /Entity not found/);
			assert.match(text, /We cannot find an entity with an id matching upz_cus_doesnotexist/);
			assert.equal(String(error.httpCode), '404');
		},
	},
	{
		id: 'e2eUzErrors',
		title: 'Upzelo 401 (wrong key) and 422 (unknown price) as error items; a broken input rule sends nothing',
		workflow: ({ tag }) =>
			parallel('e2eUzErrors', 'e2e Upzelo errors', [
				upzelo('Wrong Key', { resource: 'product', operation: 'getAll', returnAll: false, limit: 1 }, {
					credential: 'upzeloWrongKey',
					onError: 'continueRegularOutput',
				}),
				upzelo(
					'Unknown Price',
					{
						resource: 'subscription',
						operation: 'create',
						externalId: `e2e-bad-${tag}`,
						priceId: byId('upz_prc_doesnotexist'),
						status: 'active',
						startDate: '2026-11-01T00:00:00',
						cancelAtPeriodEnd: false,
						additionalFields: { customerId: 'upz_cus_whatever' },
					},
					{ onError: 'continueRegularOutput' },
				),
				upzelo(
					'Both Amounts',
					{
						resource: 'discount',
						operation: 'create',
						externalId: 'x',
						name: 'Both',
						duration: 'once',
						currency: 'EUR',
						additionalFields: { amountOff: 100, percentOff: 10 },
					},
					{ onError: 'continueRegularOutput' },
				),
			]),
		check(run, { requests, record }) {
			const [wrong] = json(run, 'Wrong Key');
			const [unknown] = json(run, 'Unknown Price');
			const [both] = json(run, 'Both Amounts');
			record('upzeloErrorItems', { wrong, unknown, both });
			assert.match(JSON.stringify(wrong), /Unauthenticated/);
			assert.match(JSON.stringify(wrong), /The API key is invalid/);
			assert.match(JSON.stringify(unknown), /price/i);
			assert.ok(requests.some((r) => r.status === 422), 'the sandbox answered 422');
			assert.match(JSON.stringify(both), /Amount Off|Percent Off/);
			assert.ok(!requests.some((r) => r.path === '/api/discounts'), 'nothing sent for the broken rule');
		},
	},
];

module.exports = { checkReturnAll, cases };

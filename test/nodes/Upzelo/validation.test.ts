import { run, single, upzelo } from './harness';

const price = (overrides: Record<string, unknown> = {}) => ({
	resource: 'price',
	operation: 'create',
	externalId: 'price-1',
	productId: { __rl: true, mode: 'id', value: 'upz_prod_1' },
	currency: 'GBP',
	price: 4900,
	type: 'recurring',
	additionalFields: { interval: 'month', intervalCount: 1 },
	...overrides,
});
const discount = (additionalFields: Record<string, unknown>, overrides: Record<string, unknown> = {}) => ({
	resource: 'discount',
	operation: 'create',
	externalId: 'discount-1',
	name: 'Ten off',
	duration: 'once',
	currency: 'GBP',
	additionalFields,
	...overrides,
});
const lineItem = (overrides: Record<string, unknown> = {}) => ({
	id: 'li',
	amount: 100,
	currency: 'GBP',
	quantity: 1,
	discountAmount: 0,
	taxAmount: 0,
	periodStart: '2022-11-10T16:10:41',
	periodEnd: '2022-12-10T16:10:41',
	interval: 'month',
	intervalCount: 1,
	type: 'recurring',
	...overrides,
});
const invoice = (overrides: Record<string, unknown> = {}) => ({
	resource: 'invoice',
	operation: 'create',
	externalId: 'invoice-1',
	total: 100,
	currency: 'GBP',
	created: '2022-11-10T16:10:41',
	periodStart: '2022-11-10T16:10:41',
	periodEnd: '2022-12-10T16:10:41',
	customerId: 'upz_cus_1',
	subscriptionId: 'upz_sub_1',
	additionalFields: {},
	...overrides,
});
const subscription = (overrides: Record<string, unknown> = {}) => ({
	resource: 'subscription',
	operation: 'create',
	externalId: 'sub-1',
	priceId: 'upz_prc_1',
	status: 'active',
	startDate: '2022-11-10T16:10:41',
	cancelAtPeriodEnd: false,
	additionalFields: {},
	...overrides,
});

// n8n itself refuses to run a workflow whose required fields are empty as typed, so empty values
// here come from expressions, the case the node's own rules exist for.
describe('Upzelo input rules: refused before any request, naming the field and the rule', () => {
	it.each<[string, Record<string, unknown>, string]>([
		// price
		['interval required when recurring', price({ additionalFields: { intervalCount: 1 } }), 'Interval is required when Type is Recurring'],
		['interval count required when recurring', price({ additionalFields: { interval: 'week' } }), 'Interval Count is required when Type is Recurring'],
		['both required when recurring (nothing added)', price({ additionalFields: {} }), 'Interval is required when Type is Recurring'],
		['interval must be documented', price({ additionalFields: { interval: '={{ "fortnight" }}', intervalCount: 1 } }), 'Interval must be one of day, month, week, year (got "fortnight")'],
		['interval count at least 1', price({ additionalFields: { interval: 'month', intervalCount: 0 } }), 'Interval Count must be at least 1 (got 0)'],
		['price in whole cents', price({ price: 49.99 }), 'Price (Cents) must be a whole number of cents (got 49.99)'],
		['price not negative', price({ price: -1 }), 'Price (Cents) must be at least 0 (got -1)'],
		['type must be documented', price({ type: '={{ "monthly" }}' }), 'Type must be one of one_time, recurring (got "monthly")'],
		['currency is 3 letters', price({ currency: '={{ "pounds" }}' }), 'Currency must be a three-letter ISO 4217 code such as GBP, USD or EUR (got "pounds")'],
		['product required', price({ productId: { __rl: true, mode: 'id', value: '={{ $json.missing }}' } }), 'Product is required'],
		['external ID required', price({ externalId: '  ' }), 'External ID is required'],
		// discount
		['duration in months required when repeating', discount({ amountOff: 100 }, { duration: 'repeating' }), 'Duration In Months is required when Duration is Repeating'],
		['not both amount and percent', discount({ amountOff: 100, percentOff: 10 }), 'Amount Off (Cents) and Percent Off cannot both be set: a discount is either an amount or a percentage'],
		['one of amount and percent', discount({}), 'Amount Off (Cents) or Percent Off is required: add one of them under Additional Fields'],
		['percent at most 100', discount({ percentOff: 101 }), 'Percent Off must be between 1 and 100 (got 101)'],
		['percent at least 1', discount({ percentOff: 0 }), 'Percent Off must be between 1 and 100 (got 0)'],
		['percent whole', discount({ percentOff: 12.5 }), 'Percent Off must be a whole percentage (got 12.5)'],
		['amount off in whole cents', discount({ amountOff: 9.5 }), 'Amount Off (Cents) must be a whole number of cents (got 9.5)'],
		['duration must be documented', discount({ amountOff: 1 }, { duration: '={{ "weekly" }}' }), 'Duration must be one of forever, once, repeating (got "weekly")'],
		['discount name required', discount({ amountOff: 1 }, { name: '={{ "" }}' }), 'Name is required'],
		// limit
		['limit at least 1', { resource: 'customer', operation: 'getAll', returnAll: false, limit: 0 }, 'Limit must be between 1 and 100 (got 0)'],
		['limit at most 100', { resource: 'invoice', operation: 'getAll', returnAll: false, limit: 101 }, 'Limit must be between 1 and 100 (got 101)'],
		['limit whole', { resource: 'product', operation: 'getAll', returnAll: false, limit: 7.5 }, 'Limit must be a whole number (got 7.5)'],
		// email
		['customer email valid', { resource: 'customer', operation: 'create', externalId: 'c', additionalFields: { email: 'richard@' } }, 'Email must be a valid email address (got "richard@")'],
		[
			'inline customer email valid',
			subscription({ additionalFields: { customer: { details: { name: 'A', email: 'not-an-email' } } } }),
			'New Customer Email must be a valid email address (got "not-an-email")',
		],
		// dates
		['customer created is a date', { resource: 'customer', operation: 'create', externalId: 'c', additionalFields: { created: 'last tuesday' } }, 'Created must be a date and time such as 2022-08-05T09:31:02 (got "last tuesday")'],
		['invoice period start required', invoice({ periodStart: '={{ "" }}' }), 'Period Start is required'],
		['invoice created is a date', invoice({ created: '2022-13-45' }), 'Created must be a date and time such as 2022-08-05T09:31:02 (got "2022-13-45")'],
		['subscription start date required', subscription({ startDate: '={{ $json.start }}' }), 'Start Date is required'],
		[
			'subscription period end is a date',
			subscription({ additionalFields: { currentPeriodEnd: 'soon' } }),
			'Current Period End must be a date and time such as 2022-08-05T09:31:02 (got "soon")',
		],
		[
			'line item dates are dates, naming the line item',
			invoice({ additionalFields: { lineItems: { lineItem: [lineItem(), lineItem({ periodEnd: 'never' })] } } }),
			'Line Item 2 Period End must be a date and time such as 2022-08-05T09:31:02 (got "never")',
		],
		['line item fields required', invoice({ additionalFields: { lineItems: { lineItem: [lineItem({ id: '' })] } } }), 'Line Item 1 ID is required'],
		['line item quantity at least 1', invoice({ additionalFields: { lineItems: { lineItem: [lineItem({ quantity: 0 })] } } }), 'Line Item 1 Quantity must be at least 1 (got 0)'],
		['line item currency', invoice({ additionalFields: { lineItems: { lineItem: [lineItem({ currency: '={{ "€" }}' })] } } }), 'Line Item 1 Currency must be a three-letter ISO 4217 code such as GBP, USD or EUR (got "€")'],
		['line item type documented', invoice({ additionalFields: { lineItems: { lineItem: [lineItem({ type: '={{ "usage" }}' })] } } }), 'Line Item 1 Type must be one of one_time, recurring (got "usage")'],
		// ids
		['get needs an ID', { resource: 'price', operation: 'get', priceId: '={{ $json.id }}' }, 'Price ID is required'],
		['get refuses a blank ID', { resource: 'invoice', operation: 'get', invoiceId: '   ' }, 'Invoice ID is required'],
		['an ID cannot climb the path', { resource: 'customer', operation: 'anonymize', customerId: '..' }, 'Customer ID cannot be "." or ".."'],
		['update needs an ID', { resource: 'subscription', operation: 'update', subscriptionId: '={{ "" }}', updateFields: { status: 'active' } }, 'Subscription ID is required'],
		['invoice customer ID required', invoice({ customerId: '={{ "" }}' }), 'Customer ID is required'],
		['subscription price required', subscription({ priceId: { __rl: true, mode: 'list', value: '={{ "" }}' } }), 'Price is required'],
		['discount IDs non-empty', invoice({ additionalFields: { discounts: ['upz_dis_1', ''] } }), 'Discount IDs 2 is required'],
		// subscription update
		['empty Update Fields', { resource: 'subscription', operation: 'update', subscriptionId: 'upz_sub_1', updateFields: {} }, 'Update Fields must contain at least one field to change'],
		['status documented', { resource: 'subscription', operation: 'update', subscriptionId: 'upz_sub_1', updateFields: { status: '={{ "paused" }}' } }, 'Status must be one of active, canceled, incomplete, incomplete_expired, past_due, trialing, unpaid (got "paused")'],
		['cancel at period end is a boolean', subscription({ cancelAtPeriodEnd: '={{ "soon" }}' }), 'Cancel At Period End must be true or false (got "soon")'],
		// metadata and include
		['metadata keys non-empty', { resource: 'customer', operation: 'create', externalId: 'c', additionalFields: { metadata: { entry: [{ key: '', value: 'x' }] } } }, 'Metadata keys cannot be empty'],
		['metadata keys unique', subscription({ additionalFields: { metadata: { entry: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }] } } }), 'Metadata key "a" appears more than once'],
		['include documented', { resource: 'invoice', operation: 'get', invoiceId: 'upz_inv_1', include: '={{ "payments" }}' }, 'Include must be one of customer, line_items, subscription (got "payments")'],
	])('%s', async (_title, parameters, message) => {
		const { requests } = upzelo();
		const { error, items } = await run(parameters);
		expect(error?.message).toBe(message);
		expect(error?.description).toMatch(/Nothing was sent\.$/);
		expect(requests).toEqual([]);
		expect(items).toEqual([]);
	});

	it('a date that is valid in the calendar sense only is not rewritten', async () => {
		const { api, requests } = upzelo();
		api.post('/api/invoices').reply(200, single('invoice', { id: 'upz_inv_1' }));
		const { error } = await run(invoice({ created: '2024-02-29T00:00:00' }));
		expect(error).toBeUndefined();
		expect((requests[0].body as { created: string }).created).toBe('2024-02-29T00:00:00');
	});

	it('under Continue On Fail a refused item becomes an error item and the others still run', async () => {
		const { api, requests } = upzelo();
		api.get('/api/prices/upz_prc_1').reply(200, single('price', { id: 'upz_prc_1' }));
		const { items, error } = await run(
			{ resource: 'price', operation: 'get', priceId: '={{ $json.id }}' },
			{ items: [{ id: '' }, { id: 'upz_prc_1' }], continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual(['/api/prices/upz_prc_1']);
		expect(items.map(({ json, pairedItem }) => ({ json, pairedItem }))).toEqual([
			{ json: { error: 'Price ID is required' }, pairedItem: { item: 0 } },
			{ json: { id: 'upz_prc_1' }, pairedItem: { item: 1 } },
		]);
	});
});

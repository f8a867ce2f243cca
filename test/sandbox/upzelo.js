'use strict';
/**
 * Upzelo API as documented in the project's API notes upzelo-api.txt (kept outside this repo, in
 * ../shared/api-docs/; the official reference is https://docs.upzelo.com), served under `/api`. The documented API is a Laravel app
 * (Scribe docs, Laravel cursor pagination), so behaviour the docs leave open follows Laravel's: cursors are
 * base64url JSON like `{"customers.id":51,"_pointsToNextItems":true}`, an undecodable cursor means "first page",
 * integer fields accept integer strings, booleans accept true/false/0/1/"0"/"1", a JSON body is read only with a
 * JSON Content-Type. Errors use the documented `{"errors":[{"code","title","detail"}]}` array.
 */

const { prng, base64url, fromBase64url, parseLaravelDate, isPlainObject } = require('./common');
const { ISO4217, FIRST_NAMES, LAST_NAMES, COMPANY_WORDS, PRODUCT_NAMES } = require('./reference-data');

const DAY_S = 86400;

// name → singular (response envelope), table (cursor key), id prefix and hex length (as in the docs' examples)
const RESOURCES = {
	prices: { singular: 'price', table: 'prices', prefix: 'upz_prc_', hex: 24 },
	customers: { singular: 'customer', table: 'customers', prefix: 'upz_cus_', hex: 24 },
	discounts: { singular: 'discount', table: 'coupons', prefix: 'upz_dis_', hex: 24 },
	invoices: { singular: 'invoice', table: 'invoices', prefix: 'upz_inv_', hex: 24 },
	products: { singular: 'product', table: 'products', prefix: 'upz_prod_', hex: 23 },
	subscriptions: { singular: 'subscription', table: 'subscriptions', prefix: 'upz_sub_', hex: 24 },
};
const INCLUDES = { invoices: ['line_items', 'subscription', 'customer'], products: ['prices'] };
const DEFAULT_LIMIT = 15; // not documented; Laravel's default page size
const MAX_LIMIT = 100;
const SUBSCRIPTION_STATUSES = ['incomplete', 'incomplete_expired', 'trialing', 'active', 'past_due', 'canceled', 'unpaid'];
const INTERVALS = ['day', 'week', 'month', 'year'];

class UpzeloError extends Error {
	constructor(status, title, details) {
		super(Array.isArray(details) ? details.join(' ') : details);
		this.status = status;
		this.title = title;
		this.details = Array.isArray(details) ? details : [details];
	}
}
const notFound = (id) =>
	new UpzeloError(404, 'Entity not found', `We cannot find an entity with an id matching ${id}`);

// ---------------------------------------------------------------------------------------------------------------
// State and seed
// ---------------------------------------------------------------------------------------------------------------

function emptyCollections() {
	const col = {};
	for (const name of Object.keys(RESOURCES)) col[name] = { list: [], byId: new Map(), nextSeq: 1 };
	return col;
}

function insert(state, name, record) {
	const c = state.col[name];
	const r = { _seq: c.nextSeq++, ...record };
	if (r.id === undefined) r.id = newId(state, name);
	c.list.push(r);
	if (r.id !== null) c.byId.set(r.id, r);
	return r;
}

function newId(state, name) {
	const { prefix, hex } = RESOURCES[name];
	for (;;) {
		const id = prefix + state.rand.hex(hex);
		if (!state.col[name].byId.has(id)) return id;
	}
}

/**
 * Seeds every resource. `counts` gives the number per resource; `discounts` includes the docs' "template" discount
 * whose id is null (it appears in the docs' list example).
 */
function createUpzeloState(opts) {
	const rand = prng(opts.seed ^ 0x5eed);
	const state = { rand, col: emptyCollections() };
	const counts = { ...opts.upzeloCounts };
	const nowS = Math.floor(opts.seedNow / 1000 / DAY_S) * DAY_S;
	const need = (name, min) => Math.max(counts[name], min);
	// Dependencies exist whenever something points at them.
	const nProducts = need('products', counts.prices > 0 ? 1 : 0);
	const nPrices = need('prices', counts.subscriptions > 0 || counts.invoices > 0 ? 1 : 0);
	const nSubs = need('subscriptions', counts.invoices > 0 ? 1 : 0);
	const nCustomers = need('customers', nSubs > 0 ? 1 : 0);

	for (let i = 0; i < nProducts; i++) {
		const base = PRODUCT_NAMES[i % PRODUCT_NAMES.length];
		insert(state, 'products', { _ext: `product-${1000 + i}`, name: i < PRODUCT_NAMES.length ? base : `${base} ${Math.floor(i / PRODUCT_NAMES.length) + 1}` });
	}
	const products = state.col.products.list;
	const currencies = ['gbp', 'gbp', 'usd', 'eur'];
	for (let i = 0; i < nPrices; i++) {
		const recurring = i % 5 !== 4;
		const interval = recurring ? rand.pick(['month', 'month', 'month', 'year', 'week']) : null;
		insert(state, 'prices', {
			_ext: `price-${2000 + i}`,
			_product: products[i % products.length].id,
			title: i % 3 === 0 ? null : `${products[i % products.length].name} ${interval || 'one-off'}`.toLowerCase().replace(/\s+/g, '-'),
			currency: currencies[i % currencies.length],
			price: rand.pick([500, 900, 1000, 1900, 2900, 4900, 9900, 19900]),
			tiered: false,
			type: recurring ? 'recurring' : 'one_time',
			interval,
			interval_count: recurring ? (interval === 'week' ? 2 : 1) : null,
		});
	}
	const sources = ['facebook', 'google', 'newsletter', 'referral', 'direct'];
	for (let i = 0; i < nCustomers; i++) {
		const first = FIRST_NAMES[i % FIRST_NAMES.length];
		// (first, last) pairs are all different for the first 900 customers; later ones get a number in the email.
		const last = LAST_NAMES[(7 * (i % FIRST_NAMES.length) + Math.floor(i / FIRST_NAMES.length)) % LAST_NAMES.length];
		const company = COMPANY_WORDS[i % COMPANY_WORDS.length].toLowerCase();
		const metadata = i % 7 === 6 ? {} : { 'signup-source': sources[i % sources.length], 'marketing-campaign': `summer-${2020 + (i % 6)}` };
		insert(state, 'customers', {
			_ext: `customer-${10000 + i}`,
			name: i % 25 === 24 ? null : `${first} ${last}`,
			email: i % 40 === 39 ? null : `${first}.${last}${i >= 900 ? i : ''}@${company}.example`.toLowerCase(),
			metadata,
			_phone: `+4471${String(10000000 + i).slice(-8)}`,
			_created: nowS - rand.int(1, 730) * DAY_S,
		});
	}
	for (let i = 0; i < counts.discounts; i++) {
		if (i === 0) {
			// The docs' list example shows a template discount whose id is null.
			insert(state, 'discounts', { id: null, _ext: null, name: 'Upzelo template money offer', duration: 'once', duration_in_months: null, amount_off: 1000, percent_off: null, currency: 'GBP' });
			continue;
		}
		const duration = ['once', 'repeating', 'forever'][i % 3];
		const percent = i % 2 === 0;
		insert(state, 'discounts', {
			_ext: `discount-${3000 + i}`,
			name: percent ? `${[10, 15, 20, 25, 50][i % 5]}% off` : `${[5, 10, 20][i % 3]} off`,
			duration,
			duration_in_months: duration === 'repeating' ? [3, 6, 12][i % 3] : null,
			amount_off: percent ? null : [500, 1000, 2000][i % 3],
			percent_off: percent ? [10, 15, 20, 25, 50][i % 5] : null,
			currency: 'gbp',
		});
	}
	const customers = state.col.customers.list;
	const prices = state.col.prices.list;
	const statusPool = ['active', 'active', 'active', 'active', 'active', 'trialing', 'past_due', 'canceled', 'unpaid', 'incomplete'];
	for (let i = 0; i < nSubs; i++) {
		const status = statusPool[i % statusPool.length];
		const start = nowS - rand.int(31, 700) * DAY_S;
		const periodStart = nowS - rand.int(0, 29) * DAY_S;
		insert(state, 'subscriptions', {
			_ext: `subscription-${4000 + i}`,
			customer_id: customers[i % customers.length].id,
			_price: prices[i % prices.length].id,
			current_period_start: periodStart,
			current_period_end: periodStart + 30 * DAY_S,
			cancel_at_period_end: status === 'canceled' || i % 11 === 10,
			status,
			start_date: start,
			canceled_at: status === 'canceled' ? periodStart - rand.int(1, 20) * DAY_S : null,
			metadata: {},
		});
	}
	const subs = state.col.subscriptions.list;
	for (let i = 0; i < counts.invoices; i++) {
		const sub = subs[i % subs.length];
		const price = state.col.prices.byId.get(sub._price);
		const periodStart = sub.current_period_start - (Math.floor(i / subs.length) + 1) * 30 * DAY_S;
		const currency = price.currency.toUpperCase();
		const items = [];
		const n = 1 + (i % 3);
		for (let k = 0; k < n; k++) {
			const amount = k === 0 ? price.price : rand.pick([100, 250, 500]);
			const quantity = k === 0 ? 1 : rand.int(1, 5);
			items.push({
				id: `upz_li_${rand.hex(24)}`,
				amount,
				currency,
				quantity,
				discount_amount: k === 0 && i % 4 === 0 ? Math.round(amount * 0.1) : 0,
				tax_amount: Math.round(amount * quantity * 0.2),
				period_start: periodStart,
				period_end: periodStart + 30 * DAY_S,
				interval: price.interval || 'month',
				interval_count: price.interval_count || 1,
				type: k === 0 ? price.type : 'one_time',
			});
		}
		insert(state, 'invoices', {
			_ext: `invoice-${5000 + i}`,
			total: items.reduce((s, li) => s + li.amount * li.quantity - li.discount_amount + li.tax_amount, 0),
			created: periodStart,
			period_start: periodStart,
			period_end: periodStart + 30 * DAY_S,
			currency,
			customer_id: sub.customer_id,
			subscription_id: sub.id,
			_line_items: items,
			_discounts: [],
		});
	}
	return state;
}

// ---------------------------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------------------------

function view(state, name, r, includes = []) {
	switch (name) {
		case 'prices':
			return { id: r.id, title: r.title, currency: r.currency, price: r.price, tiered: r.tiered, type: r.type, interval: r.interval, interval_count: r.interval_count };
		case 'customers':
			return { id: r.id, name: r.name, email: r.email, metadata: r.metadata };
		case 'discounts':
			return { id: r.id, name: r.name, duration: r.duration, duration_in_months: r.duration_in_months, amount_off: r.amount_off, percent_off: r.percent_off, currency: r.currency };
		case 'subscriptions':
			return { id: r.id, customer_id: r.customer_id, current_period_start: r.current_period_start, current_period_end: r.current_period_end, cancel_at_period_end: r.cancel_at_period_end, status: r.status, start_date: r.start_date, canceled_at: r.canceled_at };
		case 'products': {
			const out = { id: r.id, name: r.name };
			if (includes.includes('prices')) {
				out.prices = state.col.prices.list.filter((p) => p._product === r.id).map((p) => view(state, 'prices', p));
			}
			return out;
		}
		case 'invoices': {
			const out = { id: r.id, total: r.total, created: r.created, period_start: r.period_start, period_end: r.period_end, currency: r.currency, customer_id: r.customer_id, subscription_id: r.subscription_id };
			if (includes.includes('line_items')) out.line_items = r._line_items.map((li) => ({ ...li }));
			if (includes.includes('subscription')) {
				const s = state.col.subscriptions.byId.get(r.subscription_id);
				out.subscription = s ? view(state, 'subscriptions', s) : null;
			}
			if (includes.includes('customer')) {
				const c = state.col.customers.byId.get(r.customer_id);
				out.customer = c ? view(state, 'customers', c) : null;
			}
			return out;
		}
		default:
			throw new Error(`no view for ${name}`);
	}
}

// ---------------------------------------------------------------------------------------------------------------
// Validation (Laravel-style messages)
// ---------------------------------------------------------------------------------------------------------------

const label = (attr) => attr.replace(/_/g, ' ');
const present = (v) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
const isInt = (v) => (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && /^-?\d+$/.test(v.trim()));
const isBool = (v) => v === true || v === false || v === 0 || v === 1 || v === '0' || v === '1';
const toBool = (v) => v === true || v === 1 || v === '1';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

class Validator {
	constructor(body) {
		this.body = body;
		this.errors = [];
		this.failed = new Set();
	}
	get(path) {
		return path.split('.').reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), this.body);
	}
	fail(attr, msg) {
		if (this.failed.has(attr)) return;
		this.failed.add(attr);
		this.errors.push(msg);
	}
	/** rules: required | required_if:field,value | required_without:field | nullable | string | integer | boolean | date | email | in:a,b | min:n | max:n | iso4217 | array | object | id */
	check(attr, rules) {
		const v = this.get(attr);
		const name = label(attr);
		const list = rules.split('|');
		let required = false;
		for (const r of list) {
			const [rule, arg] = r.split(':');
			if (rule === 'required') required = true;
			if (rule === 'required_if') {
				const [f, val] = arg.split(',');
				if (String(this.get(f)) === val) {
					required = true;
					if (!present(v)) return this.fail(attr, `The ${name} field is required when ${label(f)} is ${val}.`);
				}
			}
			if (rule === 'required_without') {
				if (!present(this.get(arg))) {
					required = true;
					if (!present(v)) return this.fail(attr, `The ${name} field is required when ${label(arg)} is not present.`);
				}
			}
		}
		if (!present(v)) {
			if (required && !list.includes('nullable')) return this.fail(attr, `The ${name} field is required.`);
			if (required && v === undefined) return this.fail(attr, `The ${name} field is required.`);
			return undefined;
		}
		for (const r of list) {
			const [rule, arg] = r.split(':');
			switch (rule) {
				case 'string':
					if (typeof v !== 'string') return this.fail(attr, `The ${name} must be a string.`);
					break;
				case 'id':
					if (!(typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v)))) {
						return this.fail(attr, `The ${name} must be a string or an integer.`);
					}
					break;
				case 'integer':
					if (!isInt(v)) return this.fail(attr, `The ${name} must be an integer.`);
					break;
				case 'boolean':
					if (!isBool(v)) return this.fail(attr, `The ${name} field must be true or false.`);
					break;
				case 'date':
					if (parseLaravelDate(v) === undefined) return this.fail(attr, `The ${name} is not a valid date.`);
					break;
				case 'email':
					if (typeof v !== 'string' || !EMAIL.test(v)) return this.fail(attr, `The ${name} must be a valid email address.`);
					break;
				case 'in':
					if (!arg.split(',').includes(String(v))) return this.fail(attr, `The selected ${name} is invalid.`);
					break;
				case 'min':
					if (isInt(v) && Number(v) < Number(arg)) return this.fail(attr, `The ${name} must be at least ${arg}.`);
					break;
				case 'max':
					if (isInt(v) && Number(v) > Number(arg)) return this.fail(attr, `The ${name} must not be greater than ${arg}.`);
					break;
				case 'iso4217':
					if (typeof v !== 'string' || !ISO4217.has(v.toUpperCase())) {
						return this.fail(attr, `The ${name} must be a valid ISO 4217 currency code.`);
					}
					break;
				case 'array':
					if (!Array.isArray(v) && !isPlainObject(v)) return this.fail(attr, `The ${name} must be an array.`);
					break;
				case 'keyvalue':
					// "Key value array": a JSON object of scalar values ([] is PHP's empty array and accepted).
					if (Array.isArray(v) ? v.length > 0 : !isPlainObject(v)) {
						return this.fail(attr, `The ${name} must be a key-value object.`);
					}
					if (isPlainObject(v) && Object.values(v).some((x) => x !== null && typeof x === 'object')) {
						return this.fail(attr, `The ${name} values must be strings, numbers or booleans.`);
					}
					break;
				default:
			}
		}
		return undefined;
	}
	exists(state, attr, name) {
		const v = this.get(attr);
		if (!present(v) || this.failed.has(attr)) return;
		if (typeof v !== 'string' || !state.col[name].byId.has(v)) this.fail(attr, `The selected ${label(attr)} is invalid.`);
	}
	throwIfFailed() {
		if (this.errors.length) throw new UpzeloError(422, 'Validation error', this.errors);
	}
}

const unix = (v) => (present(v) ? Math.floor(parseLaravelDate(v) / 1000) : null);
const metadataOf = (v) => (isPlainObject(v) ? { ...v } : {});

// ---------------------------------------------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------------------------------------------

function parseIncludes(name, query) {
	if (query['include[]'] !== undefined || Object.keys(query).some((k) => /^include\[\d*\]$/.test(k))) {
		throw new UpzeloError(422, 'Validation error', 'The include must be a string.');
	}
	if (!INCLUDES[name]) return []; // not documented for this resource: ignored like any unknown parameter
	let raw = query.include;
	if (Array.isArray(raw)) raw = raw[raw.length - 1]; // PHP keeps the last of repeated plain parameters
	if (raw === undefined || raw === '' || raw === 'null') return [];
	const parts = raw.split(',').map((s) => s.trim()).filter(Boolean);
	const bad = parts.filter((p) => !INCLUDES[name].includes(p));
	if (bad.length) {
		throw new UpzeloError(422, 'Validation error', `The selected include is invalid: ${bad.join(', ')}. Allowed: ${INCLUDES[name].join(', ')}.`);
	}
	return parts;
}

function lastOf(v) {
	return Array.isArray(v) ? v[v.length - 1] : v;
}

function encodeCursor(table, seq, next) {
	return base64url(JSON.stringify({ [`${table}.id`]: seq, _pointsToNextItems: next }));
}

function decodeCursor(table, raw) {
	if (raw === undefined || raw === '' || raw === 'null') return null;
	let obj;
	try {
		obj = JSON.parse(fromBase64url(String(raw)));
	} catch {
		return null; // Laravel: an undecodable cursor is no cursor
	}
	if (!isPlainObject(obj)) return null;
	const key = `${table}.id`;
	if (!Number.isInteger(obj[key]) || typeof obj._pointsToNextItems !== 'boolean') {
		throw new UpzeloError(422, 'Validation error', 'The cursor does not belong to this list.');
	}
	return { seq: obj[key], next: obj._pointsToNextItems };
}

/** Laravel cursorPaginate over records ordered by their primary key. */
function list(ctx, name) {
	const { state, query } = ctx;
	const includes = parseIncludes(name, query);
	const v = new Validator({ limit: lastOf(query.limit) });
	v.check('limit', 'integer|min:1|max:100');
	v.throwIfFailed();
	const limitRaw = lastOf(query.limit);
	const limit = present(limitRaw) ? Number(limitRaw) : DEFAULT_LIMIT;
	const { table } = RESOURCES[name];
	const cursor = decodeCursor(table, lastOf(query.cursor));
	const all = state.col[name].list;
	let page;
	let hasMore;
	if (!cursor || cursor.next) {
		const startIdx = cursor ? lowerBound(all, cursor.seq + 1) : 0;
		page = all.slice(startIdx, startIdx + limit + 1);
		hasMore = page.length > limit;
		page = page.slice(0, limit);
	} else {
		const endIdx = lowerBound(all, cursor.seq); // items with seq < cursor
		page = all.slice(Math.max(0, endIdx - limit - 1), endIdx);
		hasMore = page.length > limit;
		page = page.slice(-limit);
	}
	const hasMorePages = (!cursor && hasMore) || (cursor && cursor.next && hasMore) || (cursor && !cursor.next);
	const nextCursor = ((!cursor || cursor.next) && !hasMore) || !page.length ? null : encodeCursor(table, page[page.length - 1]._seq, true);
	const previousCursor = !cursor || (!cursor.next && !hasMore) || !page.length ? null : encodeCursor(table, page[0]._seq, false);
	return {
		json: {
			data: { [name]: page.map((r) => view(state, name, r, includes)) },
			pagination: { has_more: Boolean(hasMorePages), next_cursor: nextCursor, previous_cursor: previousCursor },
		},
	};
}

function lowerBound(list, seq) {
	let lo = 0;
	let hi = list.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (list[mid]._seq < seq) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

function getOne(ctx, name, id) {
	const includes = parseIncludes(name, ctx.query);
	const r = ctx.state.col[name].byId.get(id);
	if (!r) throw notFound(id);
	return { json: { data: { [RESOURCES[name].singular]: view(ctx.state, name, r, includes) } } };
}

const created = (state, name, r) => ({ status: 200, json: { data: { [RESOURCES[name].singular]: view(state, name, r) } } });

function createPrice(ctx) {
	const { state, body } = ctx;
	const v = new Validator(body);
	v.check('id', 'required|id');
	v.check('product_id', 'required|string');
	v.exists(state, 'product_id', 'products');
	v.check('title', 'string');
	v.check('currency', 'required|string|iso4217');
	v.check('price', 'required|integer|min:0');
	v.check('type', 'required|string|in:recurring,one_time');
	v.check('interval', 'required_if:type,recurring|string|in:day,week,month,year');
	v.check('interval_count', 'required_if:type,recurring|integer|min:1');
	v.throwIfFailed();
	const recurring = body.type === 'recurring';
	const r = insert(state, 'prices', {
		_ext: String(body.id),
		_product: body.product_id,
		title: present(body.title) ? body.title : null,
		currency: body.currency.toLowerCase(),
		price: Number(body.price),
		tiered: false,
		type: body.type,
		interval: recurring ? body.interval : present(body.interval) ? body.interval : null,
		interval_count: present(body.interval_count) ? Number(body.interval_count) : null,
	});
	return created(state, 'prices', r);
}

function createCustomer(ctx) {
	const { state, body } = ctx;
	const v = new Validator(body);
	v.check('id', 'required|id');
	v.check('name', 'string');
	v.check('email', 'string|email');
	v.check('description', 'string');
	v.check('created', 'date');
	v.check('phone', 'string');
	v.check('metadata', 'keyvalue');
	v.throwIfFailed();
	const r = insert(state, 'customers', customerRecord(body));
	return created(state, 'customers', r);
}

function customerRecord(c) {
	return {
		_ext: String(c.id),
		name: present(c.name) ? c.name : null,
		email: present(c.email) ? c.email : null,
		metadata: metadataOf(c.metadata),
		_description: c.description ?? null,
		_phone: c.phone ?? null,
		_created: present(c.created) ? unix(c.created) : Math.floor(Date.now() / 1000),
	};
}

function anonymizeCustomer(ctx, id) {
	const { state } = ctx;
	// "The Upzelo Customer ID or the external ID". No body is documented; any body is ignored.
	let r = state.col.customers.byId.get(id);
	if (!r) r = state.col.customers.list.find((c) => c._ext !== null && c._ext === id);
	if (!r) throw notFound(id);
	r.name = 'Anonymous';
	r.email = 'anonymous@example.com';
	r._phone = null;
	r._description = null;
	r._anonymized = true;
	return { json: { data: { customer: view(state, 'customers', r) } } };
}

function createDiscount(ctx) {
	const { state, body } = ctx;
	const v = new Validator(body);
	v.check('id', 'required|id');
	v.check('name', 'required|string');
	v.check('duration', 'required|string|in:once,forever,repeating');
	v.check('duration_in_months', 'required_if:duration,repeating|integer|min:1');
	v.check('amount_off', 'required_without:percent_off|integer|min:1');
	v.check('percent_off', 'required_without:amount_off|integer|min:1|max:100');
	if (present(body.amount_off) && present(body.percent_off)) {
		// The docs say each is "null if the other is set"; the sandbox refuses both at once.
		v.fail('percent_off', 'The percent off field prohibits amount off from being present.');
	}
	v.check('currency', 'required|string|iso4217');
	v.throwIfFailed();
	const r = insert(state, 'discounts', {
		_ext: String(body.id),
		name: body.name,
		duration: body.duration,
		duration_in_months: body.duration === 'repeating' ? Number(body.duration_in_months) : null,
		amount_off: present(body.amount_off) ? Number(body.amount_off) : null,
		percent_off: present(body.percent_off) ? Number(body.percent_off) : null,
		currency: body.currency.toLowerCase(),
	});
	return created(state, 'discounts', r);
}

function createInvoice(ctx) {
	const { state, body } = ctx;
	const v = new Validator(body);
	v.check('id', 'required|id');
	v.check('total', 'required|integer');
	v.check('created', 'required|date');
	v.check('period_start', 'required|date');
	v.check('period_end', 'required|date');
	v.check('currency', 'required|string|iso4217');
	v.check('customer_id', 'required|string');
	v.exists(state, 'customer_id', 'customers');
	v.check('subscription_id', 'required|string');
	v.exists(state, 'subscription_id', 'subscriptions');
	if (present(body.discounts)) {
		if (!Array.isArray(body.discounts)) v.fail('discounts', 'The discounts must be an array.');
		else body.discounts.forEach((_, i) => v.exists(state, `discounts.${i}`, 'discounts'));
	}
	if (present(body.line_items)) {
		if (!Array.isArray(body.line_items)) v.fail('line_items', 'The line items must be an array.');
		else {
			body.line_items.forEach((li, i) => {
				const p = `line_items.${i}`;
				if (!isPlainObject(li)) return v.fail(p, `The ${p} must be an object.`);
				v.check(`${p}.id`, 'required|id');
				v.check(`${p}.amount`, 'required|integer');
				v.check(`${p}.currency`, 'required|string|iso4217');
				v.check(`${p}.quantity`, 'required|integer|min:1');
				v.check(`${p}.discount_amount`, 'required|integer|min:0');
				v.check(`${p}.tax_amount`, 'required|integer|min:0');
				v.check(`${p}.period_start`, 'required|date');
				v.check(`${p}.period_end`, 'required|date');
				v.check(`${p}.interval`, `required|string|in:${INTERVALS.join(',')}`);
				v.check(`${p}.interval_count`, 'required|integer|min:1');
				v.check(`${p}.type`, 'required|string|in:recurring,one_time');
				return undefined;
			});
		}
	}
	v.throwIfFailed();
	const r = insert(state, 'invoices', {
		_ext: String(body.id),
		total: Number(body.total),
		created: unix(body.created),
		period_start: unix(body.period_start),
		period_end: unix(body.period_end),
		currency: body.currency.toUpperCase(),
		customer_id: body.customer_id,
		subscription_id: body.subscription_id,
		_discounts: body.discounts || [],
		_line_items: (body.line_items || []).map((li) => ({
			id: String(li.id),
			amount: Number(li.amount),
			currency: li.currency.toUpperCase(),
			quantity: Number(li.quantity),
			discount_amount: Number(li.discount_amount),
			tax_amount: Number(li.tax_amount),
			period_start: unix(li.period_start),
			period_end: unix(li.period_end),
			interval: li.interval,
			interval_count: Number(li.interval_count),
			type: li.type,
		})),
	});
	return created(state, 'invoices', r);
}

function createProduct(ctx) {
	const { state, body } = ctx;
	const v = new Validator(body);
	v.check('id', 'required|id');
	v.check('name', 'required|string');
	v.throwIfFailed();
	return created(state, 'products', insert(state, 'products', { _ext: String(body.id), name: body.name }));
}

function createSubscription(ctx) {
	const { state, body } = ctx;
	const v = new Validator(body);
	v.check('id', 'required|id');
	// Both are "optional" in the docs, but a subscription needs a customer: one of the two is required.
	v.check('customer_id', 'required_without:customer|string');
	v.exists(state, 'customer_id', 'customers');
	if (present(body.customer) && !present(body.customer_id)) {
		if (!isPlainObject(body.customer)) v.fail('customer', 'The customer must be an object.');
		else {
			v.check('customer.id', 'id');
			v.check('customer.name', 'string');
			v.check('customer.email', 'string|email');
			v.check('customer.description', 'string');
			v.check('customer.created', 'date');
			v.check('customer.phone', 'string');
		}
	}
	v.check('current_period_start', 'date');
	v.check('current_period_end', 'date');
	v.check('cancel_at_period_end', 'required|boolean');
	v.check('status', `required|string|in:${SUBSCRIPTION_STATUSES.join(',')}`);
	v.check('start_date', 'required|date');
	v.check('canceled_at', 'nullable|date');
	v.check('created', 'date');
	v.check('price_id', 'required|string');
	v.exists(state, 'price_id', 'prices');
	v.check('metadata', 'keyvalue');
	v.throwIfFailed();
	let customerId = body.customer_id;
	if (!present(customerId)) {
		const c = body.customer;
		const existing = present(c.id) ? state.col.customers.list.find((x) => x._ext === String(c.id)) : undefined;
		customerId = existing ? existing.id : insert(state, 'customers', customerRecord({ ...c, id: present(c.id) ? c.id : newId(state, 'customers') })).id;
	}
	const startDate = unix(body.start_date);
	const r = insert(state, 'subscriptions', {
		_ext: String(body.id),
		customer_id: customerId,
		_price: body.price_id,
		current_period_start: present(body.current_period_start) ? unix(body.current_period_start) : startDate,
		current_period_end: present(body.current_period_end) ? unix(body.current_period_end) : null,
		cancel_at_period_end: toBool(body.cancel_at_period_end),
		status: body.status,
		start_date: startDate,
		canceled_at: unix(body.canceled_at),
		metadata: metadataOf(body.metadata),
	});
	return created(state, 'subscriptions', r);
}

function updateSubscription(ctx, id) {
	const { state, body } = ctx;
	const r = state.col.subscriptions.byId.get(id);
	if (!r) throw notFound(id);
	const v = new Validator(body);
	v.check('current_period_start', 'date');
	v.check('current_period_end', 'date');
	// Not marked "optional" in the docs' update body: required on every update.
	v.check('cancel_at_period_end', 'required|boolean');
	v.check('status', `required|string|in:${SUBSCRIPTION_STATUSES.join(',')}`);
	v.check('canceled_at', 'nullable|date');
	v.check('metadata', 'keyvalue');
	v.throwIfFailed();
	if (present(body.current_period_start)) r.current_period_start = unix(body.current_period_start);
	if (present(body.current_period_end)) r.current_period_end = unix(body.current_period_end);
	r.cancel_at_period_end = toBool(body.cancel_at_period_end);
	r.status = body.status;
	if (body.canceled_at !== undefined) r.canceled_at = unix(body.canceled_at);
	if (body.metadata !== undefined) r.metadata = { ...r.metadata, ...metadataOf(body.metadata) };
	return { json: { data: { subscription: view(state, 'subscriptions', r) } } };
}

const CREATE = {
	prices: createPrice,
	customers: createCustomer,
	discounts: createDiscount,
	invoices: createInvoice,
	products: createProduct,
	subscriptions: createSubscription,
};

// ---------------------------------------------------------------------------------------------------------------
// Dispatch
// ---------------------------------------------------------------------------------------------------------------

function authenticate(opts, headers) {
	const authz = headers.authorization || '';
	const m = /^Bearer\s+(\S+)\s*$/i.exec(authz);
	const appId = headers['x-app-id'];
	const label = `${m ? 'bearer' : authz ? `${authz.split(' ')[0].toLowerCase()} (not bearer)` : 'none'}${appId ? ` + x-app-id:${appId}` : ' (no x-app-id)'}`;
	if (!m) return { ok: false, auth: label, detail: 'A Bearer API key is required in the Authorization header.' };
	if (m[1] !== opts.upzeloKey) return { ok: false, auth: `${label} (rejected key)`, detail: 'The API key is invalid.' };
	if (!appId) return { ok: false, auth: label, detail: 'The x-app-id header is required.' };
	if (appId !== opts.upzeloAppId) return { ok: false, auth: `${label} (rejected app id)`, detail: 'The API key is not valid for this App ID.' };
	return { ok: true, auth: label };
}

function errorBody(err) {
	return { errors: err.details.map((detail) => ({ code: err.status, title: err.title, detail })) };
}

function parseBody(ctx) {
	const type = (ctx.req.headers['content-type'] || '').toLowerCase();
	if (!ctx.rawBody) return {};
	if (type.includes('json')) {
		try {
			const b = JSON.parse(ctx.rawBody);
			return isPlainObject(b) ? b : {};
		} catch {
			return {}; // Laravel: undecodable JSON is empty input (then "field is required")
		}
	}
	if (type.includes('application/x-www-form-urlencoded')) {
		return Object.fromEntries(new URLSearchParams(ctx.rawBody));
	}
	return {}; // any other content type: a Laravel app reads no input from it
}

function handleUpzelo(ctx, opts) {
	const a = authenticate(opts, ctx.req.headers);
	if (!a.ok) {
		return { status: 401, auth: a.auth, json: { errors: [{ code: 401, title: 'Unauthenticated', detail: a.detail }] } };
	}
	const path = ctx.path.replace(/\/+$/, ''); // Laravel ignores a trailing slash
	const m = /^\/api\/([a-z_]+)(?:\/([^/]+))?$/.exec(path);
	const name = m && m[1];
	if (!m || !RESOURCES[name]) {
		return { status: 404, auth: a.auth, json: { errors: [{ code: 404, title: 'Not Found', detail: `The route ${path.slice(1)} could not be found.` }] } };
	}
	let id;
	try {
		id = m[2] === undefined ? undefined : decodeURIComponent(m[2]);
	} catch {
		id = m[2];
	}
	const allowed = id === undefined ? ['GET', 'POST'] : ['GET', ...(name === 'customers' || name === 'subscriptions' ? ['PUT'] : [])];
	if (!allowed.includes(ctx.method)) {
		return {
			status: 405,
			auth: a.auth,
			headers: { Allow: [...allowed, 'HEAD'].join(', ') },
			json: { errors: [{ code: 405, title: 'Method Not Allowed', detail: `The ${ctx.method} method is not supported for route ${path.slice(1)}. Supported methods: ${[...allowed, 'HEAD'].join(', ')}.` }] },
		};
	}
	try {
		ctx.state = ctx.upzelo;
		let out;
		if (id === undefined) out = ctx.method === 'GET' ? list(ctx, name) : (ctx.body = parseBody(ctx), CREATE[name](ctx));
		else if (ctx.method === 'GET') out = getOne(ctx, name, id);
		else if (name === 'customers') out = anonymizeCustomer(ctx, id);
		else {
			ctx.body = parseBody(ctx);
			out = updateSubscription(ctx, id);
		}
		return { status: out.status || 200, auth: a.auth, ...out };
	} catch (err) {
		if (err instanceof UpzeloError) return { status: err.status, auth: a.auth, json: errorBody(err) };
		throw err;
	}
}

function upzeloSnapshot(state) {
	return Object.fromEntries(Object.keys(RESOURCES).map((n) => [n, state.col[n].list.length]));
}

module.exports = { createUpzeloState, handleUpzelo, upzeloSnapshot, RESOURCES, MAX_LIMIT, DEFAULT_LIMIT };

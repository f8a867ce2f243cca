'use strict';
/**
 * Upzelo's webhook deliveries, as docs.upzelo.com (Integrations → Webhooks) describes them: a JSON POST of
 * `{"data": {"type", "attempt", "customer": {"external_id", "name", "email", "description"}, …}}` to the URL the
 * user entered in Upzelo's dashboard, retried with the documented delays between attempts (immediately, then 3,
 * 5, 9, 17, 33 and 65 minutes; 7 attempts) until the answer is a success. Upzelo signs nothing.
 *
 *   POST   /__control/webhooks/deliver      start a delivery (fields in CONTROL_HELP); answers at once with its
 *                                           record, or with `wait: true` once it is delivered or given up
 *   GET    /__control/webhooks/deliveries   every delivery with its attempts (status, answer, time)
 *   DELETE /__control/webhooks/deliveries   cancel pending retries and forget every delivery
 *
 * Bounded: URLs on this machine only (127.0.0.1, localhost, [::1]), at most 50 deliveries pending at once, each
 * attempt given up after 10 s; close() cancels every pending retry and request.
 */

const { isPlainObject } = require('./common');

/** Minutes before each attempt, after the previous one (docs: "the times between attempts"). */
const RETRY_DELAYS_MINUTES = [0, 3, 5, 9, 17, 33, 65];

/**
 * Type strings for the nine documented events. Only `flow.started` is documented as a string; the other eight
 * are stand-ins (UNCONFIRMED) so a suite can send nine distinct events. The trigger never relies on them.
 */
const EVENT_TYPES = {
	'Flow Started': 'flow.started',
	'Flow Abandoned': 'flow.abandoned',
	'Subscription Pause': 'subscription.pause',
	'Subscription Skip Charge': 'subscription.skip_charge',
	'Subscription Plan Change': 'subscription.plan_change',
	'Subscription Free Period': 'subscription.free_period',
	'Subscription Discount': 'subscription.discount',
	'Subscription Cancelled': 'subscription.cancelled',
	'New Request': 'request.new',
};

/** The customer of the docs' example, unless a delivery names another. */
const EXAMPLE_CUSTOMER = {
	external_id: 'cus_1234',
	name: 'Richard Hendricks',
	email: 'richard@piedpiper.example',
	description: 'Created middle-out compression',
};

const MAX_PENDING = 50;
const ATTEMPT_TIMEOUT_MS = 10000;
const FIELDS = new Set(['url', 'event', 'type', 'customer', 'data', 'rawBody', 'contentType', 'compress', 'maxAttempts', 'loseAnswers', 'wait']);

const CONTROL_HELP = {
	'POST /__control/webhooks/deliver': {
		about: 'POST an Upzelo webhook event to `url`, retried on anything but a 2xx with Upzelo\'s delays, divided by `compress`',
		url: 'where to deliver (required; http(s) on 127.0.0.1, localhost or [::1]), e.g. an n8n production webhook URL with ?secret=…',
		event: `a documented event name (${Object.keys(EVENT_TYPES).join(', ')}); its type string is ours unless "Flow Started"`,
		type: 'the data.type string to send instead (any text); default flow.started',
		customer: 'data.customer (default the docs\' example customer)',
		data: 'more fields merged into data, e.g. {"flow": {"id": "flow_1"}}',
		rawBody: 'send this text as the body instead of the event (a bad delivery), with `contentType` (default application/json)',
		compress: 'divide the retry delays by this factor (default 1: real minutes; 60 makes minutes seconds)',
		maxAttempts: 'attempts before giving up, 1–7 (default 7)',
		loseAnswers: 'count the first n answers as lost (as when an answer never reaches Upzelo), so they are retried (default 0)',
		wait: 'true: answer once the delivery is delivered or given up (default false: at once)',
	},
	'GET /__control/webhooks/deliveries': 'every delivery: id, url, type, state (pending|delivered|failed|cancelled), attempts [{attempt, status, answer, at}]',
	'DELETE /__control/webhooks/deliveries': 'cancel pending retries and forget every delivery',
};

function checkedUrl(value) {
	let url;
	try {
		url = new URL(String(value));
	} catch {
		throw new Error(`url must be a URL (got ${JSON.stringify(value)})`);
	}
	if (!['http:', 'https:'].includes(url.protocol) || !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
		throw new Error(`url must be http(s) on 127.0.0.1, localhost or [::1] (got ${url.href})`);
	}
	return url.href;
}

function positive(name, value, fallback, max = Infinity) {
	if (value === undefined) return fallback;
	if (typeof value !== 'number' || !(value > 0) || value > max) throw new Error(`${name} must be a number above 0${max < Infinity ? ` and at most ${max}` : ''}`);
	return value;
}

function parseRequest(body) {
	const unknown = Object.keys(body).filter((k) => !FIELDS.has(k));
	if (unknown.length) throw new Error(`unknown delivery fields: ${unknown.join(', ')} (known: ${[...FIELDS].join(', ')})`);
	if (body.event !== undefined && !EVENT_TYPES[body.event]) throw new Error(`event must be one of ${Object.keys(EVENT_TYPES).join(', ')}`);
	if (body.type !== undefined && typeof body.type !== 'string') throw new Error('type must be text');
	for (const key of ['customer', 'data']) if (body[key] !== undefined && !isPlainObject(body[key])) throw new Error(`${key} must be a JSON object`);
	if (body.rawBody !== undefined && typeof body.rawBody !== 'string') throw new Error('rawBody must be text');
	const maxAttempts = positive('maxAttempts', body.maxAttempts, RETRY_DELAYS_MINUTES.length, RETRY_DELAYS_MINUTES.length);
	if (!Number.isInteger(maxAttempts)) throw new Error('maxAttempts must be a whole number');
	const loseAnswers = body.loseAnswers ?? 0;
	if (!Number.isInteger(loseAnswers) || loseAnswers < 0) throw new Error('loseAnswers must be a whole number of at least 0');
	return {
		url: checkedUrl(body.url),
		type: body.type ?? EVENT_TYPES[body.event ?? 'Flow Started'],
		customer: body.customer ?? EXAMPLE_CUSTOMER,
		data: body.data ?? {},
		rawBody: body.rawBody,
		contentType: body.contentType ?? 'application/json',
		compress: positive('compress', body.compress, 1),
		maxAttempts,
		loseAnswers,
		wait: body.wait === true,
	};
}

/** The deliverer of one sandbox: `handle(method, path, body)` for its control routes, `close()` on shutdown. */
function createWebhookDeliveries() {
	const deliveries = [];
	const timers = new Set();
	const controllers = new Set();
	let seq = 0;

	const record = (d) => ({ id: d.id, url: d.url, type: d.type, state: d.state, attempts: d.attempts.map((a) => ({ ...a })) });

	async function attempt(d) {
		const number = d.attempts.length + 1;
		const body = d.rawBody ?? JSON.stringify({ data: { type: d.type, attempt: number, customer: d.customer, ...d.data } });
		const controller = new AbortController();
		controllers.add(controller);
		const timeout = setTimeout(() => controller.abort(), ATTEMPT_TIMEOUT_MS);
		const entry = { attempt: number, at: new Date().toISOString() };
		try {
			const res = await fetch(d.url, { method: 'POST', headers: { 'content-type': d.contentType }, body, signal: controller.signal });
			entry.status = res.status;
			const text = await res.text();
			try {
				entry.answer = JSON.parse(text);
			} catch {
				entry.answer = text.slice(0, 500);
			}
		} catch (err) {
			entry.status = null;
			entry.error = err.name === 'AbortError' ? 'no answer (timed out or cancelled)' : err.message;
		} finally {
			clearTimeout(timeout);
			controllers.delete(controller);
		}
		if (d.state === 'cancelled') return;
		const lost = number <= d.loseAnswers;
		if (lost) entry.lost = true;
		d.attempts.push(entry);
		if (!lost && entry.status >= 200 && entry.status < 300) return finish(d, 'delivered');
		if (number >= d.maxAttempts) return finish(d, 'failed');
		const delayMs = (RETRY_DELAYS_MINUTES[number] * 60000) / d.compress;
		const timer = setTimeout(() => {
			timers.delete(timer);
			attempt(d);
		}, delayMs);
		timers.add(timer);
	}

	function finish(d, state) {
		d.state = state;
		for (const resolve of d.waiters.splice(0)) resolve();
	}

	async function deliver(body) {
		const spec = parseRequest(body);
		if (deliveries.filter((d) => d.state === 'pending').length >= MAX_PENDING) throw new Error(`at most ${MAX_PENDING} deliveries may be pending`);
		const d = { id: `whd_${++seq}`, ...spec, state: 'pending', attempts: [], waiters: [] };
		deliveries.push(d);
		const done = new Promise((resolve) => d.waiters.push(resolve));
		attempt(d);
		if (spec.wait) await done;
		return record(d);
	}

	function cancelAll() {
		for (const timer of timers) clearTimeout(timer);
		timers.clear();
		for (const controller of controllers) controller.abort();
		for (const d of deliveries) if (d.state === 'pending') finish(d, 'cancelled');
	}

	/** The answer `{ status, json }` to a control route under /__control/webhooks, or undefined for other routes. */
	async function handle(method, path, body) {
		const route = `${method} ${path.replace(/\/+$/, '')}`;
		switch (route) {
			case 'POST /__control/webhooks/deliver': {
				const d = await deliver(body);
				return { status: body.wait === true ? 200 : 202, json: d };
			}
			case 'GET /__control/webhooks/deliveries':
				return { status: 200, json: { count: deliveries.length, deliveries: deliveries.map(record) } };
			case 'DELETE /__control/webhooks/deliveries':
				cancelAll();
				deliveries.length = 0;
				return { status: 200, json: { ok: true } };
			default:
				return undefined;
		}
	}

	return { handle, close: cancelAll, list: () => deliveries.map(record) };
}

module.exports = { createWebhookDeliveries, CONTROL_HELP, EVENT_TYPES, EXAMPLE_CUSTOMER, RETRY_DELAYS_MINUTES };

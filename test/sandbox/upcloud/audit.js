'use strict';
/**
 * UpCloud audit logs (`/1.3/audit-logs`, API 1.3 chapter 22) as upcloud-audit-logs.md (the project's API notes in
 * ../shared/api-docs/, outside this repo; officially https://developers.upcloud.com/1.3/22-audit-logs/) describes them: a list with the documented filters (actions, origins, resource_types as repeated parameters,
 * inclusive created_after/created_before, q), limit 0–200 with a row offset and the Upcloud-Total-Count header,
 * {"audit_logs":[…]}; the filter options; the export as CSV or one JSON array. Events are kept 180 days.
 * Where the docs leave a choice open, the choice is marked UNCONFIRMED.
 *
 * Control: POST /__control/audit-logs appends events (`control` below, served by server.js). Every authenticated
 * GET outside /audit-logs is logged as a `read`, as UpCloud logs reads (UNCONFIRMED which reads it logs).
 */

const { prng, hash32, isPlainObject } = require('../common');
const { DAY, UpCloudError, asList, single } = require('./shared');

const RETENTION_MS = 180 * DAY;
/** A bound on memory: the oldest events go first beyond it. */
const MAX_EVENTS = 50_000;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const ACTIONS = ['create', 'read', 'update', 'delete', 'access-update', 'attach', 'detach', 'login', 'logout'];
const ORIGINS = ['api', 'gui', 'upcloud_internal'];
const RESOURCE_TYPES = [
	'account', 'auth', 'init-script', 'managed-database', 'managed-loadbalancer', 'managed-loadbalancer-certificate-bundle',
	'managed-object-storage', 'server', 'ssh-key', 'storage', 'uks',
];
// Row values beyond the filter lists, as the generated 1.3 client's enums name them.
const ROW_ACTIONS = [...ACTIONS, 'access-granted', 'access-granted-kubeconfig', 'access-modified', 'clone', 'maintenance-start', 'owner-change', 'start', 'stop', 'writes-enable'];
const ROW_TYPES = [...RESOURCE_TYPES, 'network-gateway'];
const CSV_COLUMNS = ['time', 'cloud_event_id', 'upcloud_correlation_id', 'account_username', 'auth_type', 'origin', 'action', 'resource_type', 'resource_sub_type', 'resource_id', 'ip_address'];

/** A ULID: 48 bits of milliseconds then 80 random bits, Crockford base32, so IDs sort by time. */
function ulid(ms, r) {
	let time = '';
	let t = Math.floor(ms);
	for (let i = 0; i < 10; i++) {
		time = CROCKFORD[t % 32] + time;
		t = Math.floor(t / 32);
	}
	let rest = '';
	for (let i = 0; i < 16; i++) rest += CROCKFORD[Math.floor(r.next() * 32)];
	return time + rest;
}

const iso = (ms) => new Date(ms).toISOString();

function createAuditState(opts, mainUser) {
	const seedNow = opts.seedNow ?? Date.now();
	const state = { random: prng(hash32(`${opts.seed}:audit`)), events: [], mainUser };
	const seed = [
		[-20 * DAY, { action: 'login', resource_type: 'auth', origin: 'gui', auth_type: 'gui', ip_address: '198.51.100.23' }],
		[-20 * DAY + 60_000, { action: 'create', resource_type: 'server', resource_id: '00798b85-efdc-41ca-8021-f6ef457b8531', current_state: { hostname: 'web-1', state: 'started' } }],
		[-10 * DAY, { action: 'create', resource_type: 'auth', resource_sub_type: 'api-token', current_state: { name: 'sandbox-seeded' } }],
		[-2 * DAY, { action: 'stop', resource_type: 'server', resource_id: '00798b85-efdc-41ca-8021-f6ef457b8531', previous_state: { state: 'started' }, current_state: { state: 'stopped' } }],
		[-2 * DAY, { action: 'update', resource_type: 'account', account_username: mainUser, origin: 'gui', auth_type: 'gui' }],
		[-1 * DAY, { action: 'read', resource_type: 'server', resource_id: '00798b85-efdc-41ca-8021-f6ef457b8531' }],
		[-3600_000, { action: 'login', resource_type: 'auth', origin: 'gui', auth_type: 'gui', ip_address: '203.0.113.7' }],
	];
	for (const [offset, fields] of seed) addEvent(state, { ...fields, time: iso(Math.floor((seedNow + offset) / 1000) * 1000) }, seedNow);
	return state;
}

/** Adds one event, filling what the caller left out; returns it. */
function addEvent(state, fields, nowMs) {
	const ms = fields.time === undefined ? nowMs : Date.parse(fields.time);
	const event = {
		time: fields.time ?? iso(nowMs),
		cloud_event_id: ulid(ms, state.random),
		upcloud_correlation_id: ulid(ms, state.random),
		account_username: state.mainUser,
		auth_type: 'api',
		origin: 'api',
		action: 'create',
		resource_type: 'server',
		ip_address: '192.0.2.10',
		...fields,
	};
	for (const [k, v] of Object.entries(event)) if (v === undefined || v === null) delete event[k];
	state.events.push(event);
	if (state.events.length > MAX_EVENTS) state.events.splice(0, state.events.length - MAX_EVENTS);
	return event;
}

const badRequest = (code, message) => new UpCloudError(400, code, message);

/** The matching events, newest first; throws an UpCloudError for a filter the page does not allow. */
function select(state, query, nowMs, { listFilters = true } = {}) {
	const filters = {};
	if (listFilters) {
		// UNCONFIRMED: commas are split too, as some clients send actions=create,delete.
		for (const [param, allowed] of [['actions', ACTIONS], ['origins', ORIGINS], ['resource_types', RESOURCE_TYPES]]) {
			const values = asList(query[param]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
			const unknown = values.filter((v) => !allowed.includes(v));
			// UNCONFIRMED code: the page says the values come from a fixed list, not how others are refused.
			if (unknown.length) throw badRequest('INVALID_FILTER', `The ${param} value "${unknown[0]}" is invalid; see /audit-logs/filter-options.`);
			if (values.length) filters[param] = new Set(values);
		}
	}
	const time = (name, fallback) => {
		const raw = single(query, name);
		if (raw === undefined || raw === '') return fallback;
		const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(raw) ? Date.parse(raw) : NaN;
		if (!Number.isFinite(ms)) throw badRequest('INVALID_TIMESTAMP', `The ${name} attribute must be an ISO timestamp such as 2024-04-05T15:04:05Z.`);
		return ms;
	};
	const after = time('created_after', nowMs - RETENTION_MS);
	const before = time('created_before', nowMs);
	const q = single(query, 'q');
	const rows = state.events.filter((e) => {
		const ms = Date.parse(e.time);
		// Both bounds inclusive ("including the time of timestamp"); a bound in whole seconds covers that second's
		// fractions at the end, since an event at 12:00:00.4 happened "at" 12:00:00 to the second.
		if (ms < Math.max(after, nowMs - RETENTION_MS) || ms > before + (before % 1000 === 0 ? 999 : 0)) return false;
		if (filters.actions && !filters.actions.has(e.action)) return false;
		if (filters.origins && !filters.origins.has(e.origin)) return false;
		if (filters.resource_types && !filters.resource_types.has(e.resource_type)) return false;
		// UNCONFIRMED: exact match on the resource id, username or IP.
		if (q && ![e.resource_id, e.account_username, e.ip_address].includes(q)) return false;
		return true;
	});
	// UNCONFIRMED order: newest first, ties by ID.
	rows.sort((a, b) => Date.parse(b.time) - Date.parse(a.time) || (a.cloud_event_id < b.cloud_event_id ? 1 : -1));
	return rows;
}

function intParam(query, name, min, max, fallback) {
	const raw = single(query, name);
	if (raw === undefined || raw === '') return fallback;
	const n = Number(raw);
	if (!/^\d+$/.test(String(raw)) || n < min || n > max) {
		throw badRequest(`INVALID_${name.toUpperCase()}`, `The ${name} attribute must be a whole number ${max === Infinity ? `>= ${min}` : `from ${min} to ${max}`}.`);
	}
	return n;
}

const csvCell = (v) => {
	const s = v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
	return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

const routes = [
	['GET', /^\/audit-logs$/, (ctx) => {
		const limit = intParam(ctx.query, 'limit', 0, 200, 50);
		const offset = intParam(ctx.query, 'offset', 0, Infinity, 0);
		const rows = select(ctx.state.auditState, ctx.query, ctx.now);
		return {
			headers: { 'Upcloud-Total-Count': String(rows.length) },
			json: { audit_logs: rows.slice(offset, offset + limit).map((e) => JSON.parse(JSON.stringify(e))) },
		};
	}],
	['GET', /^\/audit-logs\/filter-options$/, () => ({
		json: { resource_types: [...RESOURCE_TYPES], actions: [...ACTIONS], origins: [...ORIGINS] },
	})],
	['GET', /^\/audit-logs\/export$/, (ctx) => {
		const format = single(ctx.query, 'format') ?? 'csv';
		if (format !== 'csv' && format !== 'json') throw badRequest('INVALID_FORMAT', 'The format attribute must be csv or json.');
		// UNCONFIRMED: the page documents only format; the time window is honoured here.
		const rows = select(ctx.state.auditState, ctx.query, ctx.now, { listFilters: false }).reverse();
		if (format === 'json') return { json: rows };
		const lines = [CSV_COLUMNS.join(','), ...rows.map((e) => CSV_COLUMNS.map((c) => csvCell(e[c])).join(','))];
		return { text: `${lines.join('\n')}\n`, contentType: 'text/csv' };
	}],
];

/** Logs an authenticated GET that succeeded as a `read` event (not the audit log's own reads). */
function recordRead(ctx, out) {
	if (ctx.method !== 'GET' || (out.status ?? 200) >= 400) return;
	const sub = ctx.path.replace(/^\/\d+\.\d+/, '');
	if (sub.startsWith('/audit-logs')) return;
	const type = sub.startsWith('/account/tokens') ? 'auth' : sub.startsWith('/account') ? 'account' : 'server';
	addEvent(ctx.state.auditState, {
		action: 'read',
		resource_type: type,
		account_username: ctx.principal?.username,
		auth_type: ctx.principal?.token ? 'api_token' : 'basic_auth',
		ip_address: '127.0.0.1',
		time: iso(ctx.now),
	}, ctx.now);
}

/**
 * POST /__control/audit-logs: `{events: [{action, resource_type, time?, …}, …]}` appends each (unknown fields kept);
 * `{count: N, event: {…}}` appends N copies of one event (same time unless `time` is left out, then now).
 * Answers the appended events and the total.
 */
function appendAuditEvents(state, body, nowMs) {
	if (!isPlainObject(body)) throw new Error('body must be a JSON object');
	let list;
	if (Array.isArray(body.events)) list = body.events;
	else if (Number.isInteger(body.count) && body.count >= 1 && body.count <= 20_000) {
		if (body.event !== undefined && !isPlainObject(body.event)) throw new Error('event must be an object');
		list = Array.from({ length: body.count }, () => ({ ...(body.event || {}) }));
	} else throw new Error('give events: [{…}] or count: 1–20000 with event: {…}');
	const added = [];
	for (const e of list) {
		if (!isPlainObject(e)) throw new Error('each event must be an object');
		if (e.action !== undefined && !ROW_ACTIONS.includes(e.action)) throw new Error(`unknown action ${e.action} (known: ${ROW_ACTIONS.join(', ')})`);
		if (e.resource_type !== undefined && !ROW_TYPES.includes(e.resource_type)) throw new Error(`unknown resource_type ${e.resource_type}`);
		if (e.origin !== undefined && !ORIGINS.includes(e.origin)) throw new Error(`unknown origin ${e.origin}`);
		if (e.time !== undefined && !Number.isFinite(Date.parse(e.time))) throw new Error(`time must be an ISO timestamp (got ${JSON.stringify(e.time)})`);
		added.push(addEvent(state, e, nowMs));
	}
	return { added, total: state.events.length };
}

/** Control routes under /__control, served by server.js: help text and handler(upcloudState, body, nowMs). */
const control = {
	'POST /__control/audit-logs': {
		help: 'append UpCloud audit-log events: {events:[{action, resource_type, time?, account_username?, ip_address?, origin?, current_state?, …}]} or {count: N, event:{…}} (N alike, one timestamp); answers {added, total}',
		handler: (upcloud, body, nowMs) => appendAuditEvents(upcloud.auditState, body, nowMs),
	},
};

function auditSnapshot(state) {
	return { count: state.events.length, newest: state.events.length ? state.events.reduce((a, b) => (Date.parse(b.time) >= Date.parse(a.time) ? b : a)) : null };
}

module.exports = { routes, control, createAuditState, recordRead, appendAuditEvents, auditSnapshot };

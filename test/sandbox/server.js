#!/usr/bin/env node
'use strict';
/**
 * Local sandbox of the UpCloud API 1.3 and the Upzelo API, on one 127.0.0.1 port:
 *
 *   UpCloud   http://127.0.0.1:8787/1.3/…   HTTP Basic  sandbox_user / Sandbox-Pass-123
 *   Upzelo    http://127.0.0.1:8787/api/…   Authorization: Bearer sandbox_key, x-app-id: sandbox_app
 *   control   http://127.0.0.1:8787/__control/…   (no auth; see GET /__control)
 *
 * Both halves implement the documented behaviour independently of this package's nodes: envelopes, status codes,
 * error bodies, validation rules, pagination, CSV. In-memory state, deterministic seed data.
 *
 * CLI:  npm run sandbox [-- --port 8787 --upzelo-seed-count 250 --customers 10000 --now 2026-11-15T12:00:00Z]
 *       --json prints one line `{"url":…,"upcloudUrl":…,"upzeloUrl":…,"controlUrl":…,"credentials":{…}}` once it
 *       listens, instead of the text for people: scripts/ (dev, bench) start the sandbox that way, through
 *       scripts/lib/sandbox.js, and never require this file.
 * API:  const { startSandbox } = require('./test/sandbox/server');
 *       const sb = await startSandbox({ port: 0, upzeloSeedCount: 250 });  // sb.url, sb.upcloudUrl, sb.upzeloUrl
 *       await sb.close();
 *       Option `identifyClient(req)`: its answer is logged with each request as `client` (e.g. which process sent it).
 *
 * Environment: SANDBOX_PORT, UPZELO_SEED_COUNT, UPZELO_SEED_<RESOURCE> (e.g. UPZELO_SEED_CUSTOMERS=10000),
 * SANDBOX_UPCLOUD_USER, SANDBOX_UPCLOUD_PASSWORD, SANDBOX_UPZELO_KEY, SANDBOX_UPZELO_APP_ID, SANDBOX_NOW.
 */

const http = require('node:http');
const { parseQuery, readBody, sendJson, sendEmpty, sendText, isPlainObject } = require('./common');
const { createUpCloudState, handleUpCloud, applyUpCloudControl, upcloudSnapshot, UPCLOUD_CONTROL } = require('./upcloud');
const { createUpzeloState, handleUpzelo, upzeloSnapshot, RESOURCES } = require('./upzelo');
const { createWebhookDeliveries, CONTROL_HELP: WEBHOOK_HELP } = require('./upzelo-webhooks');

const DEFAULTS = {
	host: '127.0.0.1',
	port: 8787,
	upcloudUser: 'sandbox_user',
	upcloudPassword: 'Sandbox-Pass-123',
	upcloudToken: 'ucat_01SANDBOX0SEEDED0TOKEN0001',
	subaccountPassword: 'Sandbox-Sub-Pass-123',
	upzeloKey: 'sandbox_key',
	upzeloAppId: 'sandbox_app',
	upzeloSeedCount: 250,
	seed: 20240901,
	logLimit: 20000,
	latencyMs: 0,
	quiet: true,
};

// `token` alone is an API token's secret; can_create_tokens and the like are not.
const SECRET_KEY = /pass|secret|^token$|api_?key|authorization/i;

function redact(value) {
	if (Array.isArray(value)) return value.map(redact);
	if (!isPlainObject(value)) return value;
	const out = {};
	for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v);
	return out;
}

function envInt(name) {
	const v = process.env[name];
	if (v === undefined || v === '') return undefined;
	const n = Number(v);
	if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer (got "${v}")`);
	return n;
}

function parseNow(v) {
	if (v === undefined || v === null || v === '') return null;
	const ms = typeof v === 'number' ? v : Date.parse(v);
	if (!Number.isFinite(ms)) throw new Error(`now must be an ISO timestamp or epoch milliseconds (got ${JSON.stringify(v)})`);
	return ms;
}

function resolveOptions(options = {}) {
	const o = { ...DEFAULTS };
	const env = {
		port: envInt('SANDBOX_PORT'),
		upzeloSeedCount: envInt('UPZELO_SEED_COUNT'),
		upcloudUser: process.env.SANDBOX_UPCLOUD_USER || undefined,
		upcloudPassword: process.env.SANDBOX_UPCLOUD_PASSWORD || undefined,
		upcloudToken: process.env.SANDBOX_UPCLOUD_TOKEN || undefined,
		upzeloKey: process.env.SANDBOX_UPZELO_KEY || undefined,
		upzeloAppId: process.env.SANDBOX_UPZELO_APP_ID || undefined,
		now: process.env.SANDBOX_NOW || undefined,
	};
	for (const [k, v] of Object.entries(env)) if (v !== undefined) o[k] = v;
	for (const [k, v] of Object.entries(options)) if (v !== undefined) o[k] = v;
	const counts = {};
	for (const name of Object.keys(RESOURCES)) {
		counts[name] = envInt(`UPZELO_SEED_${name.toUpperCase()}`) ?? o.upzeloSeedCount;
	}
	o.upzeloCounts = { ...counts, ...(options.upzeloCounts || {}) };
	for (const [k, v] of Object.entries(o.upzeloCounts)) {
		if (!RESOURCES[k]) throw new Error(`unknown Upzelo resource in upzeloCounts: ${k}`);
		if (!Number.isInteger(v) || v < 0) throw new Error(`upzeloCounts.${k} must be a non-negative integer`);
	}
	o.frozenNow = parseNow(o.now);
	return o;
}

function createState(o) {
	const now = o.frozenNow ?? Date.now();
	return {
		upcloud: createUpCloudState({ ...o, seedNow: now }),
		upzelo: createUpzeloState({ ...o, seedNow: now }),
	};
}

const CONTROL_HELP = {
	'GET /__control': 'this help',
	'GET /__control/health': '{ ok: true }',
	'GET /__control/state': 'current values: credits, month spend, transfer, Upzelo record counts, clock',
	'POST /__control/state': {
		credits: 'GET /account credits, raw API value in hundredths of the currency (4210 = 42.10 EUR)',
		monthSpend: 'current-month billing total in currency units (null: back to generated values)',
		categorySpend: '{"servers": 12.5, "storages": 3} per-category current-month totals',
		username: 'apply monthSpend/categorySpend to this partner account instead of the main account',
		transferBytes: 'current month total sent bytes (current_network_usage.total_sent_bytes and network_usage)',
		accumulatedQuotaBytes: 'current accumulated transfer quota (null: hourly accrual)',
		hourlyQuotaIncreaseBytes: 'quota accrued per hour',
		resourceTransferBytes: 'number (primary server) or {"<resource uuid>": bytes}: current month bytes sent by a resource',
		partnerAccountLimit: 'partner accounts allowed before 403 ACCOUNT_CREATION_LIMIT_REACHED',
		serverTimings: '{"restartMs": 500, …} transition times in ms of servers and storages (upcloud/servers.js), null: the defaults',
		now: 'freeze the clock (ISO timestamp) or null to follow real time',
		latencyMs: 'delay every API response by this many milliseconds',
	},
	'POST /__control/reset': 'rebuild all data; optional body {upzeloSeedCount, upzeloCounts:{customers:10000}, seed, now}',
	'GET /__control/requests': 'request log (?service=upcloud|upzelo&since=<seq>): method, path, query, auth used, status, body with secrets redacted',
	'DELETE /__control/requests': 'clear the request log',
	'POST /__control/faults': {
		about: 'fail the next matching requests; one fault object, or {faults:[…]}; faults stay until used up (or DELETE)',
		service: '"upzelo" | "upcloud" (required)',
		status: 'HTTP status to answer with the service\'s own error body, e.g. 503 (required unless reset)',
		reset: 'true: close the connection without an answer instead (the client sees ECONNRESET / socket hang up)',
		'count | times': 'how many matching requests fail (default 1)',
		after: 'let this many matching requests through first (default 0), e.g. 41 fails the 42nd',
		path: 'path prefix to match, e.g. "/api/customers"',
		pathPattern: 'regular expression the path must match instead, e.g. "^/api/customers$"',
		method: 'only this method, e.g. "GET"',
		retryAfter: 'Retry-After header: seconds (1) or an HTTP date ("Wed, 21 Oct 2026 07:28:00 GMT")',
	},
	'DELETE /__control/faults': 'remove pending faults',
	...WEBHOOK_HELP,
	...Object.fromEntries(Object.entries(UPCLOUD_CONTROL).map(([route, c]) => [route, c.help])),
};

const FAULT_FIELDS = new Set(['service', 'status', 'reset', 'count', 'times', 'after', 'path', 'pathPattern', 'method', 'retryAfter']);

/** A fault as POST /__control/faults describes it (see CONTROL_HELP), checked. */
function parseFault(f) {
	if (!isPlainObject(f)) throw new Error('a fault must be a JSON object');
	const unknown = Object.keys(f).filter((k) => !FAULT_FIELDS.has(k));
	if (unknown.length) throw new Error(`unknown fault fields: ${unknown.join(', ')} (known: ${[...FAULT_FIELDS].join(', ')})`);
	if (f.service !== 'upzelo' && f.service !== 'upcloud') throw new Error('fault.service must be "upzelo" or "upcloud"');
	const reset = f.reset === true;
	if (!reset && (!Number.isInteger(f.status) || f.status < 400 || f.status > 599)) {
		throw new Error('fault.status must be an HTTP error status (400–599), or set reset: true');
	}
	const times = f.count ?? f.times ?? 1;
	if (!Number.isInteger(times) || times < 1) throw new Error('fault.count must be a positive integer');
	const after = f.after ?? 0;
	if (!Number.isInteger(after) || after < 0) throw new Error('fault.after must be a non-negative integer');
	if (f.pathPattern !== undefined) {
		try {
			new RegExp(f.pathPattern);
		} catch (err) {
			throw new Error(`fault.pathPattern is not a regular expression: ${err.message}`);
		}
	}
	if (f.retryAfter !== undefined && typeof f.retryAfter !== 'number' && typeof f.retryAfter !== 'string') {
		throw new Error('fault.retryAfter must be seconds (a number) or an HTTP date (a string)');
	}
	return {
		service: f.service,
		...(reset ? { reset: true } : { status: f.status }),
		times,
		after,
		path: f.path,
		pathPattern: f.pathPattern,
		method: f.method ? String(f.method).toUpperCase() : undefined,
		retryAfter: f.retryAfter,
	};
}

function faultBody(service, status) {
	const titles = { 429: 'Too Many Requests', 500: 'Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };
	const title = titles[status] || 'Error';
	if (service === 'upzelo') return { errors: [{ code: status, title, detail: `Injected fault: ${title}.` }] };
	const code = { 429: 'TOO_MANY_REQUESTS', 502: 'BAD_GATEWAY', 503: 'SERVICE_UNAVAILABLE', 504: 'GATEWAY_TIMEOUT' }[status] || 'INTERNAL_ERROR';
	return { error: { error_code: code, error_message: `Injected fault: ${title}.` } };
}

/**
 * Starts the sandbox. Resolves to `{ url, port, upcloudUrl, upzeloUrl, credentials, state, requests(), reset(), close() }`.
 * `state.upcloud` / `state.upzelo` are the live in-memory stores (replaced by reset()).
 */
function startSandbox(options = {}) {
	const o = resolveOptions(options);
	const state = { ...createState(o), requests: [], faults: [], seq: 0, frozenNow: o.frozenNow, latencyMs: o.latencyMs };
	const now = () => state.frozenNow ?? Date.now();
	// Upzelo's webhook deliveries (POST /__control/webhooks/deliver); cancelled by reset() and close().
	const webhooks = createWebhookDeliveries();
	const log = (...args) => {
		if (!o.quiet) process.stderr.write(`${args.join(' ')}\n`);
	};

	function reset(body = {}) {
		const next = resolveOptions({ ...options, ...body, upzeloCounts: { ...(options.upzeloCounts || {}), ...(body.upzeloCounts || {}) } });
		if (body.now !== undefined) state.frozenNow = parseNow(body.now);
		else state.frozenNow = next.frozenNow;
		Object.assign(o, next, { port: o.port });
		const fresh = createState({ ...next, frozenNow: state.frozenNow });
		state.upcloud = fresh.upcloud;
		state.upzelo = fresh.upzelo;
		state.requests.length = 0;
		state.faults.length = 0;
		state.latencyMs = next.latencyMs;
		webhooks.close();
	}

	function snapshot() {
		return {
			clock: { now: new Date(now()).toISOString(), frozen: state.frozenNow !== null },
			upcloud: upcloudSnapshot(state.upcloud, now()),
			upzelo: upzeloSnapshot(state.upzelo),
			latencyMs: state.latencyMs,
			pendingFaults: state.faults.length,
		};
	}

	function handleControl(req, res, path, query, raw) {
		let body = {};
		if (raw) {
			try {
				body = JSON.parse(raw);
			} catch {
				return sendJson(res, 400, { error: 'body must be JSON' });
			}
			if (!isPlainObject(body)) return sendJson(res, 400, { error: 'body must be a JSON object' });
		}
		if (path.startsWith('/__control/webhooks/')) {
			return webhooks.handle(req.method, path, body).then(
				(out) => sendJson(res, out?.status ?? 404, out?.json ?? { error: `unknown control route ${req.method} ${path}`, help: WEBHOOK_HELP }),
				(err) => sendJson(res, 400, { error: err.message }),
			);
		}
		const route = `${req.method} ${path.replace(/\/+$/, '')}`;
		try {
			switch (route) {
				case 'GET /__control':
					return sendJson(res, 200, CONTROL_HELP);
				case 'GET /__control/health':
					return sendJson(res, 200, { ok: true });
				case 'GET /__control/state':
					return sendJson(res, 200, snapshot());
				case 'POST /__control/state':
				case 'PUT /__control/state': {
					const known = new Set(['credits', 'monthSpend', 'categorySpend', 'username', 'transferBytes', 'accumulatedQuotaBytes', 'hourlyQuotaIncreaseBytes', 'resourceTransferBytes', 'partnerAccountLimit', 'serverTimings', 'now', 'latencyMs']);
					const unknown = Object.keys(body).filter((k) => !known.has(k));
					if (unknown.length) return sendJson(res, 400, { error: `unknown control fields: ${unknown.join(', ')}`, known: [...known] });
					if ('now' in body) state.frozenNow = parseNow(body.now);
					if ('latencyMs' in body) state.latencyMs = Math.max(0, Number(body.latencyMs) || 0);
					applyUpCloudControl(state.upcloud, body);
					return sendJson(res, 200, snapshot());
				}
				case 'POST /__control/reset':
					reset(body);
					return sendJson(res, 200, snapshot());
				case 'GET /__control/requests': {
					const since = Number(query.since || 0);
					const list = state.requests.filter((r) => r.seq > since && (!query.service || r.service === query.service));
					return sendJson(res, 200, { count: list.length, requests: list });
				}
				case 'DELETE /__control/requests':
					state.requests.length = 0;
					return sendJson(res, 200, { ok: true });
				case 'GET /__control/faults':
					return sendJson(res, 200, { faults: state.faults });
				case 'POST /__control/faults': {
					const list = Array.isArray(body.faults) ? body.faults : [body];
					state.faults.push(...list.map(parseFault));
					return sendJson(res, 200, { faults: state.faults });
				}
				case 'DELETE /__control/faults':
					state.faults.length = 0;
					return sendJson(res, 200, { ok: true });
				default:
					if (UPCLOUD_CONTROL[route]) return sendJson(res, 200, UPCLOUD_CONTROL[route].handler(state.upcloud, body, now()));
					return sendJson(res, 404, { error: `unknown control route ${route}`, help: CONTROL_HELP });
			}
		} catch (err) {
			return sendJson(res, 400, { error: err.message });
		}
	}

	/** The fault this request meets, if any; every matching fault still letting requests through counts it. */
	function takeFault(service, method, path) {
		let hit;
		for (const f of state.faults) {
			if (f.service !== service || (f.method && f.method !== method)) continue;
			if (f.pathPattern ? !new RegExp(f.pathPattern).test(path) : f.path && !path.startsWith(f.path)) continue;
			if (f.after > 0) f.after -= 1;
			else if (!hit) hit = f;
		}
		if (!hit) return undefined;
		hit.times -= 1;
		if (hit.times <= 0) state.faults.splice(state.faults.indexOf(hit), 1);
		return hit;
	}

	async function onRequest(req, res) {
		const started = process.hrtime.bigint();
		const startedAt = Date.now();
		// Asked while the client still holds the connection open (the queue-mode suite names the n8n process).
		const client = o.identifyClient ? o.identifyClient(req) : undefined;
		let url;
		try {
			url = new URL(req.url, 'http://127.0.0.1');
		} catch {
			return sendJson(res, 400, { error: 'bad request' });
		}
		const path = url.pathname;
		const query = parseQuery(url.searchParams);
		let rawBody;
		try {
			rawBody = await readBody(req);
		} catch (err) {
			return sendJson(res, err.status || 400, { error: err.message });
		}
		if (path === '/__control' || path.startsWith('/__control/')) return handleControl(req, res, path, query, rawBody);

		const service = path === '/api' || path.startsWith('/api/') ? 'upzelo' : /^\/\d+\.\d+(\/|$)/.test(path) ? 'upcloud' : undefined;
		if (!service) {
			if (path === '/' && req.method === 'GET') {
				return sendJson(res, 200, {
					name: 'n8n-nodes-upcloud-upzelo sandbox',
					upcloud: { baseUrl: `${baseUrl()}/1.3`, username: o.upcloudUser, password: o.upcloudPassword, token: o.upcloudToken },
					upzelo: { baseUrl: baseUrl(), apiKey: o.upzeloKey, appId: o.upzeloAppId },
					control: `${baseUrl()}/__control`,
				});
			}
			return sendJson(res, 404, { error: `No API here: UpCloud is under /1.3, Upzelo under /api, control under /__control.` });
		}

		const ctx = { req, method: req.method, path, query, rawBody, now: now(), upzelo: state.upzelo, state: state.upcloud };
		let out;
		const fault = takeFault(service, req.method, path);
		if (fault?.reset) {
			out = { status: 0, auth: 'n/a (injected fault)', fault: 'reset' };
		} else if (fault) {
			out = {
				status: fault.status,
				auth: 'n/a (injected fault)',
				fault: 'status',
				json: faultBody(service, fault.status),
				headers: fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {},
			};
		} else {
			try {
				out = service === 'upzelo' ? handleUpzelo(ctx, o) : handleUpCloud(ctx);
			} catch (err) {
				process.stderr.write(`sandbox: ${req.method} ${path} failed: ${err.stack}\n`);
				out = { status: 500, auth: 'n/a', json: faultBody(service, 500) };
			}
		}
		if (state.latencyMs) await new Promise((r) => setTimeout(r, state.latencyMs));

		let logBody;
		if (rawBody) {
			try {
				logBody = redact(JSON.parse(rawBody));
			} catch {
				logBody = `[${rawBody.length} bytes, not JSON]`;
			}
		}
		state.requests.push({
			seq: ++state.seq,
			time: new Date().toISOString(),
			startedAt,
			...(client !== undefined ? { client } : {}),
			service,
			method: req.method,
			path,
			query,
			auth: out.auth,
			accept: req.headers.accept,
			contentType: req.headers['content-type'],
			body: logBody,
			status: out.status,
			...(out.fault ? { fault: out.fault } : {}),
			ms: Number(process.hrtime.bigint() - started) / 1e6,
		});
		if (state.requests.length > o.logLimit) state.requests.splice(0, state.requests.length - o.logLimit);
		log(`${req.method} ${req.url} → ${out.fault === 'reset' ? 'connection reset' : out.status} (${out.auth})`);
		if (out.fault === 'reset') {
			res.socket.destroy();
			return undefined;
		}

		if (out.status === 204 || (out.json === undefined && out.text === undefined)) return sendEmpty(res, out.status, out.headers);
		if (out.text !== undefined) return sendText(res, out.status, out.text, out.contentType, out.headers);
		return sendJson(res, out.status, out.json, out.headers);
	}

	const server = http.createServer((req, res) => {
		onRequest(req, res).catch((err) => {
			log(`sandbox: ${err.stack}`);
			if (!res.headersSent) sendJson(res, 500, { error: 'sandbox failure' });
		});
	});
	server.keepAliveTimeout = 5000;
	let port;
	const baseUrl = () => `http://${o.host}:${port}`;

	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(o.port, o.host, () => {
			server.off('error', reject);
			port = server.address().port;
			const url = baseUrl();
			resolve({
				url,
				port,
				upcloudUrl: `${url}/1.3`,
				upzeloUrl: url,
				controlUrl: `${url}/__control`,
				credentials: {
					upcloud: { username: o.upcloudUser, password: o.upcloudPassword, baseUrl: `${url}/1.3` },
					upcloudToken: { token: o.upcloudToken, baseUrl: `${url}/1.3` },
					upcloudSubaccountPassword: o.subaccountPassword,
					upzelo: { apiKey: o.upzeloKey, appId: o.upzeloAppId, baseUrl: url },
				},
				state,
				snapshot,
				requests: (filter = {}) => state.requests.filter((r) => !filter.service || r.service === filter.service),
				reset,
				webhooks,
				close: () =>
					new Promise((res, rej) => {
						webhooks.close();
						server.close((err) => (err ? rej(err) : res()));
						server.closeAllConnections();
					}),
			});
		});
	});
}

/**
 * Drives a running sandbox's control endpoint (`POST /__control/state`, `POST|DELETE /__control/faults`, …) from
 * a suite; throws with the sandbox's answer when it refuses.
 */
async function controlSandbox(sandbox, route, body, method = 'POST') {
	const res = await fetch(`${sandbox.url}/__control/${route}`, {
		method,
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	if (!res.ok) throw new Error(`sandbox control ${method} ${route} ${JSON.stringify(body) ?? ''}: HTTP ${res.status} ${await res.text()}`);
}

module.exports = { startSandbox, controlSandbox, DEFAULTS };

if (require.main === module) {
	const args = process.argv.slice(2);
	const opt = (name) => {
		const i = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
		if (i < 0) return undefined;
		return args[i].includes('=') ? args[i].slice(args[i].indexOf('=') + 1) : args[i + 1];
	};
	if (args.includes('--help') || args.includes('-h')) {
		process.stdout.write(
			'Usage: npm run sandbox -- [--port 8787] [--upzelo-seed-count 250] [--customers 10000] [--now <ISO>] [--verbose] [--json]\n' +
				'Environment: SANDBOX_PORT, UPZELO_SEED_COUNT, UPZELO_SEED_<RESOURCE>, SANDBOX_UPCLOUD_USER, SANDBOX_UPCLOUD_PASSWORD,\n' +
					'             SANDBOX_UPCLOUD_TOKEN,\n' +
				'             SANDBOX_UPZELO_KEY, SANDBOX_UPZELO_APP_ID, SANDBOX_NOW\n',
		);
		process.exit(0);
	}
	const num = (v) => (v === undefined ? undefined : Number(v));
	const customers = num(opt('--customers'));
	startSandbox({
		port: num(opt('--port')),
		upzeloSeedCount: num(opt('--upzelo-seed-count')),
		upzeloCounts: customers !== undefined ? { customers } : undefined,
		now: opt('--now'),
		quiet: !args.includes('--verbose'),
	})
		.then((sb) => {
			const c = sb.credentials;
			const counts = upzeloSnapshot(sb.state.upzelo);
			const stop = () => sb.close().then(() => process.exit(0));
			process.on('SIGINT', stop);
			process.on('SIGTERM', stop);
			if (args.includes('--json')) {
				const { url, upcloudUrl, upzeloUrl, controlUrl, credentials } = sb;
				process.stdout.write(`${JSON.stringify({ url, upcloudUrl, upzeloUrl, controlUrl, credentials })}\n`);
				return;
			}
			process.stdout.write(
				[
					`Sandbox listening on ${sb.url}`,
					'',
					'UpCloud (credential "UpCloud API"):',
					`  API Base URL  ${c.upcloud.baseUrl}`,
					`  Username      ${c.upcloud.username}`,
					`  Password      ${c.upcloud.password}`,
					`  (subaccounts ${sb.state.upcloud.subaccounts.size ? [...sb.state.upcloud.subaccounts.keys()].join(', ') : '-'} use password ${c.upcloudSubaccountPassword})`,
					'',
					'UpCloud (credential "UpCloud Token API"):',
					`  API Base URL  ${c.upcloudToken.baseUrl}`,
					`  API Token     ${c.upcloudToken.token}`,
					'',
					'Upzelo (credential "Upzelo API"):',
					`  Base URL      ${c.upzelo.baseUrl}`,
					`  API Key       ${c.upzelo.apiKey}`,
					`  App ID        ${c.upzelo.appId}`,
					`  records       ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}`,
					'',
					`Control: ${sb.controlUrl}  (GET for help; POST /__control/state {"credits":4210}; GET /__control/requests)`,
					'Ctrl-C to stop.',
					'',
				].join('\n'),
			);
		})
		.catch((err) => {
			process.stderr.write(`${err.code === 'EADDRINUSE' ? `Port in use: ${err.message}. Set SANDBOX_PORT or --port.` : err.stack}\n`);
			process.exit(1);
		});
}

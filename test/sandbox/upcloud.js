'use strict';
/**
 * UpCloud API 1.3 in the sandbox, served under `/1.3`: authentication, the router, the state and the control
 * endpoint's UpCloud fields. Each service area is one file in upcloud/, registered in AREAS below:
 *
 *   upcloud/seed.js         seed data: the main account, subaccounts, partner accounts, billed resources
 *   upcloud/accounts.js     account, account list, details, subaccounts, Partner API accounts
 *   upcloud/billing.js      billing summaries, deprecated summaries, one resource's billing
 *   upcloud/network.js      network-transfer statistics (JSON and CSV), current network usage
 *   upcloud/tokens.js       API tokens and Bearer authentication
 *   upcloud/permissions.js  permissions: list, grant, revoke
 *   upcloud/servers.js      servers, storages and backups, templates, IP addresses, firewall rules, zones, plans
 *   upcloud/audit.js        the audit log: list with filters, filter options, export; reads logged; control appends
 *   upcloud/shared.js       what the areas share: errors, request readers, time units, CSV
 *
 * A new area (the object storage, say) is a file `upcloud/<area>.js` exporting `routes`
 * (`[method, path pattern under /1.3, handler(ctx, params)]`) plus one line in AREAS; state it needs goes into
 * createUpCloudState, control fields into applyUpCloudControl, and control routes of its own into its `control`
 * export (`{'POST /__control/<name>': {help, handler(upcloudState, body, nowMs)}}`), which server.js serves.
 *
 * Behaviour follows the project's API notes, which live outside this repo in ../shared/api-docs/ (upcloud-endpoints.md
 * §1 #1–#14c, upcloud-accounts-api.txt, upcloud-partner-api.txt, upcloud-tokens.md); the official reference is
 * https://developers.upcloud.com/1.3/. Where the notes mark something UNCONFIRMED, the choice made here is noted in a
 * comment; error codes come from the notes' tables or, failing that, from the Go SDK's error code list.
 */

const { ym: ymOf, isPlainObject } = require('./common');
const { UpCloudError, monthBounds } = require('./upcloud/shared');
const { RESOURCE_LIMITS, detailsDefaults, seedSubaccounts, PARTNER_ACCOUNTS, PRIMARY_SERVER } = require('./upcloud/seed');
const { Problem, problemBody, createTokenState, authenticateBearer, tokenSnapshot } = require('./upcloud/tokens');
const tokens = require('./upcloud/tokens');
const permissions = require('./upcloud/permissions');
const accounts = require('./upcloud/accounts');
const billing = require('./upcloud/billing');
const network = require('./upcloud/network');
const servers = require('./upcloud/servers');
const audit = require('./upcloud/audit');

const { seedPermissions } = permissions;
const { billingLines, flatSummary } = billing;
const { SERVICES, resourceUsageStats, currentNetworkUsage } = network;

/** The service areas, in the order their routes are tried: one line per area. */
const AREAS = [tokens, permissions, accounts, billing, network, servers, audit];

const routes = AREAS.flatMap((area) => area.routes);
/** The areas' own /__control routes (`'POST /__control/<name>'` → {help, handler}). */
const UPCLOUD_CONTROL = Object.assign({}, ...AREAS.map((area) => area.control ?? {}));

function createUpCloudState(opts) {
	const username = opts.upcloudUser;
	const main = {
		username,
		password: opts.upcloudPassword,
		type: 'main',
		credits: opts.credits ?? 84215.3127, // hundredths of the currency: 842.15 EUR
		resource_limits: { ...RESOURCE_LIMITS },
		partner: true,
		details: {
			...detailsDefaults(),
			first_name: 'Sandra',
			last_name: 'Box',
			company: 'Sandbox Hosting Oy',
			address: 'Mannerheimintie 1',
			postal_code: '00100',
			city: 'Helsinki',
			country: 'FIN',
			currency: 'EUR',
			language: 'en',
			phone: '+358.401234567',
			email: 'owner@sandbox-hosting.example',
			vat_number: 'FI12345678',
			timezone: 'Europe/Helsinki',
			roles: { role: ['billing', 'aux_billing', 'technical'] },
			server_access: { server: [{ storage: 'yes', uuid: '*' }] },
			storage_access: { storage: ['*'] },
			network_access: { network: ['*'] },
		},
	};
	const subaccounts = new Map();
	for (const s of seedSubaccounts(main)) {
		const { username: u, ...details } = s;
		subaccounts.set(u, { username: u, password: opts.subaccountPassword, type: 'sub', details });
	}
	const partnerAccounts = new Map(
		PARTNER_ACCOUNTS.map((p) => [p.username, { ...p, password: 'Partner-Pass-123' }]),
	);
	return {
		seed: opts.seed,
		main,
		subaccounts,
		partnerAccounts,
		tokenState: createTokenState(opts, username),
		servers: servers.createServerState(opts),
		auditState: audit.createAuditState(opts, username),
		permissions: seedPermissions(username),
		partnerAccountLimit: opts.partnerAccountLimit ?? 50,
		// Billing overrides for the current month, per account ('__main__' or a partner username).
		billingOverrides: {},
		network: {
			transferBytes: null, // current month's total sent bytes (null: generated)
			hourlyQuotaIncreaseBytes: 10577635230,
			accumulatedQuotaBytes: null,
			resourceTransferBytes: {}, // resource_id → current month's sent bytes
		},
		resourceSpecCache: new Map(),
	};
}


/** The account a token or a login acts as, if it still may use the API. */
function apiAccount(state, username) {
	if (username === state.main.username) return { username, type: 'main' };
	const sub = state.subaccounts.get(username);
	return sub && sub.details.allow_api === 'yes' ? { username, type: 'sub' } : undefined;
}

/** HTTP Basic with the main account or a subaccount, or (upcloud/tokens.js) a Bearer API token. */
function authenticate(ctx) {
	const { state } = ctx;
	const header = ctx.req.headers.authorization;
	const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header || '');
	if (bearer) return authenticateBearer(ctx, bearer[1], (username) => apiAccount(state, username));
	const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header || '');
	if (!m) return { ok: false, auth: header ? `${header.split(' ')[0].toLowerCase()} (not basic or bearer)` : 'none' };
	const decoded = Buffer.from(m[1], 'base64').toString('utf8');
	const i = decoded.indexOf(':');
	const user = i < 0 ? decoded : decoded.slice(0, i);
	const pass = i < 0 ? '' : decoded.slice(i + 1);
	if (user === state.main.username && pass === state.main.password) {
		return { ok: true, auth: `basic:${user}`, principal: { username: user, type: 'main' } };
	}
	const sub = state.subaccounts.get(user);
	if (sub && sub.password && pass === sub.password && sub.details.allow_api === 'yes') {
		return { ok: true, auth: `basic:${user}`, principal: { username: user, type: 'sub' } };
	}
	return { ok: false, auth: `basic:${user} (rejected)` };
}


/**
 * Handles a request whose path starts with /1.3 (or another version prefix). Returns
 * `{ status, json?, text?, contentType?, headers? }` and the auth label for the request log.
 */
function handleUpCloud(ctx) {
	const m = /^\/(\d+\.\d+)(\/.*)?$/.exec(ctx.path);
	const version = m && m[1];
	if (version !== '1.3') {
		const obsolete = version && Number(version) < 1.3;
		return {
			status: 400,
			auth: 'n/a',
			json: {
				error: obsolete
					? { error_code: 'API_VERSION_OBSOLETE', error_message: `API version ${version} is obsolete; use 1.3.` }
					: { error_code: 'API_VERSION_INVALID', error_message: 'The API version is invalid; use 1.3.' },
			},
		};
	}
	const sub = m[2] || '/';
	const a = authenticate(ctx);
	if (!a.ok) {
		// The legacy code even on the token service's paths, as upcloud-tokens.md §6 says.
		const bearer = a.auth.startsWith('bearer');
		return {
			status: 401,
			auth: a.auth,
			headers: { 'WWW-Authenticate': 'Basic realm="UpCloud API", Bearer realm="UpCloud API"' },
			json: {
				error: {
					error_code: 'AUTHENTICATION_FAILED',
					error_message: bearer
						? 'Authentication failed using the given bearer token.'
						: 'Authentication failed using the given username and password.',
				},
			},
		};
	}
	ctx.principal = a.principal;
	let pathMatched = false;
	for (const [method, re, handler] of routes) {
		const mm = re.exec(sub);
		if (!mm) continue;
		pathMatched = true;
		if (method !== ctx.method) continue;
		try {
			let params;
			try {
				params = mm.slice(1).map((p) => decodeURIComponent(p));
			} catch {
				return { status: 404, auth: a.auth, json: { error: { error_code: 'NOT_FOUND', error_message: 'Malformed path.' } } };
			}
			const out = handler(ctx, params);
			audit.recordRead(ctx, out);
			return { status: out.status || 200, auth: a.auth, ...out };
		} catch (err) {
			if (err instanceof UpCloudError) {
				return { status: err.status, auth: a.auth, json: { error: { error_code: err.code, error_message: err.message } } };
			}
			if (err instanceof Problem) {
				return { status: err.status, auth: a.auth, headers: { 'Content-Type': 'application/problem+json' }, json: problemBody(err) };
			}
			throw err;
		}
	}
	if (pathMatched) {
		const allowed = routes.filter(([, re]) => re.test(sub)).map(([m2]) => m2);
		return {
			status: 405,
			auth: a.auth,
			headers: { Allow: [...new Set(allowed)].join(', ') },
			json: { error: { error_code: 'METHOD_NOT_ALLOWED', error_message: `The method ${ctx.method} is not allowed for this resource.` } },
		};
	}
	return {
		status: 404,
		auth: a.auth,
		json: { error: { error_code: 'NOT_FOUND', error_message: `The resource ${ctx.path} was not found.` } },
	};
}


/** Applies `POST /__control/state` fields that concern UpCloud. Returns a list of field names it did not know. */
function applyUpCloudControl(state, body) {
	const num = (k) => {
		if (typeof body[k] !== 'number' || !Number.isFinite(body[k])) throw new Error(`${k} must be a finite number`);
		return body[k];
	};
	if ('credits' in body) state.main.credits = num('credits');
	const owner = body.username && body.username !== state.main.username ? body.username : '__main__';
	if (owner !== '__main__' && !state.partnerAccounts.has(owner)) throw new Error(`unknown partner account ${owner}`);
	if ('monthSpend' in body || 'categorySpend' in body) {
		const o = (state.billingOverrides[owner] = state.billingOverrides[owner] || {});
		if ('monthSpend' in body) {
			if (body.monthSpend === null) delete o.total;
			else o.total = num('monthSpend');
		}
		if ('categorySpend' in body) {
			if (body.categorySpend === null) delete o.categories;
			else if (isPlainObject(body.categorySpend)) o.categories = { ...(o.categories || {}), ...body.categorySpend };
			else throw new Error('categorySpend must be an object such as {"servers": 12.5}');
		}
	}
	if ('transferBytes' in body) state.network.transferBytes = body.transferBytes === null ? null : Math.round(num('transferBytes'));
	if ('accumulatedQuotaBytes' in body) {
		state.network.accumulatedQuotaBytes = body.accumulatedQuotaBytes === null ? null : Math.round(num('accumulatedQuotaBytes'));
	}
	if ('hourlyQuotaIncreaseBytes' in body) state.network.hourlyQuotaIncreaseBytes = Math.round(num('hourlyQuotaIncreaseBytes'));
	if ('resourceTransferBytes' in body) {
		const v = body.resourceTransferBytes;
		if (v === null) state.network.resourceTransferBytes = {};
		else if (typeof v === 'number') state.network.resourceTransferBytes[PRIMARY_SERVER] = Math.round(v);
		else if (isPlainObject(v)) {
			for (const [k, b] of Object.entries(v)) {
				if (b === null) delete state.network.resourceTransferBytes[k];
				else state.network.resourceTransferBytes[k] = Math.round(Number(b));
			}
		} else throw new Error('resourceTransferBytes must be a number or an object {resource_id: bytes}');
	}
	if ('partnerAccountLimit' in body) state.partnerAccountLimit = num('partnerAccountLimit');
	servers.applyServerControl(state.servers, body);
}


function upcloudSnapshot(state, nowMs) {
	const period = ymOf(nowMs);
	const lines = billingLines(state, '__main__', period, nowMs);
	const summary = flatSummary(lines, state.main.details.currency);
	const usage = currentNetworkUsage(state, nowMs).stats.current_network_usage;
	const monthStart = monthBounds(period).start;
	const perResource = {};
	for (const row of resourceUsageStats(state, monthStart, nowMs, 'day', nowMs, { zones: [], services: [] })) {
		perResource[row.resource_id] = (perResource[row.resource_id] || 0) + (row.sent_bytes || 0);
	}
	return {
		username: state.main.username,
		credits: state.main.credits,
		currency: state.main.details.currency,
		period,
		monthSpend: summary.total_amount,
		categorySpend: Object.fromEntries(
			Object.entries(summary).filter(([, v]) => isPlainObject(v)).map(([k, v]) => [k, v.total_amount]),
		),
		transferBytes: usage.total_sent_bytes,
		accumulatedQuotaBytes: usage.accumulated_quota_bytes,
		hourlyQuotaIncreaseBytes: state.network.hourlyQuotaIncreaseBytes,
		primaryServer: PRIMARY_SERVER,
		resourceTransferBytes: perResource,
		subaccounts: [...state.subaccounts.keys()],
		partnerAccounts: [...state.partnerAccounts.keys()],
		tokens: tokenSnapshot(state.tokenState),
		infrastructure: servers.serverSnapshot(state.servers),
		auditLogs: audit.auditSnapshot(state.auditState),
		permissions: state.permissions,
		billingResources: lines.map((l) => ({ resource_id: l.spec.id, type: l.spec.type, title: l.spec.title, zone: l.spec.zone })),
	};
}

module.exports = {
	createUpCloudState,
	handleUpCloud,
	applyUpCloudControl,
	upcloudSnapshot,
	UPCLOUD_CONTROL,
	PRIMARY_SERVER,
	SERVICES,
};

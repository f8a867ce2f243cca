'use strict';
/**
 * Accounts (upcloud-endpoints.md #1–#6, upcloud-accounts-api.txt; #14a–#14b, upcloud-partner-api.txt): the
 * current account, the account list, details and their modification, subaccounts, and the Partner API's accounts,
 * with the documented validation of every attribute.
 *
 * The notes cited (upcloud-endpoints.md, upcloud-tokens.md, upcloud-accounts-api.txt, upcloud-partner-api.txt) are the
 * project's API notes in ../shared/api-docs/ beside the repo root (not part of the repo); the official pages are developers.upcloud.com.
 */

const { isPlainObject } = require('../common');
const { ISO3166_ALPHA3 } = require('../reference-data');
const { UpCloudError, asList, invalid, missing, requireJsonBody, requireMain } = require('./shared');
const { CONTACT_FIELDS, detailsDefaults } = require('./seed');

const USERNAME_SUB = /^[A-Za-z0-9_]{4,64}$/; // docs: "valid username, 4..64 characters"; sandbox allows letters, digits, _
const USERNAME_PARTNER = /^[a-z0-9]+(_[a-z0-9]+)*$/;
const PHONE = /^\+[1-9][0-9]{0,3}\.[0-9]{4,20}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const YES_NO = new Set(['yes', 'no']);
const ROLES = new Set(['billing', 'aux_billing', 'technical']);

function isValidTimezone(tz) {
	if (typeof tz !== 'string' || !/^(UTC|[A-Za-z]+(\/[A-Za-z0-9_+-]+)+)$/.test(tz)) return false;
	try {
		new Intl.DateTimeFormat('en', { timeZone: tz });
		return true;
	} catch {
		return false;
	}
}

function checkString(attr, v, min, max) {
	if (typeof v !== 'string' || v.length < min || v.length > max) throw invalid(attr);
}

/** Validates the attributes present in a subaccount create/modify body. `creating` adds the required-field rules. */
function validateAccountAttributes(body, { creating, allowed }) {
	for (const key of Object.keys(body)) {
		if (!allowed.has(key)) {
			throw new UpCloudError(400, 'UNKNOWN_ATTRIBUTE', `The attribute ${key} is unknown.`);
		}
	}
	const has = (k) => body[k] !== undefined && body[k] !== null;
	if (creating) {
		if (!has('username') || body.username === '') throw missing('username');
		if (typeof body.username !== 'string' || !USERNAME_SUB.test(body.username)) {
			throw new UpCloudError(400, 'INVALID_USERNAME', 'The attribute username has an invalid value.');
		}
		if (has('password')) {
			const p = body.password;
			if (typeof p !== 'string' || p.length < 8 || p.length > 256 || !/[a-z]/.test(p) || !/[A-Z]/.test(p) || !/[0-9]/.test(p)) {
				throw invalid('password');
			}
		}
		for (const k of ['currency', 'language', 'phone', 'email', 'timezone']) {
			if (!has(k) || body[k] === '') throw missing(k);
		}
	}
	for (const k of ['first_name', 'last_name']) if (has(k) && body[k] !== '') checkString(k, body[k], 1, 50);
	if (has('company') && body.company !== '') checkString('company', body.company, 1, 100);
	if (has('address') && body.address !== '') {
		checkString('address', body.address, 1, 201);
		const lines = body.address.split('\n');
		if (lines.length > 2 || lines.some((l) => l.length < 1 || l.length > 100)) throw invalid('address');
	}
	if (has('postal_code') && body.postal_code !== '') checkString('postal_code', body.postal_code, 1, 100);
	if (has('city') && body.city !== '') checkString('city', body.city, 1, 100);
	if (has('state') && typeof body.state !== 'string') throw invalid('state');
	if (has('country') && body.country !== '' && !ISO3166_ALPHA3.has(body.country)) throw invalid('country');
	if (has('currency') && !['EUR', 'GBP', 'USD', 'SGD'].includes(body.currency)) throw invalid('currency');
	if (has('language') && !['fi', 'en'].includes(body.language)) throw invalid('language');
	if (has('phone') && (typeof body.phone !== 'string' || !PHONE.test(body.phone))) throw invalid('phone');
	if (has('email') && (typeof body.email !== 'string' || !EMAIL.test(body.email))) throw invalid('email');
	if (has('vat_number') && (typeof body.vat_number !== 'string' || body.vat_number.length > 50)) throw invalid('vat_number');
	if (has('timezone') && !isValidTimezone(body.timezone)) {
		throw new UpCloudError(400, 'TIMEZONE_INVALID', 'The attribute timezone has an invalid value.');
	}
	for (const k of ['allow_api', 'allow_gui', 'enable_3rd_party_services']) {
		if (has(k) && !YES_NO.has(body[k])) throw invalid(k);
	}
	if (has('roles')) {
		const r = body.roles;
		if (!isPlainObject(r) || !Array.isArray(r.role) || r.role.some((x) => !ROLES.has(x))) throw invalid('roles');
	}
	const list = (attr, inner, check) => {
		if (!has(attr)) return;
		const v = body[attr];
		if (!isPlainObject(v) || !Array.isArray(v[inner]) || !v[inner].every(check)) throw invalid(attr);
	};
	const uuidOrStar = (x) => typeof x === 'string' && (x === '*' || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(x));
	list('server_access', 'server', (x) => isPlainObject(x) && uuidOrStar(x.uuid) && (x.storage === undefined || YES_NO.has(x.storage)));
	list('storage_access', 'storage', uuidOrStar);
	list('network_access', 'network', uuidOrStar);
	list('tag_access', 'tag', (x) => isPlainObject(x) && typeof x.name === 'string' && x.name !== '' && (x.storage === undefined || YES_NO.has(x.storage)));
	list('ip_filters', 'ip_filter', (x) => typeof x === 'string' && /^[0-9a-fA-F.:/\- ]+$/.test(x));
	if (has('labels')) {
		if (!Array.isArray(body.labels)) throw invalid('labels');
		const seen = new Set();
		for (const l of body.labels) {
			if (!isPlainObject(l) || typeof l.key !== 'string' || l.key === '' || l.key.length > 255 || /[=\s]/.test(l.key)) {
				throw new UpCloudError(400, 'INVALID_LABEL_KEY', 'The label key is invalid.');
			}
			if (typeof l.value !== 'string' || l.value.length > 255) {
				throw new UpCloudError(400, 'INVALID_LABEL_VALUE', `The value of label ${l.key} is invalid.`);
			}
			const k = l.key.toLowerCase();
			if (seen.has(k)) throw new UpCloudError(400, 'DUPLICATE_LABEL_KEYS', `The label key ${l.key} is given more than once.`);
			seen.add(k);
		}
	}
}

/** Contact rules that depend on the whole record (after a modify is merged): billing accounts need an address. */
function validateBillingContact(details) {
	// "Required: yes for billing accounts" — read here as accounts with the billing role.
	if (!details.roles.role.includes('billing')) return;
	for (const k of ['first_name', 'last_name', 'address', 'postal_code', 'city', 'country']) {
		if (!details[k]) throw missing(k);
	}
	if (details.country === 'USA' && !details.state) throw missing('state');
}

const SUB_CREATE_ATTRS = new Set([
	...CONTACT_FIELDS,
	'username',
	'password',
	'currency',
	'language',
	'timezone',
	'roles',
	'allow_api',
	'allow_gui',
	'enable_3rd_party_services',
	'network_access',
	'server_access',
	'storage_access',
	'tag_access',
	'ip_filters',
	'labels',
]);
const MODIFY_ATTRS = new Set([...SUB_CREATE_ATTRS].filter((k) => k !== 'username' && k !== 'password'));

function validatePartnerCreate(body) {
	const allowed = new Set(['username', 'password', 'contact_details']);
	for (const key of Object.keys(body)) {
		if (!allowed.has(key)) throw new UpCloudError(400, 'UNKNOWN_ATTRIBUTE', `The attribute ${key} is unknown.`);
	}
	if (body.username === undefined || body.username === null || body.username === '') throw missing('username');
	if (typeof body.username !== 'string' || body.username.length < 4 || body.username.length > 64 || !USERNAME_PARTNER.test(body.username)) {
		throw invalid('username');
	}
	if (body.password === undefined || body.password === null || body.password === '') throw missing('password');
	const p = body.password;
	if (typeof p !== 'string' || p.length < 8 || p.length > 256 || !/[a-z]/.test(p) || !/[A-Z]/.test(p) || !/[0-9]/.test(p)) {
		throw invalid('password');
	}
	if (body.contact_details === undefined || body.contact_details === null) return;
	const c = body.contact_details;
	if (!isPlainObject(c)) throw invalid('contact_details');
	for (const key of Object.keys(c)) {
		if (!CONTACT_FIELDS.includes(key)) throw new UpCloudError(400, 'UNKNOWN_ATTRIBUTE', `The attribute ${key} is unknown.`);
	}
	const present = (k) => c[k] !== undefined && c[k] !== null && c[k] !== '';
	for (const k of ['first_name', 'last_name', 'email', 'phone', 'country']) if (!present(k)) throw missing(k);
	checkString('first_name', c.first_name, 1, 50);
	checkString('last_name', c.last_name, 1, 50);
	if (typeof c.email !== 'string' || !EMAIL.test(c.email)) throw invalid('email');
	if (typeof c.phone !== 'string' || !PHONE.test(c.phone)) throw invalid('phone');
	if (typeof c.country !== 'string' || !ISO3166_ALPHA3.has(c.country)) throw invalid('country');
	if (present('company')) checkString('company', c.company, 1, 100);
	if (present('address')) {
		checkString('address', c.address, 1, 201);
		const lines = c.address.split('\n');
		if (lines.length > 2 || lines.some((l) => l.length < 1 || l.length > 100)) throw invalid('address');
	}
	if (present('postal_code')) checkString('postal_code', c.postal_code, 1, 20);
	if (present('city')) checkString('city', c.city, 1, 100);
	if (present('state') && typeof c.state !== 'string') throw invalid('state');
	if (c.country === 'USA' && !present('state')) throw missing('state');
	if (present('vat_number') && (typeof c.vat_number !== 'string' || c.vat_number.length > 50)) throw invalid('vat_number');
}

function accountSummary(username, type, details) {
	return { labels: details.labels, roles: details.roles, type, username };
}

function fullDetails(state, username) {
	if (username === state.main.username) {
		return { type: 'main', username, ...state.main.details };
	}
	const sub = state.subaccounts.get(username);
	return { main_account: state.main.username, type: 'sub', username, ...sub.details };
}

/** Label filter: `key` or `key=value`; keys case-insensitive, values exact; several filters ANDed. */
function matchesLabels(labels, filters) {
	return filters.every((f) => {
		const i = f.indexOf('=');
		const key = (i < 0 ? f : f.slice(0, i)).toLowerCase();
		return labels.some((l) => l.key.toLowerCase() === key && (i < 0 || l.value === f.slice(i + 1)));
	});
}

function resolveAccount(ctx, username, { subOnly = false } = {}) {
	const { state, principal } = ctx;
	const isMain = username === state.main.username;
	const isSub = state.subaccounts.has(username);
	if (!isMain && !isSub) {
		if (state.partnerAccounts.has(username)) {
			throw new UpCloudError(403, 'ACCOUNT_FORBIDDEN', `The account ${username} is not under your main account.`);
		}
		throw new UpCloudError(404, 'USER_NOT_FOUND', `The account ${username} does not exist.`);
	}
	if (principal.type === 'sub' && username !== principal.username) {
		throw new UpCloudError(403, 'ACCOUNT_FORBIDDEN', 'A subaccount can only query and modify its own details.');
	}
	if (subOnly && !isSub) {
		throw new UpCloudError(404, 'USER_NOT_FOUND', `The account ${username} is not a subaccount.`);
	}
	return isMain ? state.main.details : state.subaccounts.get(username).details;
}

function modifyAccount(ctx, username, opts) {
	const details = resolveAccount(ctx, username, opts);
	const changes = requireJsonBody(ctx, 'account');
	validateAccountAttributes(changes, { creating: false, allowed: MODIFY_ATTRS });
	const merged = { ...details, ...changes };
	validateBillingContact(merged);
	Object.assign(details, changes);
	return { status: 204 };
}

function partnerView(a) {
	const out = {};
	for (const k of ['address', 'city', 'company', 'country', 'email', 'first_name', 'last_name', 'phone', 'postal_code', 'state', 'username', 'vat_number']) {
		out[k] = a[k] ?? '';
	}
	return out;
}

/** Routes of this area, tried in this order ([method, path pattern, handler]). */
const routes = [
	['GET', /^\/account$/, (ctx) => {
		const { state } = ctx;
		return {
			json: {
				account: {
					credits: state.main.credits,
					username: ctx.principal.username,
					resource_limits: { ...state.main.resource_limits },
				},
			},
		};
	}],
	['GET', /^\/account\/list$/, (ctx) => {
		requireMain(ctx);
		const { state } = ctx;
		const filters = asList(ctx.query.label);
		const all = [
			accountSummary(state.main.username, 'main', state.main.details),
			...[...state.subaccounts.values()].map((s) => accountSummary(s.username, 'sub', s.details)),
		].filter((a) => matchesLabels(a.labels, filters));
		return { json: { accounts: { account: all } } };
	}],
	['GET', /^\/account\/details\/([^/]+)$/, (ctx, [u]) => {
		resolveAccount(ctx, u);
		return { json: { account: fullDetails(ctx.state, u) } };
	}],
	// #4b UNCONFIRMED: own account without a username — implemented as PUT /account/details.
	['PUT', /^\/account\/details$/, (ctx) => modifyAccount(ctx, ctx.principal.username)],
	// #4a: status UNCONFIRMED in the docs; 204 like its recorded siblings.
	['PUT', /^\/account\/details\/([^/]+)$/, (ctx, [u]) => modifyAccount(ctx, u)],
	['PUT', /^\/account\/sub\/([^/]+)$/, (ctx, [u]) => {
		requireMain(ctx);
		return modifyAccount(ctx, u, { subOnly: true });
	}],
	['POST', /^\/account\/sub$/, (ctx) => {
		requireMain(ctx);
		const { state } = ctx;
		const body = requireJsonBody(ctx, 'sub_account');
		validateAccountAttributes(body, { creating: true, allowed: SUB_CREATE_ATTRS });
		const { username, password, ...rest } = body;
		const details = { ...detailsDefaults(), ...rest };
		validateBillingContact(details);
		// UNCONFIRMED: code for a taken name; ACCOUNT_EXISTS as the partner endpoint uses.
		if (username === state.main.username || state.subaccounts.has(username) || state.partnerAccounts.has(username)) {
			throw new UpCloudError(409, 'ACCOUNT_EXISTS', `The username ${username} is already in use.`);
		}
		state.subaccounts.set(username, { username, password, type: 'sub', details });
		return { status: 204 };
	}],
	['DELETE', /^\/account\/sub\/([^/]+)$/, (ctx, [u]) => {
		requireMain(ctx);
		resolveAccount(ctx, u, { subOnly: true });
		ctx.state.subaccounts.delete(u);
		ctx.state.permissions = ctx.state.permissions.filter((p) => p.user !== u);
		return { status: 204 };
	}],
	['GET', /^\/partner\/accounts$/, (ctx) => {
		requireMain(ctx);
		return { json: [...ctx.state.partnerAccounts.values()].map(partnerView) };
	}],
	['POST', /^\/partner\/accounts$/, (ctx) => {
		requireMain(ctx);
		const { state } = ctx;
		const body = requireJsonBody(ctx);
		validatePartnerCreate(body);
		if (
			body.username === state.main.username ||
			state.subaccounts.has(body.username) ||
			state.partnerAccounts.has(body.username)
		) {
			throw new UpCloudError(409, 'ACCOUNT_EXISTS', `The username ${body.username} is already in use.`);
		}
		if (state.partnerAccounts.size >= state.partnerAccountLimit) {
			throw new UpCloudError(403, 'ACCOUNT_CREATION_LIMIT_REACHED', 'The partner account creation limit has been reached.');
		}
		const source = body.contact_details || state.main.details; // omitted: copied from the partner account
		const account = { username: body.username, password: body.password };
		for (const k of CONTACT_FIELDS) account[k] = typeof source[k] === 'string' ? source[k] : '';
		state.partnerAccounts.set(body.username, account);
		return { status: 201, json: partnerView(account) };
	}],
];

module.exports = {
	routes,
};

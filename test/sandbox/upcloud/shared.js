'use strict';
/**
 * What every UpCloud area of the sandbox uses: time units, errors in UpCloud's legacy shape
 * (`{"error":{"error_code","error_message"}}`), month bounds, CSV, and the readers of a request (query values,
 * a JSON body in its envelope, main-account-only routes).
 *
 * The notes cited (upcloud-endpoints.md, upcloud-tokens.md, upcloud-accounts-api.txt, upcloud-partner-api.txt) are the
 * project's API notes in ../shared/api-docs/ beside the repo root (not part of the repo); the official pages are developers.upcloud.com.
 */

const { daysInMonth, isPlainObject } = require('../common');

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

class UpCloudError extends Error {
	constructor(status, code, message) {
		super(message);
		this.status = status;
		this.code = code;
	}
}
const invalid = (attr) =>
	new UpCloudError(400, `${attr.toUpperCase()}_INVALID`, `The attribute ${attr} has an invalid value.`);
const missing = (attr) => new UpCloudError(400, `${attr.toUpperCase()}_MISSING`, `The attribute ${attr} is missing.`);

function monthBounds(ymKey) {
	const [y, m] = ymKey.split('-').map(Number);
	const start = Date.UTC(y, m - 1, 1);
	return { start, end: Date.UTC(y, m, 1), hours: daysInMonth(y, m) * 24 };
}

/** Hours billed so far in a month: all of a past month; in the current one, every started hour (the one running too). */

function csv(rows, header, columns) {
	const esc = (v) => (v === null || v === undefined ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
	return [header, ...rows.map((r) => columns.map((c) => esc(r[c])).join(','))].join('\n') + '\n';
}

function asList(v) {
	if (v === undefined) return [];
	return Array.isArray(v) ? v : [v];
}

function single(query, name) {
	const v = query[name];
	return Array.isArray(v) ? v[v.length - 1] : v;
}

function requireMain(ctx) {
	if (ctx.principal.type !== 'main') {
		throw new UpCloudError(403, 'ACCOUNT_FORBIDDEN', 'This operation is available to the main account only.');
	}
}

function requireJsonBody(ctx, envelope) {
	let body;
	try {
		body = ctx.rawBody ? JSON.parse(ctx.rawBody) : undefined;
	} catch {
		throw new UpCloudError(400, 'INVALID_REQUEST', 'The request body is not valid JSON.');
	}
	if (!isPlainObject(body)) throw new UpCloudError(400, 'INVALID_REQUEST', 'The request body must be a JSON object.');
	if (!envelope) return body;
	const keys = Object.keys(body);
	if (!isPlainObject(body[envelope]) || keys.length !== 1) {
		throw new UpCloudError(
			400,
			'INVALID_REQUEST',
			`The request body must be a single ${envelope} object, e.g. {"${envelope}":{…}} (got ${keys.map((k) => `"${k}"`).join(', ') || 'nothing'}).`,
		);
	}
	return body[envelope];
}

/** Looks a username up for details/modify: own account, or a subaccount of the caller's main account. */

module.exports = {
	DAY,
	HOUR,
	UpCloudError,
	asList,
	csv,
	invalid,
	missing,
	monthBounds,
	requireJsonBody,
	requireMain,
	single,
};

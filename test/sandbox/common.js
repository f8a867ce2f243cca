'use strict';
/** Small helpers shared by the UpCloud and Upzelo halves of the sandbox (no dependencies beyond node:). */

/** Deterministic PRNG (mulberry32) so every start of the sandbox serves the same data. */
function prng(seed) {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		int: (min, max) => min + Math.floor(next() * (max - min + 1)),
		pick: (list) => list[Math.floor(next() * list.length)],
		hex: (n) => {
			let s = '';
			for (let i = 0; i < n; i++) s += Math.floor(next() * 16).toString(16);
			return s;
		},
		uuid: (prefix = '') => {
			// UpCloud UUIDs: 8-4-4-4-12 hex, the first two characters encode the resource type (00 server, 01 storage, 09 database…)
			let s = '';
			for (let i = 0; i < 32; i++) s += Math.floor(next() * 16).toString(16);
			s = (prefix + s).slice(0, 32);
			return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-${'89ab'[Math.floor(next() * 4)]}${s.slice(17, 20)}-${s.slice(20, 32)}`;
		},
	};
}

/** 32-bit FNV-1a hash of a string: stable pseudo-random numbers per (resource, hour). */
function hash32(str) {
	let h = 0x811c9dc5;
	for (let i = 0; i < str.length; i++) {
		h ^= str.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}

/** Query string → object; repeated keys become arrays (as both APIs use `label=a&label=b`, `zone=a&zone=b`). */
function parseQuery(searchParams) {
	const out = {};
	for (const [k, v] of searchParams) {
		if (Object.prototype.hasOwnProperty.call(out, k)) {
			out[k] = Array.isArray(out[k]) ? [...out[k], v] : [out[k], v];
		} else {
			out[k] = v;
		}
	}
	return out;
}

function readBody(req, limit = 5 * 1024 * 1024) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		req.on('data', (c) => {
			size += c.length;
			if (size > limit) {
				reject(Object.assign(new Error('body too large'), { status: 413 }));
				req.destroy();
				return;
			}
			chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

function sendJson(res, status, body, headers = {}) {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=UTF-8',
		'Content-Length': Buffer.byteLength(text),
		...headers,
	});
	res.end(text);
}

function sendText(res, status, text, contentType, headers = {}) {
	res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), ...headers });
	res.end(text);
}

function sendEmpty(res, status = 204, headers = {}) {
	res.writeHead(status, headers);
	res.end();
}

/**
 * Picks the response type from an Accept header among the offered types (q-values and wildcards honoured).
 * Returns undefined when nothing offered is acceptable. A missing Accept header accepts anything.
 */
function negotiate(acceptHeader, offered) {
	if (!acceptHeader || !acceptHeader.trim()) return offered[0];
	const ranges = acceptHeader
		.split(',')
		.map((part, index) => {
			const [range, ...params] = part.trim().split(';');
			let q = 1;
			for (const p of params) {
				const [k, v] = p.trim().split('=');
				if (k === 'q') q = Number(v);
			}
			return { range: range.trim().toLowerCase(), q: Number.isFinite(q) ? q : 0, index };
		})
		.filter((r) => r.range && r.q > 0);
	let best;
	for (const type of offered) {
		const [t] = type.split('/');
		for (const r of ranges) {
			const specificity = r.range === type ? 3 : r.range === `${t}/*` ? 2 : r.range === '*/*' ? 1 : 0;
			if (!specificity) continue;
			const score = r.q * 10 + specificity - r.index / 1000;
			if (!best || score > best.score) best = { type, score };
		}
	}
	return best && best.type;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Strict RFC 3339 timestamp (date, time and offset all required) → epoch ms, or undefined. */
function parseRfc3339(value) {
	if (typeof value !== 'string') return undefined;
	const m = RFC3339.exec(value);
	if (!m) return undefined;
	const [, y, mo, d, h, mi, s] = m.map(Number);
	if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 60) return undefined;
	const ms = Date.parse(value.toUpperCase());
	return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Laravel's `date` rule, roughly: a string strtotime() understands and whose date exists. Accepted here:
 * `YYYY-MM-DD`, optionally followed by `T` or space and `HH:MM[:SS[.fff]]`, optionally `Z` or `±HH:MM`.
 * Values without an offset are UTC (the app's timezone). Returns epoch ms or undefined. Numbers are refused.
 */
const LARAVEL_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*([Zz]|[+-]\d{2}:?\d{2})?$/;
function parseLaravelDate(value) {
	if (typeof value !== 'string') return undefined;
	const m = LARAVEL_DATE.exec(value.trim());
	if (!m) return undefined;
	const y = Number(m[1]);
	const mo = Number(m[2]);
	const d = Number(m[3]);
	const h = Number(m[4] || 0);
	const mi = Number(m[5] || 0);
	const s = Number(m[6] || 0);
	if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
	let ms = Date.UTC(y, mo - 1, d, h, mi, s, m[7] ? Math.round(Number(m[7]) * 1000) : 0);
	const tz = m[8];
	if (tz && tz.toUpperCase() !== 'Z') {
		const sign = tz[0] === '-' ? -1 : 1;
		const digits = tz.slice(1).replace(':', '');
		ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60000;
	}
	return ms;
}

function daysInMonth(year, month) {
	return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function ym(ms) {
	const d = new Date(ms);
	return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

function isoSeconds(ms) {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Rounds to 5 decimals, as UpCloud's billing amounts are. */
function round5(x) {
	return Math.round(x * 1e5) / 1e5;
}

function base64url(text) {
	return Buffer.from(text, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text) {
	return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
}

const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

module.exports = {
	prng,
	hash32,
	parseQuery,
	readBody,
	sendJson,
	sendText,
	sendEmpty,
	negotiate,
	parseRfc3339,
	parseLaravelDate,
	daysInMonth,
	ym,
	isoSeconds,
	round5,
	base64url,
	fromBase64url,
	isPlainObject,
};

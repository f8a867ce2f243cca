import { toInstant } from '../shared/dates';
import { assertPathSegment, assertPresent, InputRuleError } from '../shared/rules';

/**
 * Input rules from UpCloud's API docs, one function per documented rule. Each throws an
 * `InputRuleError` naming the field (as the user sees it in the editor) and the rule, so a bad
 * value is refused before any request is sent.
 */

const YEAR_MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
// Partner API: "4-64 characters, lowercase alphanumeric with underscores", ^[a-z0-9]+(_[a-z0-9]+)*$
const USERNAME = /^[a-z0-9]+(_[a-z0-9]+)*$/;
// "+countrycode.nationalpart", e.g. +358.31245434
const PHONE = /^\+[0-9]{1,4}\.[0-9]{1,20}$/;

export function assertYearMonth(field: string, value: unknown): string {
	const text = assertPresent(field, value);
	if (!YEAR_MONTH.test(text)) {
		throw new InputRuleError(field, `must be a month in the form YYYY-MM, e.g. 2024-09 (got "${text}")`);
	}
	return text;
}

export function assertUsername(field: string, value: unknown): string {
	const text = assertPresent(field, value);
	if (text.length < 4 || text.length > 64 || !USERNAME.test(text)) {
		throw new InputRuleError(
			field,
			'must be 4–64 characters of lowercase letters, digits and single underscores between them (e.g. "acme_ops")',
		);
	}
	return text;
}

/** Partner API rule: 8–256 characters with a lowercase letter, an uppercase letter and a digit. */
export function assertPartnerPassword(field: string, value: unknown): string {
	const text = typeof value === 'string' ? value : '';
	if (text.length < 8 || text.length > 256 || !/[a-z]/.test(text) || !/[A-Z]/.test(text) || !/[0-9]/.test(text)) {
		throw new InputRuleError(
			field,
			'must be 8–256 characters and include a lowercase letter, an uppercase letter and a digit',
		);
	}
	return text;
}

export function assertLength(field: string, value: unknown, min: number, max: number): string {
	const text = typeof value === 'string' ? value : String(value ?? '');
	if (text.length < min || text.length > max) {
		throw new InputRuleError(field, `must be ${min}–${max} characters long (got ${text.length})`);
	}
	return text;
}

export function assertPhone(field: string, value: unknown): string {
	const text = assertPresent(field, value);
	if (!PHONE.test(text)) {
		throw new InputRuleError(
			field,
			'must be in international format +<country code>.<number>, e.g. +358.31245434',
		);
	}
	return text;
}


/** "string, 1 or 2 lines, each length 1..100 chars" */
export function assertAddress(field: string, value: unknown): string {
	const text = typeof value === 'string' ? value : '';
	const lines = text.split(/\r?\n/);
	if (lines.length > 2 || lines.some((line) => line.length < 1 || line.length > 100)) {
		throw new InputRuleError(field, 'must be 1 or 2 lines, each 1–100 characters long');
	}
	return text;
}

/** "state: yes for billing accounts if country is USA" */
export function assertStateForCountry(stateField: string, country: unknown, state: unknown): void {
	if (country === 'USA' && (typeof state !== 'string' || state.trim() === '')) {
		throw new InputRuleError(stateField, 'is required when the country is USA');
	}
}

function isIPv4(text: string): boolean {
	const parts = text.split('.');
	return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function isIPv6(text: string): boolean {
	if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return false;
	// At most one "::"; every group around it is 1–4 hex digits, so stray colons (":::", ":1::2",
	// "1:2:3:4:5:6:7:8:") leave an empty group and fail.
	const halves = text.split('::');
	if (halves.length > 2) return false;
	const groupsOf = (part: string) => (part === '' ? [] : part.split(':'));
	const head = groupsOf(halves[0]);
	const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
	// An embedded IPv4 address (::ffff:192.0.2.1) may only end the address, and counts as two groups.
	const lastPart = halves.length === 2 ? tail : head;
	let groupCount = head.length + tail.length;
	if (lastPart[lastPart.length - 1]?.includes('.')) {
		if (!isIPv4(lastPart.pop() as string)) return false;
		groupCount += 1;
	}
	if (![...head, ...tail].every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
	return halves.length === 2 ? groupCount < 8 : groupCount === 8;
}

function isAddress(text: string): boolean {
	return isIPv4(text) || isIPv6(text);
}

/** IP filter entries: "CIDR format, ranges separated by a dash, or single IP addresses". */
export function assertIpFilter(field: string, value: unknown): string {
	const text = assertPresent(field, value);
	const rule = `entries must be a single IP address, a CIDR block (10.0.0.0/24) or a range (10.0.0.1-10.0.0.9); "${text}" is none of these`;
	if (text.includes('/')) {
		const [address, bits, ...rest] = text.split('/');
		const max = isIPv4(address) ? 32 : isIPv6(address) ? 128 : -1;
		if (rest.length || max < 0 || !/^\d{1,3}$/.test(bits) || Number(bits) > max) {
			throw new InputRuleError(field, rule);
		}
	} else if (text.includes('-')) {
		const [start, end, ...rest] = text.split('-').map((part) => part.trim());
		const sameFamily = (isIPv4(start) && isIPv4(end)) || (isIPv6(start) && isIPv6(end));
		if (rest.length || !sameFamily) throw new InputRuleError(field, rule);
	} else if (!isAddress(text)) {
		throw new InputRuleError(field, rule);
	}
	return text;
}

const MAX_JSON_WINDOW_MS = 31 * 24 * 60 * 60 * 1000;

/** `from` must not be after `to`; JSON output allows at most a 31-day window (CSV has no limit). */
export function assertTimeWindow(from: Date, to: Date, jsonOutput: boolean): void {
	if (from.getTime() > to.getTime()) {
		throw new InputRuleError('From', `must not be after To (${from.toISOString()} > ${to.toISOString()})`);
	}
	if (jsonOutput && to.getTime() - from.getTime() > MAX_JSON_WINDOW_MS) {
		throw new InputRuleError(
			'To',
			'must be at most 31 days after From for JSON output; choose the CSV File output format for longer windows',
		);
	}
}

/**
 * A date-time field: n8n's picker gives wall-clock time meant in the workflow's time zone, expressions may give
 * ISO strings with an offset or DateTime objects. Returns the instant.
 */
export function assertDateTime(field: string, value: unknown, timeZone: string): Date {
	const instant = toInstant(value, timeZone);
	if (!instant) {
		throw new InputRuleError(field, `must be a date and time, e.g. 2024-09-01T00:00:00 (got "${String(value)}")`);
	}
	return instant;
}

/** API tokens: "name: 1-1024 characters"; need not be unique. */
export function assertTokenName(field: string, value: unknown): string {
	const text = assertPresent(field, value);
	return assertLength(field, text, 1, 1024);
}

// "Maximum token validity is 365*24=8760 hours."
const MAX_TOKEN_VALIDITY_MS = 8760 * 60 * 60 * 1000;

/** API tokens: expires_at "must be in the future and up to 24h*365=8760h" away. */
export function assertExpiry(field: string, expiresAt: Date, now: Date): Date {
	if (expiresAt.getTime() <= now.getTime()) {
		throw new InputRuleError(field, `must be in the future (got ${expiresAt.toISOString()}, now ${now.toISOString()})`);
	}
	if (expiresAt.getTime() - now.getTime() > MAX_TOKEN_VALIDITY_MS) {
		throw new InputRuleError(field, `must be at most 8760 hours (365 days) from now (got ${expiresAt.toISOString()})`);
	}
	return expiresAt;
}

const MAX_TOKEN_IP_RANGES = 100;

/** API tokens: allowed_ip_ranges is "an array of 0-100 CIDR/IP addresses" (IPv4 or IPv6). */
export function assertIpRanges(field: string, value: unknown): string[] {
	if (!Array.isArray(value)) throw new InputRuleError(field, 'must be a list of IP addresses or CIDR blocks');
	if (value.length > MAX_TOKEN_IP_RANGES) {
		throw new InputRuleError(field, `may hold at most ${MAX_TOKEN_IP_RANGES} entries (got ${value.length})`);
	}
	return value.map((entry) => {
		if (typeof entry !== 'string' || entry.trim() === '') {
			throw new InputRuleError(field, 'entries must not be empty; remove the empty entry');
		}
		const text = entry.trim();
		const rule = `entries must be an IP address or a CIDR block such as 203.0.113.0/24 or 2001:db8::/32; "${text}" is neither`;
		const [address, bits, ...rest] = text.split('/');
		const max = isIPv4(address) ? 32 : isIPv6(address) ? 128 : -1;
		if (max < 0 || rest.length || (bits !== undefined && (!/^\d{1,3}$/.test(bits) || Number(bits) > max))) {
			throw new InputRuleError(field, rule);
		}
		return text;
	});
}

/** A page size the API caps ("The maximum page size is 100"). */
export function assertPageSize(field: string, value: unknown, max: number): number {
	const size = Number(value);
	if (!Number.isInteger(size) || size < 1 || size > max) {
		throw new InputRuleError(field, `must be a whole number from 1 to ${max}; turn on Return All to get more (got ${String(value)})`);
	}
	return size;
}

/** A token ID goes into the URL path; the secret must never be put there (URLs end up in logs). */
export function assertTokenId(field: string, value: unknown): string {
	const text = assertPathSegment(field, value);
	if (/^ucat_/i.test(text)) {
		throw new InputRuleError(field, 'must be the token\'s ID (a UUID such as 0c8bc50b-968e-4dc3-b9c2-1a4a5298b652), not its ucat_ secret');
	}
	return text;
}

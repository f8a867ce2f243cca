import type { IDataObject } from 'n8n-workflow';

import { isPlainObject, showValue, toNumber, toText } from '../shared/coercion';
import { InputRuleError } from '../shared/rules';
import { isIPv4 as isAnyIPv4, isIPv6 } from './validation';

/**
 * Input rules of the servers, storages, IP addresses and firewall chapters of UpCloud's API 1.3 (chapters 8–11),
 * one function per documented rule. Each throws an InputRuleError naming the field as the editor shows it and
 * the value, before anything is sent.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// UpCloud's zone IDs: country, city and a number (fi-hel2, de-fra1, us-nyc1); private-cloud zones add a suffix
// after their parent's ID (UNCONFIRMED form, so any lowercase suffix is accepted).
const ZONE = /^[a-z]{2}-[a-z]{3}[0-9]{1,2}(-[a-z0-9]+)*$/;
// RFC 1123 labels: letters, digits and hyphens, 1–63 characters, not starting or ending with a hyphen.
const HOSTNAME_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
const HHMM = /^([01][0-9]|2[0-3])[0-5][0-9]$/;
// UpCloud's label keys: 2–32 ASCII letters, digits, "_" and "-", not starting with "_" (UNCONFIRMED beyond the
// error code INVALID_LABEL_KEY the SDK lists; the Control Panel applies this form).
const LABEL_KEY = /^(?!_)[A-Za-z0-9_-]{2,32}$/;

export function assertUuid(field: string, value: unknown): string {
	const text = toText(field, value, { required: true });
	if (!UUID.test(text)) {
		throw new InputRuleError(field, `must be a UUID such as 00798b85-efdc-41ca-8021-f6ef457b8531 (got ${showValue(text)})`);
	}
	return text.toLowerCase();
}

export function assertZone(field: string, value: unknown): string {
	const text = toText(field, value, { required: true });
	if (!ZONE.test(text)) {
		throw new InputRuleError(field, `must be an UpCloud zone ID such as fi-hel2 or de-fra1 (got ${showValue(text)})`);
	}
	return text;
}

/** "A valid hostname, e.g. host.example.com", at most 128 characters: RFC 1123 labels separated by dots. */
export function assertHostname(field: string, value: unknown): string {
	const text = toText(field, value, { required: true });
	const labels = text.replace(/\.$/, '').split('.');
	if (text.length > 128 || !labels.every((label) => HOSTNAME_LABEL.test(label))) {
		throw new InputRuleError(
			field,
			`must be a hostname of at most 128 characters: dot-separated labels of letters, digits and hyphens, each 1–63 long and not starting or ending with a hyphen (got ${showValue(text)})`,
		);
	}
	return text;
}

export function assertTitle(field: string, value: unknown, max = 255): string {
	const text = toText(field, value, { required: true });
	if (text.length > max) throw new InputRuleError(field, `must be at most ${max} characters (got ${text.length})`);
	return text;
}

/** A whole number within a documented range. */
export function assertWhole(field: string, value: unknown, min: number, max: number): number {
	return toNumber(field, value, { integer: true, min, max });
}

/** Storage sizes: "1–4096" GiB (chapter 9, create storage). */
export const STORAGE_SIZE = { min: 1, max: 4096 };
/** Soft stop timeout: 1–600 seconds. */
export const STOP_TIMEOUT = { min: 1, max: 600 };
export const PORT = { min: 1, max: 65535 };
/** Firewall rule positions: "1–1000". */
export const FIREWALL_POSITION = { min: 1, max: 1000 };
export const ICMP_TYPE = { min: 0, max: 255 };
/** Backup retention in days: "1–1095". */
export const BACKUP_RETENTION = { min: 1, max: 1095 };

/** Backup and simple-backup times are "hhmm", UTC. */
export function assertHhmm(field: string, value: unknown): string {
	const text = toText(field, value, { required: true });
	if (!HHMM.test(text)) throw new InputRuleError(field, `must be a time as hhmm, 0000–2359, e.g. 0430 (got ${showValue(text)})`);
	return text;
}

/** A dotted quad without leading zeros, which some parsers read as octal; the token rules' IPv4 allows them. */
function isIPv4(text: string): boolean {
	return isAnyIPv4(text) && text.split('.').every((p) => p === '0' || !p.startsWith('0'));
}

export type IpFamily = 'IPv4' | 'IPv6';

export function familyOf(address: string): IpFamily | undefined {
	return isIPv4(address) ? 'IPv4' : isIPv6(address) ? 'IPv6' : undefined;
}

/** One IP address; with `family`, of that family. */
export function assertIpAddress(field: string, value: unknown, family?: IpFamily): string {
	const text = toText(field, value, { required: true });
	const actual = familyOf(text);
	if (!actual || (family && actual !== family)) {
		throw new InputRuleError(field, `must be an ${family ?? 'IPv4 or IPv6'} address (got ${showValue(text)})`);
	}
	return text;
}

function ipToBigInt(address: string): bigint {
	if (isIPv4(address)) return address.split('.').reduce((acc, p) => (acc << 8n) | BigInt(p), 0n);
	const [head, tail = ''] = address.split('::');
	const parts = (part: string) => (part === '' ? [] : part.split(':'));
	const expand = (groups: string[]) =>
		groups.flatMap((g) => (g.includes('.') ? [((ipToBigInt(g) >> 16n) & 0xffffn).toString(16), (ipToBigInt(g) & 0xffffn).toString(16)] : [g]));
	const h = expand(parts(head));
	const t = address.includes('::') ? expand(parts(tail)) : [];
	const all = address.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
	return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/**
 * A firewall address range: both ends of the family the rule names, start not after end ("give both ends";
 * start = end for one address). Either end alone is refused: UpCloud's *_ADDRESS_START_INVALID otherwise.
 */
export function assertAddressRange(
	startField: string,
	start: unknown,
	endField: string,
	end: unknown,
	family: IpFamily,
): [string, string] | undefined {
	const hasStart = start !== undefined && start !== '';
	const hasEnd = end !== undefined && end !== '';
	if (!hasStart && !hasEnd) return undefined;
	if (!hasStart) throw new InputRuleError(startField, `is required when ${endField} is set (use the same address for one address)`);
	const first = assertIpAddress(startField, start, family);
	const last = hasEnd ? assertIpAddress(endField, end, family) : first;
	if (ipToBigInt(first) > ipToBigInt(last)) {
		throw new InputRuleError(endField, `must not be before ${startField} (${first} > ${last})`);
	}
	return [first, last];
}

/** A port range of a firewall rule: 1–65535, start not after end; one end alone means that one port. */
export function assertPortRange(
	startField: string,
	start: unknown,
	endField: string,
	end: unknown,
): [number, number] | undefined {
	const hasStart = start !== undefined && start !== '' && start !== null;
	const hasEnd = end !== undefined && end !== '' && end !== null;
	if (!hasStart && !hasEnd) return undefined;
	if (!hasStart) throw new InputRuleError(startField, `is required when ${endField} is set (use the same port for one port)`);
	const first = assertWhole(startField, start, PORT.min, PORT.max);
	const last = hasEnd ? assertWhole(endField, end, PORT.min, PORT.max) : first;
	if (first > last) throw new InputRuleError(endField, `must not be below ${startField} (${first} > ${last})`);
	return [first, last];
}

export function assertLabelKey(field: string, value: unknown): string {
	const text = toText(field, value, { required: true });
	if (!LABEL_KEY.test(text)) {
		throw new InputRuleError(
			field,
			`must be 2–32 letters, digits, "_" or "-", not starting with "_" (got ${showValue(text)})`,
		);
	}
	return text;
}

/** Labels as the editor's Key/Value list gives them: keys checked, values at most 255 characters. */
export function assertLabels(field: string, value: unknown): Array<{ key: string; value: string }> {
	const rows = isPlainObject(value) && Array.isArray(value.label) ? (value.label as unknown[]) : [];
	const keys = new Set<string>();
	return rows.map((row, index) => {
		const entry = isPlainObject(row) ? row : {};
		const key = assertLabelKey(`${field} ${index + 1} Key`, entry.key);
		const text = toText(`${field} ${index + 1} Value`, entry.value);
		if (text.length > 255) throw new InputRuleError(`${field} ${index + 1} Value`, `must be at most 255 characters (got ${text.length})`);
		if (keys.has(key)) throw new InputRuleError(`${field} ${index + 1} Key`, `repeats the key ${showValue(key)}; each key may appear once`);
		keys.add(key);
		return { key, value: text };
	});
}

/** A label filter of a list: "key" or "key=value". */
export function assertLabelFilters(field: string, value: unknown): string[] {
	const list = value === undefined || value === null || value === '' ? [] : Array.isArray(value) ? value : [value];
	return list.map((entry, index) => {
		const text = toText(`${field} (entry ${index + 1})`, entry, { required: true });
		const at = text.indexOf('=');
		assertLabelKey(`${field} (entry ${index + 1})`, at < 0 ? text : text.slice(0, at));
		return text;
	});
}

/** A firewall rule position in the URL: 1–1000. */
export function assertPosition(field: string, value: unknown): number {
	return assertWhole(field, value, FIREWALL_POSITION.min, FIREWALL_POSITION.max);
}

/** SSH public keys as authorized_keys lines (ssh-ed25519 AAAA… comment). */
export function assertSshKeys(field: string, value: unknown): string[] {
	const list = value === undefined || value === null || value === '' ? [] : Array.isArray(value) ? value : [value];
	return list.map((entry, index) => {
		const text = toText(`${field} (entry ${index + 1})`, entry, { required: true });
		if (!/^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/=]+( .*)?$/.test(text)) {
			throw new InputRuleError(`${field} (entry ${index + 1})`, 'must be an SSH public key line such as "ssh-ed25519 AAAAC3Nza… user@host"');
		}
		return text;
	});
}

/** A MAC address of a network interface. */
export function assertMac(field: string, value: unknown): string {
	const text = toText(field, value, { required: true });
	if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(text)) {
		throw new InputRuleError(field, `must be a MAC address such as ee:1b:db:ca:56:4a (got ${showValue(text)})`);
	}
	return text.toLowerCase();
}

/** A value that must be one of a fixed list (option values from expressions are checked by the normaliser). */
export function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
	if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
	throw new InputRuleError(field, `must be one of ${allowed.map((a) => showValue(a)).join(', ')} (got ${showValue(value)})`);
}

/** Whether a collection value holds this key with a value that counts as given. */
export function given(collection: IDataObject, key: string): boolean {
	const value = collection[key];
	return value !== undefined && value !== null && value !== '';
}

import type { IDataObject, INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';

import { InputRuleError } from './rules';

/**
 * One normalisation step for every parameter, before any rule or routing reads it. An expression can hand any
 * type to any field ({{ $json.id }} gives a number, a missing key undefined, a typo an object), so each value is
 * brought to the kind its property declares — the `type` of the node description itself, so a new operation
 * needs no code here:
 *
 * - string: text; a finite number becomes its text (12345 → "12345"); trimmed unless it is a password;
 * - number: a finite number (or text that is one); whole when `numberPrecision` is 0; within minValue/maxValue;
 * - boolean: true or false (also the text "true"/"false");
 * - options / multiOptions: one (each) of the option values, never a display name;
 * - dateTime: text, a finite number (Unix time), a Date or a DateTime (its meaning is checked by the field's own rule);
 * - collection / fixedCollection: an object whose entries are normalised by their own declarations.
 *
 * What cannot be normalised is an InputRuleError naming the field and showing the value as JSON.
 */

/** A value as the user should see it in a message: JSON (never "[object Object]"), and short. */
export function showValue(value: unknown): string {
	if (value === undefined) return 'nothing (undefined)';
	if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
	if (typeof value === 'bigint') return `${value.toString()} (a BigInt)`;
	if (typeof value === 'function') return 'a function';
	if (typeof value === 'symbol') return 'a symbol';
	let json: string | undefined;
	try {
		json = JSON.stringify(value);
	} catch {
		return 'an object that cannot be shown as JSON';
	}
	if (json === undefined) return 'a value that cannot be shown as JSON';
	return json.length > 120 ? `${json.slice(0, 117)}...` : json;
}

/** Finite numbers and their text, e.g. "12", " 1.5 ", "-3e2"; not "", "0x10", "Infinity". */
const NUMBER_TEXT = /^[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/i;

export function isPlainObject(value: unknown): value is IDataObject {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	const proto = Object.getPrototypeOf(value) as unknown;
	return proto === Object.prototype || proto === null;
}

/** Text of a string field: strings (trimmed unless `keepSpaces`) and finite numbers; anything else is refused. */
export function toText(field: string, value: unknown, { required = false, keepSpaces = false } = {}): string {
	let text: string;
	if (value === undefined || value === null) text = '';
	else if (typeof value === 'string') text = keepSpaces ? value : value.trim();
	else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
	else throw new InputRuleError(field, `must be text or a number (got ${showValue(value)})`);
	if (required && text.trim() === '') throw new InputRuleError(field, 'is required');
	return text;
}

/** A number field: a finite number, or text that is one; whole if `integer`; within the bounds. */
export function toNumber(
	field: string,
	value: unknown,
	{ integer = false, min, max }: { integer?: boolean; min?: number; max?: number } = {},
): number {
	let number: number | undefined;
	if (typeof value === 'number') number = value;
	else if (typeof value === 'string' && NUMBER_TEXT.test(value.trim())) number = Number(value.trim());
	const range =
		min !== undefined && max !== undefined
			? ` from ${min} to ${max}`
			: min !== undefined
				? ` of at least ${min}`
				: max !== undefined
					? ` of at most ${max}`
					: '';
	const kind = `${integer ? 'a whole number' : 'a number'}${range}`;
	if (number === undefined || !Number.isFinite(number)) throw new InputRuleError(field, `must be ${kind} (got ${showValue(value)})`);
	if ((integer && !Number.isInteger(number)) || (min !== undefined && number < min) || (max !== undefined && number > max)) {
		throw new InputRuleError(field, `must be ${kind} (got ${showValue(value)})`);
	}
	return number;
}

/**
 * A page size or result limit with Return All off: a whole number from 1 to the API's documented maximum (none
 * for lists UpCloud answers whole). 0, -1, "abc" or true would otherwise silently return all, some or nothing.
 */
export function toLimit(field: string, value: unknown, max?: number): number {
	const upTo = typeof max === 'number' ? ` from 1 to ${max}` : ' of at least 1';
	const limit = typeof value === 'number' ? value : typeof value === 'string' && NUMBER_TEXT.test(value.trim()) ? Number(value) : NaN;
	if (!Number.isInteger(limit) || limit < 1 || (typeof max === 'number' && limit > max)) {
		throw new InputRuleError(field, `must be a whole number${upTo}; turn on Return All to get more (got ${showValue(value)})`);
	}
	return limit;
}

export function toBoolean(field: string, value: unknown): boolean {
	if (value === true || value === 'true') return true;
	if (value === false || value === 'false') return false;
	throw new InputRuleError(field, `must be true or false (got ${showValue(value)})`);
}

type Choice = INodePropertyOptions | INodeProperties | INodePropertyCollection;

/** One of the values of an options field; the display name is named in the error, as the likely mistake. */
export function toOption(field: string, value: unknown, options: readonly Choice[]): string | number | boolean {
	const choices = options.filter((option): option is INodePropertyOptions => 'value' in option);
	const match = choices.find(
		(option) => option.value === value || (typeof value === 'number' && option.value === String(value)),
	);
	if (match) return match.value;
	const values = choices.map((option) => showValue(option.value)).join(', ');
	const byName = choices.find((option) => typeof value === 'string' && option.name === value);
	const hint = byName ? `; "${byName.name}" is the option's name, its value is ${showValue(byName.value)}` : '';
	throw new InputRuleError(field, `must be one of ${values} (got ${showValue(value)}${hint})`);
}

function isDateLike(value: unknown): boolean {
	if (typeof value === 'string') return true;
	// Unix timestamps (Upzelo answers with them, so expressions hand them back).
	if (typeof value === 'number') return Number.isFinite(value);
	if (value instanceof Date) return !Number.isNaN(value.getTime());
	// Luxon's DateTime ($now, DateTime.fromISO): what n8n expressions hand to date fields.
	return typeof value === 'object' && value !== null && typeof (value as { toISO?: unknown }).toISO === 'function';
}

/** The value of one property normalised to its declared kind; `label` is the field as the editor shows it. */
export interface NormaliseOptions {
	/**
	 * Whether option lists and number bounds are checked here (true), or only the kind (false) because every field
	 * has its own documented rule that checks them with its own words (Upzelo's fields.ts).
	 */
	domains?: boolean;
}

/** A primitive that an options field could hold; objects, NaN and the like are refused with their JSON. */
function toChoiceValue(field: string, value: unknown): string | number | boolean {
	if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
		return typeof value === 'string' ? value.trim() : value;
	}
	if (value === undefined || value === null) throw new InputRuleError(field, 'is required');
	throw new InputRuleError(field, `must be one of its options (got ${showValue(value)})`);
}

export function normaliseProperty(
	property: INodeProperties,
	label: string,
	value: unknown,
	{ domains = true }: NormaliseOptions = {},
): unknown {
	const required = property.required === true;
	const settings = { domains };
	switch (property.type) {
		case 'string': {
			const keepSpaces = property.typeOptions?.password === true;
			if (property.typeOptions?.multipleValues) {
				if (value === undefined || value === null || value === '') return [];
				const list = Array.isArray(value) ? value : [value];
				return list.map((entry, index) => toText(`${label} (entry ${index + 1})`, entry, { keepSpaces }));
			}
			return toText(label, value, { required, keepSpaces });
		}
		case 'number': {
			const options = property.typeOptions ?? {};
			if (!domains) return toNumber(label, value);
			if (property.name === 'limit') return toLimit(label, value, options.maxValue);
			return toNumber(label, value, {
				integer: options.numberPrecision === 0,
				min: typeof options.minValue === 'number' ? options.minValue : undefined,
				max: typeof options.maxValue === 'number' ? options.maxValue : undefined,
			});
		}
		case 'boolean':
			return toBoolean(label, value);
		case 'options':
			return domains ? toOption(label, value, property.options ?? []) : toChoiceValue(label, value);
		case 'multiOptions': {
			if (value === undefined || value === null || value === '') return [];
			const list = Array.isArray(value) ? value : [value];
			return list.map((entry) =>
				domains ? toOption(label, entry, property.options ?? []) : toChoiceValue(label, entry),
			);
		}
		case 'dateTime':
			// Empty is left to the field's own rule, which says what a date must look like.
			if (value === undefined || value === null || value === '') return value;
			if (!isDateLike(value)) {
				throw new InputRuleError(label, `must be a date and time, e.g. 2024-09-01T00:00:00 (got ${showValue(value)})`);
			}
			return typeof value === 'string' ? value.trim() : value;
		case 'collection':
			return normaliseCollection(label, value, property.options ?? [], settings);
		case 'fixedCollection':
			return normaliseFixedCollection(label, value, property, settings);
		case 'resourceLocator': {
			if (isPlainObject(value) && '__rl' in value) {
				return { ...value, value: toText(label, value.value, { required }) };
			}
			return toText(label, value, { required });
		}
		default:
			return value;
	}
}

function normaliseCollection(
	label: string,
	value: unknown,
	options: readonly Choice[],
	settings: NormaliseOptions,
	prefix = '',
): IDataObject {
	if (value === undefined || value === null || value === '') return {};
	if (!isPlainObject(value)) throw new InputRuleError(label, `must be a set of fields (got ${showValue(value)})`);
	const normalised: IDataObject = {};
	for (const [key, entry] of Object.entries(value)) {
		const option = options.find((candidate): candidate is INodeProperties => 'type' in candidate && candidate.name === key);
		// Named as the editor shows an added field: by its own name (Additional Fields → "Email").
		normalised[key] = (
			option ? normaliseProperty(option, `${prefix}${option.displayName}`, entry, settings) : entry
		) as IDataObject[string];
	}
	return normalised;
}

function normaliseFixedCollection(
	label: string,
	value: unknown,
	property: INodeProperties,
	settings: NormaliseOptions,
): IDataObject {
	if (value === undefined || value === null || value === '') return {};
	if (!isPlainObject(value)) throw new InputRuleError(label, `must be a set of fields (got ${showValue(value)})`);
	const multiple = property.typeOptions?.multipleValues === true;
	const normalised: IDataObject = {};
	for (const [key, entry] of Object.entries(value)) {
		const group = (property.options ?? []).find(
			(candidate): candidate is INodePropertyCollection => 'values' in candidate && candidate.name === key,
		);
		if (!group) {
			normalised[key] = entry;
			continue;
		}
		if (multiple) {
			const list = entry === undefined || entry === null ? [] : Array.isArray(entry) ? entry : [entry];
			normalised[key] = list.map((row, index) =>
				normaliseCollection(`${group.displayName} ${index + 1}`, row, group.values, settings, `${group.displayName} ${index + 1} `),
			);
		} else {
			normalised[key] = normaliseCollection(label, entry, group.values, settings);
		}
	}
	return normalised;
}

/** Whether a top-level property applies to the current parameters (its displayOptions). */
function isShown(property: INodeProperties, current: (name: string) => unknown): boolean {
	const matches = (conditions: Record<string, unknown> | undefined, wanted: boolean) => {
		if (!conditions) return true;
		return Object.entries(conditions).every(([key, allowed]) => {
			if (!Array.isArray(allowed)) return true;
			const actual = current(key.replace(/^\//, ''));
			const hit = allowed.some((entry) => entry === actual || String(entry) === String(actual));
			return hit === wanted;
		});
	};
	const { show, hide } = property.displayOptions ?? {};
	if (!matches(show as Record<string, unknown> | undefined, true)) return false;
	if (hide && Object.keys(hide).length > 0) {
		const hidden = Object.entries(hide).some(([key, allowed]) => {
			if (!Array.isArray(allowed)) return false;
			const actual = current(key.replace(/^\//, ''));
			return allowed.some((entry) => entry === actual || String(entry) === String(actual));
		});
		if (hidden) return false;
	}
	return true;
}

const SKIPPED_TYPES = new Set(['hidden', 'notice', 'json', 'credentials', 'credentialsSelect', 'callout']);

/**
 * Normalises every parameter that applies to the current resource and operation, in the order of the
 * description (so options such as `resource`, `operation` and `returnAll`, which decide what applies, come
 * first), and returns them by name. Throws an InputRuleError for the first value that cannot be normalised.
 */
export function normaliseParameters(
	properties: readonly INodeProperties[],
	read: (name: string) => unknown,
	options: NormaliseOptions = {},
): IDataObject {
	const normalised: IDataObject = {};
	const current = (name: string) => (name in normalised ? normalised[name] : read(name));
	for (const property of properties) {
		if (SKIPPED_TYPES.has(property.type) || property.name in normalised) continue;
		if (!isShown(property, current)) continue;
		normalised[property.name] = normaliseProperty(property, property.displayName, read(property.name), options) as IDataObject[string];
	}
	return normalised;
}

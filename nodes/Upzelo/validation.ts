import type { IDataObject } from 'n8n-workflow';

import { toInstant } from '../shared/dates';
import { assertPresent, InputRuleError } from '../shared/rules';
import { MAX_PAGE_SIZE } from './pagination';

/**
 * Input rules from Upzelo's API docs, one function per documented rule. Each throws an
 * `InputRuleError` naming the field as the editor shows it and the rule, so nothing is sent.
 */

const INTEGER = /^-?\d+$/;

export const isGiven = (value: unknown) => value !== undefined && value !== null && value !== '';

/** Upzelo's integer fields (cents, counts): whole numbers, optionally bounded. */
export function assertInteger(
	field: string,
	value: unknown,
	{ min, max, unit = 'number' }: { min?: number; max?: number; unit?: string } = {},
): number {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (text === '') throw new InputRuleError(field, 'is required');
	if (!INTEGER.test(text)) throw new InputRuleError(field, `must be a whole ${unit} (got ${text})`);
	const number = Number(text);
	if ((min !== undefined && number < min) || (max !== undefined && number > max)) {
		const range =
			min !== undefined && max !== undefined
				? `between ${min} and ${max}`
				: min !== undefined
					? `at least ${min}`
					: `at most ${max}`;
		throw new InputRuleError(field, `must be ${range} (got ${number})`);
	}
	return number;
}

export function assertLimit(field: string, value: unknown): number {
	return assertInteger(field, value, { min: 1, max: MAX_PAGE_SIZE });
}

export function assertPercent(field: string, value: unknown): number {
	return assertInteger(field, value, { min: 1, max: 100, unit: 'percentage' });
}

/** "ISO4217 formatted currency code": three letters, sent upper-case as in the docs' examples. */
export function assertCurrency(field: string, value: unknown): string {
	const text = assertPresent(field, value);
	if (!/^[A-Za-z]{3}$/.test(text)) {
		throw new InputRuleError(field, `must be a three-letter ISO 4217 code such as GBP, USD or EUR (got "${text}")`);
	}
	return text.toUpperCase();
}

/** Booleans ("Whether …"): an expression may give the text true or false. */
export function assertBoolean(field: string, value: unknown): boolean {
	if (value === true || value === 'true') return true;
	if (value === false || value === 'false') return false;
	throw new InputRuleError(field, `must be true or false (got "${String(value)}")`);
}

/** Option lists that an expression could bypass: "Must be one of …". */
export function assertOneOf(field: string, value: unknown, allowed: readonly string[]): string {
	const text = assertPresent(field, value);
	if (!allowed.includes(text)) {
		throw new InputRuleError(field, `must be one of ${allowed.join(', ')} (got "${text}")`);
	}
	return text;
}

/**
 * "Must be a valid date." Date pickers give wall-clock time in the workflow's time zone, expressions
 * may give ISO strings with an offset, DateTime objects or Upzelo's own Unix timestamps (seconds).
 * Upzelo's examples send "2022-08-05T09:31:02" with no zone; its answers are Unix timestamps, so
 * it reads these in one fixed zone, UNCONFIRMED but assumed to be UTC (Laravel's default).
 */
export function assertDate(field: string, value: unknown, timeZone: string): string {
	const instant =
		typeof value === 'number' && Number.isFinite(value) ? new Date(value * 1000) : toInstant(value, timeZone);
	if (!instant || Number.isNaN(instant.getTime())) {
		const shown = value && typeof value === 'object' ? JSON.stringify(value) : String(value ?? '');
		if (shown.trim() === '') throw new InputRuleError(field, 'is required');
		throw new InputRuleError(field, `must be a date and time such as 2022-08-05T09:31:02 (got "${shown}")`);
	}
	return instant.toISOString().slice(0, 19);
}

/** Price: "interval … Required if type is recurring", "interval_count … Required if type is recurring". */
export function assertRecurringInterval(type: unknown, interval: unknown, intervalCount: unknown): void {
	if (type !== 'recurring') return;
	if (!isGiven(interval)) {
		throw new InputRuleError('Interval', 'is required when Type is Recurring');
	}
	if (!isGiven(intervalCount)) {
		throw new InputRuleError('Interval Count', 'is required when Type is Recurring');
	}
}

/** Discount: "duration_in_months … This field is required when duration is repeating." */
export function assertDurationInMonths(duration: unknown, durationInMonths: unknown): void {
	if (duration === 'repeating' && !isGiven(durationInMonths)) {
		throw new InputRuleError('Duration In Months', 'is required when Duration is Repeating');
	}
}

/**
 * Discount: amount_off is "required when percent_off is null" and vice versa, and each is "null if
 * the other is set": a discount takes exactly one of them.
 */
export function assertOneDiscountAmount(amountOff: unknown, percentOff: unknown): void {
	if (isGiven(amountOff) && isGiven(percentOff)) {
		throw new InputRuleError('Amount Off (Cents)', 'and Percent Off cannot both be set: a discount is either an amount or a percentage');
	}
	if (!isGiven(amountOff) && !isGiven(percentOff)) {
		throw new InputRuleError('Amount Off (Cents)', 'or Percent Off is required: add one of them under Additional Fields');
	}
}

/** Metadata is a "Key value array": keys must be non-empty and unique. */
export function assertMetadata(field: string, entries: Array<{ key?: unknown; value?: unknown }>): IDataObject {
	const metadata: IDataObject = {};
	for (const entry of entries) {
		const key = typeof entry.key === 'string' ? entry.key.trim() : String(entry.key ?? '').trim();
		if (key === '') throw new InputRuleError(field, 'keys cannot be empty');
		if (key in metadata) throw new InputRuleError(field, `key "${key}" appears more than once`);
		metadata[key] = (entry.value ?? '') as string;
	}
	return metadata;
}

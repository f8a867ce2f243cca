import type { IDataObject } from 'n8n-workflow';

/** Input rules both service nodes apply, and the error every rule throws. */

/** A broken input rule; the message names the field as the editor shows it, then the rule. */
export class InputRuleError extends Error {
	constructor(
		readonly field: string,
		rule: string,
	) {
		super(`${field} ${rule}`);
		this.name = 'InputRuleError';
	}
}


const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function assertPresent(field: string, value: unknown): string {
	if (typeof value !== 'string' && typeof value !== 'number') {
		throw new InputRuleError(field, 'is required');
	}
	const text = String(value).trim();
	if (text === '') throw new InputRuleError(field, 'is required');
	return text;
}

/** A value placed in a URL path: encoded by the caller, but "." and ".." would still climb the path. */
export function assertPathSegment(field: string, value: unknown): string {
	const text = assertPresent(field, value);
	if (text === '.' || text === '..') {
		throw new InputRuleError(field, 'cannot be "." or ".."');
	}
	return text;
}

/** An Update Fields collection left empty would send an update that changes nothing. */
export function assertUpdateFields(updateFields: IDataObject): void {
	if (Object.keys(updateFields).length === 0) {
		throw new InputRuleError('Update Fields', 'must contain at least one field to change');
	}
}

export function assertEmail(field: string, value: unknown): string {
	const text = assertPresent(field, value);
	if (!EMAIL.test(text)) throw new InputRuleError(field, `must be a valid email address (got "${text}")`);
	return text;
}

import type {
	IDataObject,
	IDisplayOptions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeProperties,
	INodePropertyOptions,
	INodePropertyRouting,
	PreSendAction,
} from 'n8n-workflow';

import { validatedBy } from '../../shared/declarative';
import { assertEmail, assertPathSegment, assertPresent } from '../../shared/rules';
import {
	assertBoolean,
	assertCurrency,
	assertDate,
	assertInteger,
	assertLimit,
	assertMetadata,
	assertOneOf,
	assertPercent,
	isGiven,
} from '../validation';

/**
 * Building blocks of the Upzelo descriptions. A field is declared once with the body (or query) key
 * it is sent as and the documented rule it must meet; `topLevel()` and `fieldCollection()` place it
 * and give it the routing that checks the rule before anything is sent, then sends the value.
 */

export const show = (resource: string, operation: string[]): IDisplayOptions => ({
	show: { resource: [resource], operation },
});

const optionsOf = (names: Record<string, string>): INodePropertyOptions[] =>
	Object.entries(names)
		.map(([value, name]) => ({ name, value }))
		.sort((a, b) => a.name.localeCompare(b.name));

export const PRICE_TYPES = optionsOf({ one_time: 'One Time', recurring: 'Recurring' });
export const INTERVALS = optionsOf({ day: 'Day', week: 'Week', month: 'Month', year: 'Year' });
export const DURATIONS = optionsOf({ once: 'Once', repeating: 'Repeating', forever: 'Forever' });
export const SUBSCRIPTION_STATUSES = optionsOf({
	incomplete: 'Incomplete',
	incomplete_expired: 'Incomplete Expired',
	trialing: 'Trialing',
	active: 'Active',
	past_due: 'Past Due',
	canceled: 'Canceled',
	unpaid: 'Unpaid',
});
// Common ISO 4217 codes; any other code can be given as an expression and is checked for 3 letters.
export const CURRENCIES = optionsOf(
	Object.fromEntries(
		['AUD', 'BRL', 'CAD', 'CHF', 'CZK', 'DKK', 'EUR', 'GBP', 'HKD', 'INR', 'JPY', 'MXN', 'NOK', 'NZD', 'PLN', 'SEK', 'SGD', 'USD', 'ZAR'].map(
			(code) => [code, code],
		),
	),
);
export const valuesOf = (options: INodePropertyOptions[]) => options.map((option) => String(option.value));

/** Checks and converts a parameter value; `undefined` leaves the key out of the request. */
export type Rule = (this: IExecuteSingleFunctions, field: string, value: unknown) => unknown;

export type FieldSpec = Omit<INodeProperties, 'routing' | 'displayOptions' | 'required'> & {
	/** Body key, or a query parameter with `in: 'query'`. */
	sendAs: string;
	in?: 'body' | 'query';
	rule: Rule;
};

function routed(spec: FieldSpec, parameterPath: string): INodeProperties {
	const { sendAs, in: target = 'body', rule, ...property } = spec;
	const send = validatedBy(async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		const raw = this.getNodeParameter(parameterPath, undefined, { extractValue: property.type === 'resourceLocator' });
		const value = await rule.call(this, property.displayName, raw);
		if (value === undefined) return;
		const container = (target === 'body' ? (requestOptions.body ??= {}) : (requestOptions.qs ??= {})) as IDataObject;
		container[sendAs] = value as IDataObject[string];
	});
	return { ...property, routing: { send: { preSend: [send] } } } as INodeProperties;
}

export function topLevel(spec: FieldSpec, displayOptions: IDisplayOptions, required = true): INodeProperties {
	return { ...routed(spec, spec.name), displayOptions, ...(required ? { required: true } : {}) };
}

/** An Additional Fields / Update Fields collection whose options are sent as declared. */
export function fieldCollection(
	name: 'additionalFields' | 'updateFields',
	displayOptions: IDisplayOptions,
	specs: FieldSpec[],
): INodeProperties {
	return {
		displayName: name === 'additionalFields' ? 'Additional Fields' : 'Update Fields',
		name,
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions,
		options: specs
			.map((spec) => routed(spec, `${name}.${spec.name}`))
			.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

// ---- rules ----------------------------------------------------------------------------------------

export const required: Rule = (field, value) => assertPresent(field, value);
/** Optional text: an added but empty field is left out rather than sent as "". */
export const optionalText: Rule = (_field, value) => (value === '' || value === null ? undefined : value);
export const currency: Rule = (field, value) => assertCurrency(field, value);
export const boolean: Rule = (field, value) => assertBoolean(field, value);
export const email: Rule = (field, value) => (value === '' ? undefined : assertEmail(field, value));
export const date: Rule = function (field, value) {
	return assertDate(field, value, this.getTimezone());
};
/** An optional date: left out when empty. */
export const optionalDate: Rule = function (field, value) {
	return isGiven(value) ? assertDate(field, value, this.getTimezone()) : undefined;
};
/** "?string": an added but empty date is sent as null, which clears it. */
export const nullableDate: Rule = function (field, value) {
	return value === '' || value === null ? null : assertDate(field, value, this.getTimezone());
};
export const integer =
	(bounds: { min?: number; max?: number; unit?: string } = {}): Rule =>
	(field, value) =>
		assertInteger(field, value, bounds);
export const cents = (min?: number) => integer({ min, unit: 'number of cents' });
export const oneOf = (options: INodePropertyOptions[]): Rule => {
	const allowed = valuesOf(options);
	return (field, value) => assertOneOf(field, value, allowed);
};
/** Sent as a string: `duration_in_months` is documented as "string" though it holds a number. */
export const integerAsString =
	(bounds: { min?: number; max?: number }): Rule =>
	(field, value) =>
		String(assertInteger(field, value, bounds));
export const percent: Rule = (field, value) => assertPercent(field, value);

function withoutRouting(spec: FieldSpec): INodeProperties {
	const { sendAs: _sendAs, in: _in, rule: _rule, ...property } = spec;
	return property as INodeProperties;
}

/**
 * A documented object (or list of objects, `multiple`) edited as a fixed collection, e.g. an invoice's
 * line_items[] or a subscription's inline customer: every member is checked by its own rule and sent
 * under its own key; errors name the member ("Line Item 2 Period Start").
 */
export function objectSpec(
	container: Omit<FieldSpec, 'type' | 'options' | 'default' | 'rule'> & { itemDisplayName: string; itemName: string },
	members: FieldSpec[],
	multiple: boolean,
): FieldSpec {
	const { itemDisplayName, itemName, ...spec } = container;
	return {
		...spec,
		type: 'fixedCollection',
		typeOptions: multiple ? { multipleValues: true } : undefined,
		default: {},
		options: [{ displayName: itemDisplayName, name: itemName, values: members.map(withoutRouting) }],
		rule: async function (field, value) {
			const raw = (value as IDataObject | undefined)?.[itemName];
			const entries = (Array.isArray(raw) ? raw : raw ? [raw] : []) as IDataObject[];
			const objects: IDataObject[] = [];
			for (const [index, entry] of entries.entries()) {
				const object: IDataObject = {};
				for (const member of members) {
					const label = multiple
						? `${itemDisplayName} ${index + 1} ${member.displayName}`
						: `${field} ${member.displayName}`;
					const sent = await member.rule.call(this, label, entry[member.name]);
					if (sent !== undefined) object[member.sendAs] = sent as IDataObject[string];
				}
				objects.push(object);
			}
			if (multiple) return objects.length ? objects : undefined;
			return objects[0] && Object.keys(objects[0]).length ? objects[0] : undefined;
		},
	};
}

// ---- shared fields --------------------------------------------------------------------------------

export function externalIdSpec(noun: string): FieldSpec {
	return {
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		default: '',
		placeholder: `${noun}-1233`,
		description: `Your own ID for the ${noun}, which Upzelo stores as your internal identifier`,
		sendAs: 'id',
		rule: required,
	};
}

export function currencySpec(): FieldSpec {
	return {
		displayName: 'Currency',
		name: 'currency',
		type: 'options',
		options: CURRENCIES,
		default: 'GBP',
		description: 'ISO 4217 currency code; pick a common one, or give any other code as an expression',
		sendAs: 'currency',
		rule: currency,
	};
}

export function dateSpec(displayName: string, name: string, sendAs: string, description: string, rule = date): FieldSpec {
	return { displayName, name, type: 'dateTime', default: '', description, sendAs, rule };
}

export const metadataSpec = (noun: string): FieldSpec => ({
	displayName: 'Metadata',
	name: 'metadata',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Metadata',
	default: {},
	description: `Key-value pairs stored with the ${noun}`,
	options: [
		{
			displayName: 'Entry',
			name: 'entry',
			values: [
				{ displayName: 'Key', name: 'key', type: 'string', default: '' },
				{ displayName: 'Value', name: 'value', type: 'string', default: '' },
			],
		},
	],
	sendAs: 'metadata',
	rule: (field, value) => {
		const entries = ((value as IDataObject | undefined)?.entry ?? []) as IDataObject[];
		return entries.length ? assertMetadata(field, entries) : undefined;
	},
});

/** The record a Get / Anonymize / Update acts on: a non-empty ID, URL-encoded into the path. */
export function recordIdField(
	resource: string,
	name: string,
	displayName: string,
	operations: string[],
	description: string,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		required: true,
		default: '',
		displayOptions: show(resource, operations),
		description,
	};
}

export function recordRouting(
	method: 'GET' | 'PUT',
	plural: string,
	name: string,
	displayName: string,
	...preSend: PreSendAction[]
): INodePropertyRouting {
	return {
		request: { method, url: `=/api/${plural}/{{ encodeURIComponent(String($parameter["${name}"] ?? "").trim()) }}` },
		send: {
			preSend: [
				validatedBy(function () {
					assertPathSegment(displayName, this.getNodeParameter(name, ''));
				}),
				...preSend,
			],
		},
	};
}

/** Get by ID, the same for every record: `record` with its article ("an invoice"), `plural` its path. */
export function getOperation(record: string, plural: string, name: string, displayName: string): INodePropertyOptions {
	return {
		name: 'Get',
		value: 'get',
		action: `Get ${record} by ID`,
		description: `Get ${record} by its Upzelo ID`,
		routing: recordRouting('GET', plural, name, displayName),
	};
}

/** Get Many, the same for every record; the node-wide paginator follows the cursor. */
export function getManyOperation(plural: string): INodePropertyOptions {
	return {
		name: 'Get Many',
		value: 'getAll',
		action: `Get many ${plural}`,
		description: `List the ${plural} in Upzelo`,
		routing: { request: { method: 'GET', url: `/api/${plural}` } },
	};
}

/** "include": a multi-select sent as one comma-separated list, e.g. include=line_items,customer. */
export function includeField(resource: string, operations: string[], options: INodePropertyOptions[]): INodeProperties {
	const allowed = valuesOf(options);
	return topLevel(
		{
			displayName: 'Include',
			name: 'include',
			type: 'multiOptions',
			options,
			default: [],
			description: 'Related records to embed in each result',
			sendAs: 'include',
			in: 'query',
			rule: (field, value) => {
				const list = Array.isArray(value) ? value : String(value ?? '').split(',');
				const chosen = list.map((entry) => String(entry).trim()).filter(Boolean);
				chosen.forEach((entry) => assertOneOf(field, entry, allowed));
				return chosen.length ? chosen.join(',') : undefined;
			},
		},
		show(resource, operations),
		false,
	);
}

/**
 * Return All and Limit, once for every Get Many. The node-wide paginator (see Upzelo.node.ts) handles
 * both: all pages, or the single request with limit=<Limit>.
 */
export const getManyFields: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		displayOptions: { show: { operation: ['getAll'] } },
		description: 'Whether to return all results or only up to a given limit',
		routing: {
			send: {
				preSend: [
					validatedBy(function () {
						if (!this.getNodeParameter('returnAll', false)) assertLimit('Limit', this.getNodeParameter('limit', 50));
					}),
				],
			},
		},
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		// "How many results to fetch. (max 100)"; the Return All check enforces it for expressions too.
		typeOptions: { minValue: 1, maxValue: 100, numberPrecision: 0 },
		default: 50,
		displayOptions: { show: { operation: ['getAll'], returnAll: [false] } },
		description: 'Max number of results to return',
	},
];

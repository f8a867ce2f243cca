import type { INodeProperties } from 'n8n-workflow';

import { CURRENT_YEAR_MONTH } from '../../shared/dates';
import { splitBillingByResource } from '../output';

/** Fields several UpCloud resources share (Return All / Limit, month, billing output, new username). */

/**
 * Return All / Limit. Most UpCloud lists are not paginated: Limit trims the one answer, Return All keeps it whole.
 * The server and storage lists are paged (paginateByUuid): Limit also bounds how many pages are asked for.
 * A list whose pager sends Limit as the page size (the token list, the audit log) passes `pageSize`: Limit is then
 * at most one page, and the pager, not routing, applies it.
 */
export function returnAllAndLimit(resource: string, operation: string, paged?: { pageSize: number }): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			displayOptions: { show: { resource: [resource], operation: [operation] } },
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			// UpCloud documents no maximum for the other lists: any whole number from 1.
			typeOptions: { minValue: 1, ...(paged ? { maxValue: paged.pageSize } : {}), numberPrecision: 0 },
			default: 50,
			displayOptions: { show: { resource: [resource], operation: [operation], returnAll: [false] } },
			description: 'Max number of results to return',
			...(paged ? {} : { routing: { output: { maxResults: '={{ Number($value) }}' } } }),
		},
	];
}

/** The username of an account being created; checked by `assertUsername` before sending. */
export function newUsernameField(bodyProperty: string, displayOptions: INodeProperties['displayOptions']): INodeProperties {
	return {
		displayName: 'Username',
		name: 'username',
		type: 'string',
		required: true,
		default: '',
		displayOptions,
		description: '4–64 characters: lowercase letters and digits, with single underscores between them',
		routing: { send: { type: 'body', property: bodyProperty, value: '={{ String($value ?? "").trim() }}' } },
	};
}

/** The month field every billing request takes; defaults to the current month. */
export function yearMonthField(displayOptions: INodeProperties['displayOptions']): INodeProperties {
	return {
		displayName: 'Month',
		name: 'yearMonth',
		type: 'string',
		required: true,
		default: CURRENT_YEAR_MONTH,
		placeholder: '2024-09',
		displayOptions,
		description: 'Billing month in the form YYYY-MM; defaults to the current month',
	};
}

/** Whether to output the summary as one item, or one item per billed resource (for reports). */
export function billingOutputField(displayOptions: INodeProperties['displayOptions']): INodeProperties {
	return {
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'summary',
		displayOptions,
		options: [
			{
				name: 'Summary',
				value: 'summary',
				description: 'One item with the whole summary, as UpCloud returns it',
			},
			{
				name: 'One Item per Billed Resource',
				value: 'resources',
				description: 'One item per resource with category, resource_id, amount, hours and details',
				routing: { output: { postReceive: [splitBillingByResource] } },
			},
		],
	};
}

/** The optional resource_id filter of the billing summary. */
export function billingResourceFilter(displayOptions: INodeProperties['displayOptions']): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'Resource ID',
				name: 'resourceId',
				type: 'string',
				default: '',
				description: 'Only this resource: a server or storage UUID, or an IP address',
				routing: { send: { type: 'query', property: 'resource_id', value: '={{ String($value ?? "").trim() || undefined }}' } },
			},
		],
	};
}

import type { INodeProperties } from 'n8n-workflow';

import { validatedBy } from '../../shared/declarative';
import { CURRENT_YEAR_MONTH, splitBillingByResource } from '../GenericFunctions';
import { assertPathSegment, assertYearMonth } from '../validation';

const show = (operation: string[]) => ({ show: { resource: ['billing'], operation } });

const unwrapBilling = { type: 'rootProperty' as const, properties: { property: 'billing' } };

const yearMonthIsValid = validatedBy(function () {
	assertYearMonth('Month', this.getNodeParameter('yearMonth'));
});

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

export const billingOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['billing'] } },
		options: [
			{
				name: 'Get Summary',
				value: 'getSummary',
				action: 'Get a monthly billing summary',
				description: 'Get the monthly billing summary with resource details (needs billing permission)',
				routing: {
					request: { method: 'GET', url: '=/account/billing/summary/{{ encodeURIComponent($parameter.yearMonth) }}' },
					send: { preSend: [yearMonthIsValid] },
				},
			},
			{
				name: 'Get Resource Summary',
				value: 'getResourceSummary',
				action: 'Get a monthly billing summary of a resource',
				description: 'Get daily sums and details of one server, storage or IP address for a month',
				routing: {
					request: {
						method: 'GET',
						url: '=/account/resource_billing_summary/{{ encodeURIComponent($parameter.resourceId.trim()) }}/{{ encodeURIComponent($parameter.yearMonth) }}',
					},
					send: {
						preSend: [
							yearMonthIsValid,
							validatedBy(function () {
								assertPathSegment('Resource ID', this.getNodeParameter('resourceId'));
							}),
						],
					},
					output: { postReceive: [unwrapBilling] },
				},
			},
			{
				name: 'Get Legacy Summary (Deprecated)',
				value: 'getLegacySummary',
				action: 'Get a legacy monthly billing summary',
				description: 'Deprecated by UpCloud: use Get Summary instead. Totals per category only.',
				routing: {
					request: { method: 'GET', url: '=/account/billing_summary/{{ encodeURIComponent($parameter.yearMonth) }}' },
					send: { preSend: [yearMonthIsValid] },
					output: { postReceive: [unwrapBilling] },
				},
			},
			{
				name: 'Get Legacy Detailed Summary (Deprecated)',
				value: 'getLegacyDetailedSummary',
				action: 'Get a legacy detailed monthly billing summary',
				description: 'Deprecated by UpCloud: use Get Summary instead. Per-resource amounts in the old format.',
				routing: {
					request: {
						method: 'GET',
						url: '=/account/billing_summary/{{ encodeURIComponent($parameter.yearMonth) }}/detailed',
					},
					send: { preSend: [yearMonthIsValid] },
					output: { postReceive: [unwrapBilling] },
				},
			},
		],
		default: 'getSummary',
	},
];

export const billingFields: INodeProperties[] = [
	{
		displayName:
			'UpCloud has deprecated this endpoint. Use "Get Summary" for new workflows; it has more detail.',
		name: 'deprecationNotice',
		type: 'notice',
		default: '',
		displayOptions: show(['getLegacySummary', 'getLegacyDetailedSummary']),
	},
	yearMonthField(show(['getSummary', 'getResourceSummary', 'getLegacySummary', 'getLegacyDetailedSummary'])),
	{
		displayName: 'Resource ID',
		name: 'resourceId',
		type: 'string',
		required: true,
		default: '',
		displayOptions: show(['getResourceSummary']),
		description: 'Server UUID, storage UUID, or IP address',
	},
	billingOutputField(show(['getSummary', 'getLegacyDetailedSummary'])),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show(['getSummary']),
		options: [
			{
				displayName: 'Resource ID',
				name: 'resourceId',
				type: 'string',
				default: '',
				description: 'Only this resource: a server or storage UUID, or an IP address',
				routing: { send: { type: 'query', property: 'resource_id', value: '={{ $value.trim() || undefined }}' } },
			},
		],
	},
];

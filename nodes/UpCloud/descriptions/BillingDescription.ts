import type { INodeProperties } from 'n8n-workflow';

import { validatedBy } from '../../shared/declarative';
import { operationParameter } from '../../shared/operations';
import { billingOutputField, billingResourceFilter, yearMonthField } from './fields';
import { assertYearMonth } from '../validation';
import { assertPathSegment } from '../../shared/rules';

const show = (operation: string[]) => ({ show: { resource: ['billing'], operation } });

const unwrapBilling = { type: 'rootProperty' as const, properties: { property: 'billing' } };

const yearMonthIsValid = validatedBy(function () {
	assertYearMonth('Month', this.getNodeParameter('yearMonth'));
});

export const billingOperations: INodeProperties[] = [
	operationParameter('billing', 'getSummary', [
		{
			name: 'Get Summary',
			value: 'getSummary',
			action: 'Get the billing summary of a month (YYYY-MM)',
			description: 'Get the monthly billing summary with resource details (needs billing permission)',
			routing: {
				request: { method: 'GET', url: '=/account/billing/summary/{{ encodeURIComponent(String($parameter.yearMonth ?? "").trim()) }}' },
				send: { preSend: [yearMonthIsValid] },
			},
		},
		{
			name: 'Get Resource Summary',
			value: 'getResourceSummary',
			action: 'Get the monthly billing of a resource by its ID',
			description: 'Get daily sums and details of one server, storage or IP address for a month',
			routing: {
				request: {
					method: 'GET',
					url: '=/account/resource_billing_summary/{{ encodeURIComponent(String($parameter.resourceId ?? "").trim()) }}/{{ encodeURIComponent(String($parameter.yearMonth ?? "").trim()) }}',
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
			action: 'Get deprecated legacy billing totals of a month',
			description: 'Deprecated by UpCloud: use Get Summary instead. Totals per category only.',
			routing: {
				request: { method: 'GET', url: '=/account/billing_summary/{{ encodeURIComponent(String($parameter.yearMonth ?? "").trim()) }}' },
				send: { preSend: [yearMonthIsValid] },
				output: { postReceive: [unwrapBilling] },
			},
		},
		{
			name: 'Get Legacy Detailed Summary (Deprecated)',
			value: 'getLegacyDetailedSummary',
			action: 'Get a deprecated legacy detailed bill of a month',
			description: 'Deprecated by UpCloud: use Get Summary instead. Per-resource amounts in the old format.',
			routing: {
				request: {
					method: 'GET',
					url: '=/account/billing_summary/{{ encodeURIComponent(String($parameter.yearMonth ?? "").trim()) }}/detailed',
				},
				send: { preSend: [yearMonthIsValid] },
				output: { postReceive: [unwrapBilling] },
			},
		},
	]),
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
	billingResourceFilter(show(['getSummary'])),
];

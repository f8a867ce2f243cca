import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { validatedBy } from '../../shared/declarative';
import { toRfc3339Utc } from '../../shared/dates';
import { operationParameter } from '../../shared/operations';
import { csvToBinary } from '../output';
import { assertDateTime, assertTimeWindow } from '../validation';

const show = (operation: string[]) => ({ show: { resource: ['networkUsage'], operation } });
const STATS_OPERATIONS = ['getTransferStats', 'getResourceTransferStats'];

/**
 * from/to come from date-time pickers (wall clock in the workflow's time zone) or expressions;
 * UpCloud wants RFC 3339 in UTC, and rejects to < from and JSON windows over 31 days.
 */
const setTimeWindow = validatedBy(async function (
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
) {
	const timeZone = this.getTimezone();
	const from = assertDateTime('From', this.getNodeParameter('from'), timeZone);
	const to = assertDateTime('To', this.getNodeParameter('to'), timeZone);
	assertTimeWindow(from, to, this.getNodeParameter('format', 'json') === 'json');
	requestOptions.qs = { ...(requestOptions.qs as IDataObject), from: toRfc3339Utc(from), to: toRfc3339Utc(to) };
});

export const networkUsageOperations: INodeProperties[] = [
	operationParameter('networkUsage', 'getTransferStats', [
		{
			name: 'Get Transfer Statistics',
			value: 'getTransferStats',
			action: 'Get network transfer of the account between two dates',
			description: 'Get the account\'s hourly or daily outbound transfer and transfer pool quota',
			// The docs' example has a trailing slash, the generated client none; the issue's path has none.
			routing: {
				request: { method: 'GET', url: '/account/network_usage' },
				send: { preSend: [setTimeWindow] },
			},
		},
		{
			name: 'Get Resource Transfer Statistics',
			value: 'getResourceTransferStats',
			action: 'Get network transfer per resource between two dates',
			description: 'Get outbound transfer per resource, service and zone',
			routing: {
				request: { method: 'GET', url: '/account/resource_network_usage' },
				send: { preSend: [setTimeWindow] },
			},
		},
		{
			name: 'Get Current',
			value: 'getCurrent',
			action: 'Get the network transfer pool usage of this month',
			description: 'Get the latest network transfer pool usage report of this month',
			routing: {
				request: { method: 'GET', url: '/account/current_network_usage' },
				output: {
					postReceive: [{ type: 'rootProperty', properties: { property: 'stats.current_network_usage' } }],
				},
			},
		},
	]),
];

export const networkUsageFields: INodeProperties[] = [
	{
		displayName: 'From',
		name: 'from',
		type: 'dateTime',
		required: true,
		default: '',
		displayOptions: show(STATS_OPERATIONS),
		description: 'Start of the window (first start time); sent to UpCloud in UTC',
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'dateTime',
		required: true,
		default: '',
		displayOptions: show(STATS_OPERATIONS),
		description: 'End of the window (last start time); at most 31 days after From for JSON output',
	},
	{
		displayName: 'Accumulate',
		name: 'accumulate',
		type: 'options',
		default: 'day',
		displayOptions: show(STATS_OPERATIONS),
		options: [
			{ name: 'Day', value: 'day' },
			{ name: 'Hour', value: 'hour' },
		],
		description: 'Whether each row sums an hour or a day',
		routing: { send: { type: 'query', property: 'accumulate' } },
	},
	{
		displayName: 'Output Format',
		name: 'format',
		type: 'options',
		default: 'json',
		displayOptions: show(STATS_OPERATIONS),
		options: [
			{
				name: 'JSON',
				value: 'json',
				description: 'One item per statistics row; windows of at most 31 days',
				routing: { output: { postReceive: [{ type: 'rootProperty', properties: { property: 'stats.stat' } }] } },
			},
			{
				name: 'CSV File',
				value: 'csv',
				description: 'One item with UpCloud\'s CSV as a binary file (property "data"); no window limit',
				routing: {
					request: { headers: { Accept: 'text/csv' }, encoding: 'arraybuffer' },
					output: { postReceive: [csvToBinary] },
				},
			},
		],
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show(['getResourceTransferStats']),
		options: [
			{
				displayName: 'Resource ID',
				name: 'resourceId',
				type: 'string',
				default: '',
				description: 'Only this resource (UUID)',
				routing: { send: { type: 'query', property: 'resource_id', value: '={{ String($value ?? "").trim() || undefined }}' } },
			},
			{
				displayName: 'Services',
				name: 'services',
				type: 'multiOptions',
				default: [],
				description: 'Only these services; all when empty. UpCloud\'s docs list the two public ones, its API client the rest.',
				options: [
					{ name: 'Load Balancer Private', value: 'load_balancer_private' },
					{ name: 'Load Balancer Private VLAN', value: 'load_balancer_private_vlan' },
					{ name: 'Load Balancer Public', value: 'load_balancer_public' },
					{ name: 'Network Gateway Private', value: 'network_gateway_private' },
					{ name: 'Network Gateway Private VLAN', value: 'network_gateway_private_vlan' },
					{ name: 'Network Gateway Public', value: 'network_gateway_public' },
					{ name: 'Object Storage Public', value: 'object_storage_public' },
					{ name: 'Object Storage V2 Private', value: 'object_storage_v2_private' },
					{ name: 'Object Storage V2 Public', value: 'object_storage_v2_public' },
					{ name: 'Server Private', value: 'server_private' },
					{ name: 'Server Private VLAN', value: 'server_private_vlan' },
					{ name: 'Server Public', value: 'server_public' },
				],
				routing: { send: { type: 'query', property: 'service' } },
			},
			{
				displayName: 'Zones',
				name: 'zones',
				type: 'string',
				typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Zone' },
				default: [],
				placeholder: 'fi-hel1',
				description: 'Only these zones; all when empty',
				routing: { send: { type: 'query', property: 'zone', value: '={{ [].concat($value ?? []).map(z => String(z ?? "").trim()).filter(z => z) }}' } },
			},
		],
	},
];

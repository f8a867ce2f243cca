import type { INodeProperties } from 'n8n-workflow';

import { requestOptionsProperty } from '../../shared/properties';
import { CURRENCIES } from '../currencies';
import { metricOptions, metricsUsing, PROJECTIONS } from '../usageMetrics';
import { authenticationProperty } from './authentication';

/** The UpCloud Usage Trigger's parameters. */

// One unit picker per byte metric: n8n ANDs displayOptions keys, and Measure exists only for the pool.
const byteUnit = (show: Record<string, string[]>): INodeProperties => ({
	displayName: 'Threshold Unit',
	name: 'byteUnit',
	type: 'options',
	options: [
		{ name: 'Bytes', value: 'bytes' },
		{ name: 'GB (10^9 Bytes)', value: 'GB' },
		{ name: 'GiB (2^30 Bytes)', value: 'GiB' },
		{ name: 'TB (10^12 Bytes)', value: 'TB' },
		{ name: 'TiB (2^40 Bytes)', value: 'TiB' },
	],
	default: 'GB',
	description: 'Unit of the thresholds and recovery margin; items report bytes',
	displayOptions: { show },
});

// Every parameter, in order; each poll first normalises them to their declared kinds (shared/coercion.ts).
export const usageTriggerProperties: INodeProperties[] = [
	authenticationProperty,
	{
		displayName: 'Metric',
		name: 'metric',
		type: 'options',
		noDataExpression: true,
		options: metricOptions,
		default: 'credits',
	},
	{
		displayName: 'Currency',
		name: 'creditsCurrency',
		type: 'options',
		options: [
			{
				name: 'Detect From Account',
				value: 'auto',
				description: 'Read once from the account details (one extra request), then remembered',
			},
			// The currencies an UpCloud account can have, as in the UpCloud node's account fields.
			...CURRENCIES,
		],
		default: 'auto',
		description: 'Currency of the account, used in messages; credits are entered in this currency',
		displayOptions: { show: { metric: metricsUsing('creditsCurrency') } },
	},
	{
		displayName: 'Category',
		name: 'spendCategory',
		type: 'options',
		options: [
			{ name: 'Managed Databases', value: 'managed_databases' },
			{ name: 'Managed Kubernetes', value: 'managed_kubernetes' },
			{ name: 'Managed Load Balancers', value: 'managed_loadbalancers' },
			{ name: 'Managed Object Storages', value: 'managed_object_storages' },
			{ name: 'Network Gateways', value: 'network_gateways' },
			{ name: 'Networks', value: 'networks' },
			{ name: 'Servers', value: 'servers' },
			{ name: 'Storages', value: 'storages' },
			{ name: 'Total', value: 'total' },
		],
		default: 'total',
		description: 'Whole-month total, or the spend of one billing category (a category without usage counts as 0)',
		displayOptions: { show: { metric: metricsUsing('spendCategory') } },
	},
	{
		displayName: 'Customer Username',
		name: 'username',
		type: 'string',
		default: '',
		placeholder: 'e.g. customer_account',
		description:
			'Partner API only: the username of an associated customer account to watch; leave empty for your own account',
		displayOptions: { show: { metric: metricsUsing('username') } },
	},
	{
		displayName: 'Measure',
		name: 'transferMeasure',
		type: 'options',
		options: [
			{
				name: 'Percent of Accumulated Quota',
				value: 'percent',
				description: 'Bytes sent as a percentage of the quota accumulated so far this month',
			},
			{ name: 'Sent Bytes', value: 'bytes', description: 'Bytes sent so far this month' },
		],
		default: 'percent',
		displayOptions: { show: { metric: metricsUsing('transferMeasure') } },
	},
	{
		displayName: 'Resource ID',
		name: 'resourceId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 00777436-a6f8-43af-9daf-89e8e6833a7a',
		description: 'UUID of the server or other resource whose sent bytes this month are watched',
		displayOptions: { show: { metric: metricsUsing('resourceId') } },
	},
	byteUnit({ metric: metricsUsing('transferMeasure'), transferMeasure: ['bytes'] }),
	byteUnit({ metric: metricsUsing('resourceId') }),
	{
		displayName: 'Comparison',
		name: 'comparison',
		type: 'options',
		options: [
			{
				name: "Metric's Natural Direction",
				value: 'natural',
				description:
					'Credits and credit runway alert below the threshold; spend (so far or projected) and transfer alert above it',
			},
			{ name: 'Above', value: 'above', description: 'Alert when the value is greater than the threshold' },
			{ name: 'Below', value: 'below', description: 'Alert when the value is less than the threshold' },
		],
		default: 'natural',
	},
	{
		displayName: 'Thresholds',
		name: 'thresholds',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Threshold Level',
		description: 'Each level alerts once when crossed and keeps its own OK/alarm state',
		options: [
			{
				displayName: 'Level',
				name: 'levels',
				values: [
					{
						displayName: 'Threshold',
						name: 'threshold',
						type: 'number',
						typeOptions: { numberPrecision: 4 },
						default: 0,
						description:
							'Value that must be crossed: currency units for credits and spend, days for credit runway, percent or the threshold unit for transfer',
					},
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. warning',
						description: "Shown as the item's level; empty uses the threshold itself",
					},
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'After Restart',
				name: 'afterRestart',
				type: 'options',
				options: [
					{
						name: 'Repeat Active Alarms',
						value: 'repeatActive',
						description:
							'The first poll after n8n restarts or the workflow is re-activated repeats an alarm that is still crossed and may have recovered unseen, marked afterRestart: a crossing is never missed',
					},
					{
						name: 'Silent',
						value: 'silent',
						description:
							'Keep the saved alarm without repeating it. May miss a crossing after a restart: n8n does not save a recovery that emits nothing.',
					},
				],
				default: 'repeatActive',
				description: 'What the first poll after an n8n restart or a re-activation does with a saved alarm that is still crossed',
			},
			{
				displayName: 'Also Notify on Recovery',
				name: 'notifyOnRecovery',
				type: 'boolean',
				default: false,
				description: 'Whether to emit a "resolved" item when a level returns to normal',
			},
			{
				displayName: 'Consecutive Polls',
				name: 'consecutivePolls',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 0 },
				default: 1,
				description: 'How many polls in a row must be past a threshold before it fires',
			},
			{
				displayName: 'Fire If Already Crossed on First Poll',
				name: 'fireOnFirstPoll',
				type: 'boolean',
				default: true,
				description:
					'Whether a level already crossed when watching starts (or after the stored state is lost) fires once; otherwise it waits for the next crossing',
			},
			{
				displayName: 'Minimum Hours of Data',
				name: 'minimumHoursOfData',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 2 },
				default: 24,
				description:
					'Hours of the month (UTC) that must have passed before a projection alerts; earlier it is too noisy and polls emit nothing',
				displayOptions: { show: { '/metric': PROJECTIONS } },
			},
			{
				displayName: 'Recovery Margin',
				name: 'recoveryMargin',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 4 },
				default: 0,
				description:
					'How far back past the threshold the value must come before the level re-arms, in the threshold unit',
			},
			{
				displayName: 'Repeat Every (Hours)',
				name: 'repeatEveryHours',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 2 },
				default: 0,
				description: 'Emit a "reminder" item this often while a level stays in alarm; 0 never repeats',
			},
		],
	},
	// Settings → Request Options → Retry Transient Errors, as on the UpCloud node.
	requestOptionsProperty,
];

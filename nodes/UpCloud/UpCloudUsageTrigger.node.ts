import type {
	IDataObject,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { deepCopy, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { normaliseParameters, showValue } from '../shared/coercion';
import { startPollRetryBudget } from '../shared/retry';
import { requestOptionsProperty } from '../shared/properties';
import { CURRENCIES } from './constants';
import { apiUsername, credentialName } from './transport';
import { authenticationProperty, BASIC_CREDENTIAL, credentialsByAuthentication } from './descriptions/authentication';
import type { ApiUserCache, CurrencyCache, Metric, MetricParams } from './metrics';
import { NATURAL_COMPARISON, READERS, scopeOf } from './metrics';
import type { ByteUnit, Comparison, ThresholdConfig, TriggerState } from './thresholds';
import { BYTE_UNITS, configProblems, describeReading, evaluate } from './thresholds';

// A manual run without levels shows the reading instead of failing; activation still requires a level.
const NO_LEVEL_HINT = 'This is the current reading: add a threshold level to alert on it';

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
const triggerProperties: INodeProperties[] = [
	authenticationProperty,
	{
		displayName: 'Metric',
		name: 'metric',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Credit Runway (Days)',
				value: 'creditRunway',
				description:
					"Days until the credits run out at this month's daily spend (GET /account and the billing summary); for prepaid accounts",
			},
			{
				name: 'Credits',
				value: 'credits',
				description: 'Credit balance of the account (GET /account)',
			},
			{
				name: 'Month-to-Date Spend',
				value: 'monthSpend',
				description: 'Spend of the current month from the billing summary',
			},
			{
				name: 'Network Transfer Pool',
				value: 'transferPool',
				description: 'Bytes sent this month by the account, against its transfer pool',
			},
			{
				name: 'Projected Month-End Spend',
				value: 'monthSpendForecast',
				description: "This month's spend so far divided by the elapsed fraction of the month (UTC)",
			},
			{
				name: 'Resource Network Transfer',
				value: 'resourceTransfer',
				description: 'Bytes sent this month by one server or other resource',
			},
		],
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
		displayOptions: { show: { metric: ['credits', 'creditRunway'] } },
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
		displayOptions: { show: { metric: ['monthSpend', 'monthSpendForecast'] } },
	},
	{
		displayName: 'Customer Username',
		name: 'username',
		type: 'string',
		default: '',
		placeholder: 'e.g. customer_account',
		description:
			'Partner API only: the username of an associated customer account to watch; leave empty for your own account',
		displayOptions: { show: { metric: ['monthSpend', 'monthSpendForecast'] } },
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
		displayOptions: { show: { metric: ['transferPool'] } },
	},
	{
		displayName: 'Resource ID',
		name: 'resourceId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 00777436-a6f8-43af-9daf-89e8e6833a7a',
		description: 'UUID of the server or other resource whose sent bytes this month are watched',
		displayOptions: { show: { metric: ['resourceTransfer'] } },
	},
	byteUnit({ metric: ['transferPool'], transferMeasure: ['bytes'] }),
	byteUnit({ metric: ['resourceTransfer'] }),
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
				displayOptions: { show: { '/metric': ['monthSpendForecast', 'creditRunway'] } },
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

export class UpCloudUsageTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'UpCloud Usage Trigger',
		name: 'upCloudUsageTrigger',
		icon: { light: 'file:upcloud.svg', dark: 'file:upcloud.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ {"credits":"Credits","creditRunway":"Credit Runway (Days)","monthSpend":"Month-to-Date Spend","monthSpendForecast":"Projected Month-End Spend","transferPool":"Network Transfer Pool","resourceTransfer":"Resource Network Transfer"}[$parameter["metric"]] }}',
		description:
			'Starts the workflow when UpCloud credits, credit runway, spend (so far or projected) or network transfer cross a threshold',
		defaults: { name: 'UpCloud Usage Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialsByAuthentication,
		properties: triggerProperties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		startPollRetryBudget(this);
		const manual = this.getMode() === 'manual';
		const now = new Date();
		normaliseTriggerParameters.call(this);
		const params = readParams.call(this);
		const config = readConfig.call(this, params, manual);

		const staticData = this.getWorkflowStaticData('node');
		// A plain copy for the state machine; static data is written only after every request succeeded,
		// so a failed poll leaves it as it was.
		const stored = deepCopy(staticData) as { state?: TriggerState; currency?: CurrencyCache; apiUser?: ApiUserCache };
		const apiUser = apiUserOf.call(this, stored.apiUser);
		const result = await READERS[params.metric].call(this, params, {
			apiUser: apiUser.name,
			now,
			currencyCache: stored.currency,
		});

		if (result.reading !== null && result.reading.value !== null && !Number.isFinite(result.reading.value)) {
			// E.g. a spend of 1.7e308 summed past the largest number: no alert from a broken reading, state kept.
			throw new NodeOperationError(this.getNode(), `UpCloud's answer gave no finite ${params.metric} reading (got ${showValue(result.reading.value)})`, {
				description: 'The poll stopped and the alert state was kept as it was.',
			});
		}

		if (result.reading === null) {
			if (manual) throw new NodeOperationError(this.getNode(), result.skipped ?? 'No reading is available yet');
			return null;
		}

		// What was looked up once (the currency, a token's account name) is remembered, but never by a manual run.
		const rememberLookups = () => {
			if (result.currencyCache) staticData.currency = result.currencyCache as unknown as IDataObject;
			const lookedUp = apiUser.lookedUp();
			if (lookedUp) staticData.apiUser = lookedUp as unknown as IDataObject;
		};

		if (manual) {
			// "Fetch Test Event" with nothing to evaluate yet still shows the reading, and says why it would not alert.
			const hints = [result.withheld, config.levels.length === 0 ? NO_LEVEL_HINT : undefined].filter(Boolean);
			if (hints.length > 0) return [[{ json: deepCopy(describeReading(result.reading, now, hints.join('. '))) as IDataObject }]];
		} else if (result.withheld) {
			// Too early for a projection: emit nothing and keep the alert state as it was.
			rememberLookups();
			return null;
		}

		const { items, state } = evaluate({ reading: result.reading, config, state: stored.state, now, manual });

		// Manual runs ("Fetch Test Event") must not move the alert state, nor anything else stored.
		if (!manual) {
			if (JSON.stringify(state) !== JSON.stringify(stored.state)) staticData.state = state as unknown as IDataObject;
			rememberLookups();
		}

		if (items.length === 0) return null;
		return [items.map((json) => ({ json: deepCopy(json) as IDataObject }))];
	}
}

/**
 * The account name the readings' messages use. With Basic auth it is the credential's username. A token names
 * no user: GET /account tells it, looked up only when a reading asks (Credits reads it from its own answer),
 * then remembered in static data for that credential, as the currency is, so later polls cost nothing extra.
 */
function apiUserOf(this: IPollFunctions, cached: ApiUserCache | undefined) {
	const credential = credentialName.call(this);
	const credentialId = this.getNode().credentials?.[credential]?.id ?? '';
	let lookedUp: ApiUserCache | undefined;
	return {
		name: async (): Promise<string> => {
			if (credential === BASIC_CREDENTIAL) return await apiUsername.call(this);
			if (cached?.credential === credentialId) return cached.username;
			lookedUp = { credential: credentialId, username: await apiUsername.call(this) };
			return lookedUp.username;
		},
		lookedUp: () => lookedUp,
	};
}

/**
 * Option parameters must be one of their values (an expression giving "Above", the display name, is refused),
 * numbers finite, text text: the same declared-kind step as the UpCloud node, before anything is read or sent.
 */
function normaliseTriggerParameters(this: IPollFunctions): void {
	try {
		normaliseParameters(triggerProperties, (name) => this.getNodeParameter(name, undefined));
	} catch (error) {
		// As the trigger's other configuration errors: the message, then that nothing was sent.
		const { message } = error as Error;
		throw new NodeOperationError(this.getNode(), error as Error, {
			message,
			description: `${message}. Nothing was sent to UpCloud.`,
		});
	}
}

function readParams(this: IPollFunctions): MetricParams {
	const metric = this.getNodeParameter('metric') as Metric;
	const transferMeasure = this.getNodeParameter('transferMeasure', 'percent') as 'bytes' | 'percent';
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const projection = metric === 'monthSpendForecast' || metric === 'creditRunway';
	const minimumHours = projection ? Number(options.minimumHoursOfData ?? 24) : 0;
	if (!(minimumHours >= 0)) {
		throw new NodeOperationError(this.getNode(), 'Minimum Hours of Data must be 0 or more', {
			description: 'Enter how many hours of the month must pass before the projection alerts. Nothing was sent to UpCloud.',
		});
	}
	const resourceId = metric === 'resourceTransfer' ? String(this.getNodeParameter('resourceId', '')) : '';
	if (metric === 'resourceTransfer' && resourceId.trim() === '') {
		throw new NodeOperationError(this.getNode(), 'Resource ID is required for Resource Network Transfer', {
			description: 'Enter the UUID of the server or other resource to watch. Nothing was sent to UpCloud.',
		});
	}
	return {
		metric,
		creditsCurrency: String(this.getNodeParameter('creditsCurrency', 'auto')),
		spendCategory: String(this.getNodeParameter('spendCategory', 'total')),
		username:
			metric === 'monthSpend' || metric === 'monthSpendForecast' ? String(this.getNodeParameter('username', '')) : '',
		transferMeasure,
		resourceId,
		byteUnit: this.getNodeParameter('byteUnit', 'GB') as ByteUnit,
		minimumHours,
	};
}

function usesBytes(params: MetricParams): boolean {
	return (
		params.metric === 'resourceTransfer' ||
		(params.metric === 'transferPool' && params.transferMeasure === 'bytes')
	);
}

function readConfig(this: IPollFunctions, params: MetricParams, manual: boolean): ThresholdConfig {
	const choice = this.getNodeParameter('comparison', 'natural') as Comparison | 'natural';
	const comparison = choice === 'natural' ? NATURAL_COMPARISON[params.metric] : choice;
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const thresholds = this.getNodeParameter('thresholds', {}) as {
		levels?: Array<{ threshold?: number; name?: string }>;
	};
	// Byte thresholds are typed in the chosen unit but compared in bytes, the unit the API reports.
	const factor = usesBytes(params) ? BYTE_UNITS[params.byteUnit] : 1;
	const config: ThresholdConfig = {
		scope: scopeOf(params),
		comparison,
		levels: (thresholds.levels ?? []).map((level) => ({
			name: String(level.name ?? '').trim(),
			threshold: Number(level.threshold) * factor,
		})),
		notifyOnRecovery: options.notifyOnRecovery === true,
		repeatEveryHours: Number(options.repeatEveryHours ?? 0),
		recoveryMargin: Number(options.recoveryMargin ?? 0) * factor,
		consecutivePolls: Number(options.consecutivePolls ?? 1),
		fireOnFirstPoll: options.fireOnFirstPoll !== false,
	};
	const problems = configProblems(config, { levelsRequired: !manual });
	if (problems.length > 0) {
		throw new NodeOperationError(this.getNode(), problems[0], {
			description: `${problems.join('. ')}. Nothing was sent to UpCloud.`,
		});
	}
	return config;
}

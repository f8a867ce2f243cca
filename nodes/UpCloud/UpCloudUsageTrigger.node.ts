import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { deepCopy, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { normaliseParameters, showValue } from '../shared/coercion';
import { startPollRetryBudget } from '../shared/retry';
import type { ApiUserCache } from './apiUser';
import { rememberedApiUser } from './apiUser';
import { credentialsByAuthentication } from './descriptions/authentication';
import { usageTriggerProperties } from './descriptions/UsageTriggerDescription';
import type { CurrencyCache } from './metricReaders';
import type { ByteUnit, Comparison, ThresholdConfig, TriggerState } from './thresholds';
import { BYTE_UNITS, configProblems, describeReading, evaluate } from './thresholds';
import type { Metric, MetricParams } from './usageMetrics';
import { isProjection, metricSubtitle, naturalComparison, readMetric, scopeOf, usesParameter } from './usageMetrics';

// A manual run without levels shows the reading instead of failing; activation still requires a level.
const NO_LEVEL_HINT = 'This is the current reading: add a threshold level to alert on it';

/**
 * The static-data objects this process has evaluated a poll with. n8n loads a workflow afresh from its database at
 * every activation (start-up, re-activation, a new leader), so a static-data object not in here means the first
 * poll of an activation, whose saved state may miss a recovery n8n never saved. A per-process token could not see
 * a re-activation in the same process; weak, so a deactivated workflow's data is not kept alive.
 */
const POLLED_STATIC_DATA = new WeakSet<object>();

export class UpCloudUsageTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'UpCloud Usage Trigger',
		name: 'upCloudUsageTrigger',
		icon: { light: 'file:upcloud.svg', dark: 'file:upcloud.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: metricSubtitle,
		description:
			'Starts the workflow when UpCloud credits, credit runway, spend (so far or projected) or network transfer cross a threshold',
		defaults: { name: 'UpCloud Usage Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialsByAuthentication,
		properties: usageTriggerProperties,
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
		const apiUser = rememberedApiUser.call(this, stored.apiUser);
		const result = await readMetric.call(this, params, {
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

		const firstPollOfActivation = !manual && !POLLED_STATIC_DATA.has(staticData);
		const { items, state } = evaluate({ reading: result.reading, config, state: stored.state, now, manual, firstPollOfActivation });

		// Manual runs ("Fetch Test Event") must not move the alert state, nor anything else stored.
		if (!manual) {
			if (JSON.stringify(state) !== JSON.stringify(stored.state)) staticData.state = state as unknown as IDataObject;
			rememberLookups();
			POLLED_STATIC_DATA.add(staticData);
		}

		if (items.length === 0) return null;
		return [items.map((json) => ({ json: deepCopy(json) as IDataObject }))];
	}
}

/**
 * Option parameters must be one of their values (an expression giving "Above", the display name, is refused),
 * numbers finite, text text: the same declared-kind step as the UpCloud node, before anything is read or sent.
 */
function normaliseTriggerParameters(this: IPollFunctions): void {
	try {
		normaliseParameters(usageTriggerProperties, (name) => this.getNodeParameter(name, undefined));
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
	const minimumHours = isProjection(metric) ? Number(options.minimumHoursOfData ?? 24) : 0;
	if (!(minimumHours >= 0)) {
		throw new NodeOperationError(this.getNode(), 'Minimum Hours of Data must be 0 or more', {
			description: 'Enter how many hours of the month must pass before the projection alerts. Nothing was sent to UpCloud.',
		});
	}
	const resourceId = usesParameter(metric, 'resourceId') ? String(this.getNodeParameter('resourceId', '')) : '';
	if (usesParameter(metric, 'resourceId') && resourceId.trim() === '') {
		throw new NodeOperationError(this.getNode(), 'Resource ID is required for Resource Network Transfer', {
			description: 'Enter the UUID of the server or other resource to watch. Nothing was sent to UpCloud.',
		});
	}
	return {
		metric,
		creditsCurrency: String(this.getNodeParameter('creditsCurrency', 'auto')),
		spendCategory: String(this.getNodeParameter('spendCategory', 'total')),
		username: usesParameter(metric, 'username') ? String(this.getNodeParameter('username', '')) : '',
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
	const comparison = choice === 'natural' ? naturalComparison(params.metric) : choice;
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
		afterRestart: options.afterRestart === 'silent' ? 'silent' : 'repeatActive',
	};
	const problems = configProblems(config, { levelsRequired: !manual });
	if (problems.length > 0) {
		throw new NodeOperationError(this.getNode(), problems[0], {
			description: `${problems.join('. ')}. Nothing was sent to UpCloud.`,
		});
	}
	return config;
}

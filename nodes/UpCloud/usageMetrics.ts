import type { INodePropertyOptions, IPollFunctions } from 'n8n-workflow';

import type { MetricContext, MetricResult, ReaderParams } from './metricReaders';
import {
	readCreditRunway,
	readCredits,
	readMonthSpend,
	readMonthSpendForecast,
	readResourceTransfer,
	readTransferPool,
} from './metricReaders';
import type { Comparison } from './thresholds';

/**
 * The Usage Trigger's metric table: each metric once, with what the editor shows for it, the direction it
 * naturally alerts in, the reader that measures it, the parameters it uses and what makes up its scope. The
 * trigger's Metric options, its subtitle, natural comparison, readers and scope are all built from here.
 */

/** Parameters shown for some metrics only. */
type MetricParameter = 'creditsCurrency' | 'spendCategory' | 'username' | 'transferMeasure' | 'resourceId';

interface MetricSpec {
	/** The option's name in the editor (and the subtitle). */
	name: string;
	description: string;
	/** The "Metric's Natural Direction" comparison. */
	natural: Comparison;
	read: (this: IPollFunctions, params: ReaderParams, ctx: MetricContext) => Promise<MetricResult>;
	/** The parameters shown for this metric (besides the byte unit, which also depends on Measure). */
	parameters: readonly MetricParameter[];
	/** Projections alert only once Minimum Hours of Data have passed. */
	projection: boolean;
	/** What is watched besides the metric: a change here means the stored alert state no longer applies. */
	scope: (params: ReaderParams) => unknown[];
}

// What the spend metrics, and the credit metrics, share.
const SPEND = {
	parameters: ['spendCategory', 'username'],
	scope: (params: ReaderParams) => [params.spendCategory, params.username.trim()],
} satisfies Partial<MetricSpec>;
const CREDITS = { parameters: ['creditsCurrency'], scope: () => [] } satisfies Partial<MetricSpec>;

// In this order the metrics appear in each parameter's displayOptions.
export const METRICS = {
	credits: {
		name: 'Credits',
		description: 'Credit balance of the account (GET /account)',
		natural: 'below',
		read: readCredits,
		projection: false,
		...CREDITS,
	},
	monthSpend: {
		name: 'Month-to-Date Spend',
		description: 'Spend of the current month from the billing summary',
		natural: 'above',
		read: readMonthSpend,
		projection: false,
		...SPEND,
	},
	transferPool: {
		name: 'Network Transfer Pool',
		description: 'Bytes sent this month by the account, against its transfer pool',
		natural: 'above',
		read: readTransferPool,
		parameters: ['transferMeasure'],
		projection: false,
		scope: (params) => [params.transferMeasure],
	},
	resourceTransfer: {
		name: 'Resource Network Transfer',
		description: 'Bytes sent this month by one server or other resource',
		natural: 'above',
		read: readResourceTransfer,
		parameters: ['resourceId'],
		projection: false,
		scope: (params) => [params.resourceId.trim()],
	},
	monthSpendForecast: {
		name: 'Projected Month-End Spend',
		description: "This month's spend so far divided by the elapsed fraction of the month (UTC)",
		natural: 'above',
		read: readMonthSpendForecast,
		projection: true,
		...SPEND,
	},
	creditRunway: {
		name: 'Credit Runway (Days)',
		description:
			"Days until the credits run out at this month's daily spend (GET /account and the billing summary); for prepaid accounts",
		natural: 'below',
		read: readCreditRunway,
		projection: true,
		...CREDITS,
	},
} satisfies Record<string, MetricSpec>;

export type Metric = keyof typeof METRICS;

export interface MetricParams extends ReaderParams {
	metric: Metric;
}

const entries = Object.entries(METRICS) as Array<[Metric, MetricSpec]>;

/** The Metric parameter's options, sorted by name as the editor lists them. */
export const metricOptions: INodePropertyOptions[] = entries
	.map(([value, spec]) => ({ name: spec.name, value, description: spec.description }))
	.sort((a, b) => (a.name < b.name ? -1 : 1));

/** The node's subtitle: the chosen metric's name. */
export const metricSubtitle = `={{ ${JSON.stringify(Object.fromEntries(entries.map(([value, spec]) => [value, spec.name])))}[$parameter["metric"]] }}`;

/** The metrics a parameter is shown for, for its displayOptions. */
export function metricsUsing(parameter: MetricParameter): Metric[] {
	return entries.filter(([, spec]) => spec.parameters.includes(parameter)).map(([metric]) => metric);
}

/** The projections, for Minimum Hours of Data. */
export const PROJECTIONS: Metric[] = entries.filter(([, spec]) => spec.projection).map(([metric]) => metric);

export function usesParameter(metric: Metric, parameter: MetricParameter): boolean {
	return (METRICS[metric] as MetricSpec).parameters.includes(parameter);
}

export function isProjection(metric: Metric): boolean {
	return (METRICS[metric] as MetricSpec).projection;
}

export function naturalComparison(metric: Metric): Comparison {
	return (METRICS[metric] as MetricSpec).natural;
}

export async function readMetric(this: IPollFunctions, params: MetricParams, ctx: MetricContext): Promise<MetricResult> {
	return await (METRICS[params.metric] as MetricSpec).read.call(this, params, ctx);
}

/** What is being watched: a change here means the stored alert state no longer applies. */
export function scopeOf(params: MetricParams): string {
	return [params.metric, ...(METRICS[params.metric] as MetricSpec).scope(params)].join('|');
}

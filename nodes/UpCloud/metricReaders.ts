import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { toRfc3339Utc } from '../shared/dates';
import { creditsInCurrency, roundTo } from './amounts';
import { creditRunway, forecastSpend, forecastStatement, monthProgress, runwayStatement, tooEarly } from './forecast';
import type { ByteUnit, Reading } from './thresholds';
import { upCloudGet } from './transport';

/**
 * The Usage Trigger's readers, one per metric (usageMetrics.ts says which): each reads UpCloud and gives a Reading
 * for the threshold state machine, or says why there is none yet.
 */

/** Billing summary categories (its top-level keys) and how messages name them. */
const SPEND_CATEGORIES: Record<string, string> = {
	total: 'total',
	servers: 'servers',
	storages: 'storages',
	networks: 'networks',
	managed_databases: 'managed databases',
	managed_object_storages: 'managed object storages',
	managed_loadbalancers: 'managed load balancers',
	managed_kubernetes: 'managed Kubernetes',
	network_gateways: 'network gateways',
};

/** The trigger's parameters as the readers use them (the metric itself chose the reader). */
export interface ReaderParams {
	/** `auto` = read from GET /account/details/{username}. */
	creditsCurrency: string;
	spendCategory: string;
	/** Partner customer for monthSpend and monthSpendForecast; empty = own account. */
	username: string;
	transferMeasure: 'bytes' | 'percent';
	resourceId: string;
	byteUnit: ByteUnit;
	/** Projections alert only once this many hours of the month have passed ("Minimum Hours of Data"). */
	minimumHours: number;
}

/** The credits currency remembered in static data, so steady-state polls cost one request. */
export interface CurrencyCache {
	account: string;
	currency: string;
}

export interface MetricContext {
	/**
	 * The credential's API user: the account the other metrics describe. Free with Basic auth; with a token
	 * it costs one GET /account the first time, so readers ask only when they need it.
	 */
	apiUser: () => Promise<string>;
	now: Date;
	currencyCache: CurrencyCache | undefined;
}

export interface MetricResult {
	/** null when no value can be computed yet (see transferPool). */
	reading: Reading | null;
	/** Set when the credits currency was looked up this poll. */
	currencyCache?: CurrencyCache;
	/** Why `reading` is null, for manual mode. */
	skipped?: string;
	/**
	 * Why the reading must not be evaluated yet (a projection with too few hours of data): polls emit nothing
	 * and keep their state; a manual run shows the reading with this reason.
	 */
	withheld?: string;
}

/** A reading that always has a value: the ones the projections are computed from. */
type Measured = Reading & { value: number };

function yearMonth(date: Date): string {
	return date.toISOString().slice(0, 7);
}

function toNumber(value: unknown): number {
	const number = typeof value === 'string' ? Number(value) : (value as number);
	return typeof number === 'number' && Number.isFinite(number) ? number : NaN;
}

function object(value: unknown): IDataObject {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};
}

export async function readCredits(
	this: IPollFunctions,
	params: ReaderParams,
	ctx: MetricContext,
): Promise<MetricResult & { reading: Measured }> {
	const body = await upCloudGet.call(this, '/account');
	const account = object(body.account);
	const credits = toNumber(account.credits);
	if (Number.isNaN(credits)) throw new NodeOperationError(this.getNode(), 'GET /account returned no numeric "credits"');
	// Only a non-empty text is a username: {} would read "credits for [object Object]", "" /account/details/.
	const answered = typeof account.username === 'string' ? account.username.trim() : '';
	const username = answered || (await ctx.apiUser());
	if (typeof username !== 'string' || username.trim() === '') {
		throw new NodeOperationError(this.getNode(), 'UpCloud answered GET /account without a username', {
			description: 'The poll stopped and the alert state was kept as it was.',
		});
	}

	let currency = params.creditsCurrency;
	let currencyCache: CurrencyCache | undefined;
	if (currency === 'auto') {
		if (ctx.currencyCache?.account === username) {
			currency = ctx.currencyCache.currency;
		} else {
			// GET /account has no currency; the account details do. Looked up once, then remembered.
			const details = await upCloudGet.call(this, `/account/details/${encodeURIComponent(username)}`);
			currency = String(object(details.account).currency ?? '');
			currencyCache = { account: username, currency };
		}
	}

	return {
		currencyCache,
		reading: {
			metric: 'credits',
			value: creditsInCurrency(credits),
			unit: currency,
			format: { kind: 'money', currency },
			period: null,
			account: username,
			subject: `UpCloud credits for ${username}`,
			verb: 'are',
			raw: body,
		},
	};
}

export async function readMonthSpend(
	this: IPollFunctions,
	params: ReaderParams,
	ctx: MetricContext,
): Promise<MetricResult & { reading: Measured }> {
	const period = yearMonth(ctx.now);
	const customer = params.username.trim();
	const body = await upCloudGet.call(
		this,
		`/account/billing/summary/${encodeURIComponent(period)}`,
		customer ? { username: customer } : undefined,
	);
	const category = params.spendCategory;
	// Categories with no usage this month are absent from the summary: they cost 0.
	const amount = category === 'total' ? body.total_amount : object(body[category]).total_amount;
	const value = amount === undefined || amount === null ? 0 : toNumber(amount);
	if (Number.isNaN(value)) throw new NodeOperationError(this.getNode(), `The billing summary has no numeric total for "${category}"`);
	const currency = String(body.currency ?? '');
	const account = customer || (await ctx.apiUser());
	const what = category === 'total' ? 'spend' : `${SPEND_CATEGORIES[category] ?? category} spend`;
	return {
		reading: {
			metric: 'monthSpend',
			value: roundTo(value, 5),
			unit: currency,
			format: { kind: 'money', currency },
			period,
			// Month-to-date charges only grow within their month (see Reading.monotonic).
			monotonic: true,
			account,
			subject: `UpCloud ${what} for ${account} in ${period}`,
			verb: 'is',
			raw: body,
		},
	};
}

export async function readTransferPool(this: IPollFunctions, params: ReaderParams, ctx: MetricContext): Promise<MetricResult> {
	const body = await upCloudGet.call(this, '/account/current_network_usage');
	const usage = object(object(body.stats).current_network_usage);
	const sent = toNumber(usage.total_sent_bytes);
	if (Number.isNaN(sent)) throw new NodeOperationError(
			this.getNode(),
			'GET /account/current_network_usage returned no numeric "total_sent_bytes"',
		);
	// The pool counts from the start of the month of its last update, which may lag behind our clock
	// around midnight on the 1st: the reading belongs to that month.
	const updated = typeof usage.updated === 'string' ? new Date(usage.updated) : undefined;
	const period = yearMonth(updated && !Number.isNaN(updated.getTime()) ? updated : ctx.now);
	const apiUser = await ctx.apiUser();
	const base = {
		metric: 'transferPool',
		period,
		account: apiUser,
		subject: `UpCloud network transfer for ${apiUser} in ${period}`,
		verb: 'is' as const,
		raw: body,
	};
	if (params.transferMeasure === 'bytes') {
		// Bytes sent this month only grow; the percentage can fall when the quota grows, so it is not monotonic.
		return { reading: { ...base, value: sent, unit: 'bytes', format: { kind: 'bytes', unit: params.byteUnit }, monotonic: true } };
	}
	const quota = toNumber(usage.accumulated_quota_bytes);
	if (!(quota > 0)) {
		// Right after the month starts no quota has accrued yet, so no percentage exists: wait for the next poll.
		return { reading: null, skipped: 'The transfer pool has no accumulated quota yet, so no percentage can be computed' };
	}
	return {
		reading: {
			...base,
			value: roundTo((sent / quota) * 100, 4),
			unit: 'percent',
			format: { kind: 'percent', of: 'of the accumulated quota' },
		},
	};
}

export async function readResourceTransfer(
	this: IPollFunctions,
	params: ReaderParams,
	ctx: MetricContext,
): Promise<MetricResult> {
	const period = yearMonth(ctx.now);
	const resourceId = params.resourceId.trim();
	// No trailing slash, as UpCloud's generated client sends it (the docs show one).
	const body = await upCloudGet.call(this, '/account/resource_network_usage', {
		from: `${period}-01T00:00:00Z`,
		to: toRfc3339Utc(ctx.now),
		accumulate: 'day',
		resource_id: resourceId,
	});
	const stats = object(body.stats).stat;
	let sent = 0;
	for (const stat of Array.isArray(stats) ? stats : []) {
		// sent_bytes may be null for days without traffic.
		const bytes = toNumber(object(stat).sent_bytes);
		if (!Number.isNaN(bytes)) sent += bytes;
	}
	const apiUser = await ctx.apiUser();
	return {
		reading: {
			metric: 'resourceTransfer',
			value: sent,
			unit: 'bytes',
			format: { kind: 'bytes', unit: params.byteUnit },
			period,
			// Summed from the 1st of the month to now: it only grows within the month.
			monotonic: true,
			account: apiUser,
			subject: `Network transfer sent by UpCloud resource ${resourceId} (${apiUser}) in ${period}`,
			verb: 'is',
			raw: body,
		},
	};
}

// A projection needs some time of the month behind it; at 00:00:00.000 UTC on the 1st there is none.
const MONTH_JUST_BEGUN = 'The month has only just begun, so there is nothing to project from yet';

export async function readMonthSpendForecast(
	this: IPollFunctions,
	params: ReaderParams,
	ctx: MetricContext,
): Promise<MetricResult> {
	const progress = monthProgress(ctx.now);
	if (!(progress.elapsedHours > 0)) return { reading: null, skipped: MONTH_JUST_BEGUN };
	const { reading: spend } = await readMonthSpend.call(this, params, ctx);
	const forecast = forecastSpend(spend.value, progress);
	return {
		withheld: tooEarly(progress, params.minimumHours),
		reading: {
			...spend,
			metric: 'monthSpendForecast',
			value: forecast.forecast,
			fields: { monthToDate: forecast.monthToDate, elapsedFraction: forecast.elapsedFraction, currency: spend.unit },
			statement: forecastStatement(spend.subject, spend.unit, forecast),
		},
	};
}

export async function readCreditRunway(this: IPollFunctions, params: ReaderParams, ctx: MetricContext): Promise<MetricResult> {
	const progress = monthProgress(ctx.now);
	if (!(progress.elapsedHours > 0)) return { reading: null, skipped: MONTH_JUST_BEGUN };
	const { reading: credits, currencyCache } = await readCredits.call(this, params, ctx);
	// The burn is the whole account's: the total of the credential's own account, whatever the Category field says.
	// GET /account already named the account, so a token needs no name lookup for it.
	const { reading: spend } = await readMonthSpend.call(
		this,
		{ ...params, spendCategory: 'total', username: '' },
		{ ...ctx, apiUser: async () => credits.account },
	);
	const runway = creditRunway(credits.value, spend.value, progress, ctx.now);
	const currency = credits.unit || spend.unit;
	return {
		currencyCache,
		withheld: tooEarly(progress, params.minimumHours),
		reading: {
			metric: 'creditRunway',
			value: runway.days,
			unit: 'days',
			fields: { credits: runway.credits, dailyBurn: runway.dailyBurn, currency, runsOutAt: runway.runsOutAt },
			format: { kind: 'days' },
			period: null,
			account: credits.account,
			subject: credits.subject,
			verb: credits.verb,
			statement: runwayStatement(credits.subject, currency, runway),
			raw: { account: credits.raw, billingSummary: spend.raw },
		},
	};
}

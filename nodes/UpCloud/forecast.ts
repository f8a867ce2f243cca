/**
 * The arithmetic of the Usage Trigger's projected metrics, Projected Month-End Spend and Credit Runway: month
 * progress, forecast, daily burn, runway and their sentences. Pure: no I/O, and `now` is always passed in.
 *
 * The billing month is UTC, so a month is 24 × its days hours long (no DST). Elapsed time is counted in exact
 * hours since 00:00 UTC on the 1st, not rounded to whole hours: UpCloud deducts hourly, but neither its docs nor the
 * billing summary say whether the running hour is already in the month-to-date total.
 */

import { roundTo } from './amounts';
import type { ValueFormat } from './thresholds';
import { formatValue } from './thresholds';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
// The last instant a JavaScript Date can hold: a runway beyond it has no date to run out at.
const MAX_DATE_MS = 8.64e15;

export interface MonthProgress {
	/** YYYY-MM of the UTC month `now` is in. */
	period: string;
	/** Exact hours since 00:00 UTC on the 1st. */
	elapsedHours: number;
	/** Hours in the month: 672, 696, 720 or 744. */
	monthHours: number;
}

export interface SpendForecast {
	/** Month-to-date spend divided by the elapsed fraction of the month. */
	forecast: number;
	monthToDate: number;
	/** elapsedHours / monthHours, 0–1. */
	elapsedFraction: number;
}

export interface CreditRunway {
	/** Days the credits last at this month's rate; null when nothing was spent yet (unlimited). */
	days: number | null;
	/** In currency units. */
	credits: number;
	/** Month-to-date spend per elapsed day (elapsed hours / 24). */
	dailyBurn: number;
	/** ISO date-time, now + runway; null when the runway is unlimited. */
	runsOutAt: string | null;
}

/** At most one decimal, none when it is 0: "25", "3.2", "5.5". */
function oneDecimal(value: number): string {
	return String(Number(value.toFixed(1)));
}

export function monthProgress(now: Date): MonthProgress {
	const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
	const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
	return {
		period: now.toISOString().slice(0, 7),
		elapsedHours: (now.getTime() - start) / HOUR_MS,
		monthHours: (end - start) / HOUR_MS,
	};
}

/** Why a projection must not alert yet: fewer than `minimumHours` of the month have passed. Undefined when it may. */
export function tooEarly(progress: MonthProgress, minimumHours: number): string | undefined {
	if (progress.elapsedHours >= minimumHours) return undefined;
	return (
		`Only ${oneDecimal(progress.elapsedHours)} hours of ${progress.period} have passed, fewer than the ` +
		`${minimumHours} of Minimum Hours of Data: polls emit nothing until then; the value is what they would compute now`
	);
}

/** Month-end spend at this month's rate. Needs elapsedHours > 0. */
export function forecastSpend(monthToDate: number, progress: MonthProgress): SpendForecast {
	const fraction = progress.elapsedHours / progress.monthHours;
	return {
		forecast: roundTo(monthToDate / fraction, 5),
		monthToDate,
		elapsedFraction: roundTo(fraction, 6),
	};
}

/**
 * Days until the credits run out at this month's daily burn. Credits at or below 0 have run out (0 days), even
 * with no spend yet; otherwise no spend means an unlimited runway. Needs elapsedHours > 0.
 */
export function creditRunway(credits: number, monthToDate: number, progress: MonthProgress, now: Date): CreditRunway {
	const burn = monthToDate / (progress.elapsedHours / 24);
	const dailyBurn = roundTo(Math.max(burn, 0), 5);
	if (credits <= 0) return { days: 0, credits, dailyBurn, runsOutAt: now.toISOString() };
	if (!(burn > 0)) return { days: null, credits, dailyBurn, runsOutAt: null };
	const days = credits / burn;
	const runsOutMs = now.getTime() + days * DAY_MS;
	return {
		days: roundTo(days, 4),
		credits,
		dailyBurn,
		runsOutAt: runsOutMs < MAX_DATE_MS ? new Date(Math.round(runsOutMs)).toISOString() : null,
	};
}

/** "UpCloud spend for acme in 2026-12 is projected at 412.30 EUR by month end (103.08 EUR so far, 25% of the month)". */
export function forecastStatement(subject: string, currency: string, forecast: SpendForecast): string {
	const money: ValueFormat = { kind: 'money', currency };
	return (
		`${subject} is projected at ${formatValue(money, forecast.forecast)} by month end ` +
		`(${formatValue(money, forecast.monthToDate)} so far, ${oneDecimal(forecast.elapsedFraction * 100)}% of the month)`
	);
}

/** To the minute, rounded: "2026-12-06T03:00Z". */
function toMinute(iso: string): string {
	return new Date(Math.round(Date.parse(iso) / 60_000) * 60_000).toISOString().slice(0, 16) + 'Z';
}

/**
 * "UpCloud credits for acme last 4.2 days at this month's rate (42.10 EUR left, 10.02 EUR/day, running out around
 * 2026-12-06T03:00Z)"; "… last indefinitely (42.10 EUR left, no spend yet this month)" for an unlimited runway.
 */
export function runwayStatement(subject: string, currency: string, runway: CreditRunway): string {
	const money: ValueFormat = { kind: 'money', currency };
	const left = `${formatValue(money, runway.credits)} left`;
	if (runway.days === null) return `${subject} last indefinitely (${left}, no spend yet this month)`;
	const days = formatValue({ kind: 'days' }, runway.days);
	const burn = `${formatValue(money, runway.dailyBurn)}/day`;
	if (runway.credits <= 0) return `${subject} last ${days} (${left}, ${burn}: the credits have run out)`;
	const when = runway.runsOutAt === null ? '' : `, running out around ${toMinute(runway.runsOutAt)}`;
	return `${subject} last ${days} at this month's rate (${left}, ${burn}${when})`;
}

import type { CreditRunway } from '../../../nodes/UpCloud/forecast';
import {
	creditRunway,
	forecastSpend,
	forecastStatement,
	monthProgress,
	runwayStatement,
	tooEarly,
} from '../../../nodes/UpCloud/forecast';

const at = (iso: string) => new Date(iso);

describe('monthProgress (UTC, exact hours)', () => {
	it('counts the first hour of the month in fractions of an hour', () => {
		expect(monthProgress(at('2026-12-01T00:30:00.000Z'))).toEqual({ period: '2026-12', elapsedHours: 0.5, monthHours: 744 });
		expect(monthProgress(at('2026-12-01T00:00:36.000Z')).elapsedHours).toBeCloseTo(0.01, 10);
	});

	it.each([
		['28-day month', '2027-02-28T23:30:00.000Z', '2027-02', 672],
		['29-day month', '2028-02-29T23:30:00.000Z', '2028-02', 696],
		['30-day month', '2026-11-30T23:30:00.000Z', '2026-11', 720],
		['31-day month', '2026-12-31T23:30:00.000Z', '2026-12', 744],
	])('knows the length of a %s, up to its last hour', (_, now, period, monthHours) => {
		expect(monthProgress(at(now))).toEqual({ period, elapsedHours: monthHours - 0.5, monthHours });
	});

	it('ignores the time zone of the machine: the month starts at 00:00 UTC', () => {
		expect(monthProgress(at('2026-12-31T23:59:59.999+00:00')).period).toBe('2026-12');
		// 00:00:00.001 at UTC+1 is 23:00:00.001 UTC on the 31st.
		expect(monthProgress(at('2027-01-01T00:00:00.001+01:00'))).toMatchObject({ period: '2026-12', elapsedHours: 743 + 1 / 3_600_000 });
	});
});

describe('tooEarly (Minimum Hours of Data)', () => {
	it('withholds a projection in the first hour, saying how far the month is', () => {
		expect(tooEarly(monthProgress(at('2026-12-01T00:30:00.000Z')), 24)).toBe(
			'Only 0.5 hours of 2026-12 have passed, fewer than the 24 of Minimum Hours of Data: polls emit nothing until then; the value is what they would compute now',
		);
	});

	it('lets it through exactly at the minimum hours, and not a millisecond before', () => {
		expect(tooEarly(monthProgress(at('2026-12-02T00:00:00.000Z')), 24)).toBeUndefined();
		expect(tooEarly(monthProgress(at('2026-12-01T23:59:59.999Z')), 24)).toMatch(/^Only 24 hours of 2026-12 have passed, fewer than the 24 /);
		expect(tooEarly(monthProgress(at('2026-12-01T12:00:00.000Z')), 12)).toBeUndefined();
	});

	it('waits for nothing at 0 hours', () => {
		expect(tooEarly(monthProgress(at('2026-12-01T00:00:01.000Z')), 0)).toBeUndefined();
	});
});

describe('forecastSpend', () => {
	it('divides the month-to-date spend by the elapsed fraction of the month', () => {
		// 186 of 744 hours: a quarter of December.
		expect(forecastSpend(103.08, monthProgress(at('2026-12-08T18:00:00.000Z')))).toEqual({
			forecast: 412.32,
			monthToDate: 103.08,
			elapsedFraction: 0.25,
		});
	});

	it('projects from the first hour (noisy: that is what Minimum Hours of Data is for)', () => {
		expect(forecastSpend(0.5, monthProgress(at('2026-12-01T00:30:00.000Z')))).toEqual({
			forecast: 744,
			monthToDate: 0.5,
			elapsedFraction: 0.000672,
		});
	});

	it.each([
		['2027-02-28T23:30:00.000Z', 100.07446, 0.999256],
		['2028-02-29T23:30:00.000Z', 100.07189, 0.999282],
		['2026-11-30T23:30:00.000Z', 100.06949, 0.999306],
		['2026-12-31T23:30:00.000Z', 100.06725, 0.999328],
	])('in the last hour of the month (%s) is just above the spend so far', (now, forecast, elapsedFraction) => {
		expect(forecastSpend(100, monthProgress(at(now)))).toEqual({ forecast, monthToDate: 100, elapsedFraction });
	});

	it('projects 0 from no spend, as for a category with no usage (absent from the summary, read as 0)', () => {
		expect(forecastSpend(0, monthProgress(at('2026-12-15T00:00:00.000Z')))).toEqual({
			forecast: 0,
			monthToDate: 0,
			elapsedFraction: 0.451613,
		});
	});
});

describe('creditRunway', () => {
	// 240 hours into December: 10 elapsed days.
	const tenDays = at('2026-12-11T00:00:00.000Z');
	const progress = monthProgress(tenDays);

	it('divides the credits by the daily burn (month-to-date spend per elapsed day) and dates the end', () => {
		expect(creditRunway(42.1, 100.2, progress, tenDays)).toEqual({
			days: 4.2016,
			credits: 42.1,
			dailyBurn: 10.02,
			runsOutAt: '2026-12-15T04:50:17.964Z',
		});
	});

	it('counts elapsed days in hours / 24, also in the first hour', () => {
		const now = at('2026-12-01T00:30:00.000Z');
		// 0.5 EUR in half an hour is 24 EUR a day.
		expect(creditRunway(12, 0.5, monthProgress(now), now)).toEqual({
			days: 0.5,
			credits: 12,
			dailyBurn: 24,
			runsOutAt: '2026-12-01T12:30:00.000Z',
		});
	});

	it.each([
		['28-day', '2027-02-28T23:00:00.000Z', 671],
		['29-day', '2028-02-29T23:00:00.000Z', 695],
		['30-day', '2026-11-30T23:00:00.000Z', 719],
		['31-day', '2026-12-31T23:00:00.000Z', 743],
	])('in the last hour of a %s month burns the spend over all its elapsed hours', (_, iso, hours) => {
		const now = at(iso);
		const runway = creditRunway(10, hours, monthProgress(now), now);
		// `hours` EUR over `hours` hours: 24 EUR a day, so 10 EUR last 10 hours.
		expect(runway).toEqual({ days: 0.4167, credits: 10, dailyBurn: 24, runsOutAt: new Date(now.getTime() + 10 * 3_600_000).toISOString() });
	});

	it('is 0 days when the credits are 0 or negative: they have run out now', () => {
		expect(creditRunway(0, 100.2, progress, tenDays)).toEqual({ days: 0, credits: 0, dailyBurn: 10.02, runsOutAt: '2026-12-11T00:00:00.000Z' });
		expect(creditRunway(-3.5, 100.2, progress, tenDays)).toEqual({ days: 0, credits: -3.5, dailyBurn: 10.02, runsOutAt: '2026-12-11T00:00:00.000Z' });
	});

	it('is unlimited (null) with no spend yet, but 0 days when the credits are gone anyway', () => {
		expect(creditRunway(42.1, 0, progress, tenDays)).toEqual({ days: null, credits: 42.1, dailyBurn: 0, runsOutAt: null });
		expect(creditRunway(0, 0, progress, tenDays)).toEqual({ days: 0, credits: 0, dailyBurn: 0, runsOutAt: '2026-12-11T00:00:00.000Z' });
	});

	it('has no date to run out at when the runway is beyond what a date can hold', () => {
		expect(creditRunway(1e12, 1e-9, progress, tenDays)).toMatchObject({ runsOutAt: null, dailyBurn: 0 });
	});
});

describe('sentences', () => {
	it('says the forecast with two decimals and the elapsed month with at most one', () => {
		const progress = monthProgress(at('2026-12-08T18:00:00.000Z'));
		expect(forecastStatement('UpCloud spend for acme in 2026-12', 'EUR', forecastSpend(103.08, progress))).toBe(
			'UpCloud spend for acme in 2026-12 is projected at 412.32 EUR by month end (103.08 EUR so far, 25% of the month)',
		);
		// 24 of 744 hours is 3.2258%; 2/3 of the month is 66.67%.
		expect(
			forecastStatement('UpCloud servers spend for acme in 2026-12', 'USD', forecastSpend(1.005, monthProgress(at('2026-12-02T00:00:00.000Z')))),
		).toBe('UpCloud servers spend for acme in 2026-12 is projected at 31.16 USD by month end (1.00 USD so far, 3.2% of the month)');
		expect(forecastStatement('S', 'EUR', forecastSpend(2, monthProgress(at('2026-12-21T16:00:00.000Z'))))).toBe(
			'S is projected at 3.00 EUR by month end (2.00 EUR so far, 66.7% of the month)',
		);
	});

	const runway = (overrides: Partial<CreditRunway>): CreditRunway => ({
		days: 4.2016,
		credits: 42.1,
		dailyBurn: 10.02,
		runsOutAt: '2026-12-15T04:50:17.964Z',
		...overrides,
	});

	it('says the runway in days with one decimal and the end to the minute', () => {
		expect(runwayStatement('UpCloud credits for acme', 'EUR', runway({}))).toBe(
			"UpCloud credits for acme last 4.2 days at this month's rate (42.10 EUR left, 10.02 EUR/day, running out around 2026-12-15T04:50Z)",
		);
		expect(runwayStatement('C', 'EUR', runway({ days: 4.25, dailyBurn: 9.996, runsOutAt: '2026-12-06T02:59:30.000Z' }))).toBe(
			"C last 4.3 days at this month's rate (42.10 EUR left, 10.00 EUR/day, running out around 2026-12-06T03:00Z)",
		);
		expect(runwayStatement('C', 'EUR', runway({ runsOutAt: '2026-12-06T02:59:29.999Z' }))).toMatch(/around 2026-12-06T02:59Z\)$/);
	});

	it('says when the credits have run out, and when no spend makes the runway unlimited', () => {
		expect(runwayStatement('C', 'EUR', runway({ days: 0, credits: -3.5, runsOutAt: '2026-12-11T00:00:00.000Z' }))).toBe(
			'C last 0.0 days (-3.50 EUR left, 10.02 EUR/day: the credits have run out)',
		);
		expect(runwayStatement('C', 'EUR', runway({ days: null, dailyBurn: 0, runsOutAt: null }))).toBe(
			'C last indefinitely (42.10 EUR left, no spend yet this month)',
		);
		expect(runwayStatement('C', 'EUR', runway({ days: 1e15, runsOutAt: null }))).toBe(
			"C last 1000000000000000.0 days at this month's rate (42.10 EUR left, 10.02 EUR/day)",
		);
	});
});

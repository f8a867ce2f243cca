import type {
	AlertItem,
	Reading,
	ThresholdConfig,
	TriggerState,
} from '../../../nodes/UpCloud/thresholds';
import {
	breaches,
	configProblems,
	describeReading,
	evaluate,
	formatThreshold,
	formatValue,
	recovers,
} from '../../../nodes/UpCloud/thresholds';

const HOUR = 3_600_000;
const T0 = Date.parse('2024-05-10T12:00:00.000Z');
const at = (hours: number) => new Date(T0 + Math.round(hours * HOUR));

/** A credits reading for account acme, in EUR (credits are not monthly: period null). */
function credits(value: number): Reading {
	return {
		metric: 'credits',
		value,
		unit: 'EUR',
		format: { kind: 'money', currency: 'EUR' },
		period: null,
		account: 'acme',
		subject: 'UpCloud credits for acme',
		verb: 'are',
		raw: { account: { credits: value * 100, username: 'acme' } },
	};
}

/** A month-to-date spend reading for the given YYYY-MM. */
function spend(value: number, period: string): Reading {
	return {
		metric: 'monthSpend',
		value,
		unit: 'EUR',
		format: { kind: 'money', currency: 'EUR' },
		period,
		account: 'acme',
		subject: `UpCloud spend for acme in ${period}`,
		verb: 'is',
		raw: { currency: 'EUR', total_amount: value },
	};
}

function config(overrides: Partial<ThresholdConfig> = {}): ThresholdConfig {
	return {
		scope: 'credits',
		comparison: 'below',
		levels: [{ name: '', threshold: 50 }],
		notifyOnRecovery: false,
		repeatEveryHours: 0,
		recoveryMargin: 0,
		consecutivePolls: 1,
		fireOnFirstPoll: true,
		afterRestart: 'repeatActive',
		...overrides,
	};
}

const SPEND = (overrides: Partial<ThresholdConfig> = {}) =>
	config({ scope: 'monthSpend|total|', comparison: 'above', levels: [{ name: '', threshold: 100 }], ...overrides });

/**
 * Feeds readings one per poll (poll i at T0 + i hours unless `times` says otherwise), carrying the
 * state from each poll to the next, and returns "poll state level previousState" per item.
 */
function run(
	readings: Reading[],
	cfg: ThresholdConfig,
	options: { state?: TriggerState; times?: number[] } = {},
): { fired: string[]; items: AlertItem[][]; state: TriggerState | undefined } {
	let state = options.state;
	const fired: string[] = [];
	const items: AlertItem[][] = [];
	readings.forEach((reading, poll) => {
		const result = evaluate({ reading, config: cfg, state, now: at(options.times?.[poll] ?? poll) });
		state = result.state;
		items.push(result.items);
		for (const item of result.items) fired.push(`${poll} ${item.state} ${item.level} ${item.previousState}`);
	});
	return { fired, items, state };
}

describe('comparisons', () => {
	it('fires strictly above or below: a value equal to the threshold does not count', () => {
		expect(breaches('above', 100, 100)).toBe(false);
		expect(breaches('above', 100, 100.01)).toBe(true);
		expect(breaches('below', 50, 50)).toBe(false);
		expect(breaches('below', 50, 49.99)).toBe(true);
	});

	it('recovers once back past the threshold by the margin', () => {
		expect(recovers('above', 100, 0, 100)).toBe(true);
		expect(recovers('above', 100, 10, 90.01)).toBe(false);
		expect(recovers('above', 100, 10, 90)).toBe(true);
		expect(recovers('below', 50, 5, 54.99)).toBe(false);
		expect(recovers('below', 50, 5, 55)).toBe(true);
	});
});

describe('an alerting item', () => {
	it('describes itself completely, with the ready message', () => {
		const { items, state } = evaluate({ reading: credits(42.1), config: config(), state: undefined, now: at(0) });
		expect(items).toEqual([
			{
				metric: 'credits',
				level: '50 EUR',
				threshold: 50,
				comparison: 'below',
				value: 42.1,
				unit: 'EUR',
				state: 'alerting',
				previousState: 'unknown',
				period: null,
				observedAt: '2024-05-10T12:00:00.000Z',
				account: 'acme',
				message: 'UpCloud credits for acme are 42.10 EUR, below the 50 EUR threshold',
				raw: { account: { credits: 4210, username: 'acme' } },
			},
		]);
		expect(state).toEqual({
			version: 1,
			scope: 'credits',
			period: null,
			levels: {
				'below:50': {
					status: 'alarm',
					pending: 0,
					since: '2024-05-10T12:00:00.000Z',
					lastNotifiedAt: '2024-05-10T12:00:00.000Z',
				},
			},
		});
	});

	it('uses the level name when one is given', () => {
		const { items } = evaluate({
			reading: credits(10),
			config: config({ levels: [{ name: 'critical', threshold: 20 }] }),
			state: undefined,
			now: at(0),
		});
		expect(items.map((item) => [item.level, item.threshold])).toEqual([['critical', 20]]);
	});
});

describe('transitions of one level', () => {
	it('fires once on crossing, stays quiet while crossed, re-arms when back to normal', () => {
		const { fired, state } = run([60, 55, 45, 40, 30, 50, 49, 48].map(credits), config());
		expect(fired).toEqual(['2 alerting 50 EUR ok', '6 alerting 50 EUR ok']);
		expect(state?.levels['below:50'].status).toBe('alarm');
	});

	it('does not emit anything when returning to normal unless asked to', () => {
		const { fired } = run([40, 60].map(credits), config());
		expect(fired).toEqual(['0 alerting 50 EUR unknown']);
	});

	it('emits a resolved item on recovery with Also Notify on Recovery', () => {
		const { fired, items } = run([40, 45, 60, 70, 40].map(credits), config({ notifyOnRecovery: true }));
		expect(fired).toEqual(['0 alerting 50 EUR unknown', '2 resolved 50 EUR alarm', '4 alerting 50 EUR ok']);
		expect(items[2][0].message).toBe('Resolved: UpCloud credits for acme are 60.00 EUR, no longer below the 50 EUR threshold');
		expect(items[2][0].observedAt).toBe('2024-05-10T14:00:00.000Z');
	});

	it('does not treat a value equal to the threshold as crossed', () => {
		const { fired } = run([50, 50, 49.99, 50].map(credits), config({ notifyOnRecovery: true }));
		expect(fired).toEqual(['2 alerting 50 EUR ok', '3 resolved 50 EUR alarm']);
	});
});

describe('Repeat Every (Hours)', () => {
	it('never repeats by default', () => {
		const { fired } = run(Array.from({ length: 30 }, () => credits(10)), config());
		expect(fired).toEqual(['0 alerting 50 EUR unknown']);
	});

	it('reminds every N hours while in alarm, counted from the last notification', () => {
		const { fired, items } = run(
			Array.from({ length: 13 }, () => credits(10)),
			config({ repeatEveryHours: 4 }),
		);
		expect(fired).toEqual([
			'0 alerting 50 EUR unknown',
			'4 reminder 50 EUR alarm',
			'8 reminder 50 EUR alarm',
			'12 reminder 50 EUR alarm',
		]);
		expect(items[4][0].message).toBe(
			'Reminder: UpCloud credits for acme are 10.00 EUR, still below the 50 EUR threshold (alerting since 2024-05-10T12:00:00.000Z)',
		);
	});

	it('tolerates up to a minute of polling jitter, not more', () => {
		const minutes = (m: number) => m / 60;
		const { fired } = run([10, 10, 10, 10].map(credits), config({ repeatEveryHours: 1 }), {
			times: [0, minutes(59), minutes(59) + minutes(58.9), minutes(59) + minutes(59)],
		});
		// 59 min after the alert: within a minute of the hour, so due. Then 58.9 min later: not due; 59 min: due.
		expect(fired).toEqual(['0 alerting 50 EUR unknown', '1 reminder 50 EUR alarm', '3 reminder 50 EUR alarm']);
	});

	it('stops reminding after recovery and starts over with the next alarm', () => {
		const { fired } = run(
			[10, 10, 10, 60, 10, 10, 10].map(credits),
			config({ repeatEveryHours: 2, notifyOnRecovery: true }),
		);
		expect(fired).toEqual([
			'0 alerting 50 EUR unknown',
			'2 reminder 50 EUR alarm',
			'3 resolved 50 EUR alarm',
			'4 alerting 50 EUR ok',
			'6 reminder 50 EUR alarm',
		]);
	});
});

describe('Recovery Margin', () => {
	it('keeps an above-alarm until the value is at or below threshold minus margin', () => {
		const { fired } = run(
			[105, 95, 101, 91, 90, 99, 101].map((v) => spend(v, '2024-05')),
			SPEND({ recoveryMargin: 10, notifyOnRecovery: true }),
		);
		expect(fired).toEqual(['0 alerting 100 EUR unknown', '4 resolved 100 EUR alarm', '6 alerting 100 EUR ok']);
	});

	it('keeps a below-alarm until the value is at or above threshold plus margin', () => {
		const { fired } = run([40, 52, 49, 54.99, 55, 49].map(credits), config({ recoveryMargin: 5, notifyOnRecovery: true }));
		expect(fired).toEqual(['0 alerting 50 EUR unknown', '4 resolved 50 EUR alarm', '5 alerting 50 EUR ok']);
	});

	it('says so when reminding inside the margin', () => {
		const { items } = run([105, 95].map((v) => spend(v, '2024-05')), SPEND({ recoveryMargin: 10, repeatEveryHours: 1 }));
		expect(items[1].map((item) => [item.state, item.message])).toEqual([
			[
				'reminder',
				'Reminder: UpCloud spend for acme in 2024-05 is 95.00 EUR, still within the 10 EUR recovery margin of the 100 EUR threshold (alerting since 2024-05-10T12:00:00.000Z)',
			],
		]);
	});
});

describe('Consecutive Polls', () => {
	it('fires only after N polls in a row past the threshold; a normal poll restarts the count', () => {
		const { fired, items } = run(
			[40, 40, 60, 40, 40, 40, 40].map(credits),
			config({ consecutivePolls: 3 }),
		);
		expect(fired).toEqual(['5 alerting 50 EUR ok']);
		expect(items[5][0].observedAt).toBe('2024-05-10T17:00:00.000Z');
	});

	it('counts from the first poll when the state is unknown', () => {
		const { fired, state } = run([40, 40].map(credits), config({ consecutivePolls: 2 }));
		expect(fired).toEqual(['1 alerting 50 EUR ok']);
		expect(state?.levels['below:50']).toEqual({
			status: 'alarm',
			pending: 0,
			since: '2024-05-10T13:00:00.000Z',
			lastNotifiedAt: '2024-05-10T13:00:00.000Z',
		});
	});

	it('stores the pending count between polls', () => {
		const { state } = run([40].map(credits), config({ consecutivePolls: 3 }));
		expect(state?.levels['below:50']).toEqual({
			status: 'ok',
			pending: 1,
			since: '2024-05-10T12:00:00.000Z',
			lastNotifiedAt: null,
		});
	});

	it('does not delay recovery', () => {
		const { fired } = run([40, 40, 60].map(credits), config({ consecutivePolls: 2, notifyOnRecovery: true }));
		expect(fired).toEqual(['1 alerting 50 EUR ok', '2 resolved 50 EUR alarm']);
	});
});

describe('Fire If Already Crossed on First Poll', () => {
	it('fires once for an already crossed level by default', () => {
		const { fired } = run([40, 40, 40].map(credits), config());
		expect(fired).toEqual(['0 alerting 50 EUR unknown']);
	});

	it('when off, adopts the alarm silently: no reminder, no resolved, fires on the next crossing', () => {
		const { fired, items } = run(
			[40, 40, 40, 60, 40].map(credits),
			config({ fireOnFirstPoll: false, repeatEveryHours: 1, notifyOnRecovery: true }),
		);
		expect(fired).toEqual(['4 alerting 50 EUR ok']);
		expect(items.slice(0, 4)).toEqual([[], [], [], []]);
	});

	it('when off, still fires for a level that was not crossed at first', () => {
		const { fired } = run([60, 40].map(credits), config({ fireOnFirstPoll: false }));
		expect(fired).toEqual(['1 alerting 50 EUR ok']);
	});
});

describe('several levels', () => {
	const levels = [
		{ name: 'warning', threshold: 50 },
		{ name: 'critical', threshold: 80 },
		{ name: 'budget', threshold: 100 },
	];

	it('keeps one state per level and fires each once when crossed', () => {
		const { fired } = run(
			[60, 90, 120, 70, 85, 40].map((v) => spend(v, '2024-05')),
			SPEND({ levels, notifyOnRecovery: true }),
		);
		expect(fired).toEqual([
			'0 alerting warning unknown',
			'1 alerting critical ok',
			'2 alerting budget ok',
			'3 resolved critical alarm',
			'3 resolved budget alarm',
			'4 alerting critical ok',
			'5 resolved warning alarm',
			'5 resolved critical alarm',
		]);
	});

	it('fires every crossed level when one jump crosses several', () => {
		const { items } = run([spend(130, '2024-05')], SPEND({ levels }));
		expect(items[0].map((item) => item.message)).toEqual([
			'UpCloud spend for acme in 2024-05 is 130.00 EUR, above the 50 EUR threshold',
			'UpCloud spend for acme in 2024-05 is 130.00 EUR, above the 80 EUR threshold',
			'UpCloud spend for acme in 2024-05 is 130.00 EUR, above the 100 EUR threshold',
		]);
	});

	it('treats an edited threshold as a new level and forgets removed ones', () => {
		const first = run([spend(90, '2024-05')], SPEND({ levels: levels.slice(0, 2) }));
		const edited = SPEND({ levels: [levels[0], { name: 'critical', threshold: 85 }] });
		const { fired, state } = run([spend(90, '2024-05'), spend(90, '2024-05')], edited, { state: first.state });
		expect(fired).toEqual(['0 alerting critical unknown']);
		expect(Object.keys(state!.levels)).toEqual(['above:50', 'above:85']);
	});
});

describe('month rollover', () => {
	it('re-arms every level of a monthly metric when the period changes, without resolved items', () => {
		const { fired, state } = run(
			[spend(120, '2024-05'), spend(130, '2024-05'), spend(5, '2024-06'), spend(101, '2024-06')],
			SPEND({ notifyOnRecovery: true, repeatEveryHours: 24 }),
		);
		expect(fired).toEqual(['0 alerting 100 EUR unknown', '3 alerting 100 EUR ok']);
		expect(state?.period).toBe('2024-06');
	});

	it('fires in the new period even if already crossed at its first poll, whatever the first-poll option', () => {
		const { fired, items } = run(
			[spend(120, '2024-05'), spend(110, '2024-06')],
			SPEND({ fireOnFirstPoll: false }),
		);
		expect(fired).toEqual(['1 alerting 100 EUR ok']);
		expect(items[1][0].period).toBe('2024-06');
	});

	it('never resets a metric without a period', () => {
		const { fired } = run([40, 40].map(credits), config(), {
			state: {
				version: 1,
				scope: 'credits',
				period: null,
				levels: { 'below:50': { status: 'alarm', pending: 0, since: 'x', lastNotifiedAt: 'x' } },
			},
		});
		expect(fired).toEqual([]);
	});
});

describe('lost or foreign state', () => {
	const levels = [
		{ name: 'warning', threshold: 50 },
		{ name: 'critical', threshold: 80 },
		{ name: 'budget', threshold: 100 },
	];
	const inAlarm = (): TriggerState => run([spend(150, '2024-05')], SPEND({ levels })).state!;

	it.each([
		['no state', undefined],
		['an empty object', {} as TriggerState],
		['another version', { ...inAlarm(), version: 2 } as unknown as TriggerState],
		['another scope', { ...inAlarm(), scope: 'monthSpend|servers|' }],
	])('after %s, emits at most one item per level and then nothing', (_label, state) => {
		const readings = Array.from({ length: 10 }, () => spend(150, '2024-05'));
		const { fired } = run(readings, SPEND({ levels, repeatEveryHours: 0 }), { state });
		expect(fired).toEqual(['0 alerting warning unknown', '0 alerting critical unknown', '0 alerting budget unknown']);
	});

	it('emits nothing for levels that are fine, and no resolved items', () => {
		const { fired } = run([spend(60, '2024-05')], SPEND({ levels, notifyOnRecovery: true }));
		expect(fired).toEqual(['0 alerting warning unknown']);
	});

	it('emits nothing at all after state loss when the first-poll option is off', () => {
		const { fired } = run([spend(150, '2024-05')], SPEND({ levels, fireOnFirstPoll: false }));
		expect(fired).toEqual([]);
	});

	it('keeps the state of a known level across polls (no repeat alert)', () => {
		const { fired } = run([spend(150, '2024-05')], SPEND({ levels }), { state: inAlarm() });
		expect(fired).toEqual([]);
	});
});

describe('manual mode (Fetch Test Event)', () => {
	const levels = [
		{ name: 'warning', threshold: 50 },
		{ name: 'critical', threshold: 80 },
	];

	it('emits a test item for every level, crossed or not, and returns the state untouched', () => {
		const stored = run([spend(60, '2024-05')], SPEND({ levels })).state!;
		const snapshot = JSON.parse(JSON.stringify(stored));
		const result = evaluate({ reading: spend(70, '2024-05'), config: SPEND({ levels }), state: stored, now: at(1), manual: true });
		expect(result.state).toBe(stored);
		expect(stored).toEqual(snapshot);
		expect(result.items.map((item) => [item.level, item.state, item.previousState, item.message])).toEqual([
			['warning', 'test', 'alarm', 'Test: UpCloud spend for acme in 2024-05 is 70.00 EUR, above the 50 EUR threshold'],
			['critical', 'test', 'ok', 'Test: UpCloud spend for acme in 2024-05 is 70.00 EUR, not above the 80 EUR threshold'],
		]);
	});

	it('reports unknown previous state when nothing is stored, and stores nothing', () => {
		const result = evaluate({ reading: spend(10, '2024-05'), config: SPEND({ levels }), state: undefined, now: at(0), manual: true });
		expect(result.state).toBeUndefined();
		expect(result.items.map((item) => item.previousState)).toEqual(['unknown', 'unknown']);
	});
});

describe('configProblems', () => {
	it('accepts a valid config', () => {
		expect(configProblems(config())).toEqual([]);
	});

	it('names each problem in the user words', () => {
		expect(
			configProblems(
				config({
					levels: [
						{ name: '', threshold: 10 },
						{ name: '', threshold: 10 },
						{ name: '', threshold: NaN },
					],
					recoveryMargin: -1,
					consecutivePolls: 1.5,
					repeatEveryHours: -2,
				}),
			),
		).toEqual([
			'The threshold 10 is listed twice; each level needs its own threshold',
			'Every threshold must be a number',
			'Recovery Margin must be 0 or more',
			'Consecutive Polls must be a whole number of 1 or more',
			'Repeat Every (Hours) must be 0 (never) or more',
		]);
		expect(configProblems(config({ levels: [], consecutivePolls: 0 }))).toEqual([
			'Add at least one threshold level',
			'Consecutive Polls must be a whole number of 1 or more',
		]);
	});

	it('lets a manual run go without levels, but not with other problems', () => {
		expect(configProblems(config({ levels: [] }), { levelsRequired: false })).toEqual([]);
		expect(configProblems(config({ levels: [], consecutivePolls: 0 }), { levelsRequired: false })).toEqual([
			'Consecutive Polls must be a whole number of 1 or more',
		]);
	});
});

describe('formatting', () => {
	it('writes values with two decimals and thresholds as typed', () => {
		expect(formatValue({ kind: 'money', currency: 'USD' }, 1234.5)).toBe('1234.50 USD');
		expect(formatThreshold({ kind: 'money', currency: 'USD' }, 12.5)).toBe('12.50 USD');
		expect(formatThreshold({ kind: 'money', currency: '' }, 12)).toBe('12');
		expect(formatValue({ kind: 'percent', of: 'of the accumulated quota' }, 83.125)).toBe('83.13% of the accumulated quota');
		expect(formatThreshold({ kind: 'percent' }, 80)).toBe('80%');
		expect(formatValue({ kind: 'bytes', unit: 'TB' }, 1_234_000_000_000)).toBe('1.23 TB');
		expect(formatThreshold({ kind: 'bytes', unit: 'TB' }, 1_500_000_000_000)).toBe('1.5 TB');
		expect(formatValue({ kind: 'bytes', unit: 'GiB' }, 2 ** 31)).toBe('2.00 GiB');
		expect(formatValue({ kind: 'bytes', unit: 'bytes' }, 10094)).toBe('10094 bytes');
		expect(formatThreshold({ kind: 'bytes', unit: 'bytes' }, 5000)).toBe('5000 bytes');
		expect(formatValue({ kind: 'days' }, 4.25)).toBe('4.3 days');
		expect(formatValue({ kind: 'days' }, 0)).toBe('0.0 days');
		expect(formatThreshold({ kind: 'days' }, 7)).toBe('7 days');
		expect(formatThreshold({ kind: 'days' }, 1)).toBe('1 day');
		expect(formatThreshold({ kind: 'days' }, 0.5)).toBe('0.5 days');
	});
});

/** A credit runway reading in days; null is an unlimited runway (no spend yet). */
function runway(days: number | null): Reading {
	return {
		metric: 'creditRunway',
		value: days,
		unit: 'days',
		fields: { credits: 42.1, dailyBurn: days === null ? 0 : 10, currency: 'EUR', runsOutAt: null },
		format: { kind: 'days' },
		period: null,
		account: 'acme',
		subject: 'UpCloud credits for acme',
		verb: 'are',
		statement: days === null ? 'UpCloud credits for acme last indefinitely' : `UpCloud credits for acme last ${days} days`,
		raw: {},
	};
}

const RUNWAY = (overrides: Partial<ThresholdConfig> = {}) =>
	config({ scope: 'creditRunway', levels: [{ name: '', threshold: 7 }], ...overrides });

describe('readings of the projections (statement, fields, no finite value)', () => {
	it('puts the metric fields after unit and uses the reading statement in the message', () => {
		const { items } = evaluate({ reading: runway(4.2), config: RUNWAY(), state: undefined, now: at(0) });
		expect(items).toEqual([
			{
				metric: 'creditRunway',
				level: '7 days',
				threshold: 7,
				comparison: 'below',
				value: 4.2,
				unit: 'days',
				credits: 42.1,
				dailyBurn: 10,
				currency: 'EUR',
				runsOutAt: null,
				state: 'alerting',
				previousState: 'unknown',
				period: null,
				observedAt: '2024-05-10T12:00:00.000Z',
				account: 'acme',
				message: 'UpCloud credits for acme last 4.2 days, below the 7 days threshold',
				raw: {},
			},
		]);
		expect(Object.keys(items[0]).slice(4, 10)).toEqual(['value', 'unit', 'credits', 'dailyBurn', 'currency', 'runsOutAt']);
	});

	it('never fires on a value of null, whichever the comparison', () => {
		expect(breaches('below', 7, null)).toBe(false);
		expect(breaches('above', 7, null)).toBe(false);
		expect(run([runway(null), runway(null)], RUNWAY()).fired).toEqual([]);
		expect(run([runway(null)], RUNWAY({ comparison: 'above' })).fired).toEqual([]);
	});

	it('ends an alarm on a value of null, with a resolved item, whatever the margin and comparison', () => {
		expect(recovers('below', 7, 100, null)).toBe(true);
		expect(recovers('above', 7, 100, null)).toBe(true);
		const { fired, items } = run([runway(3), runway(null), runway(5)], RUNWAY({ notifyOnRecovery: true, recoveryMargin: 2 }));
		expect(fired).toEqual(['0 alerting 7 days unknown', '1 resolved 7 days alarm', '2 alerting 7 days ok']);
		expect(items[1].map((item) => [item.value, item.message])).toEqual([
			[null, 'Resolved: UpCloud credits for acme last indefinitely, no longer below the 7 days threshold'],
		]);
	});

	it('sends no reminder for a null value: the alarm is over', () => {
		const { fired } = run([runway(3), runway(null)], RUNWAY({ repeatEveryHours: 1 }), { times: [0, 5] });
		expect(fired).toEqual(['0 alerting 7 days unknown']);
	});

	it('evaluates null as not crossed in manual mode', () => {
		const { items } = evaluate({ reading: runway(null), config: RUNWAY(), state: undefined, now: at(0), manual: true });
		expect(items.map((item) => item.message)).toEqual([
			'Test: UpCloud credits for acme last indefinitely, not below the 7 days threshold',
		]);
	});
});

describe('describeReading (a manual run with no level to evaluate)', () => {
	it('is one test item: the reading, its message and the hint, without level fields', () => {
		expect(describeReading(credits(42.1), at(0), 'add a level')).toEqual({
			metric: 'credits',
			value: 42.1,
			unit: 'EUR',
			state: 'test',
			period: null,
			observedAt: '2024-05-10T12:00:00.000Z',
			account: 'acme',
			message: 'Test: UpCloud credits for acme are 42.10 EUR',
			hint: 'add a level',
			raw: { account: { credits: 4210, username: 'acme' } },
		});
	});

	it('carries the fields and the statement of a projection', () => {
		expect(describeReading(runway(null), at(0), 'why')).toMatchObject({
			value: null,
			unit: 'days',
			credits: 42.1,
			runsOutAt: null,
			message: 'Test: UpCloud credits for acme last indefinitely',
		});
	});
});

describe('a scripted 60-poll sequence', () => {
	// Hourly polls of month-to-date spend from 2024-05-31 00:00 UTC; the month changes at poll 24.
	// Levels 50/80/100, margin 5, 2 consecutive polls, reminders every 6 hours, resolved items on.
	const values = [
		55, 56, 49, 44, 51, 48, 52, 53, 85, 79, // 0-9
		81, 82, 90, 95, 101, 102, 99, 97, 94, 94, // 10-19
		96, 74, 76, 77, 3, 4, 6, 8, 10, 12, // 20-29 (June from 24)
		14, 16, 18, 20, 22, 24, 26, 28, 30, 33, // 30-39
		36, 40, 44, 48, 51, 53, 55, 57, 60, 62, // 40-49
		64, 66, 68, 70, 72, 74, 76, 81, 83, 85, // 50-59
	];
	const start = Date.parse('2024-05-31T00:00:00.000Z');

	it('emits exactly the expected alerts', () => {
		const cfg = SPEND({
			levels: [
				{ name: 'warning', threshold: 50 },
				{ name: 'critical', threshold: 80 },
				{ name: 'budget', threshold: 100 },
			],
			recoveryMargin: 5,
			consecutivePolls: 2,
			repeatEveryHours: 6,
			notifyOnRecovery: true,
		});
		let state: TriggerState | undefined;
		const fired: string[] = [];
		values.forEach((value, poll) => {
			const now = new Date(start + poll * HOUR);
			const period = now.toISOString().slice(0, 7);
			const result = evaluate({ reading: spend(value, period), config: cfg, state, now });
			state = result.state;
			for (const item of result.items) fired.push(`${poll} ${item.state} ${item.level}: ${item.message}`);
		});
		expect(values).toHaveLength(60);
		expect(fired).toEqual([
			'1 alerting warning: UpCloud spend for acme in 2024-05 is 56.00 EUR, above the 50 EUR threshold',
			'3 resolved warning: Resolved: UpCloud spend for acme in 2024-05 is 44.00 EUR, no longer above the 50 EUR threshold',
			'7 alerting warning: UpCloud spend for acme in 2024-05 is 53.00 EUR, above the 50 EUR threshold',
			'11 alerting critical: UpCloud spend for acme in 2024-05 is 82.00 EUR, above the 80 EUR threshold',
			'13 reminder warning: Reminder: UpCloud spend for acme in 2024-05 is 95.00 EUR, still above the 50 EUR threshold (alerting since 2024-05-31T07:00:00.000Z)',
			'15 alerting budget: UpCloud spend for acme in 2024-05 is 102.00 EUR, above the 100 EUR threshold',
			'17 reminder critical: Reminder: UpCloud spend for acme in 2024-05 is 97.00 EUR, still above the 80 EUR threshold (alerting since 2024-05-31T11:00:00.000Z)',
			'18 resolved budget: Resolved: UpCloud spend for acme in 2024-05 is 94.00 EUR, no longer above the 100 EUR threshold',
			'19 reminder warning: Reminder: UpCloud spend for acme in 2024-05 is 94.00 EUR, still above the 50 EUR threshold (alerting since 2024-05-31T07:00:00.000Z)',
			'21 resolved critical: Resolved: UpCloud spend for acme in 2024-05 is 74.00 EUR, no longer above the 80 EUR threshold',
			'45 alerting warning: UpCloud spend for acme in 2024-06 is 53.00 EUR, above the 50 EUR threshold',
			'51 reminder warning: Reminder: UpCloud spend for acme in 2024-06 is 66.00 EUR, still above the 50 EUR threshold (alerting since 2024-06-01T21:00:00.000Z)',
			'57 reminder warning: Reminder: UpCloud spend for acme in 2024-06 is 81.00 EUR, still above the 50 EUR threshold (alerting since 2024-06-01T21:00:00.000Z)',
			'58 alerting critical: UpCloud spend for acme in 2024-06 is 83.00 EUR, above the 80 EUR threshold',
		]);
		expect(state).toEqual({
			version: 1,
			scope: 'monthSpend|total|',
			period: '2024-06',
			levels: {
				'above:50': {
					status: 'alarm',
					pending: 0,
					since: '2024-06-01T21:00:00.000Z',
					lastNotifiedAt: '2024-06-02T09:00:00.000Z',
				},
				'above:80': {
					status: 'alarm',
					pending: 0,
					since: '2024-06-02T10:00:00.000Z',
					lastNotifiedAt: '2024-06-02T10:00:00.000Z',
				},
				'above:100': { status: 'ok', pending: 0, since: '2024-06-01T00:00:00.000Z', lastNotifiedAt: null },
			},
		});
	});
});

/**
 * Polls with restarts in between, saving the state as n8n does: only after a poll that emitted, and after an
 * activation's first poll. A 'restart' reloads the last saved copy and makes the next poll an activation's first.
 */
function runWithRestarts(
	steps: Array<Reading | 'restart'>,
	cfg: ThresholdConfig,
): { fired: string[]; items: AlertItem[]; state: TriggerState | undefined; saved: TriggerState | undefined } {
	let state: TriggerState | undefined;
	let saved: TriggerState | undefined;
	let firstPollOfActivation = true;
	let poll = 0;
	const fired: string[] = [];
	const items: AlertItem[] = [];
	for (const step of steps) {
		if (step === 'restart') {
			state = saved === undefined ? undefined : JSON.parse(JSON.stringify(saved));
			firstPollOfActivation = true;
			continue;
		}
		const result = evaluate({ reading: step, config: cfg, state, now: at(poll), firstPollOfActivation });
		state = result.state;
		if (result.items.length > 0 || firstPollOfActivation) saved = JSON.parse(JSON.stringify(state));
		firstPollOfActivation = false;
		for (const item of result.items) {
			items.push(item);
			fired.push(`${poll} ${item.state} ${item.previousState}${item.afterRestart ? ' afterRestart' : ''}`);
		}
		poll++;
	}
	return { fired, items, state, saved };
}

describe('after a restart (the first poll of an activation)', () => {
	it('crossing, silent recovery, restart, still recovered: nothing', () => {
		const { fired, state } = runWithRestarts([40, 60, 'restart', 60, 60].map((v) => (v === 'restart' ? v : credits(v as number))), config());
		expect(fired).toEqual(['0 alerting unknown']);
		expect(state?.levels['below:50']).toEqual({ status: 'ok', pending: 0, since: at(2).toISOString(), lastNotifiedAt: null });
	});

	it('crossing, silent recovery, restart, crossed again: one alert marked afterRestart', () => {
		const { fired, items } = runWithRestarts(
			[40, 60, 'restart', 30, 30, 30].map((v) => (v === 'restart' ? v : credits(v as number))),
			config(),
		);
		expect(fired).toEqual(['0 alerting unknown', '2 alerting unknown afterRestart']);
		expect(items[1]).toMatchObject({ state: 'alerting', afterRestart: true, value: 30, observedAt: at(2).toISOString() });
		expect(items[1].message).toBe(
			'UpCloud credits for acme are 30.00 EUR, below the 50 EUR threshold (repeated after an n8n restart: this alarm may have recovered and crossed again while n8n was down or restarting)',
		);
		expect(items[0]).not.toHaveProperty('afterRestart');
	});

	it('silent: keeps the saved alarm and misses the crossing, as before', () => {
		const { fired } = runWithRestarts(
			[40, 60, 'restart', 30, 30].map((v) => (v === 'restart' ? v : credits(v as number))),
			config({ afterRestart: 'silent' }),
		);
		expect(fired).toEqual(['0 alerting unknown']);
	});

	it('restart while still crossed: one repeat, then nothing; a second restart repeats once more', () => {
		const { fired } = runWithRestarts(
			[40, 40, 'restart', 40, 40, 40, 'restart', 40, 40].map((v) => (v === 'restart' ? v : credits(v as number))),
			config(),
		);
		expect(fired).toEqual(['0 alerting unknown', '2 alerting unknown afterRestart', '5 alerting unknown afterRestart']);
	});

	it('with Also Notify on Recovery the saved state is exact: nothing repeats, and the re-crossing alerts normally', () => {
		const { fired } = runWithRestarts(
			[40, 40, 'restart', 40, 60, 'restart', 30, 'restart', 30].map((v) => (v === 'restart' ? v : credits(v as number))),
			config({ notifyOnRecovery: true }),
		);
		expect(fired).toEqual(['0 alerting unknown', '3 resolved alarm', '4 alerting ok']);
	});

	it('with Also Notify on Recovery, a silently adopted alarm (never announced) is still in doubt', () => {
		const { fired } = runWithRestarts(
			[40, 'restart', 40, 40].map((v) => (v === 'restart' ? v : credits(v as number))),
			config({ notifyOnRecovery: true, fireOnFirstPoll: false }),
		);
		expect(fired).toEqual(['1 alerting unknown afterRestart']);
	});

	it('a metric that cannot decrease within the month repeats nothing in the same month, and re-arms in the next', () => {
		const monotonic = (value: number, period: string): Reading => ({ ...spend(value, period), monotonic: true });
		const { fired } = runWithRestarts(
			[monotonic(150, '2024-05'), 'restart', monotonic(160, '2024-05'), 'restart', monotonic(120, '2024-06')],
			SPEND(),
		);
		expect(fired).toEqual(['0 alerting unknown', '2 alerting ok']);
	});

	it('the same spend without the monotonic mark is repeated', () => {
		const { fired } = runWithRestarts([spend(150, '2024-05'), 'restart', spend(160, '2024-05')], SPEND());
		expect(fired).toEqual(['0 alerting unknown', '1 alerting unknown afterRestart']);
	});

	it('no storm: several crossed levels give at most one item each', () => {
		const levels = [
			{ name: 'low', threshold: 50 },
			{ name: 'critical', threshold: 20 },
			{ name: 'empty', threshold: 5 },
		];
		const { fired } = runWithRestarts(
			[10, 'restart', 10, 10, 'restart', 10].map((v) => (v === 'restart' ? v : credits(v as number))),
			config({ levels }),
		);
		expect(fired).toEqual([
			'0 alerting unknown',
			'0 alerting unknown',
			'1 alerting unknown afterRestart',
			'1 alerting unknown afterRestart',
			'3 alerting unknown afterRestart',
			'3 alerting unknown afterRestart',
		]);
	});

	it('Consecutive Polls still applies: the repeat waits for the polls in a row', () => {
		const { fired } = runWithRestarts(
			[40, 40, 40, 'restart', 40, 40, 40, 40].map((v) => (v === 'restart' ? v : credits(v as number))),
			config({ consecutivePolls: 3 }),
		);
		// Polls 0-1 only build up (2 of 3), poll 2 fires; after the restart polls 3-5 count again and 5 repeats.
		expect(fired).toEqual(['2 alerting ok', '5 alerting unknown afterRestart']);
		// A restart during the build-up resumes from the count saved at the activation's first poll (1 of 3).
		const early = runWithRestarts(
			[40, 40, 'restart', 40, 40].map((v) => (v === 'restart' ? v : credits(v as number))),
			config({ consecutivePolls: 3 }),
		);
		expect(early.fired).toEqual(['3 alerting ok']);
	});

	it('Recovery Margin still applies: inside the margin the doubt stays, past it a real recovery clears it', () => {
		const cfg = config({ recoveryMargin: 5 });
		const inside = runWithRestarts([40, 'restart', 52, 45].map((v) => (v === 'restart' ? v : credits(v as number))), cfg);
		expect(inside.fired).toEqual(['0 alerting unknown', '2 alerting unknown afterRestart']);
		const past = runWithRestarts([40, 'restart', 60, 45].map((v) => (v === 'restart' ? v : credits(v as number))), cfg);
		expect(past.fired).toEqual(['0 alerting unknown', '2 alerting ok']);
	});

	it('the state stays version 1, and the doubt is saved only while it lasts', () => {
		const { saved } = runWithRestarts([40, 'restart', 52].map((v) => (v === 'restart' ? v : credits(v as number))), config({ recoveryMargin: 5 }));
		expect(saved).toEqual({
			version: 1,
			scope: 'credits',
			period: null,
			levels: { 'below:50': { status: 'ok', pending: 0, since: at(1).toISOString(), lastNotifiedAt: null, afterRestart: true } },
		});
	});
});

/**
 * The alerting state machine of the UpCloud Usage Trigger: reading + config + previous state + now
 * → items + next state. Pure: no I/O, no clock, no n8n context, so every transition can be tested
 * without HTTP.
 */

export type Comparison = 'above' | 'below';
export type LevelStatus = 'ok' | 'alarm';
export type ItemState = 'alerting' | 'resolved' | 'reminder' | 'test';
export type ByteUnit = 'bytes' | 'GB' | 'GiB' | 'TB' | 'TiB';

export const BYTE_UNITS: Record<ByteUnit, number> = {
	bytes: 1,
	GB: 1e9,
	GiB: 2 ** 30,
	TB: 1e12,
	TiB: 2 ** 40,
};

/** How values and thresholds are written in messages; both are always stored in base units. */
export type ValueFormat =
	| { kind: 'money'; currency: string }
	| { kind: 'percent'; of?: string }
	| { kind: 'bytes'; unit: ByteUnit }
	| { kind: 'days' };

export interface Reading {
	metric: string;
	/**
	 * In base units: currency units, bytes, percent or days. null: no finite value (a credit runway with no spend
	 * yet), which crosses no level and ends every alarm, whatever the comparison.
	 */
	value: number | null;
	/** Currency code, `bytes`, `percent` or `days`. */
	unit: string;
	/** Fields of the metric shown in every item after `unit` (e.g. the forecast's `monthToDate`). */
	fields?: Record<string, unknown>;
	format: ValueFormat;
	/** YYYY-MM for monthly metrics (their state resets when it changes), null otherwise. */
	period: string | null;
	/**
	 * The value never decreases within its period (month-to-date spend, bytes transferred this month). An alarm
	 * saved in this period and still crossed cannot have recovered and crossed again in between, so a restart
	 * repeats nothing for it.
	 */
	monotonic?: boolean;
	account: string;
	/** Start of the message sentence, e.g. "UpCloud credits for acme". */
	subject: string;
	verb: 'is' | 'are';
	/** The whole sentence, where "subject verb value" cannot say it (the projections). */
	statement?: string;
	raw: unknown;
}

export interface Level {
	/** Shown as the item's `level`; empty means the formatted threshold. */
	name: string;
	/** In base units. */
	threshold: number;
}

export interface ThresholdConfig {
	/** Fingerprint of what is watched (metric, category, account, resource...). A new scope is a fresh start. */
	scope: string;
	comparison: Comparison;
	levels: Level[];
	notifyOnRecovery: boolean;
	/** 0 = never. */
	repeatEveryHours: number;
	/** In base units; never negative. */
	recoveryMargin: number;
	consecutivePolls: number;
	fireOnFirstPoll: boolean;
	/**
	 * What the first poll of an activation does with a saved alarm that is still crossed: `repeatActive` emits it
	 * again (marked `afterRestart`), since n8n may have lost a silent recovery; `silent` keeps the saved alarm.
	 */
	afterRestart: 'repeatActive' | 'silent';
}

export interface LevelState {
	status: LevelStatus;
	/** Consecutive breaching polls seen while OK (for Consecutive Polls). */
	pending: number;
	/** When the current status began (ISO). */
	since: string;
	/** When an alerting or reminder item last went out for the current alarm; null if it never did. */
	lastNotifiedAt: string | null;
	/**
	 * Set while the level is OK only because a restart put its saved alarm in doubt: its next alerting item repeats
	 * that alarm (`afterRestart: true`). Cleared by a real recovery (past the Recovery Margin) or by that item.
	 */
	afterRestart?: true;
}

export interface TriggerState {
	version: 1;
	scope: string;
	period: string | null;
	/** Keyed by levelKey(): comparison and threshold, so an edited threshold is a new level. */
	levels: Record<string, LevelState>;
}

export type PreviousState = LevelStatus | 'unknown';

export interface AlertItem {
	[key: string]: unknown;
	metric: string;
	level: string;
	threshold: number;
	comparison: Comparison;
	value: number | null;
	unit: string;
	state: ItemState;
	previousState: PreviousState;
	period: string | null;
	observedAt: string;
	account: string;
	message: string;
	/** Present (true) only on an alert that repeats an alarm a restart put in doubt. */
	afterRestart?: true;
	raw: unknown;
}

/** A manual run's item that evaluates no level: the reading itself, and why it does not alert. */
export interface ReadingItem {
	[key: string]: unknown;
	metric: string;
	value: number | null;
	unit: string;
	state: 'test';
	period: string | null;
	observedAt: string;
	account: string;
	message: string;
	hint: string;
	raw: unknown;
}

export interface Evaluation {
	items: AlertItem[];
	state: TriggerState;
}

// n8n starts polls on the cron second but the clock read inside a poll lags by a few milliseconds to
// seconds; without slack, "every 1 hour" polled hourly would remind only every second hour.
const REMINDER_TOLERANCE_MS = 60_000;

/**
 * Returns the problems of a config in the user's words; empty when it is usable. A manual run needs no level
 * (it then shows the reading alone): `levelsRequired: false`.
 */
export function configProblems(config: ThresholdConfig, { levelsRequired = true } = {}): string[] {
	const problems: string[] = [];
	if (levelsRequired && config.levels.length === 0) problems.push('Add at least one threshold level');
	const seen = new Set<number>();
	for (const level of config.levels) {
		if (!Number.isFinite(level.threshold)) {
			problems.push('Every threshold must be a number');
		} else if (seen.has(level.threshold)) {
			problems.push(`The threshold ${level.threshold} is listed twice; each level needs its own threshold`);
		}
		seen.add(level.threshold);
	}
	if (!(config.recoveryMargin >= 0)) problems.push('Recovery Margin must be 0 or more');
	if (!Number.isInteger(config.consecutivePolls) || config.consecutivePolls < 1) {
		problems.push('Consecutive Polls must be a whole number of 1 or more');
	}
	if (!(config.repeatEveryHours >= 0)) problems.push('Repeat Every (Hours) must be 0 (never) or more');
	return problems;
}

function levelKey(comparison: Comparison, threshold: number): string {
	return `${comparison}:${threshold}`;
}

/** Whether the value is past the threshold (strictly: a value equal to the threshold is not; null never is). */
export function breaches(comparison: Comparison, threshold: number, value: number | null): boolean {
	if (value === null) return false;
	return comparison === 'above' ? value > threshold : value < threshold;
}

/** Whether an alarm may end: the value is back past the threshold by at least the margin, or has none. */
export function recovers(comparison: Comparison, threshold: number, margin: number, value: number | null): boolean {
	if (value === null) return true;
	return comparison === 'above' ? value <= threshold - margin : value >= threshold + margin;
}

/** The sentence describing a reading, before its relation to a threshold. */
function statementOf(reading: Reading): string {
	if (reading.statement !== undefined) return reading.statement;
	const value = reading.value === null ? 'unknown' : formatValue(reading.format, reading.value);
	return `${reading.subject} ${reading.verb} ${value}`;
}

/** "Fetch Test Event" without levels to evaluate: one item with the reading and the `hint` saying why. */
export function describeReading(reading: Reading, now: Date, hint: string): ReadingItem {
	return {
		metric: reading.metric,
		value: reading.value,
		unit: reading.unit,
		...reading.fields,
		state: 'test',
		period: reading.period,
		observedAt: now.toISOString(),
		account: reading.account,
		message: `${PREFIX.test}${statementOf(reading)}`,
		hint,
		raw: reading.raw,
	};
}

/**
 * What the stored state says about each level before this reading. `undefined` means unknown
 * (first poll, lost or foreign state, new level); a new monthly period means every level starts OK.
 */
function previousLevels(
	config: ThresholdConfig,
	reading: Reading,
	state: TriggerState | undefined,
	nowIso: string,
): Record<string, LevelState | undefined> {
	const valid = state !== undefined && state.version === 1 && state.scope === config.scope && !!state.levels;
	const result: Record<string, LevelState | undefined> = {};
	const newPeriod =
		valid && reading.period !== null && state.period !== null && state.period !== reading.period;
	for (const level of config.levels) {
		const key = levelKey(config.comparison, level.threshold);
		if (!valid) result[key] = undefined;
		// A new month is a new budget period: every level re-arms without a resolved item.
		else if (newPeriod) result[key] = { status: 'ok', pending: 0, since: nowIso, lastNotifiedAt: null };
		else result[key] = state.levels[key];
	}
	return result;
}

export function evaluate(input: {
	reading: Reading;
	config: ThresholdConfig;
	state: TriggerState | undefined;
	now: Date;
	manual?: boolean;
	/** The first poll of this activation: the saved state may miss a recovery n8n never saved. */
	firstPollOfActivation?: boolean;
}): Evaluation {
	const { reading, config, state, now } = input;
	const nowIso = now.toISOString();
	const previous = previousLevels(config, reading, state, nowIso);

	const item = (
		level: Level,
		itemState: ItemState,
		previousState: PreviousState,
		relation: string,
		afterRestart = false,
	): AlertItem => ({
		metric: reading.metric,
		level: level.name || formatThreshold(reading.format, level.threshold),
		threshold: level.threshold,
		comparison: config.comparison,
		value: reading.value,
		unit: reading.unit,
		...reading.fields,
		state: itemState,
		previousState,
		period: reading.period,
		observedAt: nowIso,
		account: reading.account,
		message: `${PREFIX[itemState]}${statementOf(reading)}, ${relation}${afterRestart ? AFTER_RESTART_NOTE : ''}`,
		...(afterRestart ? { afterRestart: true as const } : {}),
		raw: reading.raw,
	});

	if (input.manual) {
		// "Fetch Test Event": show every level as it evaluates now; the stored state is not touched.
		const items = config.levels.map((level) => {
			const before = previous[levelKey(config.comparison, level.threshold)];
			const crossed = breaches(config.comparison, level.threshold, reading.value);
			const relation = `${crossed ? '' : 'not '}${thresholdPhrase(reading, config.comparison, level.threshold)}`;
			return item(level, 'test', before?.status ?? 'unknown', relation);
		});
		return { items, state: state as TriggerState };
	}

	const items: AlertItem[] = [];
	const levels: Record<string, LevelState> = {};
	const repeatMs = config.repeatEveryHours * 3_600_000;

	for (const level of config.levels) {
		const key = levelKey(config.comparison, level.threshold);
		const saved = previous[key];
		// n8n saves static data only when a poll emits, so a silent recovery may never have been saved: the first
		// poll of an activation treats such an alarm as possibly recovered (at least once: never swallow a crossing).
		const before: LevelState | undefined =
			input.firstPollOfActivation && saved?.status === 'alarm' && alarmInDoubt(config, reading, state, saved)
				? { status: 'ok', pending: 0, since: nowIso, lastNotifiedAt: null, afterRestart: true }
				: saved;
		const crossed = breaches(config.comparison, level.threshold, reading.value);
		const phrase = thresholdPhrase(reading, config.comparison, level.threshold);

		if (before === undefined && crossed && !config.fireOnFirstPoll) {
			// Already past the threshold when we started watching: adopt the alarm silently.
			levels[key] = { status: 'alarm', pending: 0, since: nowIso, lastNotifiedAt: null };
			continue;
		}

		if (before === undefined || before.status === 'ok') {
			const doubted = before?.afterRestart === true;
			if (!crossed) {
				// Within the Recovery Margin the doubted alarm may still be on; past it, it has surely ended.
				const stillDoubted = doubted && !recovers(config.comparison, level.threshold, config.recoveryMargin, reading.value);
				levels[key] = { status: 'ok', pending: 0, since: before?.since ?? nowIso, lastNotifiedAt: null, ...(stillDoubted ? DOUBTED : {}) };
				continue;
			}
			const pending = (before?.pending ?? 0) + 1;
			if (pending < config.consecutivePolls) {
				levels[key] = { status: 'ok', pending, since: before?.since ?? nowIso, lastNotifiedAt: null, ...(doubted ? DOUBTED : {}) };
				continue;
			}
			levels[key] = { status: 'alarm', pending: 0, since: nowIso, lastNotifiedAt: nowIso };
			items.push(item(level, 'alerting', doubted ? 'unknown' : (before?.status ?? 'unknown'), phrase, doubted));
			continue;
		}

		// The level is in ALARM.
		if (recovers(config.comparison, level.threshold, config.recoveryMargin, reading.value)) {
			levels[key] = { status: 'ok', pending: 0, since: nowIso, lastNotifiedAt: null };
			// Only an alarm that was announced gets a resolved item; a silently adopted one re-arms silently.
			if (config.notifyOnRecovery && before.lastNotifiedAt !== null) {
				items.push(item(level, 'resolved', 'alarm', `no longer ${phrase}`));
			}
			continue;
		}
		const due =
			repeatMs > 0 &&
			before.lastNotifiedAt !== null &&
			now.getTime() - Date.parse(before.lastNotifiedAt) >= repeatMs - REMINDER_TOLERANCE_MS;
		if (!due) {
			levels[key] = before;
			continue;
		}
		levels[key] = { ...before, lastNotifiedAt: nowIso };
		const relation = crossed
			? `still ${phrase}`
			: `still within the ${formatThreshold(reading.format, config.recoveryMargin)} recovery margin of the ${formatThreshold(reading.format, level.threshold)} threshold`;
		items.push(item(level, 'reminder', 'alarm', `${relation} (alerting since ${before.since})`));
	}

	return {
		items,
		state: { version: 1, scope: config.scope, period: reading.period, levels },
	};
}

const DOUBTED = { afterRestart: true } as const;

const AFTER_RESTART_NOTE =
	' (repeated after an n8n restart: this alarm may have recovered and crossed again while n8n was down or restarting)';

/**
 * Whether a saved alarm may have ended without the state saying so. Not when Also Notify on Recovery is on and the
 * alarm was announced (its recovery would have been an execution, and saved), nor when the metric cannot decrease
 * within the saved period, nor with After Restart set to Silent.
 */
function alarmInDoubt(config: ThresholdConfig, reading: Reading, state: TriggerState | undefined, saved: LevelState): boolean {
	if (config.afterRestart !== 'repeatActive') return false;
	if (config.notifyOnRecovery && saved.lastNotifiedAt !== null) return false;
	if (reading.monotonic === true && reading.period !== null && state?.period === reading.period) return false;
	return true;
}

const PREFIX: Record<ItemState, string> = {
	alerting: '',
	reminder: 'Reminder: ',
	resolved: 'Resolved: ',
	test: 'Test: ',
};

function thresholdPhrase(reading: Reading, comparison: Comparison, threshold: number): string {
	return `${comparison} the ${formatThreshold(reading.format, threshold)} threshold`;
}

function withUnit(number: string, unit: string): string {
	return unit ? `${number} ${unit}` : number;
}

/** A measured value: two decimals ("42.10 EUR", "83.12%", "1.25 TB"), whole bytes, days with one ("4.2 days"). */
export function formatValue(format: ValueFormat, value: number): string {
	if (format.kind === 'money') return withUnit(value.toFixed(2), format.currency);
	if (format.kind === 'days') return `${value.toFixed(1)} days`;
	if (format.kind === 'percent') return `${value.toFixed(2)}%${format.of ? ` ${format.of}` : ''}`;
	if (format.unit === 'bytes') return `${Math.round(value)} bytes`;
	return `${(value / BYTE_UNITS[format.unit]).toFixed(2)} ${format.unit}`;
}

/** A threshold as the user typed it: "50 EUR", "12.50 EUR", "80%", "1.5 TB", "7 days". */
export function formatThreshold(format: ValueFormat, threshold: number): string {
	if (format.kind === 'money') {
		return withUnit(Number.isInteger(threshold) ? String(threshold) : threshold.toFixed(2), format.currency);
	}
	if (format.kind === 'days') return `${trim(threshold)} ${threshold === 1 ? 'day' : 'days'}`;
	if (format.kind === 'percent') return `${trim(threshold)}%`;
	if (format.unit === 'bytes') return `${Math.round(threshold)} bytes`;
	return `${trim(threshold / BYTE_UNITS[format.unit])} ${format.unit}`;
}

function trim(value: number): string {
	return String(Number(value.toFixed(4)));
}

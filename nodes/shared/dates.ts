/** Date handling both service nodes share. */

/** Building an Intl formatter is the costly part, so one is kept per time zone. */
const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

/** How far the time zone's wall clock is ahead of UTC at `instant`, in ms. */
function offsetOf(instant: number, timeZone: string): number {
	let format = wallClockFormats.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		});
		wallClockFormats.set(timeZone, format);
	}
	const parts = format.formatToParts(new Date(instant));
	const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
	return wall - Math.floor(instant / 1000) * 1000;
}

/** JavaScript's Date rolls impossible days over (2024-02-30 becomes 2024-03-01); refuse them instead. */
function isCalendarDate(text: string): boolean {
	const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
	if (!match) return true;
	const [year, month, day] = match.slice(1).map(Number);
	const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
	return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth;
}

/**
 * n8n's date-time picker gives wall-clock time without a zone ("2024-09-01T00:00:00"), meant in the
 * workflow's time zone; expressions may give ISO strings with an offset or DateTime objects.
 * Returns the instant, or undefined when the value is not a date.
 */
export function toInstant(value: unknown, timeZone: string): Date | undefined {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
	if (value && typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') {
		value = (value as { toISO: () => string }).toISO();
	}
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const text = value.trim();
	if (!isCalendarDate(text)) return undefined;
	if (/[zZ]$|[+-]\d{2}:?\d{2}$/.test(text)) {
		const parsed = new Date(text);
		return Number.isNaN(parsed.getTime()) ? undefined : parsed;
	}
	if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(text)) return undefined;
	const wall = Date.parse(`${text.replace(' ', 'T')}${text.length === 10 ? 'T00:00:00' : ''}Z`);
	if (Number.isNaN(wall)) return undefined;
	// The offset at the wall time itself, then at the instant that gives: right across DST changes too.
	return new Date(wall - offsetOf(wall - offsetOf(wall, timeZone), timeZone));
}

/** RFC 3339 in UTC without milliseconds, as UpCloud's examples show: 2020-09-30T22:00:00Z. */
export function toRfc3339Utc(date: Date): string {
	return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The current month in the workflow's time zone, as YYYY-MM: the default for every month field. */
export const CURRENT_YEAR_MONTH = '={{$now.toFormat("yyyy-MM")}}';

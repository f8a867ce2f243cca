'use strict';
/**
 * Network-transfer statistics (upcloud-endpoints.md #11–#13): hourly series per resource and service with a daily
 * rhythm, scaled to the month's totals; the stats window, hourly or daily buckets, JSON or CSV; the current usage.
 *
 * The notes cited (upcloud-endpoints.md, upcloud-tokens.md, upcloud-accounts-api.txt, upcloud-partner-api.txt) are the
 * project's API notes in ../shared/api-docs/ beside the repo root (not part of the repo); the official pages are developers.upcloud.com.
 */

const { hash32, negotiate, parseRfc3339, ym: ymOf, isoSeconds } = require('../common');
const { DAY, HOUR, UpCloudError, asList, csv, monthBounds, single } = require('./shared');
const { specsFor } = require('./seed');

const SERVICES = [
	'server_public',
	'server_private',
	'server_private_vlan',
	'object_storage_public',
	'object_storage_v2_public',
	'object_storage_v2_private',
	'load_balancer_public',
	'load_balancer_private',
	'load_balancer_private_vlan',
	'network_gateway_public',
	'network_gateway_private',
	'network_gateway_private_vlan',
];
const PUBLIC_SERVICES = new Set(SERVICES.filter((s) => s.endsWith('_public')));
// The load balancer's private counter reports null (the docs: "sent_bytes may be null").
const NULL_SERVICES = new Set(['load_balancer_private']);

function networkSeries(state) {
	return specsFor(state, '__main__')
		.filter((s) => s.services)
		.flatMap((s) => s.services.map((service) => ({ resource_id: s.id, service, zone: s.zone, start: s.start || 0 })));
}

/** Base (unscaled) bytes one series sent in one hour. Public traffic has a daily rhythm. */
function baseBytes(series, hourMs) {
	if (NULL_SERVICES.has(series.service)) return null;
	const h = hash32(`${series.resource_id}|${series.service}|${hourMs}`);
	const hourOfDay = new Date(hourMs).getUTCHours();
	const rhythm = 0.4 + 0.6 * Math.sin((Math.PI * ((hourOfDay + 18) % 24)) / 24) ** 2;
	const scale = PUBLIC_SERVICES.has(series.service) ? 180e6 : 40e6;
	return Math.round(scale * rhythm * (0.5 + (h % 1000) / 1000));
}

/**
 * Hourly data of one month up to the running hour: per-series bytes and the account total
 * (public services only, which is what the transfer pool counts). Control overrides rescale the current month.
 */
function monthNetwork(state, ymKey, nowMs) {
	const { start, end, hours: monthHours } = monthBounds(ymKey);
	// Buckets up to the hour now running (its traffic so far), so a month always has data once it has begun.
	const lastComplete = Math.floor(nowMs / HOUR) * HOUR;
	const hoursAvailable = start > lastComplete ? 0 : Math.min(monthHours, (Math.min(end - HOUR, lastComplete) - start) / HOUR + 1);
	const isCurrent = ymKey === ymOf(nowMs);
	const series = networkSeries(state).map((s) => {
		const bytes = [];
		for (let i = 0; i < hoursAvailable; i++) bytes.push(i < s.start ? 0 : baseBytes(s, start + i * HOUR));
		return { ...s, bytes };
	});
	if (isCurrent) {
		for (const [rid, target] of Object.entries(state.network.resourceTransferBytes)) {
			const rows = series.filter((s) => s.resource_id === rid && s.bytes.some((b) => b !== null));
			if (!rows.length || !hoursAvailable) continue;
			scaleIntArray(rows.flatMap((s) => s.bytes.map((_, i) => ({ s, i }))), target);
		}
	}
	const account = [];
	for (let i = 0; i < hoursAvailable; i++) {
		let sum = 0;
		for (const s of series) if (PUBLIC_SERVICES.has(s.service) && s.bytes[i] !== null) sum += s.bytes[i];
		account.push(sum);
	}
	if (isCurrent && typeof state.network.transferBytes === 'number' && hoursAvailable) {
		scaleIntArray(account.map((_, i) => ({ s: { bytes: account }, i })), state.network.transferBytes);
	}
	// Quota: accrues hourly through the month.
	const inc = state.network.hourlyQuotaIncreaseBytes;
	let quota = (i) => inc * (i + 1);
	let projected = inc * monthHours;
	if (isCurrent && typeof state.network.accumulatedQuotaBytes === 'number' && hoursAvailable) {
		const q = state.network.accumulatedQuotaBytes;
		quota = (i) => Math.round((q * (i + 1)) / hoursAvailable);
		projected = Math.round((q / hoursAvailable) * monthHours);
	}
	return { start, hoursAvailable, monthHours, series, account, quota, projected, inc };
}

/** Scales the referenced (non-null) cells of integer arrays so they sum to target exactly. */
function scaleIntArray(cells, target) {
	const live = cells.filter(({ s, i }) => s.bytes[i] !== null);
	const total = live.reduce((sum, { s, i }) => sum + s.bytes[i], 0);
	if (!live.length) return;
	let acc = 0;
	for (const { s, i } of live) {
		s.bytes[i] = total === 0 ? 0 : Math.floor((s.bytes[i] * target) / total);
		acc += s.bytes[i];
	}
	const last = live[live.length - 1];
	last.s.bytes[last.i] += target - acc;
}

function monthsBetween(fromMs, toMs) {
	const out = [];
	let d = new Date(Date.UTC(new Date(fromMs).getUTCFullYear(), new Date(fromMs).getUTCMonth(), 1));
	while (d.getTime() <= toMs) {
		out.push(ymOf(d.getTime()));
		d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
	}
	return out;
}

/** Buckets whose start time lies in [floor(from), to]: hours or UTC days. */
function bucketRange(fromMs, toMs, accumulate) {
	const size = accumulate === 'hour' ? HOUR : DAY;
	return { size, first: Math.floor(fromMs / size) * size, last: toMs };
}

function networkUsageStats(state, fromMs, toMs, accumulate, nowMs) {
	const { size, first, last } = bucketRange(fromMs, toMs, accumulate);
	const rows = [];
	for (const month of monthsBetween(first, last)) {
		const m = monthNetwork(state, month, nowMs);
		let cumulative = 0;
		const cum = m.account.map((b) => (cumulative += b));
		const buckets = new Map();
		for (let i = 0; i < m.hoursAvailable; i++) {
			const t = m.start + i * HOUR;
			const bucket = Math.floor(t / size) * size;
			if (bucket < first || bucket > last) continue;
			const b = buckets.get(bucket) || { sent: 0, lastIndex: i, firstIndex: i };
			b.sent += m.account[i];
			b.lastIndex = i;
			buckets.set(bucket, b);
		}
		for (const [bucket, b] of buckets) {
			const quotaBefore = b.firstIndex === 0 ? 0 : m.quota(b.firstIndex - 1);
			rows.push({
				accumulated_quota_bytes: m.quota(b.lastIndex),
				projected_monthly_quota_bytes: m.projected,
				quota_increase_bytes: m.quota(b.lastIndex) - quotaBefore,
				sent_bytes: b.sent,
				start_time: isoSeconds(bucket),
				total_sent_bytes: cum[b.lastIndex],
			});
		}
	}
	return rows;
}

function resourceUsageStats(state, fromMs, toMs, accumulate, nowMs, filter) {
	const { size, first, last } = bucketRange(fromMs, toMs, accumulate);
	const map = new Map();
	for (const month of monthsBetween(first, last)) {
		const m = monthNetwork(state, month, nowMs);
		for (const s of m.series) {
			if (filter.resourceId && s.resource_id !== filter.resourceId) continue;
			if (filter.zones.length && !filter.zones.includes(s.zone)) continue;
			if (filter.services.length && !filter.services.includes(s.service)) continue;
			for (let i = 0; i < m.hoursAvailable; i++) {
				const bucket = Math.floor((m.start + i * HOUR) / size) * size;
				if (bucket < first || bucket > last) continue;
				const key = `${bucket}|${s.resource_id}|${s.service}`;
				const row = map.get(key) || {
					resource_id: s.resource_id,
					sent_bytes: s.bytes[i] === null ? null : 0,
					service: s.service,
					start_time: isoSeconds(bucket),
					zone: s.zone,
					_t: bucket,
				};
				if (s.bytes[i] !== null) row.sent_bytes = (row.sent_bytes || 0) + s.bytes[i];
				map.set(key, row);
			}
		}
	}
	return [...map.values()]
		.sort((a, b) => a._t - b._t || a.resource_id.localeCompare(b.resource_id) || a.service.localeCompare(b.service))
		.map(({ _t, ...r }) => r);
}

function currentNetworkUsage(state, nowMs) {
	const m = monthNetwork(state, ymOf(nowMs), nowMs);
	const n = m.hoursAvailable;
	return {
		stats: {
			current_network_usage: {
				accumulated_quota_bytes: n ? m.quota(n - 1) : 0,
				hourly_quota_increase_bytes: n ? m.quota(n - 1) - (n > 1 ? m.quota(n - 2) : 0) : m.inc,
				projected_monthly_quota_bytes: m.projected,
				total_sent_bytes: m.account.reduce((s, b) => s + b, 0),
				updated: isoSeconds(Math.floor(nowMs / HOUR) * HOUR),
			},
		},
	};
}

function statsWindow(ctx, allowCsv) {
	const type = negotiate(ctx.req.headers.accept, allowCsv ? ['application/json', 'text/csv'] : ['application/json']);
	if (!type) throw new UpCloudError(406, 'NOT_ACCEPTABLE', 'The requested content type is not available; use application/json or text/csv.');
	const fromRaw = single(ctx.query, 'from');
	const toRaw = single(ctx.query, 'to');
	if (fromRaw === undefined || fromRaw === '') throw new UpCloudError(400, 'FROM_MISSING', 'The query parameter from is missing.');
	if (toRaw === undefined || toRaw === '') throw new UpCloudError(400, 'TO_MISSING', 'The query parameter to is missing.');
	const from = parseRfc3339(fromRaw);
	const to = parseRfc3339(toRaw);
	if (from === undefined) throw new UpCloudError(400, 'INVALID_DATE', `The value of from (${fromRaw}) is not an RFC 3339 timestamp.`);
	if (to === undefined) throw new UpCloudError(400, 'INVALID_DATE', `The value of to (${toRaw}) is not an RFC 3339 timestamp.`);
	if (to < from) throw new UpCloudError(400, 'INVALID_DATE', 'TO date is older than FROM date.');
	if (type === 'application/json' && to - from > 31 * DAY) {
		throw new UpCloudError(400, 'INVALID_TIME_WINDOW_SIZE', "Days between FROM and TO can't be over 31 days, if using JSON output.");
	}
	if (to - from > 3660 * DAY) {
		// Sandbox protection only: the real API documents no CSV limit.
		throw new UpCloudError(400, 'INVALID_TIME_WINDOW_SIZE', 'The sandbox serves at most 10 years of statistics.');
	}
	const accumulate = single(ctx.query, 'accumulate') ?? 'day';
	if (accumulate !== 'hour' && accumulate !== 'day') {
		throw new UpCloudError(400, 'ACCUMULATE_INVALID', 'The query parameter accumulate must be hour or day.');
	}
	return { type, from, to, accumulate };
}

/** Routes of this area, tried in this order ([method, path pattern, handler]). */
const routes = [
	['GET', /^\/account\/network_usage\/?$/, (ctx) => {
		const w = statsWindow(ctx, true);
		const rows = networkUsageStats(ctx.state, w.from, w.to, w.accumulate, ctx.now);
		if (w.type === 'text/csv') {
			return {
				text: csv(
					rows,
					'start time,sent bytes,total sent bytes,accumulated quota bytes,projected monthly quota bytes,quota increase',
					['start_time', 'sent_bytes', 'total_sent_bytes', 'accumulated_quota_bytes', 'projected_monthly_quota_bytes', 'quota_increase_bytes'],
				),
				contentType: 'text/csv; charset=utf-8',
			};
		}
		return { json: { stats: { stat: rows } } };
	}],
	['GET', /^\/account\/resource_network_usage\/?$/, (ctx) => {
		const w = statsWindow(ctx, true);
		const services = asList(ctx.query.service);
		for (const s of services) {
			if (!SERVICES.includes(s)) throw new UpCloudError(400, 'SERVICE_INVALID', `The service ${s} is invalid.`);
		}
		const resourceId = single(ctx.query, 'resource_id');
		if (resourceId !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(resourceId)) {
			throw new UpCloudError(400, 'RESOURCE_ID_INVALID', `The resource_id ${resourceId} is not a valid UUID.`);
		}
		const zones = asList(ctx.query.zone);
		const rows = resourceUsageStats(ctx.state, w.from, w.to, w.accumulate, ctx.now, { resourceId, zones, services });
		if (w.type === 'text/csv') {
			return {
				text: csv(rows, 'start time,sent bytes,service,resource id,zone', ['start_time', 'sent_bytes', 'service', 'resource_id', 'zone']),
				contentType: 'text/csv; charset=utf-8',
			};
		}
		return { json: { stats: { stat: rows } } };
	}],
	['GET', /^\/account\/current_network_usage$/, (ctx) => ({ json: currentNetworkUsage(ctx.state, ctx.now) })],
];

module.exports = {
	SERVICES,
	currentNetworkUsage,
	resourceUsageStats,
	routes,
};

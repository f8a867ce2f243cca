'use strict';
/**
 * Billing (upcloud-endpoints.md #7–#10, #14c): the month's lines per resource in integer units, the flat summary,
 * the deprecated summary with old category names, one resource's daily sums; who may read them.
 *
 * The notes cited (upcloud-endpoints.md, upcloud-tokens.md, upcloud-accounts-api.txt, upcloud-partner-api.txt) are the
 * project's API notes in ../shared/api-docs/ beside the repo root (not part of the repo); the official pages are developers.upcloud.com.
 */

const { hash32, ym: ymOf } = require('../common');
const { HOUR, UpCloudError, monthBounds, single } = require('./shared');
const { rateOf, specsFor } = require('./seed');

const UNIT = 1e5; // amounts are kept as integers of 1/100000 currency units (UpCloud prints 5 decimals)
const money = (units) => Number((units / UNIT).toFixed(5));

function billedHours(start, end, monthHours, nowMs) {
	if (end <= nowMs) return monthHours;
	return Math.min(monthHours, Math.floor((nowMs - start) / HOUR) + 1);
}

/** Billing lines of one account for one month: one per resource, each with detail rows in integer units. */
function billingLines(state, owner, ymKey, nowMs) {
	const { start, end, hours: monthHours } = monthBounds(ymKey);
	if (start > nowMs) return [];
	const elapsed = billedHours(start, end, monthHours, nowMs);
	// Past months vary a little from month to month, deterministically.
	const monthFactor = end <= nowMs ? 0.85 + (hash32(`${owner}:${ymKey}`) % 300) / 1000 : 1;
	const lines = [];
	for (const spec of specsFor(state, owner)) {
		const hours = Math.max(0, elapsed - (spec.start || 0));
		if (!hours) continue;
		const split = spec.planChange ? [Math.round(hours * (1 - spec.planChange.fraction)), 0] : [hours];
		if (spec.planChange) split[1] = hours - split[0];
		const details = split
			.filter((h) => h > 0)
			.map((h, i) => {
				const plan = i === 0 ? spec.plan : spec.planChange.plan;
				const d = { amountU: Math.round(rateOf(spec, plan) * h * monthFactor * UNIT), hours: h };
				if (plan) d.plan = plan;
				if (spec.cores) d.cores = spec.cores;
				if (spec.memory) d.memory = spec.memory;
				if (spec.size && spec.type !== 'server') d.size = spec.size;
				if (spec.billable_size_gib) d.billable_size_gib = spec.billable_size_gib;
				if (spec.firewall !== undefined) {
					// "firewall can arrive as a string or a number": one seeded server sends a string.
					const fw = typeof spec.firewall === 'string' ? Number(spec.firewall) : spec.firewall * h;
					d.firewall = typeof spec.firewall === 'string' ? fw.toFixed(2) : Number(fw.toFixed(5));
				}
				d.zone = spec.zone;
				if (spec.labels) d.labels = spec.labels;
				return d;
			});
		lines.push({ spec, details });
	}
	const override = ymKey === ymOf(nowMs) ? state.billingOverrides[owner] : undefined;
	if (override) applyBillingOverride(lines, override);
	return lines;
}

/** Scales integer amounts so they sum exactly to target (largest remainder goes to the biggest row). */
function scaleDetails(details, targetU) {
	const total = details.reduce((s, d) => s + d.amountU, 0);
	if (!details.length) return;
	if (total === 0) {
		details.forEach((d, i) => (d.amountU = i === 0 ? targetU : 0));
		return;
	}
	let acc = 0;
	for (const d of details) {
		d.amountU = Math.floor((d.amountU * targetU) / total);
		acc += d.amountU;
	}
	const biggest = details.reduce((b, d) => (d.amountU >= b.amountU ? d : b), details[0]);
	biggest.amountU += targetU - acc;
}

function applyBillingOverride(lines, override) {
	const fixed = new Set();
	for (const [category, amount] of Object.entries(override.categories || {})) {
		const details = lines.filter((l) => l.spec.category === category).flatMap((l) => l.details);
		scaleDetails(details, Math.round(amount * UNIT));
		fixed.add(category);
	}
	if (typeof override.total === 'number') {
		const fixedU = lines
			.filter((l) => fixed.has(l.spec.category))
			.flatMap((l) => l.details)
			.reduce((s, d) => s + d.amountU, 0);
		const rest = lines.filter((l) => !fixed.has(l.spec.category)).flatMap((l) => l.details);
		scaleDetails(rest, Math.max(0, Math.round(override.total * UNIT) - fixedU));
	}
}

const lineAmountU = (line) => line.details.reduce((s, d) => s + d.amountU, 0);
const lineHours = (line) => line.details.reduce((s, d) => s + d.hours, 0);

/** #7 / #14c: the flat summary with resource details. */
function flatSummary(lines, currency) {
	const out = { currency };
	let totalU = 0;
	const cats = {};
	for (const line of lines) {
		const { category, group } = line.spec;
		cats[category] = cats[category] || {};
		cats[category][group] = cats[category][group] || [];
		cats[category][group].push(line);
	}
	for (const [category, groups] of Object.entries(cats)) {
		let catU = 0;
		const catOut = {};
		for (const [group, glines] of Object.entries(groups)) {
			const groupU = glines.reduce((s, l) => s + lineAmountU(l), 0);
			catU += groupU;
			catOut[group] = {
				resources: glines.map((l) => ({
					amount: money(lineAmountU(l)),
					details: l.details.map(({ amountU, ...d }) => ({ amount: money(amountU), ...d })),
					hours: lineHours(l),
					resource_id: l.spec.id,
				})),
				total_amount: money(groupU),
			};
		}
		catOut.total_amount = money(catU);
		out[category] = catOut;
		totalU += catU;
	}
	out.total_amount = money(totalU);
	return out;
}

// Deprecated format: same money, old category names; storage groups merge into `storages.storage`.
const DEPRECATED_CATEGORY = { managed_object_storages: ['object_storages', 'object_storage'] };

/** #8 / #9: `{"billing":{…}}`, optionally with per-resource rows. */
function deprecatedSummary(lines, currency, detailed) {
	const billing = { currency };
	let totalU = 0;
	const cats = {};
	for (const line of lines) {
		const [cat, grp] = DEPRECATED_CATEGORY[line.spec.category] || [line.spec.category, line.spec.group];
		const group = cat === 'storages' ? 'storage' : grp;
		cats[cat] = cats[cat] || {};
		cats[cat][group] = cats[cat][group] || [];
		cats[cat][group].push(line);
	}
	for (const [cat, groups] of Object.entries(cats)) {
		let catU = 0;
		const catOut = {};
		for (const [group, glines] of Object.entries(groups)) {
			const groupU = glines.reduce((s, l) => s + lineAmountU(l), 0);
			catU += groupU;
			const g = { total_amount: money(groupU) };
			if (detailed) {
				const row = (l) => {
					const d0 = l.details[0];
					const r = { amount: money(lineAmountU(l)) };
					if (l.spec.type !== 'backup' && l.spec.type !== 'template') r.hours = lineHours(l);
					if (d0.plan && d0.plan !== 'custom') r.plan = l.details[l.details.length - 1].plan;
					if (d0.cores) r.cores = d0.cores;
					if (d0.memory) r.memory = d0.memory;
					if (d0.firewall !== undefined) r.firewall = Number(d0.firewall);
					if (d0.size) r.size = d0.size;
					if (d0.billable_size_gib) r.size = d0.billable_size_gib;
					r.resource_id = l.spec.id;
					return r;
				};
				if (cat === 'storages') {
					g.resources = glines.filter((l) => l.spec.group === 'storage').map(row);
					const templates = glines.filter((l) => l.spec.group === 'template').map(row);
					const backups = glines.filter((l) => l.spec.group === 'backup').map(row);
					if (templates.length) g.template = templates;
					if (backups.length) g.backup = backups;
				} else {
					g.resources = glines.map(row);
				}
			}
			catOut[group] = g;
		}
		catOut.total_amount = money(catU);
		billing[cat] = catOut;
		totalU += catU;
	}
	billing.total_amount = money(totalU);
	return { billing };
}

/** #10: daily sums spread over the days the resource ran this month (proportional to hours, exact total). */
function resourceBillingSummary(line, ymKey, nowMs) {
	const { start, end, hours: monthHours } = monthBounds(ymKey);
	const elapsed = billedHours(start, end, monthHours, nowMs);
	const first = line.spec.start || 0;
	const perDay = new Map();
	for (let h = first; h < elapsed; h++) {
		const day = new Date(start + h * HOUR).toISOString().slice(0, 10);
		perDay.set(day, (perDay.get(day) || 0) + 1);
	}
	const totalU = lineAmountU(line);
	const totalHours = elapsed - first;
	const daily = {};
	let acc = 0;
	const days = [...perDay.keys()];
	days.forEach((day, i) => {
		const u = i === days.length - 1 ? totalU - acc : Math.floor((totalU * perDay.get(day)) / totalHours);
		acc += u;
		daily[day] = money(u);
	});
	const d0 = line.details[line.details.length - 1];
	const details = { hours: lineHours(line) };
	if (d0.plan) details.plan = d0.plan;
	details.resource_id = line.spec.id;
	details.title = line.spec.title;
	details.type = line.spec.type;
	details.zone = line.spec.zone;
	return { billing: { daily_sums: daily, details, total_amount: money(totalU) } };
}

const YM = /^(\d{4})-(0[1-9]|1[0-2])$/;

function parseYm(value) {
	if (!YM.test(value)) {
		throw new UpCloudError(400, 'INVALID_DATE', `The year and month ${value} is invalid, use the form YYYY-MM.`);
	}
	return value;
}

function requireBilling(ctx) {
	if (ctx.principal.type === 'main') return;
	const sub = ctx.state.subaccounts.get(ctx.principal.username);
	if (!sub || !sub.details.roles.role.includes('billing')) {
		throw new UpCloudError(403, 'ACTION_FORBIDDEN', 'The account has no permission to read billing details.');
	}
}

function billingOwner(ctx) {
	const { state } = ctx;
	const username = single(ctx.query, 'username');
	if (username === undefined || username === '') return { owner: '__main__', currency: state.main.details.currency };
	// Partner API (#14c): the username must be an account associated with this partner.
	if (ctx.principal.type !== 'main' || !state.main.partner) {
		throw new UpCloudError(403, 'ACTION_FORBIDDEN', 'Partner API access is required for the username parameter.');
	}
	if (username === state.main.username) return { owner: '__main__', currency: state.main.details.currency };
	if (!state.partnerAccounts.has(username)) {
		// UNCONFIRMED: the docs only say an association is required; 403 ACCOUNT_FORBIDDEN chosen here.
		throw new UpCloudError(403, 'ACCOUNT_FORBIDDEN', `The account ${username} is not associated with your partner account.`);
	}
	return { owner: username, currency: state.partnerAccounts.get(username).country === 'USA' ? 'USD' : 'EUR' };
}

/** Routes of this area, tried in this order ([method, path pattern, handler]). */
const routes = [
	['GET', /^\/account\/billing\/summary\/([^/]+)$/, (ctx, [ymRaw]) => {
		requireBilling(ctx);
		const ymKey = parseYm(ymRaw);
		const { owner, currency } = billingOwner(ctx);
		let lines = billingLines(ctx.state, owner, ymKey, ctx.now);
		const rid = single(ctx.query, 'resource_id');
		if (rid) lines = lines.filter((l) => l.spec.id === rid);
		return { json: flatSummary(lines, currency) };
	}],
	// #8/#9 deprecated; they take no username (a username query is ignored, as an unknown parameter would be).
	['GET', /^\/account\/billing_summary\/([^/]+)$/, (ctx, [ymRaw]) => {
		requireBilling(ctx);
		const lines = billingLines(ctx.state, '__main__', parseYm(ymRaw), ctx.now);
		return { json: deprecatedSummary(lines, ctx.state.main.details.currency, false) };
	}],
	['GET', /^\/account\/billing_summary\/([^/]+)\/detailed$/, (ctx, [ymRaw]) => {
		requireBilling(ctx);
		const lines = billingLines(ctx.state, '__main__', parseYm(ymRaw), ctx.now);
		return { json: deprecatedSummary(lines, ctx.state.main.details.currency, true) };
	}],
	['GET', /^\/account\/resource_billing_summary\/([^/]+)\/([^/]+)$/, (ctx, [rid, ymRaw]) => {
		requireBilling(ctx);
		const ymKey = parseYm(ymRaw);
		const line = billingLines(ctx.state, '__main__', ymKey, ctx.now).find((l) => l.spec.id === rid);
		if (!line) throw new UpCloudError(404, 'RESOURCE_NOT_FOUND', `No billing for resource ${rid} in ${ymKey}.`);
		return { json: resourceBillingSummary(line, ymKey, ctx.now) };
	}],
	// #11: the docs use a trailing slash, the generated client none; both are served.
];

module.exports = {
	billingLines,
	flatSummary,
	routes,
};

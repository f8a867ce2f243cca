'use strict';
/**
 * UpCloud API 1.3 as documented in docs/api (upcloud-endpoints.md §1 #1–#14c, upcloud-accounts-api.txt,
 * upcloud-partner-api.txt). Served under `/1.3`. Where the docs mark something UNCONFIRMED, the choice made here is
 * noted in a comment; error codes come from the docs' tables or, failing that, from the Go SDK's error code list.
 */

const {
	prng,
	hash32,
	negotiate,
	parseRfc3339,
	daysInMonth,
	ym: ymOf,
	isoSeconds,
	isPlainObject,
} = require('./common');
const { ISO3166_ALPHA3 } = require('./reference-data');
const { Problem, problemBody, createTokenState, authenticateBearer, tokenRoutes, tokenSnapshot } = require('./upcloud-tokens');
const audit = require('./upcloud-audit');

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

class UpCloudError extends Error {
	constructor(status, code, message) {
		super(message);
		this.status = status;
		this.code = code;
	}
}
const invalid = (attr) =>
	new UpCloudError(400, `${attr.toUpperCase()}_INVALID`, `The attribute ${attr} has an invalid value.`);
const missing = (attr) => new UpCloudError(400, `${attr.toUpperCase()}_MISSING`, `The attribute ${attr} is missing.`);

// ---------------------------------------------------------------------------------------------------------------
// Seed data
// ---------------------------------------------------------------------------------------------------------------

const RESOURCE_LIMITS = {
	cores: 200,
	detached_floating_ips: 10,
	load_balancers: 50,
	managed_databases: 100,
	managed_kubernetes: 100,
	managed_object_storages: 100,
	memory: 1048576,
	network_gateways: 100,
	network_peerings: 100,
	networks: 100,
	ntp_excess_gib: 20000,
	public_ipv4: 100,
	public_ipv6: 100,
	routers: 100,
	storage_hdd: 10240,
	storage_maxiops: 10240,
	storage_standard: 10240,
	storage_total: 30720,
};

const CONTACT_FIELDS = [
	'first_name',
	'last_name',
	'company',
	'address',
	'postal_code',
	'city',
	'state',
	'country',
	'email',
	'phone',
	'vat_number',
];

function detailsDefaults() {
	return {
		first_name: '',
		last_name: '',
		company: '',
		address: '',
		postal_code: '',
		city: '',
		state: '',
		country: '',
		currency: 'EUR',
		language: 'en',
		phone: '',
		email: '',
		vat_number: '',
		timezone: 'UTC',
		allow_api: 'yes',
		allow_gui: 'yes',
		enable_3rd_party_services: 'yes',
		campaigns: { campaign: [] },
		roles: { role: [] },
		server_access: { server: [] },
		storage_access: { storage: [] },
		network_access: { network: [] },
		tag_access: { tag: [] },
		ip_filters: { ip_filter: [] },
		labels: [],
	};
}

function seedSubaccounts(main) {
	const base = {
		company: main.details.company,
		address: 'Mannerheimintie 1',
		postal_code: '00100',
		city: 'Helsinki',
		country: 'FIN',
		currency: 'EUR',
		language: 'en',
		timezone: 'Europe/Helsinki',
	};
	return [
		{
			username: 'ops_team',
			first_name: 'Olli',
			last_name: 'Operaattori',
			email: 'ops@sandbox-hosting.example',
			phone: '+358.401111111',
			roles: { role: ['technical'] },
			server_access: { server: [{ storage: 'yes', uuid: '*' }] },
			storage_access: { storage: ['*'] },
			network_access: { network: ['*'] },
			labels: [
				{ key: 'department', value: 'it' },
				{ key: 'env', value: 'prod' },
			],
		},
		{
			username: 'finance_bot',
			first_name: 'Fiona',
			last_name: 'Ledger',
			email: 'finance@sandbox-hosting.example',
			phone: '+358.402222222',
			roles: { role: ['billing', 'aux_billing'] },
			allow_gui: 'no',
			labels: [{ key: 'department', value: 'finance' }],
		},
		{
			username: 'staging_ci',
			first_name: 'Casey',
			last_name: 'Integrator',
			email: 'ci@sandbox-hosting.example',
			phone: '+358.403333333',
			roles: { role: ['technical'] },
			allow_gui: 'no',
			tag_access: { tag: [{ name: 'staging', storage: 'yes' }] },
			labels: [
				{ key: 'env', value: 'staging' },
				{ key: 'to_be_removed', value: 'after 2026-12-31' },
			],
		},
		{
			username: 'auditor_ro',
			first_name: 'Aino',
			last_name: 'Auditor',
			email: 'audit@sandbox-hosting.example',
			phone: '+358.404444444',
			allow_api: 'yes',
			allow_gui: 'yes',
			labels: [],
		},
		{
			username: 'us_sales',
			first_name: 'Sam',
			last_name: 'Seller',
			company: 'Sandbox Hosting Inc.',
			address: '500 Market Street',
			postal_code: '94105',
			city: 'San Francisco',
			state: 'California',
			country: 'USA',
			currency: 'USD',
			timezone: 'America/Los_Angeles',
			email: 'sales-us@sandbox-hosting.example',
			phone: '+1.4155550123',
			roles: { role: ['billing'] },
			// Mixed-case key: label keys match case-insensitively (?label=region finds it).
			labels: [
				{ key: 'department', value: 'sales' },
				{ key: 'Region', value: 'us-west' },
			],
		},
	].map((s) => ({ ...detailsDefaults(), ...base, ...s }));
}

const PARTNER_ACCOUNTS = [
	{
		username: 'acme_corp',
		first_name: 'Wile',
		last_name: 'Coyote',
		company: 'Acme Corporation Oy',
		address: 'Aleksanterinkatu 15',
		postal_code: '00100',
		city: 'Helsinki',
		state: '',
		country: 'FIN',
		email: 'billing@acme.example',
		phone: '+358.405555555',
		vat_number: 'FI23456789',
	},
	{
		username: 'globex_gmbh',
		first_name: 'Hank',
		last_name: 'Scorpio',
		company: 'Globex GmbH',
		address: 'Friedrichstraße 100',
		postal_code: '10117',
		city: 'Berlin',
		state: '',
		country: 'DEU',
		email: 'it@globex.example',
		phone: '+49.3012345678',
		vat_number: 'DE123456789',
	},
	{
		username: 'initech_us',
		first_name: 'Bill',
		last_name: 'Lumbergh',
		company: 'Initech LLC',
		address: '4120 Freidrich Lane',
		postal_code: '78744',
		city: 'Austin',
		state: 'Texas',
		country: 'USA',
		email: 'tps@initech.example',
		phone: '+1.5125550199',
		vat_number: '',
	},
];

// Hourly prices (EUR) used to turn hours into amounts; close to UpCloud's list prices.
const PLAN_RATES = {
	'1xCPU-1GB': 0.0104,
	'1xCPU-2GB': 0.0208,
	'2xCPU-4GB': 0.0387,
	'4xCPU-8GB': 0.0774,
	'6xCPU-16GB': 0.1548,
	'1x1xCPU-2GB-25GB': 0.0417,
	'2x2xCPU-4GB-50GB': 0.1389,
	development: 0.0139,
};

/**
 * Billable resources per account. `start` is the hour of the month the resource was created (0 = existed before),
 * so part-month resources have fewer hours. `planChange` splits the hours into two detail rows (a resize).
 */
function resourceSpecs(owner, seed) {
	const r = prng(hash32(`${seed}:${owner}`));
	const u = (prefix) => r.uuid(prefix);
	if (owner === '__main__') {
		return [
			{ category: 'servers', group: 'server', type: 'server', id: '00798b85-efdc-41ca-8021-f6ef457b8531', title: 'web-1.sandbox.example', zone: 'fi-hel2', plan: '2xCPU-4GB', labels: [{ key: 'env', value: 'prod' }], firewall: 0.00076, services: ['server_public', 'server_private'] },
			{ category: 'servers', group: 'server', type: 'server', id: u('00'), title: 'web-2.sandbox.example', zone: 'de-fra1', plan: '2xCPU-4GB', planChange: { plan: '4xCPU-8GB', fraction: 0.1 }, labels: [{ key: 'env', value: 'prod' }], services: ['server_public'] },
			{ category: 'servers', group: 'server', type: 'server', id: u('00'), title: 'backup-runner', zone: 'fi-hel1', plan: '1xCPU-1GB', firewall: '0.42', labels: [], services: ['server_public', 'server_private_vlan'] },
			{ category: 'servers', group: 'server', type: 'server', id: u('00'), title: 'ci-builder', zone: 'fi-hel1', plan: 'custom', cores: 4, memory: 8192, start: 200, labels: [{ key: 'env', value: 'staging' }], services: ['server_public'] },
			{ category: 'storages', group: 'storage', type: 'storage', id: u('01'), title: 'web-1 OS', zone: 'fi-hel2', size: 50, perGib: 0.000308 },
			{ category: 'storages', group: 'storage', type: 'storage', id: u('01'), title: 'web-2 OS', zone: 'de-fra1', size: 50, perGib: 0.000308 },
			{ category: 'storages', group: 'storage', type: 'storage', id: u('01'), title: 'data volume', zone: 'fi-hel1', size: 250, perGib: 0.000308 },
			{ category: 'storages', group: 'backup', type: 'backup', id: u('01'), title: 'web-1 OS backup', zone: 'fi-hel2', size: 50, perGib: 0.0000764 },
			{ category: 'storages', group: 'template', type: 'template', id: u('01'), title: 'golden image', zone: 'fi-hel1', size: 10, perGib: 0.000308 },
			{ category: 'networks', group: 'ipv4_address', type: 'ipv4_address', id: '94.237.101.17', title: '94.237.101.17', zone: 'fi-hel2', rate: 0.00411 },
			{ category: 'networks', group: 'ipv4_address', type: 'ipv4_address', id: '94.237.55.200', title: '94.237.55.200', zone: 'de-fra1', rate: 0.00411 },
			{ category: 'managed_databases', group: 'managed_database', type: 'managed_database', id: u('09'), title: 'pg-main', zone: 'fi-hel2', plan: '2x2xCPU-4GB-50GB' },
			{ category: 'managed_databases', group: 'managed_database', type: 'managed_database', id: u('09'), title: 'mysql-reports', zone: 'fi-hel1', plan: '1x1xCPU-2GB-25GB', start: 120 },
			{ category: 'managed_object_storages', group: 'managed_object_storage', type: 'managed_object_storage', id: u('12'), title: 'assets', zone: 'europe-1', billable_size_gib: 500, rate: 0.0120, services: ['object_storage_v2_public'] },
			{ category: 'managed_loadbalancers', group: 'managed_loadbalancer', type: 'managed_loadbalancer', id: u('0a'), title: 'web-lb', zone: 'fi-hel2', plan: 'development', services: ['load_balancer_public', 'load_balancer_private'] },
		];
	}
	const specs = {
		acme_corp: [
			{ category: 'servers', group: 'server', type: 'server', id: u('00'), title: 'acme-app', zone: 'fi-hel1', plan: '2xCPU-4GB', labels: [] },
			{ category: 'servers', group: 'server', type: 'server', id: u('00'), title: 'acme-worker', zone: 'fi-hel1', plan: '1xCPU-2GB', labels: [] },
			{ category: 'storages', group: 'storage', type: 'storage', id: u('01'), title: 'acme-app OS', zone: 'fi-hel1', size: 80, perGib: 0.000308 },
			{ category: 'networks', group: 'ipv4_address', type: 'ipv4_address', id: '5.22.220.14', title: '5.22.220.14', zone: 'fi-hel1', rate: 0.00411 },
		],
		globex_gmbh: [
			{ category: 'servers', group: 'server', type: 'server', id: u('00'), title: 'globex-erp', zone: 'de-fra1', plan: '6xCPU-16GB', labels: [{ key: 'team', value: 'erp' }] },
			{ category: 'managed_databases', group: 'managed_database', type: 'managed_database', id: u('09'), title: 'globex-pg', zone: 'de-fra1', plan: '2x2xCPU-4GB-50GB' },
		],
		initech_us: [
			{ category: 'servers', group: 'server', type: 'server', id: u('00'), title: 'tps-1', zone: 'us-nyc1', plan: '1xCPU-1GB', labels: [] },
			{ category: 'servers', group: 'server', type: 'server', id: u('00'), title: 'tps-2', zone: 'us-nyc1', plan: '1xCPU-1GB', labels: [] },
			{ category: 'servers', group: 'server', type: 'server', id: u('00'), title: 'tps-3', zone: 'us-chi1', plan: '1xCPU-2GB', start: 300, labels: [] },
		],
	};
	return specs[owner] || [];
}

function rateOf(spec, plan) {
	if (spec.rate) return spec.rate;
	if (spec.perGib) return spec.perGib * spec.size;
	if (plan === 'custom') return spec.cores * 0.0087 + (spec.memory / 1024) * 0.0029;
	return PLAN_RATES[plan] || 0.02;
}

// ---------------------------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------------------------

function createUpCloudState(opts) {
	const username = opts.upcloudUser;
	const main = {
		username,
		password: opts.upcloudPassword,
		type: 'main',
		credits: opts.credits ?? 84215.3127, // hundredths of the currency: 842.15 EUR
		resource_limits: { ...RESOURCE_LIMITS },
		partner: true,
		details: {
			...detailsDefaults(),
			first_name: 'Sandra',
			last_name: 'Box',
			company: 'Sandbox Hosting Oy',
			address: 'Mannerheimintie 1',
			postal_code: '00100',
			city: 'Helsinki',
			country: 'FIN',
			currency: 'EUR',
			language: 'en',
			phone: '+358.401234567',
			email: 'owner@sandbox-hosting.example',
			vat_number: 'FI12345678',
			timezone: 'Europe/Helsinki',
			roles: { role: ['billing', 'aux_billing', 'technical'] },
			server_access: { server: [{ storage: 'yes', uuid: '*' }] },
			storage_access: { storage: ['*'] },
			network_access: { network: ['*'] },
		},
	};
	const subaccounts = new Map();
	for (const s of seedSubaccounts(main)) {
		const { username: u, ...details } = s;
		subaccounts.set(u, { username: u, password: opts.subaccountPassword, type: 'sub', details });
	}
	const partnerAccounts = new Map(
		PARTNER_ACCOUNTS.map((p) => [p.username, { ...p, password: 'Partner-Pass-123' }]),
	);
	return {
		seed: opts.seed,
		main,
		subaccounts,
		partnerAccounts,
		tokenState: createTokenState(opts, username),
		auditState: audit.createAuditState(opts, username),
		permissions: seedPermissions(username),
		partnerAccountLimit: opts.partnerAccountLimit ?? 50,
		// Billing overrides for the current month, per account ('__main__' or a partner username).
		billingOverrides: {},
		network: {
			transferBytes: null, // current month's total sent bytes (null: generated)
			hourlyQuotaIncreaseBytes: 10577635230,
			accumulatedQuotaBytes: null,
			resourceTransferBytes: {}, // resource_id → current month's sent bytes
		},
		resourceSpecCache: new Map(),
	};
}

function specsFor(state, owner) {
	if (!state.resourceSpecCache.has(owner)) state.resourceSpecCache.set(owner, resourceSpecs(owner, state.seed));
	return state.resourceSpecCache.get(owner);
}

// ---------------------------------------------------------------------------------------------------------------
// Billing
// ---------------------------------------------------------------------------------------------------------------

const UNIT = 1e5; // amounts are kept as integers of 1/100000 currency units (UpCloud prints 5 decimals)
const money = (units) => Number((units / UNIT).toFixed(5));

function monthBounds(ymKey) {
	const [y, m] = ymKey.split('-').map(Number);
	const start = Date.UTC(y, m - 1, 1);
	return { start, end: Date.UTC(y, m, 1), hours: daysInMonth(y, m) * 24 };
}

/** Hours billed so far in a month: all of a past month; in the current one, every started hour (the one running too). */
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

// ---------------------------------------------------------------------------------------------------------------
// Network statistics
// ---------------------------------------------------------------------------------------------------------------

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

function csv(rows, header, columns) {
	const esc = (v) => (v === null || v === undefined ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
	return [header, ...rows.map((r) => columns.map((c) => esc(r[c])).join(','))].join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------------------------
// Validation of account bodies
// ---------------------------------------------------------------------------------------------------------------

const USERNAME_SUB = /^[A-Za-z0-9_]{4,64}$/; // docs: "valid username, 4..64 characters"; sandbox allows letters, digits, _
const USERNAME_PARTNER = /^[a-z0-9]+(_[a-z0-9]+)*$/;
const PHONE = /^\+[1-9][0-9]{0,3}\.[0-9]{4,20}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const YES_NO = new Set(['yes', 'no']);
const ROLES = new Set(['billing', 'aux_billing', 'technical']);

function isValidTimezone(tz) {
	if (typeof tz !== 'string' || !/^(UTC|[A-Za-z]+(\/[A-Za-z0-9_+-]+)+)$/.test(tz)) return false;
	try {
		new Intl.DateTimeFormat('en', { timeZone: tz });
		return true;
	} catch {
		return false;
	}
}

function checkString(attr, v, min, max) {
	if (typeof v !== 'string' || v.length < min || v.length > max) throw invalid(attr);
}

/** Validates the attributes present in a subaccount create/modify body. `creating` adds the required-field rules. */
function validateAccountAttributes(body, { creating, allowed }) {
	for (const key of Object.keys(body)) {
		if (!allowed.has(key)) {
			throw new UpCloudError(400, 'UNKNOWN_ATTRIBUTE', `The attribute ${key} is unknown.`);
		}
	}
	const has = (k) => body[k] !== undefined && body[k] !== null;
	if (creating) {
		if (!has('username') || body.username === '') throw missing('username');
		if (typeof body.username !== 'string' || !USERNAME_SUB.test(body.username)) {
			throw new UpCloudError(400, 'INVALID_USERNAME', 'The attribute username has an invalid value.');
		}
		if (has('password')) {
			const p = body.password;
			if (typeof p !== 'string' || p.length < 8 || p.length > 256 || !/[a-z]/.test(p) || !/[A-Z]/.test(p) || !/[0-9]/.test(p)) {
				throw invalid('password');
			}
		}
		for (const k of ['currency', 'language', 'phone', 'email', 'timezone']) {
			if (!has(k) || body[k] === '') throw missing(k);
		}
	}
	for (const k of ['first_name', 'last_name']) if (has(k) && body[k] !== '') checkString(k, body[k], 1, 50);
	if (has('company') && body.company !== '') checkString('company', body.company, 1, 100);
	if (has('address') && body.address !== '') {
		checkString('address', body.address, 1, 201);
		const lines = body.address.split('\n');
		if (lines.length > 2 || lines.some((l) => l.length < 1 || l.length > 100)) throw invalid('address');
	}
	if (has('postal_code') && body.postal_code !== '') checkString('postal_code', body.postal_code, 1, 100);
	if (has('city') && body.city !== '') checkString('city', body.city, 1, 100);
	if (has('state') && typeof body.state !== 'string') throw invalid('state');
	if (has('country') && body.country !== '' && !ISO3166_ALPHA3.has(body.country)) throw invalid('country');
	if (has('currency') && !['EUR', 'GBP', 'USD', 'SGD'].includes(body.currency)) throw invalid('currency');
	if (has('language') && !['fi', 'en'].includes(body.language)) throw invalid('language');
	if (has('phone') && (typeof body.phone !== 'string' || !PHONE.test(body.phone))) throw invalid('phone');
	if (has('email') && (typeof body.email !== 'string' || !EMAIL.test(body.email))) throw invalid('email');
	if (has('vat_number') && (typeof body.vat_number !== 'string' || body.vat_number.length > 50)) throw invalid('vat_number');
	if (has('timezone') && !isValidTimezone(body.timezone)) {
		throw new UpCloudError(400, 'TIMEZONE_INVALID', 'The attribute timezone has an invalid value.');
	}
	for (const k of ['allow_api', 'allow_gui', 'enable_3rd_party_services']) {
		if (has(k) && !YES_NO.has(body[k])) throw invalid(k);
	}
	if (has('roles')) {
		const r = body.roles;
		if (!isPlainObject(r) || !Array.isArray(r.role) || r.role.some((x) => !ROLES.has(x))) throw invalid('roles');
	}
	const list = (attr, inner, check) => {
		if (!has(attr)) return;
		const v = body[attr];
		if (!isPlainObject(v) || !Array.isArray(v[inner]) || !v[inner].every(check)) throw invalid(attr);
	};
	const uuidOrStar = (x) => typeof x === 'string' && (x === '*' || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(x));
	list('server_access', 'server', (x) => isPlainObject(x) && uuidOrStar(x.uuid) && (x.storage === undefined || YES_NO.has(x.storage)));
	list('storage_access', 'storage', uuidOrStar);
	list('network_access', 'network', uuidOrStar);
	list('tag_access', 'tag', (x) => isPlainObject(x) && typeof x.name === 'string' && x.name !== '' && (x.storage === undefined || YES_NO.has(x.storage)));
	list('ip_filters', 'ip_filter', (x) => typeof x === 'string' && /^[0-9a-fA-F.:/\- ]+$/.test(x));
	if (has('labels')) {
		if (!Array.isArray(body.labels)) throw invalid('labels');
		const seen = new Set();
		for (const l of body.labels) {
			if (!isPlainObject(l) || typeof l.key !== 'string' || l.key === '' || l.key.length > 255 || /[=\s]/.test(l.key)) {
				throw new UpCloudError(400, 'INVALID_LABEL_KEY', 'The label key is invalid.');
			}
			if (typeof l.value !== 'string' || l.value.length > 255) {
				throw new UpCloudError(400, 'INVALID_LABEL_VALUE', `The value of label ${l.key} is invalid.`);
			}
			const k = l.key.toLowerCase();
			if (seen.has(k)) throw new UpCloudError(400, 'DUPLICATE_LABEL_KEYS', `The label key ${l.key} is given more than once.`);
			seen.add(k);
		}
	}
}

/** Contact rules that depend on the whole record (after a modify is merged): billing accounts need an address. */
function validateBillingContact(details) {
	// "Required: yes for billing accounts" — read here as accounts with the billing role.
	if (!details.roles.role.includes('billing')) return;
	for (const k of ['first_name', 'last_name', 'address', 'postal_code', 'city', 'country']) {
		if (!details[k]) throw missing(k);
	}
	if (details.country === 'USA' && !details.state) throw missing('state');
}

const SUB_CREATE_ATTRS = new Set([
	...CONTACT_FIELDS,
	'username',
	'password',
	'currency',
	'language',
	'timezone',
	'roles',
	'allow_api',
	'allow_gui',
	'enable_3rd_party_services',
	'network_access',
	'server_access',
	'storage_access',
	'tag_access',
	'ip_filters',
	'labels',
]);
const MODIFY_ATTRS = new Set([...SUB_CREATE_ATTRS].filter((k) => k !== 'username' && k !== 'password'));

function validatePartnerCreate(body) {
	const allowed = new Set(['username', 'password', 'contact_details']);
	for (const key of Object.keys(body)) {
		if (!allowed.has(key)) throw new UpCloudError(400, 'UNKNOWN_ATTRIBUTE', `The attribute ${key} is unknown.`);
	}
	if (body.username === undefined || body.username === null || body.username === '') throw missing('username');
	if (typeof body.username !== 'string' || body.username.length < 4 || body.username.length > 64 || !USERNAME_PARTNER.test(body.username)) {
		throw invalid('username');
	}
	if (body.password === undefined || body.password === null || body.password === '') throw missing('password');
	const p = body.password;
	if (typeof p !== 'string' || p.length < 8 || p.length > 256 || !/[a-z]/.test(p) || !/[A-Z]/.test(p) || !/[0-9]/.test(p)) {
		throw invalid('password');
	}
	if (body.contact_details === undefined || body.contact_details === null) return;
	const c = body.contact_details;
	if (!isPlainObject(c)) throw invalid('contact_details');
	for (const key of Object.keys(c)) {
		if (!CONTACT_FIELDS.includes(key)) throw new UpCloudError(400, 'UNKNOWN_ATTRIBUTE', `The attribute ${key} is unknown.`);
	}
	const present = (k) => c[k] !== undefined && c[k] !== null && c[k] !== '';
	for (const k of ['first_name', 'last_name', 'email', 'phone', 'country']) if (!present(k)) throw missing(k);
	checkString('first_name', c.first_name, 1, 50);
	checkString('last_name', c.last_name, 1, 50);
	if (typeof c.email !== 'string' || !EMAIL.test(c.email)) throw invalid('email');
	if (typeof c.phone !== 'string' || !PHONE.test(c.phone)) throw invalid('phone');
	if (typeof c.country !== 'string' || !ISO3166_ALPHA3.has(c.country)) throw invalid('country');
	if (present('company')) checkString('company', c.company, 1, 100);
	if (present('address')) {
		checkString('address', c.address, 1, 201);
		const lines = c.address.split('\n');
		if (lines.length > 2 || lines.some((l) => l.length < 1 || l.length > 100)) throw invalid('address');
	}
	if (present('postal_code')) checkString('postal_code', c.postal_code, 1, 20);
	if (present('city')) checkString('city', c.city, 1, 100);
	if (present('state') && typeof c.state !== 'string') throw invalid('state');
	if (c.country === 'USA' && !present('state')) throw missing('state');
	if (present('vat_number') && (typeof c.vat_number !== 'string' || c.vat_number.length > 50)) throw invalid('vat_number');
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP handling
// ---------------------------------------------------------------------------------------------------------------

/** The account a token or a login acts as, if it still may use the API. */
function apiAccount(state, username) {
	if (username === state.main.username) return { username, type: 'main' };
	const sub = state.subaccounts.get(username);
	return sub && sub.details.allow_api === 'yes' ? { username, type: 'sub' } : undefined;
}

/** HTTP Basic with the main account or a subaccount, or (upcloud-tokens.js) a Bearer API token. */
function authenticate(ctx) {
	const { state } = ctx;
	const header = ctx.req.headers.authorization;
	const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header || '');
	if (bearer) return authenticateBearer(ctx, bearer[1], (username) => apiAccount(state, username));
	const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header || '');
	if (!m) return { ok: false, auth: header ? `${header.split(' ')[0].toLowerCase()} (not basic or bearer)` : 'none' };
	const decoded = Buffer.from(m[1], 'base64').toString('utf8');
	const i = decoded.indexOf(':');
	const user = i < 0 ? decoded : decoded.slice(0, i);
	const pass = i < 0 ? '' : decoded.slice(i + 1);
	if (user === state.main.username && pass === state.main.password) {
		return { ok: true, auth: `basic:${user}`, principal: { username: user, type: 'main' } };
	}
	const sub = state.subaccounts.get(user);
	if (sub && sub.password && pass === sub.password && sub.details.allow_api === 'yes') {
		return { ok: true, auth: `basic:${user}`, principal: { username: user, type: 'sub' } };
	}
	return { ok: false, auth: `basic:${user} (rejected)` };
}

function accountSummary(username, type, details) {
	return { labels: details.labels, roles: details.roles, type, username };
}

function fullDetails(state, username) {
	if (username === state.main.username) {
		return { type: 'main', username, ...state.main.details };
	}
	const sub = state.subaccounts.get(username);
	return { main_account: state.main.username, type: 'sub', username, ...sub.details };
}

/** Label filter: `key` or `key=value`; keys case-insensitive, values exact; several filters ANDed. */
function matchesLabels(labels, filters) {
	return filters.every((f) => {
		const i = f.indexOf('=');
		const key = (i < 0 ? f : f.slice(0, i)).toLowerCase();
		return labels.some((l) => l.key.toLowerCase() === key && (i < 0 || l.value === f.slice(i + 1)));
	});
}

const YM = /^(\d{4})-(0[1-9]|1[0-2])$/;

function parseYm(value) {
	if (!YM.test(value)) {
		throw new UpCloudError(400, 'INVALID_DATE', `The year and month ${value} is invalid, use the form YYYY-MM.`);
	}
	return value;
}

function asList(v) {
	if (v === undefined) return [];
	return Array.isArray(v) ? v : [v];
}

function single(query, name) {
	const v = query[name];
	return Array.isArray(v) ? v[v.length - 1] : v;
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

function requireMain(ctx) {
	if (ctx.principal.type !== 'main') {
		throw new UpCloudError(403, 'ACCOUNT_FORBIDDEN', 'This operation is available to the main account only.');
	}
}

function requireBilling(ctx) {
	if (ctx.principal.type === 'main') return;
	const sub = ctx.state.subaccounts.get(ctx.principal.username);
	if (!sub || !sub.details.roles.role.includes('billing')) {
		throw new UpCloudError(403, 'ACTION_FORBIDDEN', 'The account has no permission to read billing details.');
	}
}

function requireJsonBody(ctx, envelope) {
	let body;
	try {
		body = ctx.rawBody ? JSON.parse(ctx.rawBody) : undefined;
	} catch {
		throw new UpCloudError(400, 'INVALID_REQUEST', 'The request body is not valid JSON.');
	}
	if (!isPlainObject(body)) throw new UpCloudError(400, 'INVALID_REQUEST', 'The request body must be a JSON object.');
	if (!envelope) return body;
	const keys = Object.keys(body);
	if (!isPlainObject(body[envelope]) || keys.length !== 1) {
		throw new UpCloudError(
			400,
			'INVALID_REQUEST',
			`The request body must be a single ${envelope} object, e.g. {"${envelope}":{…}} (got ${keys.map((k) => `"${k}"`).join(', ') || 'nothing'}).`,
		);
	}
	return body[envelope];
}

/** Looks a username up for details/modify: own account, or a subaccount of the caller's main account. */
function resolveAccount(ctx, username, { subOnly = false } = {}) {
	const { state, principal } = ctx;
	const isMain = username === state.main.username;
	const isSub = state.subaccounts.has(username);
	if (!isMain && !isSub) {
		if (state.partnerAccounts.has(username)) {
			throw new UpCloudError(403, 'ACCOUNT_FORBIDDEN', `The account ${username} is not under your main account.`);
		}
		throw new UpCloudError(404, 'USER_NOT_FOUND', `The account ${username} does not exist.`);
	}
	if (principal.type === 'sub' && username !== principal.username) {
		throw new UpCloudError(403, 'ACCOUNT_FORBIDDEN', 'A subaccount can only query and modify its own details.');
	}
	if (subOnly && !isSub) {
		throw new UpCloudError(404, 'USER_NOT_FOUND', `The account ${username} is not a subaccount.`);
	}
	return isMain ? state.main.details : state.subaccounts.get(username).details;
}

function modifyAccount(ctx, username, opts) {
	const details = resolveAccount(ctx, username, opts);
	const changes = requireJsonBody(ctx, 'account');
	validateAccountAttributes(changes, { creating: false, allowed: MODIFY_ATTRS });
	const merged = { ...details, ...changes };
	validateBillingContact(merged);
	Object.assign(details, changes);
	return { status: 204 };
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

// ---------------------------------------------------------------------------------------------------------------
// Permissions (upcloud-tokens.md §8): legacy {"error":{…}} answers, unlike the token service
// ---------------------------------------------------------------------------------------------------------------

// The Go SDK's target types plus managed_object_storage, which the docs' example shows.
const TARGET_TYPES = [
	'server',
	'storage',
	'network',
	'router',
	'object_storage',
	'managed_object_storage',
	'managed_database',
	'managed_loadbalancer',
	'tag_access',
];
const WITH_STORAGE = ['server', 'tag_access'];
const KNOWN_TAGS = ['prod', 'staging'];

/** As the docs' example: the main account holds `*` of every type; two subaccounts hold narrower ones. */
function seedPermissions(mainUser) {
	return [
		...TARGET_TYPES.map((type) => ({
			...(WITH_STORAGE.includes(type) ? { options: { storage: 'yes' } } : {}),
			target_identifier: '*',
			target_type: type,
			user: mainUser,
		})),
		{ options: { storage: 'yes' }, target_identifier: '*', target_type: 'server', user: 'ops_team' },
		{ options: { storage: 'yes' }, target_identifier: 'staging', target_type: 'tag_access', user: 'staging_ci' },
	];
}

/** The one permission a grant or revoke body names, checked as the docs describe the fields. */
function permissionFromBody(ctx) {
	const p = requireJsonBody(ctx, 'permission');
	for (const key of Object.keys(p)) {
		if (!['target_identifier', 'target_type', 'user', 'options'].includes(key)) {
			throw new UpCloudError(400, 'UNKNOWN_ATTRIBUTE', `The attribute ${key} is not allowed here.`);
		}
	}
	if (p.user === undefined || p.user === '') throw missing('user');
	if (typeof p.user !== 'string') throw invalid('user');
	if (p.user !== ctx.state.main.username && !ctx.state.subaccounts.has(p.user)) {
		// UNCONFIRMED code, as for the other unknown usernames here.
		throw new UpCloudError(404, 'USER_NOT_FOUND', `The account ${p.user} does not exist.`);
	}
	if (p.target_type === undefined) throw missing('target_type');
	if (!TARGET_TYPES.includes(p.target_type)) throw invalid('target_type');
	if (p.target_identifier === undefined || p.target_identifier === '') throw missing('target_identifier');
	if (typeof p.target_identifier !== 'string') throw invalid('target_identifier');
	if (p.options !== undefined) {
		// UNCONFIRMED: "options" documented for server and tag_access only; refused for the others here.
		const storage = isPlainObject(p.options) ? p.options.storage : undefined;
		const keys = isPlainObject(p.options) ? Object.keys(p.options) : ['?'];
		if (keys.some((k) => k !== 'storage') || (storage !== undefined && storage !== 'yes' && storage !== 'no')) throw invalid('options');
		if (keys.length && !WITH_STORAGE.includes(p.target_type)) throw invalid('options');
	}
	return {
		...(p.options && Object.keys(p.options).length ? { options: { ...p.options } } : {}),
		target_identifier: p.target_identifier,
		target_type: p.target_type,
		user: p.user,
	};
}

/** Whether the target exists: `*`, a known tag, or one of the main account's billed resources of that type. */
function targetExists(state, type, identifier) {
	if (identifier === '*') return true;
	if (type === 'tag_access') return KNOWN_TAGS.includes(identifier);
	const byCategory = { server: 'server', storage: 'storage' };
	return specsFor(state, '__main__').some((spec) => spec.id === identifier && spec.type === (byCategory[type] ?? type));
}

const samePermission = (a, b) => a.user === b.user && a.target_type === b.target_type && a.target_identifier === b.target_identifier;

const permissionRoutes = [
	['GET', /^\/permission$/, (ctx) => {
		const { permissions, main } = ctx.state;
		// "The main account gets all; a sub-account gets only the applicable permissions."
		const mine = ctx.principal.username === main.username ? permissions : permissions.filter((p) => p.user === ctx.principal.username);
		return { json: { permissions: { permission: mine.map((p) => JSON.parse(JSON.stringify(p))) } } };
	}],
	['POST', /^\/permission\/grant$/, (ctx) => {
		requireMain(ctx);
		const skip = single(ctx.query, 'skip_target_check');
		if (skip !== undefined && skip !== 'true' && skip !== 'false') throw invalid('skip_target_check');
		const permission = permissionFromBody(ctx);
		if (skip !== 'true' && !targetExists(ctx.state, permission.target_type, permission.target_identifier)) {
			// UNCONFIRMED code for a missing target.
			throw new UpCloudError(404, 'TARGET_NOT_FOUND', `The ${permission.target_type} ${permission.target_identifier} was not found.`);
		}
		if (ctx.state.permissions.some((p) => samePermission(p, permission))) {
			// UNCONFIRMED: the docs do not say what a repeated grant does; refused as a conflict here.
			throw new UpCloudError(409, 'PERMISSION_EXISTS', 'The permission already exists.');
		}
		ctx.state.permissions.push(permission);
		return { json: { permission } };
	}],
	['POST', /^\/permission\/revoke$/, (ctx) => {
		requireMain(ctx);
		const permission = permissionFromBody(ctx);
		const index = ctx.state.permissions.findIndex((p) => samePermission(p, permission));
		// UNCONFIRMED code for revoking what was never granted.
		if (index < 0) throw new UpCloudError(404, 'PERMISSION_NOT_FOUND', 'The permission does not exist.');
		ctx.state.permissions.splice(index, 1);
		return { status: 204 };
	}],
];

const routes = [
	...tokenRoutes,
	...audit.auditRoutes,
	...permissionRoutes,
	['GET', /^\/account$/, (ctx) => {
		const { state } = ctx;
		return {
			json: {
				account: {
					credits: state.main.credits,
					username: ctx.principal.username,
					resource_limits: { ...state.main.resource_limits },
				},
			},
		};
	}],
	['GET', /^\/account\/list$/, (ctx) => {
		requireMain(ctx);
		const { state } = ctx;
		const filters = asList(ctx.query.label);
		const all = [
			accountSummary(state.main.username, 'main', state.main.details),
			...[...state.subaccounts.values()].map((s) => accountSummary(s.username, 'sub', s.details)),
		].filter((a) => matchesLabels(a.labels, filters));
		return { json: { accounts: { account: all } } };
	}],
	['GET', /^\/account\/details\/([^/]+)$/, (ctx, [u]) => {
		resolveAccount(ctx, u);
		return { json: { account: fullDetails(ctx.state, u) } };
	}],
	// #4b UNCONFIRMED: own account without a username — implemented as PUT /account/details.
	['PUT', /^\/account\/details$/, (ctx) => modifyAccount(ctx, ctx.principal.username)],
	// #4a: status UNCONFIRMED in the docs; 204 like its recorded siblings.
	['PUT', /^\/account\/details\/([^/]+)$/, (ctx, [u]) => modifyAccount(ctx, u)],
	['PUT', /^\/account\/sub\/([^/]+)$/, (ctx, [u]) => {
		requireMain(ctx);
		return modifyAccount(ctx, u, { subOnly: true });
	}],
	['POST', /^\/account\/sub$/, (ctx) => {
		requireMain(ctx);
		const { state } = ctx;
		const body = requireJsonBody(ctx, 'sub_account');
		validateAccountAttributes(body, { creating: true, allowed: SUB_CREATE_ATTRS });
		const { username, password, ...rest } = body;
		const details = { ...detailsDefaults(), ...rest };
		validateBillingContact(details);
		// UNCONFIRMED: code for a taken name; ACCOUNT_EXISTS as the partner endpoint uses.
		if (username === state.main.username || state.subaccounts.has(username) || state.partnerAccounts.has(username)) {
			throw new UpCloudError(409, 'ACCOUNT_EXISTS', `The username ${username} is already in use.`);
		}
		state.subaccounts.set(username, { username, password, type: 'sub', details });
		return { status: 204 };
	}],
	['DELETE', /^\/account\/sub\/([^/]+)$/, (ctx, [u]) => {
		requireMain(ctx);
		resolveAccount(ctx, u, { subOnly: true });
		ctx.state.subaccounts.delete(u);
		ctx.state.permissions = ctx.state.permissions.filter((p) => p.user !== u);
		return { status: 204 };
	}],
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
	['GET', /^\/partner\/accounts$/, (ctx) => {
		requireMain(ctx);
		return { json: [...ctx.state.partnerAccounts.values()].map(partnerView) };
	}],
	['POST', /^\/partner\/accounts$/, (ctx) => {
		requireMain(ctx);
		const { state } = ctx;
		const body = requireJsonBody(ctx);
		validatePartnerCreate(body);
		if (
			body.username === state.main.username ||
			state.subaccounts.has(body.username) ||
			state.partnerAccounts.has(body.username)
		) {
			throw new UpCloudError(409, 'ACCOUNT_EXISTS', `The username ${body.username} is already in use.`);
		}
		if (state.partnerAccounts.size >= state.partnerAccountLimit) {
			throw new UpCloudError(403, 'ACCOUNT_CREATION_LIMIT_REACHED', 'The partner account creation limit has been reached.');
		}
		const source = body.contact_details || state.main.details; // omitted: copied from the partner account
		const account = { username: body.username, password: body.password };
		for (const k of CONTACT_FIELDS) account[k] = typeof source[k] === 'string' ? source[k] : '';
		state.partnerAccounts.set(body.username, account);
		return { status: 201, json: partnerView(account) };
	}],
];

function partnerView(a) {
	const out = {};
	for (const k of ['address', 'city', 'company', 'country', 'email', 'first_name', 'last_name', 'phone', 'postal_code', 'state', 'username', 'vat_number']) {
		out[k] = a[k] ?? '';
	}
	return out;
}

/**
 * Handles a request whose path starts with /1.3 (or another version prefix). Returns
 * `{ status, json?, text?, contentType?, headers? }` and the auth label for the request log.
 */
function handleUpCloud(ctx) {
	const m = /^\/(\d+\.\d+)(\/.*)?$/.exec(ctx.path);
	const version = m && m[1];
	if (version !== '1.3') {
		const obsolete = version && Number(version) < 1.3;
		return {
			status: 400,
			auth: 'n/a',
			json: {
				error: obsolete
					? { error_code: 'API_VERSION_OBSOLETE', error_message: `API version ${version} is obsolete; use 1.3.` }
					: { error_code: 'API_VERSION_INVALID', error_message: 'The API version is invalid; use 1.3.' },
			},
		};
	}
	const sub = m[2] || '/';
	const a = authenticate(ctx);
	if (!a.ok) {
		// The legacy code even on the token service's paths, as upcloud-tokens.md §6 says.
		const bearer = a.auth.startsWith('bearer');
		return {
			status: 401,
			auth: a.auth,
			headers: { 'WWW-Authenticate': 'Basic realm="UpCloud API", Bearer realm="UpCloud API"' },
			json: {
				error: {
					error_code: 'AUTHENTICATION_FAILED',
					error_message: bearer
						? 'Authentication failed using the given bearer token.'
						: 'Authentication failed using the given username and password.',
				},
			},
		};
	}
	ctx.principal = a.principal;
	let pathMatched = false;
	for (const [method, re, handler] of routes) {
		const mm = re.exec(sub);
		if (!mm) continue;
		pathMatched = true;
		if (method !== ctx.method) continue;
		try {
			let params;
			try {
				params = mm.slice(1).map((p) => decodeURIComponent(p));
			} catch {
				return { status: 404, auth: a.auth, json: { error: { error_code: 'NOT_FOUND', error_message: 'Malformed path.' } } };
			}
			const out = handler(ctx, params);
			audit.recordRead(ctx, out);
			return { status: out.status || 200, auth: a.auth, ...out };
		} catch (err) {
			if (err instanceof UpCloudError) {
				return { status: err.status, auth: a.auth, json: { error: { error_code: err.code, error_message: err.message } } };
			}
			if (err instanceof Problem) {
				return { status: err.status, auth: a.auth, headers: { 'Content-Type': 'application/problem+json' }, json: problemBody(err) };
			}
			throw err;
		}
	}
	if (pathMatched) {
		const allowed = routes.filter(([, re]) => re.test(sub)).map(([m2]) => m2);
		return {
			status: 405,
			auth: a.auth,
			headers: { Allow: [...new Set(allowed)].join(', ') },
			json: { error: { error_code: 'METHOD_NOT_ALLOWED', error_message: `The method ${ctx.method} is not allowed for this resource.` } },
		};
	}
	return {
		status: 404,
		auth: a.auth,
		json: { error: { error_code: 'NOT_FOUND', error_message: `The resource ${ctx.path} was not found.` } },
	};
}

// ---------------------------------------------------------------------------------------------------------------
// Control
// ---------------------------------------------------------------------------------------------------------------

/** Applies `POST /__control/state` fields that concern UpCloud. Returns a list of field names it did not know. */
function applyUpCloudControl(state, body) {
	const num = (k) => {
		if (typeof body[k] !== 'number' || !Number.isFinite(body[k])) throw new Error(`${k} must be a finite number`);
		return body[k];
	};
	if ('credits' in body) state.main.credits = num('credits');
	const owner = body.username && body.username !== state.main.username ? body.username : '__main__';
	if (owner !== '__main__' && !state.partnerAccounts.has(owner)) throw new Error(`unknown partner account ${owner}`);
	if ('monthSpend' in body || 'categorySpend' in body) {
		const o = (state.billingOverrides[owner] = state.billingOverrides[owner] || {});
		if ('monthSpend' in body) {
			if (body.monthSpend === null) delete o.total;
			else o.total = num('monthSpend');
		}
		if ('categorySpend' in body) {
			if (body.categorySpend === null) delete o.categories;
			else if (isPlainObject(body.categorySpend)) o.categories = { ...(o.categories || {}), ...body.categorySpend };
			else throw new Error('categorySpend must be an object such as {"servers": 12.5}');
		}
	}
	if ('transferBytes' in body) state.network.transferBytes = body.transferBytes === null ? null : Math.round(num('transferBytes'));
	if ('accumulatedQuotaBytes' in body) {
		state.network.accumulatedQuotaBytes = body.accumulatedQuotaBytes === null ? null : Math.round(num('accumulatedQuotaBytes'));
	}
	if ('hourlyQuotaIncreaseBytes' in body) state.network.hourlyQuotaIncreaseBytes = Math.round(num('hourlyQuotaIncreaseBytes'));
	if ('resourceTransferBytes' in body) {
		const v = body.resourceTransferBytes;
		if (v === null) state.network.resourceTransferBytes = {};
		else if (typeof v === 'number') state.network.resourceTransferBytes[PRIMARY_SERVER] = Math.round(v);
		else if (isPlainObject(v)) {
			for (const [k, b] of Object.entries(v)) {
				if (b === null) delete state.network.resourceTransferBytes[k];
				else state.network.resourceTransferBytes[k] = Math.round(Number(b));
			}
		} else throw new Error('resourceTransferBytes must be a number or an object {resource_id: bytes}');
	}
	if ('partnerAccountLimit' in body) state.partnerAccountLimit = num('partnerAccountLimit');
}

const PRIMARY_SERVER = '00798b85-efdc-41ca-8021-f6ef457b8531';

function upcloudSnapshot(state, nowMs) {
	const period = ymOf(nowMs);
	const lines = billingLines(state, '__main__', period, nowMs);
	const summary = flatSummary(lines, state.main.details.currency);
	const usage = currentNetworkUsage(state, nowMs).stats.current_network_usage;
	const monthStart = monthBounds(period).start;
	const perResource = {};
	for (const row of resourceUsageStats(state, monthStart, nowMs, 'day', nowMs, { zones: [], services: [] })) {
		perResource[row.resource_id] = (perResource[row.resource_id] || 0) + (row.sent_bytes || 0);
	}
	return {
		username: state.main.username,
		credits: state.main.credits,
		currency: state.main.details.currency,
		period,
		monthSpend: summary.total_amount,
		categorySpend: Object.fromEntries(
			Object.entries(summary).filter(([, v]) => isPlainObject(v)).map(([k, v]) => [k, v.total_amount]),
		),
		transferBytes: usage.total_sent_bytes,
		accumulatedQuotaBytes: usage.accumulated_quota_bytes,
		hourlyQuotaIncreaseBytes: state.network.hourlyQuotaIncreaseBytes,
		primaryServer: PRIMARY_SERVER,
		resourceTransferBytes: perResource,
		subaccounts: [...state.subaccounts.keys()],
		partnerAccounts: [...state.partnerAccounts.keys()],
		tokens: tokenSnapshot(state.tokenState),
		auditLogs: audit.auditSnapshot(state.auditState),
		permissions: state.permissions,
		billingResources: lines.map((l) => ({ resource_id: l.spec.id, type: l.spec.type, title: l.spec.title, zone: l.spec.zone })),
	};
}

module.exports = {
	createUpCloudState,
	handleUpCloud,
	applyUpCloudControl,
	upcloudSnapshot,
	PRIMARY_SERVER,
	SERVICES,
};

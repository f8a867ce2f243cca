'use strict';
/**
 * Seed data of the UpCloud sandbox: the main account's limits and contact fields, its subaccounts, the Partner API's
 * accounts, and the billed resources (with hourly plan prices) each account has; deterministic from the seed.
 *
 * The notes cited (upcloud-endpoints.md, upcloud-tokens.md, upcloud-accounts-api.txt, upcloud-partner-api.txt) are the
 * project's API notes in ../shared/api-docs/ beside the repo root (not part of the repo); the official pages are developers.upcloud.com.
 */

const { prng, hash32 } = require('../common');

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

function specsFor(state, owner) {
	if (!state.resourceSpecCache.has(owner)) state.resourceSpecCache.set(owner, resourceSpecs(owner, state.seed));
	return state.resourceSpecCache.get(owner);
}

const PRIMARY_SERVER = '00798b85-efdc-41ca-8021-f6ef457b8531';

module.exports = {
	CONTACT_FIELDS,
	PARTNER_ACCOUNTS,
	PRIMARY_SERVER,
	RESOURCE_LIMITS,
	detailsDefaults,
	rateOf,
	seedSubaccounts,
	specsFor,
};

import nock from 'nock';
import type { INodeExecutionData } from 'n8n-workflow';

import { UpCloud } from '../../../nodes/UpCloud/UpCloud.node';
import { nodeTypesFor, runNode, UPCLOUD_AUTH } from '../../helpers/engine';
import type { RecordedRequest } from '../../helpers/requests';
import { recordRequests } from '../../helpers/requests';

/**
 * What the UpCloud resource tests share: the node under test, a runner, a scope that proves no
 * request was sent, and response bodies taken from UpCloud's documentation examples.
 */

export const BASE = 'https://api.upcloud.test';
export const PASSWORD = 'S3cret-Pa55';
export const BASIC_CREDENTIALS = Buffer.from(`api_user:${PASSWORD}`).toString('base64');

const nodeTypes = nodeTypesFor({ upCloud: new UpCloud() });

/**
 * Runs the UpCloud node. Tests choose the credential as workflows do, by `authentication`: Basic unless a
 * test asks for `apiToken` (the node's own default, tested without this helper).
 */
export const run = (parameters: Record<string, unknown>, extra: Partial<Parameters<typeof runNode>[0]> = {}) =>
	runNode({ type: 'upCloud', nodeTypes, parameters: { authentication: 'basicAuth', ...parameters } as never, ...extra });

/** One nock scope for the test, with every request it answers recorded. */
export function api(): { scope: nock.Scope; requests: RecordedRequest[] } {
	const scope = nock(BASE);
	return { scope, requests: recordRequests(scope) };
}

/**
 * A catch-all that answers (and records) any request to the API without being required: a test
 * of an input rule asserts it recorded nothing.
 */
export function anyRequest(): RecordedRequest[] {
	const scope = nock(BASE).persist();
	const requests = recordRequests(scope);
	const anyPath = () => true;
	for (const method of ['get', 'post', 'put', 'delete'] as const) {
		scope[method](anyPath).optionally().reply(599, 'should not have been sent');
	}
	return requests;
}

/** The headers every UpCloud request carries (Basic auth unless told); `body` adds the JSON content type. */
export function expectUpCloudHeaders(
	request: RecordedRequest,
	options: { body?: boolean; accept?: string; authorization?: string } = {},
) {
	expect(request.headers.authorization).toBe(options.authorization ?? UPCLOUD_AUTH);
	expect(request.headers.accept).toBe(options.accept ?? 'application/json');
	if (options.body) {
		expect(request.headers['content-type']).toBe('application/json');
	} else {
		expect(request.headers['content-type']).toBeUndefined();
		expect(request.body).toBeUndefined();
	}
}

/**
 * An output item with its error (left by Continue On Fail) reduced to message and HTTP code, so a
 * whole output list can be compared exactly.
 */
export function errorItem(item: INodeExecutionData): Record<string, unknown> {
	if (!item.error) return { ...item };
	const { error, ...rest } = item;
	const httpCode = (error as { httpCode?: string | null }).httpCode;
	return { ...rest, error: error.message, ...(httpCode ? { httpCode } : {}) };
}

// ---- Response bodies from UpCloud's docs (upcloud-accounts-api.txt, upcloud-endpoints.md) ----

/** GET /account/details/{username}, example C. */
export const ACCOUNT_DETAILS = {
	main_account: 'testuser',
	type: 'sub',
	username: 'sdk_test_subaccount',
	first_name: 'Test',
	last_name: 'User',
	company: 'UpCloud Ltd',
	address: 'my address',
	postal_code: '00130',
	city: 'Helsinki',
	state: '',
	country: 'FIN',
	currency: 'EUR',
	language: 'en',
	phone: '+358.31245434',
	email: 'test@myhost.mydomain',
	vat_number: 'FI24315605',
	timezone: 'UTC',
	allow_api: 'yes',
	allow_gui: 'no',
	enable_3rd_party_services: 'yes',
	campaigns: { campaign: [] },
	roles: { role: ['billing', 'aux_billing', 'technical'] },
	server_access: { server: [{ storage: 'yes', uuid: '*' }] },
	storage_access: { storage: ['*'] },
	network_access: { network: ['*'] },
	tag_access: { tag: [{ name: 'mytag', storage: 'yes' }] },
	ip_filters: { ip_filter: ['127.0.0.1'] },
	labels: [],
};

/** GET /account/billing/summary/{ym}: the docs example, plus storages and networks groups (ex. F). */
export const BILLING_SUMMARY = {
	currency: 'EUR',
	managed_databases: {
		managed_database: {
			resources: [
				{
					amount: 15.10223,
					details: [{ amount: 15.10223, hours: 420, plan: '1x1xCPU-2GB-25GB', zone: 'fi-hel2' }],
					hours: 420,
					resource_id: '09001a4d-b525-4ab8-835d-000000000000',
				},
			],
			total_amount: 15.10223,
		},
		total_amount: 15.10223,
	},
	servers: {
		server: {
			resources: [
				{
					amount: 16.18091,
					details: [
						{ amount: 16.18091, hours: 420, labels: [{ key: 'test', value: '' }], plan: '2xCPU-4GB', zone: 'fi-hel2' },
					],
					hours: 420,
					resource_id: '001c2caa-00dc-4eff-9321-000000000000',
				},
				{
					amount: 16.10386,
					details: [
						{ amount: 16.10386, hours: 418, labels: [{ key: 'test2', value: '' }], plan: '2xCPU-4GB', zone: 'fi-hel2' },
						{ amount: 0.9288, hours: 12, labels: [{ key: 'test2', value: '' }], plan: '4xCPU-8GB', zone: 'fi-hel2' },
					],
					hours: 430,
					resource_id: '0010cf04-3608-4512-b4de-000000000000',
				},
			],
			total_amount: 33.21357,
		},
		total_amount: 33.21357,
	},
	storages: {
		backup: {
			resources: [
				{
					amount: 0.1,
					details: [{ amount: 0.1, hours: 420, size: 10, zone: 'fi-hel2' }],
					hours: 420,
					resource_id: '01bfe607-76ac-42a3-914a-237dcc285ab2',
				},
			],
			total_amount: 0.1,
		},
		storage: {
			resources: [
				{
					amount: 3.4224,
					details: [{ amount: 3.4224, hours: 420, size: 20, zone: 'fi-hel2' }],
					hours: 420,
					resource_id: '01af6d71-43d4-433c-8342-0c9bc4068dda',
				},
			],
			total_amount: 3.4224,
		},
		template: {
			resources: [
				{
					amount: 0.1,
					details: [{ amount: 0.1, hours: 420, size: 10, zone: 'fi-hel2' }],
					hours: 420,
					resource_id: '01bfe607-dbac-44a3-9143-313d9c285e59',
				},
			],
			total_amount: 0.1,
		},
		total_amount: 3.6224,
	},
	total_amount: 51.9382,
};

/** GET /account/billing_summary/{ym} (deprecated, ex. G). */
export const LEGACY_SUMMARY = {
	billing: {
		currency: 'EUR',
		networks: { bandwidth: { total_amount: 52.136 }, total_amount: 52.136 },
		managed_databases: { managed_database: { total_amount: 80.13127 }, total_amount: 80.13127 },
		object_storages: { object_storage: { total_amount: 2.2253 }, total_amount: 2.2253 },
		servers: { server: { total_amount: 28.05132 }, total_amount: 28.05132 },
		storages: { storage: { total_amount: 3.6224 }, total_amount: 3.6224 },
		total_amount: 166.16629,
	},
};

/** GET /account/billing_summary/{ym}/detailed (deprecated, ex. G2, the docs example trimmed). */
export const LEGACY_DETAILED_SUMMARY = {
	billing: {
		currency: 'EUR',
		networks: {
			bandwidth: {
				resources: [
					{
						amount: 52.136,
						bandwidth_out: 953344,
						bandwidth_type: 'public_ipv4',
						hours: 0,
						resource_id: '00ce9363-9065-4c2a-9d66-3b0c762f556b',
					},
				],
				total_amount: 52.136,
			},
			total_amount: 52.136,
		},
		servers: {
			server: {
				resources: [
					{ amount: 7.66668, firewall: 2.8, hours: 553, plan: '1xCPU-1GB', resource_id: '008c1044-208e-4344-b03b-fc16e9e27a09' },
					{ amount: 6.16032, hours: 552, plan: '1xCPU-1GB', resource_id: '001b9e08-362f-4004-8318-43d0e61358f6' },
				],
				total_amount: 13.827,
			},
			total_amount: 13.827,
		},
		storages: {
			storage: {
				resources: [{ amount: 3.4224, hours: 552, resource_id: '01af6d71-43d4-433c-8342-0c9bc4068dda', size: 20 }],
				template: [{ amount: 0.1, resource_id: '01bfe607-dbac-44a3-9143-313d9c285e59', size: 10 }],
				backup: [{ amount: 0.1, resource_id: '01bfe607-76ac-42a3-914a-237dcc285ab2', size: 10 }],
				total_amount: 3.6224,
			},
			total_amount: 3.6224,
		},
		total_amount: 69.5854,
	},
};

/** GET /account/resource_billing_summary/{id}/{ym} (ex. H). */
export const RESOURCE_BILLING = {
	billing: {
		daily_sums: { '2019-12-02': 3.33684, '2019-12-03': 52.77344, '2019-12-04': 1.07424 },
		details: {
			hours: 792,
			plan: '1xCPU-1GB',
			resource_id: '00ce9363-9065-4c2a-9d66-3b0c762f556b',
			title: 'My Glorious Server',
			type: 'server',
			zone: 'fi-hel1',
		},
		total_amount: 66.36032,
	},
};

/** GET /account/network_usage (ex. I). */
export const TRANSFER_STATS = [
	{
		accumulated_quota_bytes: 6352371508013,
		projected_monthly_quota_bytes: 6362243967561,
		quota_increase_bytes: 9872459548,
		sent_bytes: 1254,
		start_time: '2020-09-30T22:00:00Z',
		total_sent_bytes: 225149331390,
	},
	{
		accumulated_quota_bytes: 6362243967561,
		projected_monthly_quota_bytes: 6362243967561,
		quota_increase_bytes: 9872459548,
		sent_bytes: 1254,
		start_time: '2020-09-30T23:00:00Z',
		total_sent_bytes: 225149332644,
	},
	{
		accumulated_quota_bytes: 9872459548,
		projected_monthly_quota_bytes: 7345109903712,
		quota_increase_bytes: 9872459548,
		sent_bytes: 906,
		start_time: '2020-10-01T00:00:00Z',
		total_sent_bytes: 906,
	},
];

export const TRANSFER_STATS_CSV =
	'start time,sent bytes,total sent bytes,accumulated quota bytes,projected monthly quota bytes,quota increase\n' +
	'2020-09-30T22:00:00Z,1254,225149331390,6352371508013,6362243967561,9872459548\n' +
	'2020-09-30T23:00:00Z,1254,225149332644,6362243967561,6362243967561,9872459548\n' +
	'2020-10-01T00:00:00Z,906,906,9872459548,7345109903712,9872459548\n';

/** GET /account/resource_network_usage (ex. J); sent_bytes may be null. */
export const RESOURCE_TRANSFER_STATS = [
	{
		resource_id: '00777436-a6f8-43af-9daf-89e8e6833a7a',
		sent_bytes: 10094,
		service: 'server_public',
		start_time: '2020-09-07T00:00:00Z',
		zone: 'de-fra1',
	},
	{
		resource_id: '00777436-a6f8-43af-9daf-89e8e6833a7a',
		sent_bytes: 35174050,
		service: 'server_public',
		start_time: '2020-09-08T00:00:00Z',
		zone: 'de-fra1',
	},
	{
		resource_id: '00777436-a6f8-43af-9daf-89e8e6833a7a',
		sent_bytes: null,
		service: 'object_storage_public',
		start_time: '2020-09-09T00:00:00Z',
		zone: 'fi-hel1',
	},
];

export const RESOURCE_TRANSFER_STATS_CSV =
	'start time,sent bytes,service,resource id,zone\r\n' +
	'2020-09-07T00:00:00Z,10094,server_public,00777436-a6f8-43af-9daf-89e8e6833a7a,fi-hel1\r\n' +
	'2020-09-08T00:00:00Z,35174050,server_public,00777436-a6f8-43af-9daf-89e8e6833a7a,fi-hel1\r\n';

/** GET /account/current_network_usage (ex. K). */
export const CURRENT_NETWORK_USAGE = {
	accumulated_quota_bytes: 3546328504778,
	hourly_quota_increase_bytes: 10577635230,
	projected_monthly_quota_bytes: 7777382596778,
	total_sent_bytes: 13682943146,
	updated: '2020-10-15T07:00:00Z',
};

/** POST /partner/accounts 201 response (ex. L), also the shape of each GET /partner/accounts entry. */
export const PARTNER_ACCOUNT = {
	address: '',
	city: '',
	company: '',
	country: 'FIN',
	email: 'test@myhost.mydomain',
	first_name: 'Test',
	last_name: 'User',
	phone: '+358.31245434',
	postal_code: '',
	state: '',
	username: 'sdk_test_partner_account',
	vat_number: '',
};

export const PARTNER_ACCOUNTS = [
	PARTNER_ACCOUNT,
	{
		address: 'Kaisaniemenkatu 1\nFloor 2',
		city: 'Helsinki',
		company: 'Acme Oy',
		country: 'FIN',
		email: 'ops@acme.example',
		first_name: 'Aino',
		last_name: 'Virtanen',
		phone: '+358.91111111',
		postal_code: '00100',
		state: '',
		username: 'acme_ops',
		vat_number: 'FI12345678',
	},
	{
		address: '1 Main St',
		city: 'Albany',
		company: 'Widgets Inc',
		country: 'USA',
		email: 'billing@widgets.example',
		first_name: 'Sam',
		last_name: 'Smith',
		phone: '+1.5185550100',
		postal_code: '12207',
		state: 'New York',
		username: 'widgets2',
		vat_number: '',
	},
];

/** The smallest valid subaccount create: username plus the attributes UpCloud requires. */
export const subaccountCreateParameters = (overrides: Record<string, unknown> = {}) => ({
	resource: 'subaccount',
	operation: 'create',
	username: 'myusername',
	password: 'mysecr3tPassword',
	email: 'user@example.com',
	phone: '+358.31245434',
	currency: 'EUR',
	language: 'en',
	timezone: 'Europe/Helsinki',
	...overrides,
});

export const upCloudError = (code: string, message: string) => ({ error: { error_code: code, error_message: message } });

// ---- API tokens and permissions (upcloud-tokens.md §4 and §8: the Go SDK's recorded exchanges) ----

export const TOKEN_ID = '0c511c65-5375-4dd3-8a76-df12ba772110';

/** GET /account/tokens/{id}, recorded 200 (§4.3): no secret. */
export const TOKEN_DETAILS = {
	allowed_ip_ranges: ['0.0.0.0/0', '::/0'],
	can_create_tokens: true,
	created_at: '2025-02-06T15:33:07.534408Z',
	expires_at: '2025-12-01T00:00:00.00001Z',
	gui: false,
	id: TOKEN_ID,
	name: 'my_1st_token',
	type: 'workspace',
};

/** POST /account/tokens, recorded 201 (§4.2): the only answer that carries the secret. */
export const TOKEN_CREATED = { ...TOKEN_DETAILS, token: 'ucat_01JKQ4Z5Y6X7W8V9T0S1R2Q3P4' };

/** A token object of the list (§4.4) with a given id; `last_used_at` is absent for unused tokens. */
export const listedToken = (n: number) => ({
	id: `0cd85ae7-0a16-423c-817b-${String(n).padStart(12, '0')}`,
	name: `token_${n}`,
	type: 'workspace',
	created_at: '2025-01-30T17:40:59.267513Z',
	expires_at: '2025-12-01T00:00:00.000009Z',
	can_create_tokens: false,
	allowed_ip_ranges: ['0.0.0.0/0', '::/0'],
	gui: false,
});

/** An RFC 7807 problem the token service answers with (§6). */
export const problem = (status: number, code: string, title: string, detail?: string) => ({
	type: `https://developers.upcloud.com/1.3/errors#${code}`,
	title,
	status,
	...(detail ? { detail } : {}),
	correlation_id: '01JKQ4Z5Y6X7W8V9T0S1R2Q3P5',
});

export const PROBLEM_HEADERS = { 'Content-Type': 'application/problem+json' };

/** The recorded grant (§8): body sent and answer. */
export const PERMISSION = {
	options: { storage: 'yes' },
	target_identifier: '*',
	target_type: 'server',
	user: 'sdk_test_permissions_subaccount',
};

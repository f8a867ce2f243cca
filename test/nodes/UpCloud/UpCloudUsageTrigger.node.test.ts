import nock from 'nock';
import type { IDataObject, INodeParameters, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { UpCloudUsageTrigger } from '../../../nodes/UpCloud/UpCloudUsageTrigger.node';
import { nodeTypesFor, runNode, TEST_CREDENTIALS, UPCLOUD_AUTH, UPCLOUD_TOKEN_AUTH } from '../../helpers/engine';
import { NODE_NAME, Poller } from '../../helpers/poll';
import { recordRequests } from '../../helpers/requests';

const TYPE = 'upCloudUsageTrigger';
const nodeTypes = nodeTypesFor({ [TYPE]: new UpCloudUsageTrigger() });
const API = 'https://api.upcloud.test';
const KEY = `node:${NODE_NAME}`;

interface Seen {
	method: string;
	path: string;
	authorization: unknown;
	accept: unknown;
}

/**
 * An UpCloud mock that only answers requests carrying the test credential's Basic auth (or the given
 * Authorization) and `Accept: application/json`; `seen()` gives the exact method and path (with query) of
 * each request.
 */
function upcloud(authorization = UPCLOUD_AUTH) {
	const scope = nock(API, { reqheaders: { authorization, accept: 'application/json' } });
	const recorded = recordRequests(scope);
	const seen = (): Seen[] =>
		recorded.map((r) => ({ method: r.method, path: r.path, authorization: r.headers.authorization, accept: r.headers.accept }));
	return { scope, seen };
}

const get = (path: string, authorization = UPCLOUD_AUTH): Seen => ({ method: 'GET', path, authorization, accept: 'application/json' });

/** A trigger with Basic auth unless `parameters` choose `authentication: 'apiToken'`. */
function poller(parameters: INodeParameters, staticData?: IDataObject) {
	return new Poller({ type: TYPE, nodeTypes, parameters: { authentication: 'basicAuth', ...parameters }, staticData });
}

const levels = (...thresholds: Array<number | [number, string]>) => ({
	levels: thresholds.map((t) => (Array.isArray(t) ? { threshold: t[0], name: t[1] } : { threshold: t })),
});

// Only Date is faked: nock and n8n's HTTP stack need real timers.
function setNow(iso: string) {
	jest.setSystemTime(new Date(iso));
}

beforeEach(() => {
	jest.useFakeTimers({
		doNotFake: [
			'hrtime',
			'nextTick',
			'performance',
			'queueMicrotask',
			'setImmediate',
			'clearImmediate',
			'setInterval',
			'clearInterval',
			'setTimeout',
			'clearTimeout',
		],
	});
	setNow('2024-05-10T12:00:00.000Z');
});

afterEach(() => {
	jest.useRealTimers();
});

const ACCOUNT = { account: { credits: 4210, username: 'acme', resource_limits: { cores: 200 } } };
const DETAILS = { account: { username: 'acme', currency: 'EUR', type: 'main' } };

describe('node description', () => {
	const { description } = new UpCloudUsageTrigger();

	it('is a polling trigger using the UpCloud credential its Authentication chooses (API Token by default)', () => {
		expect(description).toMatchObject({
			name: 'upCloudUsageTrigger',
			displayName: 'UpCloud Usage Trigger',
			polling: true,
			group: ['trigger'],
			inputs: [],
			outputs: ['main'],
			credentials: [
				{ name: 'upCloudTokenApi', required: true, displayOptions: { show: { authentication: ['apiToken'] } } },
				{ name: 'upCloudApi', required: true, displayOptions: { show: { authentication: ['basicAuth'] } } },
			],
			icon: { light: 'file:upcloud.svg', dark: 'file:upcloud.dark.svg' },
		});
		expect(description.usableAsTool).toBeUndefined();
	});

	it('offers exactly the six metrics', () => {
		const metric = description.properties.find((p) => p.name === 'metric')!;
		expect((metric.options as INodePropertyOptions[]).map((o) => [o.value, o.name])).toEqual([
			['creditRunway', 'Credit Runway (Days)'],
			['credits', 'Credits'],
			['monthSpend', 'Month-to-Date Spend'],
			['transferPool', 'Network Transfer Pool'],
			['monthSpendForecast', 'Projected Month-End Spend'],
			['resourceTransfer', 'Resource Network Transfer'],
		]);
		expect(metric.default).toBe('credits');
	});

	it('shows Minimum Hours of Data (default 24) for the two projections only, and their fields', () => {
		const options = description.properties.find((p) => p.name === 'options')!.options as INodeProperties[];
		expect(options.find((o) => o.name === 'minimumHoursOfData')).toMatchObject({
			displayName: 'Minimum Hours of Data',
			type: 'number',
			default: 24,
			displayOptions: { show: { '/metric': ['monthSpendForecast', 'creditRunway'] } },
		});
		const shownFor = (name: string) => description.properties.find((p) => p.name === name)!.displayOptions?.show?.metric;
		expect(shownFor('creditsCurrency')).toEqual(['credits', 'creditRunway']);
		expect(shownFor('spendCategory')).toEqual(['monthSpend', 'monthSpendForecast']);
		expect(shownFor('username')).toEqual(['monthSpend', 'monthSpendForecast']);
	});
});

describe('credits', () => {
	it('reads GET /account and, once, the currency from the account details', async () => {
		const { scope, seen } = upcloud();
		scope.get('/1.3/account').reply(200, ACCOUNT);
		scope.get('/1.3/account/details/acme').reply(200, DETAILS);
		const trigger = poller({ metric: 'credits', thresholds: levels(50) });

		const { items, error } = await trigger.poll();

		expect(error).toBeUndefined();
		expect(seen()).toEqual([get('/1.3/account'), get('/1.3/account/details/acme')]);
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
				raw: ACCOUNT,
			},
		]);
		expect(trigger.staticData()).toEqual({
			state: {
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
			},
			currency: { account: 'acme', currency: 'EUR' },
		});
	});

	it('keeps state and currency across polls: the second poll is one request and does not re-alert', async () => {
		const { scope, seen } = upcloud();
		scope.get('/1.3/account').reply(200, ACCOUNT);
		scope.get('/1.3/account/details/acme').reply(200, DETAILS);
		scope.get('/1.3/account').reply(200, { account: { credits: 3999, username: 'acme' } });
		scope.get('/1.3/account').reply(200, { account: { credits: 7000, username: 'acme' } });
		const trigger = poller({
			metric: 'credits',
			thresholds: levels([50, 'low']),
			options: { notifyOnRecovery: true },
		});

		const first = await trigger.poll();
		const stored = trigger.staticData();
		setNow('2024-05-10T13:00:00.000Z');
		const second = await trigger.poll();

		expect(first.items.map((item) => item.state)).toEqual(['alerting']);
		expect(second.result).toBeNull();
		expect(trigger.staticData()).toEqual(stored);

		setNow('2024-05-10T14:00:00.000Z');
		const third = await trigger.poll();
		expect(third.items.map((item) => [item.level, item.state, item.previousState, item.message])).toEqual([
			['low', 'resolved', 'alarm', 'Resolved: UpCloud credits for acme are 70.00 EUR, no longer below the 50 EUR threshold'],
		]);
		expect(seen()).toEqual([
			get('/1.3/account'),
			get('/1.3/account/details/acme'),
			get('/1.3/account'),
			get('/1.3/account'),
		]);
		expect((trigger.staticData().state as IDataObject).levels).toEqual({
			'below:50': { status: 'ok', pending: 0, since: '2024-05-10T14:00:00.000Z', lastNotifiedAt: null },
		});
	});

	it('makes exactly one request when the currency is chosen', async () => {
		const { scope, seen } = upcloud();
		scope.get('/1.3/account').reply(200, ACCOUNT);
		const trigger = poller({ metric: 'credits', creditsCurrency: 'USD', thresholds: levels(40) });

		const { result } = await trigger.poll();

		expect(seen()).toEqual([get('/1.3/account')]);
		expect(result).toBeNull();
		expect(trigger.staticData()).toEqual({
			state: {
				version: 1,
				scope: 'credits',
				period: null,
				levels: { 'below:40': { status: 'ok', pending: 0, since: '2024-05-10T12:00:00.000Z', lastNotifiedAt: null } },
			},
		});
	});

	it('looks the currency up again when the account differs from the remembered one', async () => {
		const { scope, seen } = upcloud();
		scope.get('/1.3/account').reply(200, ACCOUNT);
		scope.get('/1.3/account/details/acme').reply(200, { account: { currency: 'SGD' } });
		const trigger = poller({ metric: 'credits', thresholds: levels(50) }, { [KEY]: { currency: { account: 'other', currency: 'EUR' } } });

		const { items } = await trigger.poll();

		expect(seen()).toEqual([get('/1.3/account'), get('/1.3/account/details/acme')]);
		expect(items[0].message).toBe('UpCloud credits for acme are 42.10 SGD, below the 50 SGD threshold');
		expect(trigger.staticData().currency).toEqual({ account: 'acme', currency: 'SGD' });
	});

	it('uses the credential base URL without its trailing slash', async () => {
		const scope = nock('https://proxy.example/upcloud/1.3', { reqheaders: { authorization: UPCLOUD_AUTH } });
		scope.get('/account').reply(200, ACCOUNT);
		const trigger = new Poller({
			type: TYPE,
			nodeTypes,
			parameters: { authentication: 'basicAuth', metric: 'credits', creditsCurrency: 'EUR', thresholds: levels(10) },
			credentials: { upCloudApi: { ...TEST_CREDENTIALS.upCloudApi, baseUrl: 'https://proxy.example/upcloud/1.3//' } },
		});

		const { error, result } = await trigger.poll();

		expect(error).toBeUndefined();
		expect(result).toBeNull();
	});
});

const SUMMARY = {
	currency: 'EUR',
	total_amount: 53.34964,
	servers: { total_amount: 33.21357, server: { total_amount: 33.21357, resources: [] } },
	managed_databases: { total_amount: 15.10223, managed_database: { total_amount: 15.10223, resources: [] } },
};

describe('month-to-date spend', () => {
	it('reads the current month billing summary and compares the total', async () => {
		const { scope, seen } = upcloud();
		scope.get('/1.3/account/billing/summary/2024-05').reply(200, SUMMARY);
		const trigger = poller({ metric: 'monthSpend', thresholds: levels([50, 'budget']) });

		const { items } = await trigger.poll();

		expect(seen()).toEqual([get('/1.3/account/billing/summary/2024-05')]);
		expect(items).toEqual([
			{
				metric: 'monthSpend',
				level: 'budget',
				threshold: 50,
				comparison: 'above',
				value: 53.34964,
				unit: 'EUR',
				state: 'alerting',
				previousState: 'unknown',
				period: '2024-05',
				observedAt: '2024-05-10T12:00:00.000Z',
				account: 'api_user',
				message: 'UpCloud spend for api_user in 2024-05 is 53.35 EUR, above the 50 EUR threshold',
				raw: SUMMARY,
			},
		]);
	});

	it('watches one category, and a partner customer with ?username=', async () => {
		const { scope, seen } = upcloud();
		scope.get('/1.3/account/billing/summary/2024-05?username=customer_1').reply(200, SUMMARY);
		const trigger = poller({
			metric: 'monthSpend',
			spendCategory: 'managed_databases',
			username: ' customer_1 ',
			thresholds: levels(15),
		});

		const { items } = await trigger.poll();

		expect(seen()).toEqual([get('/1.3/account/billing/summary/2024-05?username=customer_1')]);
		expect(items.map((item) => [item.value, item.account, item.message])).toEqual([
			[15.10223, 'customer_1', 'UpCloud managed databases spend for customer_1 in 2024-05 is 15.10 EUR, above the 15 EUR threshold'],
		]);
	});

	it('URL-encodes the customer username', async () => {
		const { scope, seen } = upcloud();
		scope.get('/1.3/account/billing/summary/2024-05?username=a%20b%26c%3Dd').reply(200, SUMMARY);
		const trigger = poller({ metric: 'monthSpend', username: 'a b&c=d', thresholds: levels(100) });

		await trigger.poll();

		expect(seen()).toEqual([get('/1.3/account/billing/summary/2024-05?username=a%20b%26c%3Dd')]);
	});

	it('counts an absent category as 0', async () => {
		const { scope } = upcloud();
		scope.get('/1.3/account/billing/summary/2024-05').reply(200, SUMMARY);
		const trigger = poller({ metric: 'monthSpend', spendCategory: 'network_gateways', thresholds: levels(1) });

		const { items } = await trigger.poll('manual');

		expect(items.map((item) => [item.value, item.message])).toEqual([
			[0, 'Test: UpCloud network gateways spend for api_user in 2024-05 is 0.00 EUR, not above the 1 EUR threshold'],
		]);
	});

	it('asks for the new month after midnight UTC on the 1st and re-arms the levels', async () => {
		const { scope, seen } = upcloud();
		scope.get('/1.3/account/billing/summary/2024-05').reply(200, { ...SUMMARY, total_amount: 120 });
		scope.get('/1.3/account/billing/summary/2024-06').reply(200, { currency: 'EUR', total_amount: 101 });
		const trigger = poller({ metric: 'monthSpend', thresholds: levels(100) });

		setNow('2024-05-31T23:30:00.000Z');
		const may = await trigger.poll();
		setNow('2024-06-01T00:30:00.000Z');
		const june = await trigger.poll();

		expect(seen()).toEqual([get('/1.3/account/billing/summary/2024-05'), get('/1.3/account/billing/summary/2024-06')]);
		expect(may.items.map((item) => [item.period, item.previousState])).toEqual([['2024-05', 'unknown']]);
		expect(june.items.map((item) => [item.period, item.previousState, item.message])).toEqual([
			['2024-06', 'ok', 'UpCloud spend for api_user in 2024-06 is 101.00 EUR, above the 100 EUR threshold'],
		]);
	});
});

const USAGE = {
	stats: {
		current_network_usage: {
			accumulated_quota_bytes: 3546328504778,
			hourly_quota_increase_bytes: 10577635230,
			projected_monthly_quota_bytes: 7777382596778,
			total_sent_bytes: 1182943146000,
			updated: '2024-05-10T11:00:00Z',
		},
	},
};

describe('network transfer pool', () => {
	it('compares sent bytes as a percentage of the accumulated quota by default', async () => {
		const { scope, seen } = upcloud();
		scope.get('/1.3/account/current_network_usage').reply(200, USAGE);
		const trigger = poller({ metric: 'transferPool', thresholds: levels(30, 40) });

		const { items } = await trigger.poll();

		expect(seen()).toEqual([get('/1.3/account/current_network_usage')]);
		expect(items).toEqual([
			{
				metric: 'transferPool',
				level: '30%',
				threshold: 30,
				comparison: 'above',
				value: 33.3568,
				unit: 'percent',
				state: 'alerting',
				previousState: 'unknown',
				period: '2024-05',
				observedAt: '2024-05-10T12:00:00.000Z',
				account: 'api_user',
				message:
					'UpCloud network transfer for api_user in 2024-05 is 33.36% of the accumulated quota, above the 30% threshold',
				raw: USAGE,
			},
		]);
	});

	it('compares sent bytes in the chosen unit, reporting bytes', async () => {
		const { scope } = upcloud();
		scope.get('/1.3/account/current_network_usage').reply(200, USAGE);
		const trigger = poller({
			metric: 'transferPool',
			transferMeasure: 'bytes',
			byteUnit: 'TB',
			thresholds: levels(1, 1.5),
		});

		const { items } = await trigger.poll();

		expect(items.map((item) => [item.level, item.threshold, item.value, item.unit, item.message])).toEqual([
			[
				'1 TB',
				1e12,
				1182943146000,
				'bytes',
				'UpCloud network transfer for api_user in 2024-05 is 1.18 TB, above the 1 TB threshold',
			],
		]);
	});

	it('takes the period from the usage update time, which may still be last month', async () => {
		const { scope } = upcloud();
		const lagging = { stats: { current_network_usage: { ...USAGE.stats.current_network_usage, updated: '2024-05-31T23:00:00Z' } } };
		scope.get('/1.3/account/current_network_usage').reply(200, lagging);
		setNow('2024-06-01T00:05:00.000Z');
		const trigger = poller({ metric: 'transferPool', thresholds: levels(10) });

		const { items } = await trigger.poll();

		expect(items.map((item) => item.period)).toEqual(['2024-05']);
	});

	it('waits without alerting or storing while no quota has accrued, and says why in manual mode', async () => {
		const { scope } = upcloud();
		const empty = { stats: { current_network_usage: { accumulated_quota_bytes: 0, total_sent_bytes: 5 } } };
		scope.get('/1.3/account/current_network_usage').times(2).reply(200, empty);
		const trigger = poller({ metric: 'transferPool', thresholds: levels(10) });

		const active = await trigger.poll();
		const manual = await trigger.poll('manual');

		expect(active.result).toBeNull();
		expect(active.error).toBeUndefined();
		expect(trigger.staticData()).toEqual({});
		expect(manual.error).toBeInstanceOf(NodeOperationError);
		expect(manual.error?.message).toBe(
			'The transfer pool has no accumulated quota yet, so no percentage can be computed',
		);
	});
});

describe('resource transfer', () => {
	const RESOURCE = '00777436-a6f8-43af-9daf-89e8e6833a7a';

	it('sums this month of daily stats for the resource, counting null as 0', async () => {
		const { scope, seen } = upcloud();
		const path =
			`/1.3/account/resource_network_usage?from=2024-05-01T00%3A00%3A00Z&to=2024-05-10T12%3A00%3A00Z` +
			`&accumulate=day&resource_id=${RESOURCE}`;
		const stats = {
			stats: {
				stat: [
					{ resource_id: RESOURCE, sent_bytes: 600_000_000, service: 'server_public', start_time: '2024-05-01T00:00:00Z', zone: 'de-fra1' },
					{ resource_id: RESOURCE, sent_bytes: null, service: 'server_public', start_time: '2024-05-02T00:00:00Z', zone: 'de-fra1' },
					{ resource_id: RESOURCE, sent_bytes: 500_000_000, service: 'server_public', start_time: '2024-05-03T00:00:00Z', zone: 'de-fra1' },
				],
			},
		};
		scope.get(path).reply(200, stats);
		const trigger = poller({ metric: 'resourceTransfer', resourceId: ` ${RESOURCE} `, thresholds: levels(1) });

		const { items } = await trigger.poll();

		expect(seen()).toEqual([get(path)]);
		expect(items).toEqual([
			{
				metric: 'resourceTransfer',
				level: '1 GB',
				threshold: 1e9,
				comparison: 'above',
				value: 1_100_000_000,
				unit: 'bytes',
				state: 'alerting',
				previousState: 'unknown',
				period: '2024-05',
				observedAt: '2024-05-10T12:00:00.000Z',
				account: 'api_user',
				message: `Network transfer sent by UpCloud resource ${RESOURCE} (api_user) in 2024-05 is 1.10 GB, above the 1 GB threshold`,
				raw: stats,
			},
		]);
	});

	it('treats a resource without stats as 0 bytes', async () => {
		const { scope } = upcloud();
		scope.get(/^\/1\.3\/account\/resource_network_usage\?/).reply(200, { stats: { stat: [] } });
		const trigger = poller({ metric: 'resourceTransfer', resourceId: RESOURCE, byteUnit: 'bytes', thresholds: levels(1) });

		const { items } = await trigger.poll('manual');

		expect(items.map((item) => item.message)).toEqual([
			`Test: Network transfer sent by UpCloud resource ${RESOURCE} (api_user) in 2024-05 is 0 bytes, not above the 1 bytes threshold`,
		]);
	});

	it('sends nothing without a resource ID', async () => {
		const trigger = poller({ metric: 'resourceTransfer', resourceId: '  ', thresholds: levels(1) });

		const { error } = await trigger.poll();

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error?.message).toBe('Resource ID is required');
	});
});

describe('API failures', () => {
	const seeded = (): IDataObject => ({
		[KEY]: {
			state: {
				version: 1,
				scope: 'credits',
				period: null,
				levels: { 'below:50': { status: 'ok', pending: 0, since: '2024-05-01T00:00:00.000Z', lastNotifiedAt: null } },
			},
			currency: { account: 'acme', currency: 'EUR' },
		},
	});

	it("throws a NodeApiError with UpCloud's code and message, and leaves static data untouched", async () => {
		const { scope } = upcloud();
		scope.get('/1.3/account').reply(401, {
			error: { error_code: 'AUTHENTICATION_FAILED', error_message: 'Authentication failed using the given username and password.' },
		});
		const trigger = poller({ metric: 'credits', thresholds: levels(50) }, seeded());

		const { error, result } = await trigger.poll();

		expect(result).toBeNull();
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error?.message).toBe('AUTHENTICATION_FAILED: Authentication failed using the given username and password.');
		expect(error?.httpCode).toBe('401');
		expect(error?.description).toBe(
			'Authentication failed: check the credential. An API token must exist, be unexpired and allow the IP address n8n calls from; an API user needs its password and API access allowed.',
		);
		expect(trigger.staticData()).toEqual(seeded()[KEY]);
		expect(trigger.staticDataChanged).toBe(false);
	});

	it('stores nothing when the second request of a poll fails, even though the first one crossed', async () => {
		const { scope, seen } = upcloud();
		scope.get('/1.3/account').reply(200, ACCOUNT);
		scope.get('/1.3/account/details/acme').reply(403, {
			error: { error_code: 'ACCOUNT_FORBIDDEN', error_message: 'You do not have access to this account.' },
		});
		const initial = seeded();
		delete (initial[KEY] as IDataObject).currency;
		const trigger = poller({ metric: 'credits', thresholds: levels(50) }, initial);

		const { error, items } = await trigger.poll();

		expect(seen()).toEqual([get('/1.3/account'), get('/1.3/account/details/acme')]);
		expect(items).toEqual([]);
		expect(error?.message).toBe('ACCOUNT_FORBIDDEN: You do not have access to this account.');
		expect(trigger.staticData()).toEqual(initial[KEY]);
		expect(trigger.staticDataChanged).toBe(false);
	});

	it('reports a non-JSON server error with its status', async () => {
		const { scope } = upcloud();
		// Retried as the policy allows (see retries.test.ts), then reported.
		scope.get('/1.3/account/current_network_usage').times(5).reply(503, 'Service Unavailable', { 'Content-Type': 'text/plain' });
		const trigger = poller({ metric: 'transferPool', thresholds: levels(50) });

		const { error } = await trigger.poll();

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error?.message).toBe('UpCloud answered HTTP 503: Service Unavailable');
		expect(error?.httpCode).toBe('503');
		expect(trigger.staticData()).toEqual({});
	});
});

describe('manual mode (Fetch Test Event)', () => {
	const seeded = (): IDataObject => ({
		[KEY]: {
			state: {
				version: 1,
				scope: 'monthSpend|total|',
				period: '2024-05',
				levels: {
					'above:50': { status: 'alarm', pending: 0, since: '2024-05-09T00:00:00.000Z', lastNotifiedAt: '2024-05-09T00:00:00.000Z' },
					'above:80': { status: 'ok', pending: 0, since: '2024-05-01T00:00:00.000Z', lastNotifiedAt: null },
				},
			},
		},
	});

	it('emits a test item for every level and changes no static data', async () => {
		const { scope } = upcloud();
		scope.get('/1.3/account/billing/summary/2024-05').reply(200, { currency: 'EUR', total_amount: 90 });
		const trigger = poller({ metric: 'monthSpend', thresholds: levels(50, 80, 100) }, seeded());

		const { items } = await trigger.poll('manual');

		expect(items.map((item) => [item.level, item.state, item.previousState, item.message])).toEqual([
			['50 EUR', 'test', 'alarm', 'Test: UpCloud spend for api_user in 2024-05 is 90.00 EUR, above the 50 EUR threshold'],
			['80 EUR', 'test', 'ok', 'Test: UpCloud spend for api_user in 2024-05 is 90.00 EUR, above the 80 EUR threshold'],
			['100 EUR', 'test', 'unknown', 'Test: UpCloud spend for api_user in 2024-05 is 90.00 EUR, not above the 100 EUR threshold'],
		]);
		expect(trigger.staticData()).toEqual(seeded()[KEY]);
		expect(trigger.staticDataChanged).toBe(false);
	});

	it('does not remember a looked-up currency', async () => {
		const { scope } = upcloud();
		scope.get('/1.3/account').reply(200, ACCOUNT);
		scope.get('/1.3/account/details/acme').reply(200, DETAILS);
		const trigger = poller({ metric: 'credits', thresholds: levels(50) });

		const { items } = await trigger.poll('manual');

		expect(items.map((item) => item.state)).toEqual(['test']);
		expect(trigger.staticData()).toEqual({});
		expect(trigger.staticDataChanged).toBe(false);
	});

	it('runs through n8n-core WorkflowExecute like a manual execution of the trigger', async () => {
		const { scope } = upcloud();
		scope.get('/1.3/account').reply(200, ACCOUNT);
		const { items, error } = await runNode({
			type: TYPE,
			nodeTypes,
			parameters: { authentication: 'basicAuth', metric: 'credits', creditsCurrency: 'EUR', comparison: 'above', thresholds: levels(40, 45) },
		});

		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.comparison, item.json.state, item.json.message])).toEqual([
			['above', 'test', 'Test: UpCloud credits for acme are 42.10 EUR, above the 40 EUR threshold'],
			['above', 'test', 'Test: UpCloud credits for acme are 42.10 EUR, not above the 45 EUR threshold'],
		]);
	});
});

describe('configuration errors', () => {
	it.each([
		[{ metric: 'credits' }, 'Add at least one threshold level'],
		[{ metric: 'credits', thresholds: levels(5, 5) }, 'The threshold 5 is listed twice; each level needs its own threshold'],
		[{ metric: 'credits', thresholds: levels(5), options: { recoveryMargin: -1 } }, 'Recovery Margin must be a number of at least 0 (got -1)'],
	])('fails before any request: %j', async (parameters, message) => {
		const trigger = poller(parameters as INodeParameters);

		const { error } = await trigger.poll();

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error?.message).toBe(message);
		expect(error?.description).toBe(`${message}. Nothing was sent to UpCloud.`);
	});
});

describe('options through the node', () => {
	it('applies the comparison override, margin in the threshold unit, and consecutive polls', async () => {
		const { scope } = upcloud();
		const reply = (sent: number) => ({ stats: { current_network_usage: { accumulated_quota_bytes: 1e15, total_sent_bytes: sent, updated: '2024-05-10T11:00:00Z' } } });
		scope.get('/1.3/account/current_network_usage').reply(200, reply(0.5e12));
		scope.get('/1.3/account/current_network_usage').reply(200, reply(0.5e12));
		scope.get('/1.3/account/current_network_usage').reply(200, reply(1.05e12));
		scope.get('/1.3/account/current_network_usage').reply(200, reply(1.15e12));
		const trigger = poller({
			metric: 'transferPool',
			transferMeasure: 'bytes',
			byteUnit: 'TB',
			comparison: 'below',
			thresholds: levels(1),
			options: { consecutivePolls: 2, recoveryMargin: 0.1, notifyOnRecovery: true, fireOnFirstPoll: true },
		});

		const fired: string[] = [];
		for (let hour = 0; hour < 4; hour++) {
			setNow(new Date(Date.parse('2024-05-10T12:00:00.000Z') + hour * 3_600_000).toISOString());
			const { items, error } = await trigger.poll();
			expect(error).toBeUndefined();
			for (const item of items) fired.push(`${hour} ${item.state} ${item.comparison} ${item.threshold}`);
		}

		expect(fired).toEqual(['1 alerting below 1000000000000', '3 resolved below 1000000000000']);
	});
});

describe('API token authentication', () => {
	const RESOURCE = '00777436-a6f8-43af-9daf-89e8e6833a7a';
	const bearer = (path: string) => get(path, UPCLOUD_TOKEN_AUTH);
	const tokenPoller = (parameters: INodeParameters, staticData?: IDataObject) =>
		poller({ authentication: 'apiToken', ...parameters }, staticData);
	const OWNER = { credential: 'cred-upcloud-token', username: 'acme' };

	it('credits: the same requests as with Basic, the account name from GET /account itself', async () => {
		const { scope, seen } = upcloud(UPCLOUD_TOKEN_AUTH);
		scope.get('/1.3/account').reply(200, ACCOUNT);
		scope.get('/1.3/account/details/acme').reply(200, DETAILS);
		const trigger = tokenPoller({ metric: 'credits', thresholds: levels(50) });

		const { items, error } = await trigger.poll();

		expect(error).toBeUndefined();
		expect(seen()).toEqual([bearer('/1.3/account'), bearer('/1.3/account/details/acme')]);
		expect(items.map((item) => [item.account, item.message])).toEqual([
			['acme', 'UpCloud credits for acme are 42.10 EUR, below the 50 EUR threshold'],
		]);
		expect(trigger.staticData().apiUser).toBeUndefined();
	});

	it('transfer pool: the first poll also asks GET /account for the account name and remembers it; later polls do not', async () => {
		const { scope, seen } = upcloud(UPCLOUD_TOKEN_AUTH);
		scope.get('/1.3/account/current_network_usage').times(2).reply(200, USAGE);
		scope.get('/1.3/account').reply(200, ACCOUNT);
		const trigger = tokenPoller({ metric: 'transferPool', thresholds: levels(30), options: { repeatEveryHours: 1 } });

		const first = await trigger.poll();
		expect(trigger.staticData().apiUser).toEqual(OWNER);
		setNow('2024-05-10T13:00:00.000Z');
		const second = await trigger.poll();

		expect(first.error).toBeUndefined();
		expect(second.error).toBeUndefined();
		expect(seen()).toEqual([
			bearer('/1.3/account/current_network_usage'),
			bearer('/1.3/account'),
			bearer('/1.3/account/current_network_usage'),
		]);
		expect([...first.items, ...second.items].map((item) => [item.state, item.account, item.message])).toEqual([
			['alerting', 'acme', 'UpCloud network transfer for acme in 2024-05 is 33.36% of the accumulated quota, above the 30% threshold'],
			[
				'reminder',
				'acme',
				'Reminder: UpCloud network transfer for acme in 2024-05 is 33.36% of the accumulated quota, still above the 30% threshold (alerting since 2024-05-10T12:00:00.000Z)',
			],
		]);
	});

	it('resource transfer: a name remembered for another credential is looked up again', async () => {
		const { scope, seen } = upcloud(UPCLOUD_TOKEN_AUTH);
		scope.get(/^\/1\.3\/account\/resource_network_usage\?/).reply(200, { stats: { stat: [] } });
		scope.get('/1.3/account').reply(200, ACCOUNT);
		const trigger = tokenPoller(
			{ metric: 'resourceTransfer', resourceId: RESOURCE, thresholds: levels(1) },
			{ [KEY]: { apiUser: { credential: 'some-other-credential', username: 'old_name' } } },
		);

		const { error } = await trigger.poll();

		expect(error).toBeUndefined();
		expect(seen().map((r) => r.path.split('?')[0])).toEqual(['/1.3/account/resource_network_usage', '/1.3/account']);
		expect(trigger.staticData().apiUser).toEqual(OWNER);
	});

	it('month spend: a remembered name costs no request; a Customer Username needs no name at all', async () => {
		const { scope, seen } = upcloud(UPCLOUD_TOKEN_AUTH);
		scope.get('/1.3/account/billing/summary/2024-05').reply(200, SUMMARY);
		scope.get('/1.3/account/billing/summary/2024-05?username=customer_account').reply(200, SUMMARY);
		const remembered = tokenPoller({ metric: 'monthSpend', thresholds: levels(50) }, { [KEY]: { apiUser: OWNER } });
		const customer = tokenPoller({ metric: 'monthSpend', username: 'customer_account', thresholds: levels(50) });

		const own = await remembered.poll();
		const theirs = await customer.poll();

		expect(seen()).toEqual([
			bearer('/1.3/account/billing/summary/2024-05'),
			bearer('/1.3/account/billing/summary/2024-05?username=customer_account'),
		]);
		expect(own.items.map((item) => item.account)).toEqual(['acme']);
		expect(theirs.items.map((item) => item.account)).toEqual(['customer_account']);
		expect(customer.staticData().apiUser).toBeUndefined();
	});

	it('Fetch Test Event looks the name up every time and stores nothing', async () => {
		const { scope, seen } = upcloud(UPCLOUD_TOKEN_AUTH);
		scope.get('/1.3/account/current_network_usage').times(2).reply(200, USAGE);
		scope.get('/1.3/account').times(2).reply(200, ACCOUNT);
		const trigger = tokenPoller({ metric: 'transferPool', thresholds: levels(30) });

		await trigger.poll('manual');
		const { items } = await trigger.poll('manual');

		expect(seen().map((r) => r.path)).toEqual([
			'/1.3/account/current_network_usage',
			'/1.3/account',
			'/1.3/account/current_network_usage',
			'/1.3/account',
		]);
		expect(items.map((item) => [item.state, item.account])).toEqual([['test', 'acme']]);
		expect(trigger.staticData()).toEqual({});
	});

	it('a failing name lookup fails the poll with UpCloud\'s error and leaves static data as it was', async () => {
		const { scope } = upcloud(UPCLOUD_TOKEN_AUTH);
		scope.get('/1.3/account/current_network_usage').reply(200, USAGE);
		scope
			.get('/1.3/account')
			.reply(401, { error: { error_code: 'AUTHENTICATION_FAILED', error_message: 'Authentication failed using the given token.' } });
		const trigger = tokenPoller({ metric: 'transferPool', thresholds: levels(30) });

		const { error, result } = await trigger.poll();

		expect(result).toBeNull();
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error?.message).toBe('AUTHENTICATION_FAILED: Authentication failed using the given token.');
		expect(JSON.stringify(error)).not.toContain(TEST_CREDENTIALS.upCloudTokenApi.token as string);
		expect(trigger.staticData()).toEqual({});
	});

	it('uses the token credential\'s Base URL', async () => {
		const scope = nock('https://proxy.example/upcloud/1.3', { reqheaders: { authorization: UPCLOUD_TOKEN_AUTH } });
		scope.get('/account').reply(200, ACCOUNT);
		const trigger = new Poller({
			type: TYPE,
			nodeTypes,
			parameters: { metric: 'credits', creditsCurrency: 'EUR', thresholds: levels(10) },
			credentials: { upCloudTokenApi: { ...TEST_CREDENTIALS.upCloudTokenApi, baseUrl: 'https://proxy.example/upcloud/1.3/' } },
		});

		const { error } = await trigger.poll();

		expect(error).toBeUndefined();
	});
});

/**
 * How the trigger authenticates, one row per method: the requests per poll must hold for each. With a token,
 * the account name of the own account's spend costs one GET /account on the first poll (then remembered).
 */
const AUTH_METHODS: Array<{
	name: string;
	parameters: INodeParameters;
	authorization: string;
	/** The account the spend metrics name when no customer is watched. */
	apiUser: string;
	/** What a first poll of the own account's spend also stores: a token's looked-up account name. */
	remembered: IDataObject;
}> = [
	{ name: 'API user and password', parameters: { authentication: 'basicAuth' }, authorization: UPCLOUD_AUTH, apiUser: 'api_user', remembered: {} },
	{
		name: 'API token',
		parameters: { authentication: 'apiToken' },
		authorization: UPCLOUD_TOKEN_AUTH,
		apiUser: 'acme',
		remembered: { apiUser: { credential: 'cred-upcloud-token', username: 'acme' } },
	},
];

// 2024-05-10T12:00Z is 228 of May's 744 hours; SUMMARY spent 53.34964 EUR in them.
describe.each(AUTH_METHODS)('projections, requests per poll ($name)', ({ parameters, authorization, apiUser, remembered }) => {
	const summary = '/1.3/account/billing/summary/2024-05';

	it('Projected Month-End Spend: one request per poll, the billing summary (plus a token\'s name once), and one alert', async () => {
		const { scope, seen } = upcloud(authorization);
		scope.get(summary).times(2).reply(200, SUMMARY);
		if ('apiUser' in remembered) scope.get('/1.3/account').reply(200, ACCOUNT);
		const trigger = poller({ ...parameters, metric: 'monthSpendForecast', thresholds: levels(150) });

		const first = await trigger.poll();
		setNow('2024-05-10T13:00:00.000Z');
		const second = await trigger.poll();

		const nameLookup = 'apiUser' in remembered ? [get('/1.3/account', authorization)] : [];
		expect(seen()).toEqual([get(summary, authorization), ...nameLookup, get(summary, authorization)]);
		expect(first.items).toEqual([
			{
				metric: 'monthSpendForecast',
				level: '150 EUR',
				threshold: 150,
				comparison: 'above',
				value: 174.0883,
				unit: 'EUR',
				monthToDate: 53.34964,
				elapsedFraction: 0.306452,
				currency: 'EUR',
				state: 'alerting',
				previousState: 'unknown',
				period: '2024-05',
				observedAt: '2024-05-10T12:00:00.000Z',
				account: apiUser,
				message: `UpCloud spend for ${apiUser} in 2024-05 is projected at 174.09 EUR by month end (53.35 EUR so far, 30.6% of the month), above the 150 EUR threshold`,
				raw: SUMMARY,
			},
		]);
		expect(second.result).toBeNull();
		expect(trigger.staticData()).toEqual({
			...remembered,
			state: {
				version: 1,
				scope: 'monthSpendForecast|total|',
				period: '2024-05',
				levels: {
					'above:150': { status: 'alarm', pending: 0, since: '2024-05-10T12:00:00.000Z', lastNotifiedAt: '2024-05-10T12:00:00.000Z' },
				},
			},
		});
	});

	it('Credit Runway: GET /account and the billing summary per poll, plus the currency lookup once', async () => {
		const { scope, seen } = upcloud(authorization);
		scope.get('/1.3/account').times(3).reply(200, ACCOUNT);
		scope.get('/1.3/account/details/acme').reply(200, DETAILS);
		scope.get(summary).times(3).reply(200, SUMMARY);
		const trigger = poller({ ...parameters, metric: 'creditRunway', thresholds: levels(10) });

		const first = await trigger.poll();
		setNow('2024-05-10T13:00:00.000Z');
		const second = await trigger.poll();
		const third = await trigger.poll();

		expect(seen()).toEqual([
			get('/1.3/account', authorization),
			get('/1.3/account/details/acme', authorization),
			get(summary, authorization),
			get('/1.3/account', authorization),
			get(summary, authorization),
			get('/1.3/account', authorization),
			get(summary, authorization),
		]);
		expect(first.items).toEqual([
			{
				metric: 'creditRunway',
				level: '10 days',
				threshold: 10,
				comparison: 'below',
				value: 7.4968,
				unit: 'days',
				credits: 42.1,
				dailyBurn: 5.61575,
				currency: 'EUR',
				runsOutAt: '2024-05-17T23:55:20.959Z',
				state: 'alerting',
				previousState: 'unknown',
				period: null,
				observedAt: '2024-05-10T12:00:00.000Z',
				account: 'acme',
				message:
					"UpCloud credits for acme last 7.5 days at this month's rate (42.10 EUR left, 5.62 EUR/day, running out around 2024-05-17T23:55Z), below the 10 days threshold",
				raw: { account: ACCOUNT, billingSummary: SUMMARY },
			},
		]);
		expect([second.result, third.result]).toEqual([null, null]);
		expect(trigger.staticData()).toEqual({
			state: {
				version: 1,
				scope: 'creditRunway',
				period: null,
				levels: {
					'below:10': { status: 'alarm', pending: 0, since: '2024-05-10T12:00:00.000Z', lastNotifiedAt: '2024-05-10T12:00:00.000Z' },
				},
			},
			currency: { account: 'acme', currency: 'EUR' },
		});
	});

	it('Credit Runway with a chosen currency: exactly two requests', async () => {
		const { scope, seen } = upcloud(authorization);
		scope.get('/1.3/account').reply(200, ACCOUNT);
		scope.get(summary).reply(200, SUMMARY);
		const trigger = poller({ ...parameters, metric: 'creditRunway', creditsCurrency: 'USD', thresholds: levels(5) });

		const { result, error } = await trigger.poll();

		expect(error).toBeUndefined();
		expect(result).toBeNull();
		expect(seen()).toEqual([get('/1.3/account', authorization), get(summary, authorization)]);
	});
});

describe('Projected Month-End Spend', () => {
	it('projects one category of a partner customer', async () => {
		const { scope, seen } = upcloud();
		scope.get('/1.3/account/billing/summary/2024-05?username=customer_1').reply(200, SUMMARY);
		const trigger = poller({
			metric: 'monthSpendForecast',
			spendCategory: 'managed_databases',
			username: ' customer_1 ',
			thresholds: levels(40),
		});

		const { items } = await trigger.poll();

		expect(seen()).toEqual([get('/1.3/account/billing/summary/2024-05?username=customer_1')]);
		expect(items.map((item) => [item.value, item.monthToDate, item.account, item.message])).toEqual([
			[
				49.28096,
				15.10223,
				'customer_1',
				'UpCloud managed databases spend for customer_1 in 2024-05 is projected at 49.28 EUR by month end (15.10 EUR so far, 30.6% of the month), above the 40 EUR threshold',
			],
		]);
		expect(trigger.staticData().state).toMatchObject({ scope: 'monthSpendForecast|managed_databases|customer_1' });
	});

	it('projects 0 for a category with no usage', async () => {
		const { scope } = upcloud();
		scope.get('/1.3/account/billing/summary/2024-05').reply(200, SUMMARY);
		const trigger = poller({ metric: 'monthSpendForecast', spendCategory: 'network_gateways', thresholds: levels(1) });

		const { items } = await trigger.poll('manual');

		expect(items.map((item) => [item.value, item.monthToDate, item.message])).toEqual([
			[
				0,
				0,
				'Test: UpCloud network gateways spend for api_user in 2024-05 is projected at 0.00 EUR by month end (0.00 EUR so far, 30.6% of the month), not above the 1 EUR threshold',
			],
		]);
	});

	it('emits nothing and stores nothing before Minimum Hours of Data, and alerts exactly at it', async () => {
		const { scope, seen } = upcloud();
		scope.get('/1.3/account/billing/summary/2024-05').times(2).reply(200, { currency: 'EUR', total_amount: 10 });
		const trigger = poller({ metric: 'monthSpendForecast', thresholds: levels(250), options: { minimumHoursOfData: 12 } });

		setNow('2024-05-01T11:59:59.000Z');
		const early = await trigger.poll();
		const stored = trigger.staticData();
		setNow('2024-05-01T12:00:00.000Z');
		const exactly = await trigger.poll();

		expect(seen()).toEqual([get('/1.3/account/billing/summary/2024-05'), get('/1.3/account/billing/summary/2024-05')]);
		expect(early.error).toBeUndefined();
		expect(early.result).toBeNull();
		expect(stored).toEqual({});
		// 10 EUR in 12 of 744 hours: 620 EUR by month end.
		expect(exactly.items.map((item) => [item.state, item.value, item.elapsedFraction, item.message])).toEqual([
			[
				'alerting',
				620,
				0.016129,
				'UpCloud spend for api_user in 2024-05 is projected at 620.00 EUR by month end (10.00 EUR so far, 1.6% of the month), above the 250 EUR threshold',
			],
		]);
	});

	it("with a token, a poll before Minimum Hours of Data still remembers the account name it looked up", async () => {
		const { scope, seen } = upcloud(UPCLOUD_TOKEN_AUTH);
		scope.get('/1.3/account/billing/summary/2024-05').times(2).reply(200, { currency: 'EUR', total_amount: 10 });
		scope.get('/1.3/account').reply(200, ACCOUNT);
		const trigger = poller({ authentication: 'apiToken', metric: 'monthSpendForecast', thresholds: levels(250) });

		setNow('2024-05-01T06:00:00.000Z');
		const early = await trigger.poll();
		setNow('2024-05-01T07:00:00.000Z');
		await trigger.poll();

		expect(early.result).toBeNull();
		expect(seen().map((r) => r.path)).toEqual([
			'/1.3/account/billing/summary/2024-05',
			'/1.3/account',
			'/1.3/account/billing/summary/2024-05',
		]);
		expect(trigger.staticData()).toEqual({ apiUser: { credential: 'cred-upcloud-token', username: 'acme' } });
	});

	it('waits 24 hours by default', async () => {
		const { scope } = upcloud();
		scope.get('/1.3/account/billing/summary/2024-05').times(2).reply(200, { currency: 'EUR', total_amount: 10 });
		const trigger = poller({ metric: 'monthSpendForecast', thresholds: levels(250) });

		setNow('2024-05-01T23:59:00.000Z');
		const early = await trigger.poll();
		setNow('2024-05-02T00:00:00.000Z');
		const day = await trigger.poll();

		expect(early.result).toBeNull();
		expect(day.items.map((item) => [item.state, item.value])).toEqual([['alerting', 310]]);
	});

	it('in a manual run before Minimum Hours of Data, says why and shows the value it would compute', async () => {
		const { scope, seen } = upcloud();
		scope.get('/1.3/account/billing/summary/2024-05').reply(200, { currency: 'EUR', total_amount: 1.5 });
		const seeded = { [KEY]: { state: { version: 1, scope: 'monthSpendForecast|total|', period: '2024-04', levels: {} } } };
		const trigger = poller({ metric: 'monthSpendForecast', thresholds: levels(100) }, seeded);

		setNow('2024-05-01T06:00:00.000Z');
		const { items, error } = await trigger.poll('manual');

		expect(error).toBeUndefined();
		expect(seen()).toEqual([get('/1.3/account/billing/summary/2024-05')]);
		expect(items).toEqual([
			{
				metric: 'monthSpendForecast',
				value: 186,
				unit: 'EUR',
				monthToDate: 1.5,
				elapsedFraction: 0.008065,
				currency: 'EUR',
				state: 'test',
				period: '2024-05',
				observedAt: '2024-05-01T06:00:00.000Z',
				account: 'api_user',
				message: 'Test: UpCloud spend for api_user in 2024-05 is projected at 186.00 EUR by month end (1.50 EUR so far, 0.8% of the month)',
				hint: 'Only 6 hours of 2024-05 have passed, fewer than the 24 of Minimum Hours of Data: polls emit nothing until then; the value is what they would compute now',
				raw: { currency: 'EUR', total_amount: 1.5 },
			},
		]);
		expect(trigger.staticData()).toEqual(seeded[KEY]);
		expect(trigger.staticDataChanged).toBe(false);
	});

	it('starts over each month: the alarm of May re-arms, June stays quiet for its first day, then alerts again', async () => {
		const { scope, seen } = upcloud();
		scope.get('/1.3/account/billing/summary/2024-05').reply(200, { currency: 'EUR', total_amount: 500 });
		scope.get('/1.3/account/billing/summary/2024-06').reply(200, { currency: 'EUR', total_amount: 5 });
		scope.get('/1.3/account/billing/summary/2024-06').reply(200, { currency: 'EUR', total_amount: 30 });
		const trigger = poller({ metric: 'monthSpendForecast', thresholds: levels(400) });

		setNow('2024-05-31T23:00:00.000Z');
		const may = await trigger.poll();
		const stateOfMay = trigger.staticData();
		setNow('2024-06-01T05:00:00.000Z');
		const juneEarly = await trigger.poll();
		const stateEarly = trigger.staticData();
		setNow('2024-06-03T00:00:00.000Z');
		const june = await trigger.poll();

		expect(seen()).toEqual([
			get('/1.3/account/billing/summary/2024-05'),
			get('/1.3/account/billing/summary/2024-06'),
			get('/1.3/account/billing/summary/2024-06'),
		]);
		expect(may.items.map((item) => [item.period, item.state, item.previousState, item.value])).toEqual([
			['2024-05', 'alerting', 'unknown', 500.67295],
		]);
		// 5 EUR in 5 hours would project 720 EUR, but June has less than a day of data.
		expect(juneEarly.result).toBeNull();
		expect(stateEarly).toEqual(stateOfMay);
		// 30 EUR in 2 of 30 days: 450 EUR; the level re-armed with the new month, so it alerts again.
		expect(june.items.map((item) => [item.period, item.state, item.previousState, item.message])).toEqual([
			[
				'2024-06',
				'alerting',
				'ok',
				'UpCloud spend for api_user in 2024-06 is projected at 450.00 EUR by month end (30.00 EUR so far, 6.7% of the month), above the 400 EUR threshold',
			],
		]);
	});

	it('refuses a negative Minimum Hours of Data before any request', async () => {
		const { seen } = upcloud();
		const trigger = poller({ metric: 'monthSpendForecast', thresholds: levels(1), options: { minimumHoursOfData: -1 } });

		const { error } = await trigger.poll();

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error?.message).toBe('Minimum Hours of Data must be a number of at least 0 (got -1)');
		expect(seen()).toEqual([]);
	});
});

describe('Credit Runway', () => {
	const summary = '/1.3/account/billing/summary/2024-05';
	const inAlarm = (): IDataObject => ({
		[KEY]: {
			state: {
				version: 1,
				scope: 'creditRunway',
				period: null,
				levels: {
					'below:7': { status: 'alarm', pending: 0, since: '2024-05-09T00:00:00.000Z', lastNotifiedAt: '2024-05-09T00:00:00.000Z' },
				},
			},
			currency: { account: 'acme', currency: 'EUR' },
		},
	});

	it('with no spend this month is unlimited: a level in alarm recovers', async () => {
		const { scope } = upcloud();
		scope.get('/1.3/account').reply(200, ACCOUNT);
		scope.get(summary).reply(200, { currency: 'EUR', total_amount: 0 });
		const trigger = poller({ metric: 'creditRunway', thresholds: levels(7), options: { notifyOnRecovery: true } }, inAlarm());

		const { items } = await trigger.poll();

		expect(items.map((item) => [item.state, item.previousState, item.value, item.dailyBurn, item.runsOutAt, item.message])).toEqual([
			[
				'resolved',
				'alarm',
				null,
				0,
				null,
				'Resolved: UpCloud credits for acme last indefinitely (42.10 EUR left, no spend yet this month), no longer below the 7 days threshold',
			],
		]);
		expect((trigger.staticData().state as IDataObject).levels).toEqual({
			'below:7': { status: 'ok', pending: 0, since: '2024-05-10T12:00:00.000Z', lastNotifiedAt: null },
		});
	});

	it('with no spend is not a reading that breaches, whichever the comparison; a manual run says so', async () => {
		const { scope } = upcloud();
		scope.get('/1.3/account').times(2).reply(200, ACCOUNT);
		scope.get(summary).times(2).reply(200, { currency: 'EUR' });
		const above = poller({ metric: 'creditRunway', creditsCurrency: 'EUR', comparison: 'above', thresholds: levels(7) });

		const active = await above.poll();
		const manual = await poller({ metric: 'creditRunway', creditsCurrency: 'EUR', thresholds: levels(7) }).poll('manual');

		expect(active.result).toBeNull();
		expect(manual.items.map((item) => [item.state, item.value, item.message])).toEqual([
			['test', null, 'Test: UpCloud credits for acme last indefinitely (42.10 EUR left, no spend yet this month), not below the 7 days threshold'],
		]);
	});

	it('is 0 days once the credits are gone', async () => {
		const { scope } = upcloud();
		scope.get('/1.3/account').reply(200, { account: { credits: -350, username: 'acme' } });
		scope.get(summary).reply(200, SUMMARY);
		const trigger = poller({ metric: 'creditRunway', creditsCurrency: 'EUR', thresholds: levels(1) });

		const { items } = await trigger.poll();

		expect(items.map((item) => [item.value, item.credits, item.runsOutAt, item.message])).toEqual([
			[
				0,
				-3.5,
				'2024-05-10T12:00:00.000Z',
				'UpCloud credits for acme last 0.0 days (-3.50 EUR left, 5.62 EUR/day: the credits have run out), below the 1 day threshold',
			],
		]);
	});

	it("burns the account's total, whatever Category and Customer Username still hold", async () => {
		const { scope, seen } = upcloud();
		scope.get('/1.3/account').reply(200, ACCOUNT);
		scope.get(summary).reply(200, SUMMARY);
		const trigger = poller({
			metric: 'creditRunway',
			creditsCurrency: 'EUR',
			spendCategory: 'servers',
			username: 'customer_1',
			thresholds: levels(10),
		});

		const { items } = await trigger.poll();

		expect(seen()).toEqual([get('/1.3/account'), get(summary)]);
		expect(items.map((item) => item.dailyBurn)).toEqual([5.61575]);
		expect(trigger.staticData().state).toMatchObject({ scope: 'creditRunway' });
	});

	it('before Minimum Hours of Data emits nothing and keeps the alarm, but remembers the looked-up currency', async () => {
		const { scope, seen } = upcloud();
		scope.get('/1.3/account').reply(200, ACCOUNT);
		scope.get('/1.3/account/details/acme').reply(200, DETAILS);
		scope.get('/1.3/account/billing/summary/2024-06').reply(200, { currency: 'EUR', total_amount: 0 });
		const seeded = inAlarm();
		delete (seeded[KEY] as IDataObject).currency;
		const trigger = poller({ metric: 'creditRunway', thresholds: levels(7), options: { notifyOnRecovery: true } }, seeded);

		setNow('2024-06-01T03:00:00.000Z');
		const { result, error } = await trigger.poll();

		expect(error).toBeUndefined();
		expect(result).toBeNull();
		expect(seen()).toEqual([get('/1.3/account'), get('/1.3/account/details/acme'), get('/1.3/account/billing/summary/2024-06')]);
		expect(trigger.staticData()).toEqual({ ...(seeded[KEY] as IDataObject), currency: { account: 'acme', currency: 'EUR' } });
	});
});

describe('Fetch Test Event with no threshold level yet', () => {
	it('shows the reading as one test item with a hint, making only the requests of the reading', async () => {
		const { scope, seen } = upcloud();
		scope.get('/1.3/account').reply(200, ACCOUNT);
		scope.get('/1.3/account/details/acme').reply(200, DETAILS);
		const trigger = poller({ metric: 'credits' });

		const { items, error } = await trigger.poll('manual');

		expect(error).toBeUndefined();
		expect(seen()).toEqual([get('/1.3/account'), get('/1.3/account/details/acme')]);
		expect(items).toEqual([
			{
				metric: 'credits',
				value: 42.1,
				unit: 'EUR',
				state: 'test',
				period: null,
				observedAt: '2024-05-10T12:00:00.000Z',
				account: 'acme',
				message: 'Test: UpCloud credits for acme are 42.10 EUR',
				hint: 'This is the current reading: add a threshold level to alert on it',
				raw: ACCOUNT,
			},
		]);
		expect(trigger.staticData()).toEqual({});
		expect(trigger.staticDataChanged).toBe(false);
	});

	it('works for every metric, e.g. monthly spend with one request', async () => {
		const { scope, seen } = upcloud();
		scope.get('/1.3/account/billing/summary/2024-05').reply(200, SUMMARY);
		const trigger = poller({ metric: 'monthSpend', thresholds: {} });

		const { items } = await trigger.poll('manual');

		expect(seen()).toEqual([get('/1.3/account/billing/summary/2024-05')]);
		expect(items.map((item) => [item.metric, item.value, item.period, item.message])).toEqual([
			['monthSpend', 53.34964, '2024-05', 'Test: UpCloud spend for api_user in 2024-05 is 53.35 EUR'],
		]);
	});

	it('gives both reasons for a projection with too few hours of data', async () => {
		const { scope } = upcloud();
		scope.get('/1.3/account').reply(200, ACCOUNT);
		scope.get('/1.3/account/billing/summary/2024-05').reply(200, { currency: 'EUR', total_amount: 2 });
		const trigger = poller({ metric: 'creditRunway', creditsCurrency: 'EUR' });

		setNow('2024-05-01T12:00:00.000Z');
		const { items } = await trigger.poll('manual');

		expect(items.map((item) => [item.value, item.runsOutAt, item.message, item.hint])).toEqual([
			[
				10.525,
				'2024-05-12T00:36:00.000Z',
				"Test: UpCloud credits for acme last 10.5 days at this month's rate (42.10 EUR left, 4.00 EUR/day, running out around 2024-05-12T00:36Z)",
				'Only 12 hours of 2024-05 have passed, fewer than the 24 of Minimum Hours of Data: polls emit nothing until then; the value is what they would compute now. This is the current reading: add a threshold level to alert on it',
			],
		]);
	});

	it('runs through n8n-core WorkflowExecute as the editor does', async () => {
		const { scope } = upcloud();
		scope.get('/1.3/account').reply(200, ACCOUNT);
		const { items, error } = await runNode({
			type: TYPE,
			nodeTypes,
			parameters: { authentication: 'basicAuth', metric: 'credits', creditsCurrency: 'EUR' },
		});

		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.state, item.json.message, item.json.hint])).toEqual([
			['test', 'Test: UpCloud credits for acme are 42.10 EUR', 'This is the current reading: add a threshold level to alert on it'],
		]);
	});

	it('still refuses activation, sending nothing', async () => {
		const { seen } = upcloud();
		const trigger = poller({ metric: 'creditRunway' });

		const { error } = await trigger.poll('trigger');

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error?.message).toBe('Add at least one threshold level');
		expect(error?.description).toBe('Add at least one threshold level. Nothing was sent to UpCloud.');
		expect(seen()).toEqual([]);
		expect(trigger.staticData()).toEqual({});
	});

	it('still reports the other configuration problems', async () => {
		const trigger = poller({ metric: 'credits', options: { consecutivePolls: 0 } });

		const { error } = await trigger.poll('manual');

		expect(error?.message).toBe('Consecutive Polls must be a whole number of at least 1 (got 0)');
	});
});

describe('after an n8n restart or a re-activation (options.afterRestart)', () => {
	/**
	 * Credits in EUR as the sandbox-free mock answers them, one value per poll; the Poller saves static data as n8n
	 * does (after a poll that emitted, and after an activation's first poll) and restart() reloads the saved copy.
	 */
	function creditsMock() {
		const { scope, seen } = upcloud();
		let credits = 0;
		scope.get('/1.3/account').reply(() => [200, { account: { credits: credits * 100, username: 'acme' } }]).persist();
		scope.get('/1.3/account/details/acme').reply(200, DETAILS).persist();
		return {
			seen,
			set: (eur: number) => {
				credits = eur;
			},
		};
	}

	/** Runs the steps (a credits value to poll with, or 'restart') and returns "poll state previousState [afterRestart]". */
	async function sequence(steps: Array<number | 'restart'>, options: INodeParameters = {}) {
		const mock = creditsMock();
		const trigger = poller({ metric: 'credits', thresholds: levels(50), options });
		const fired: string[] = [];
		const items: IDataObject[] = [];
		let poll = 0;
		for (const step of steps) {
			if (step === 'restart') {
				trigger.restart();
				continue;
			}
			mock.set(step);
			const outcome = await trigger.poll();
			expect(outcome.error).toBeUndefined();
			for (const item of outcome.items) {
				items.push(item);
				fired.push(`${poll} ${String(item.state)} ${String(item.previousState)}${item.afterRestart === true ? ' afterRestart' : ''}`);
			}
			poll++;
		}
		return { fired, items, trigger };
	}

	afterEach(() => nock.cleanAll());

	it('offers Repeat Active Alarms (default) and Silent', () => {
		const options = new UpCloudUsageTrigger().description.properties.find((p) => p.name === 'options')!.options as INodeProperties[];
		const option = options.find((o) => o.name === 'afterRestart')!;
		expect(option).toMatchObject({ displayName: 'After Restart', type: 'options', default: 'repeatActive' });
		expect((option.options as INodePropertyOptions[]).map((o) => o.value)).toEqual(['repeatActive', 'silent']);
		expect((option.options as INodePropertyOptions[])[1].description).toMatch(/May miss a crossing after a restart/);
	});

	it('crossing, silent recovery, restart, still recovered: nothing, and the saved level is ok', async () => {
		const { fired, trigger } = await sequence([40, 60, 'restart', 60, 60]);
		expect(fired).toEqual(['0 alerting unknown']);
		expect((trigger.savedStaticData()?.state as IDataObject).levels).toEqual({
			'below:50': { status: 'ok', pending: 0, since: '2024-05-10T12:00:00.000Z', lastNotifiedAt: null },
		});
	});

	it('crossing, silent recovery, restart, crossed again: one alert, marked afterRestart', async () => {
		const { fired, items } = await sequence([40, 60, 'restart', 30, 30, 30]);
		expect(fired).toEqual(['0 alerting unknown', '2 alerting unknown afterRestart']);
		expect(items[1]).toEqual({
			metric: 'credits',
			level: '50 EUR',
			threshold: 50,
			comparison: 'below',
			value: 30,
			unit: 'EUR',
			state: 'alerting',
			previousState: 'unknown',
			period: null,
			observedAt: '2024-05-10T12:00:00.000Z',
			account: 'acme',
			message:
				'UpCloud credits for acme are 30.00 EUR, below the 50 EUR threshold (repeated after an n8n restart: this alarm may have recovered and crossed again while n8n was down or restarting)',
			afterRestart: true,
			raw: { account: { credits: 3000, username: 'acme' } },
		});
		expect(items[0]).not.toHaveProperty('afterRestart');
	});

	it('restart while still crossed: one repeat, then nothing in that activation', async () => {
		const { fired } = await sequence([40, 40, 'restart', 40, 40, 40]);
		expect(fired).toEqual(['0 alerting unknown', '2 alerting unknown afterRestart']);
	});

	it('silent: the saved alarm is kept, and the crossing after the silent recovery is missed (as documented)', async () => {
		const { fired } = await sequence([40, 60, 'restart', 30, 30], { afterRestart: 'silent' });
		expect(fired).toEqual(['0 alerting unknown']);
	});

	it('Also Notify on Recovery on: the saved state is exact, nothing is repeated, and a new crossing alerts normally', async () => {
		const { fired } = await sequence([40, 'restart', 40, 40, 60, 'restart', 60, 30], { notifyOnRecovery: true });
		expect(fired).toEqual(['0 alerting unknown', '3 resolved alarm', '5 alerting ok']);
	});

	it('a failed first poll keeps the doubt: the next poll that reads credits repeats the alarm once', async () => {
		const mock = creditsMock();
		const trigger = poller({ metric: 'credits', thresholds: levels(50) });
		mock.set(40);
		expect((await trigger.poll()).items).toHaveLength(1);
		mock.set(60);
		expect((await trigger.poll()).items).toEqual([]);
		trigger.restart();
		nock.cleanAll();
		const failing = upcloud();
		failing.scope.get('/1.3/account').reply(400, { error: { error_code: 'X', error_message: 'no' } });
		const failed = await trigger.poll();
		expect(failed.error).toBeDefined();
		nock.cleanAll();
		creditsMock().set(30);
		const after = await trigger.poll();
		expect(after.items.map((i) => [i.state, i.afterRestart])).toEqual([['alerting', true]]);
	});

	it('a manual run (Fetch Test Event) does not use up the activation\'s first poll, nor change the state', async () => {
		const mock = creditsMock();
		const trigger = poller({ metric: 'credits', thresholds: levels(50) });
		mock.set(40);
		await trigger.poll();
		mock.set(60);
		await trigger.poll();
		trigger.restart();
		mock.set(30);
		const manual = await trigger.poll('manual');
		expect(manual.items.map((i) => i.state)).toEqual(['test']);
		const next = await trigger.poll();
		expect(next.items.map((i) => [i.state, i.afterRestart])).toEqual([['alerting', true]]);
	});

	it('month-to-date spend still above its level in the same month is not repeated (it cannot have decreased)', async () => {
		const { scope } = upcloud();
		scope.get('/1.3/account/billing/summary/2024-05').reply(200, SUMMARY).persist();
		const trigger = poller({ metric: 'monthSpend', thresholds: levels(50) });
		expect((await trigger.poll()).items).toHaveLength(1);
		trigger.restart();
		expect((await trigger.poll()).items).toEqual([]);
		trigger.restart();
		expect((await trigger.poll()).items).toEqual([]);
	});

	it('the transfer pool as a percentage can fall, so it is repeated; in bytes it is not', async () => {
		const { scope } = upcloud();
		const usage = { stats: { current_network_usage: { total_sent_bytes: 9e11, accumulated_quota_bytes: 1e12, updated: '2024-05-10T11:00:00Z' } } };
		scope.get('/1.3/account/current_network_usage').reply(200, usage).persist();
		for (const [measure, threshold, repeats] of [['percent', 80, 1], ['bytes', 0.5, 0]] as const) {
			const trigger = poller({ metric: 'transferPool', transferMeasure: measure, byteUnit: 'TB', thresholds: levels(threshold) });
			expect((await trigger.poll()).items).toHaveLength(1);
			trigger.restart();
			const after = await trigger.poll();
			expect([measure, after.items.length]).toEqual([measure, repeats]);
		}
	});
});

import nock from 'nock';

import { UpCloud } from '../../../nodes/UpCloud/UpCloud.node';
import { nodeTypesFor, runNode, TEST_CREDENTIALS, UPCLOUD_AUTH } from '../../helpers/engine';
import { recordRequests } from '../../helpers/requests';
import { ACCOUNT_DETAILS, anyRequest, api, expectUpCloudHeaders, upCloudError } from './fixtures';

const BASE = 'https://api.upcloud.test';
const nodeTypes = nodeTypesFor({ upCloud: new UpCloud() });
const run = (parameters: Record<string, unknown>, extra: Partial<Parameters<typeof runNode>[0]> = {}) =>
	runNode({ type: 'upCloud', nodeTypes, parameters: { authentication: 'basicAuth', ...parameters } as never, ...extra });

describe('UpCloud account', () => {
	it('getCurrent sends GET /account with Basic auth and outputs the unwrapped account', async () => {
		const api = nock(BASE);
		const requests = recordRequests(api);
		api.get('/1.3/account').reply(200, { account: { credits: 9972.2324, username: 'api_user', resource_limits: { cores: 200 } } });
		const { items, error } = await run({ resource: 'account', operation: 'getCurrent' });
		expect(error).toBeUndefined();
		expect(requests).toHaveLength(1);
		expect(requests[0].method).toBe('GET');
		expect(requests[0].path).toBe('/1.3/account');
		expect(requests[0].headers.authorization).toBe(UPCLOUD_AUTH);
		expect(requests[0].headers.accept).toBe('application/json');
		expect(requests[0].body).toBeUndefined();
		expect(items).toEqual([
			{
				json: { credits: 9972.2324, credits_in_currency: 99.722324, username: 'api_user', resource_limits: { cores: 200 } },
				pairedItem: { item: 0 },
			},
		]);
		// Right after credits, UpCloud's own fields unchanged around it.
		expect(Object.keys(items[0].json)).toEqual(['credits', 'credits_in_currency', 'username', 'resource_limits']);
	});

	it('getCurrent gives credits_in_currency as credits / 100 without float artefacts, and none without credits', async () => {
		nock(BASE).get('/1.3/account').reply(200, { account: { credits: 84215.3127, username: 'a' } });
		const { items } = await run({ resource: 'account', operation: 'getCurrent' });
		expect(items[0].json).toEqual({ credits: 84215.3127, credits_in_currency: 842.153127, username: 'a' });

		nock(BASE).get('/1.3/account').reply(200, { account: { username: 'sub_without_billing' } });
		const { items: without } = await run({ resource: 'account', operation: 'getCurrent' });
		expect(without[0].json).toEqual({ username: 'sub_without_billing' });
	});

	it('getAll sends repeated label filters and links every account to its input item', async () => {
		const api = nock(BASE);
		const requests = recordRequests(api);
		const accounts = [
			{ type: 'main', username: 'a', roles: { role: [] }, labels: [] },
			{ type: 'sub', username: 'b', roles: { role: ['billing'] }, labels: [{ key: 'org', value: 'it' }] },
		];
		api.get('/1.3/account/list').query(true).times(2).reply(200, { accounts: { account: accounts } });
		const { items, error } = await run(
			{
				resource: 'account',
				operation: 'getAll',
				returnAll: true,
				filters: { labels: { label: [{ key: 'org', value: 'it' }, { key: 'developers', value: '' }] } },
			},
			{ items: [{}, {}] },
		);
		expect(error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual([
			'/1.3/account/list?label=org%3Dit&label=developers',
			'/1.3/account/list?label=org%3Dit&label=developers',
		]);
		expect(items.map((i) => [i.json.username, i.pairedItem])).toEqual([
			['a', { item: 0 }],
			['b', { item: 0 }],
			['a', { item: 1 }],
			['b', { item: 1 }],
		]);
	});

	it('update PUTs the account envelope then reads the account back', async () => {
		const api = nock(BASE);
		const requests = recordRequests(api);
		api.put('/1.3/account/details/api_user').reply(204);
		api.get('/1.3/account/details/api_user').reply(200, { account: { username: 'api_user', first_name: 'Ada' } });
		const { items, error } = await run({
			resource: 'account',
			operation: 'update',
			username: '',
			updateFields: {
				firstName: 'Ada',
				roles: ['billing'],
				serverAccess: { server: [{ uuid: '*', storage: 'yes' }] },
				ipFilters: ['10.0.0.0/24'],
				labels: { label: [{ key: 'env', value: 'prod' }] },
			},
		});
		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path, r.body])).toEqual([
			[
				'PUT',
				'/1.3/account/details/api_user',
				{
					account: {
						first_name: 'Ada',
						roles: { role: ['billing'] },
						server_access: { server: [{ uuid: '*', storage: 'yes' }] },
						ip_filters: { ip_filter: ['10.0.0.0/24'] },
						labels: [{ key: 'env', value: 'prod' }],
					},
				},
			],
			['GET', '/1.3/account/details/api_user', undefined],
		]);
		expect(requests[0].headers['content-type']).toBe('application/json');
		expect(items).toEqual([{ json: { username: 'api_user', first_name: 'Ada' }, pairedItem: { item: 0 } }]);
	});

	it('encodes a hostile username into one path segment', async () => {
		const api = nock(BASE);
		const requests = recordRequests(api);
		api.get('/1.3/account/details/..%2Fx%3Fa%3Db').reply(200, { account: { username: 'x' } });
		const { error } = await run({ resource: 'account', operation: 'get', username: '../x?a=b' });
		expect(error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual(['/1.3/account/details/..%2Fx%3Fa%3Db']);
	});

	it('refuses ".." before sending anything', async () => {
		const { error } = await run({ resource: 'account', operation: 'get', username: '..' });
		expect(error?.message).toBe('Username cannot be "." or ".."');
	});

	it('shows UpCloud error code and message', async () => {
		nock(BASE)
			.get('/1.3/account')
			.reply(401, { error: { error_code: 'AUTHENTICATION_FAILED', error_message: 'Authentication failed using the given username and password.' } });
		const { error } = await run({ resource: 'account', operation: 'getCurrent' });
		expect(error?.message).toBe('AUTHENTICATION_FAILED: Authentication failed using the given username and password.');
		expect(error?.httpCode).toBe('401');
		expect(JSON.stringify(error)).not.toContain('S3cret-Pa55');
	});

	it('continue on fail gives one error item per failing input item', async () => {
		nock(BASE).get('/1.3/account/details/good').reply(200, { account: { username: 'good' } });
		nock(BASE).get('/1.3/account/details/missing').reply(404, { error: { error_code: 'ACCOUNT_NOT_FOUND', error_message: 'Not found.' } });
		const { items, error } = await run(
			{ resource: 'account', operation: 'get', username: '={{$json.u}}' },
			{ items: [{ u: 'good' }, { u: 'missing' }], continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(items[0]).toEqual({ json: { username: 'good' }, pairedItem: { item: 0 } });
		expect(items[1].json).toEqual({ error: 'ACCOUNT_NOT_FOUND: Not found.' });
		expect(items[1].pairedItem).toEqual({ item: 1 });
	});
});

describe('UpCloud account: get', () => {
	it('GETs /account/details/{username} and outputs the unwrapped details', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/details/sdk_test_subaccount').reply(200, { account: ACCOUNT_DETAILS });

		const { items, error } = await run({ resource: 'account', operation: 'get', username: 'sdk_test_subaccount' });

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([['GET', '/1.3/account/details/sdk_test_subaccount']]);
		expectUpCloudHeaders(requests[0]);
		expect(items).toEqual([{ json: ACCOUNT_DETAILS, pairedItem: { item: 0 } }]);
	});

	it('trims the username as the other account operations do', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/details/sdk_test_subaccount').reply(200, { account: ACCOUNT_DETAILS });

		const { error } = await run({ resource: 'account', operation: 'get', username: ' sdk_test_subaccount\n' });

		expect(error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual(['/1.3/account/details/sdk_test_subaccount']);
	});

	it.each([
		['../x', '..%2Fx'],
		['a?b', 'a%3Fb'],
		['a/b', 'a%2Fb'],
		['a#b', 'a%23b'],
	])('keeps the hostile username %s inside one path segment', async (username, encoded) => {
		const { scope, requests } = api();
		scope.get(`/1.3/account/details/${encoded}`).reply(403, upCloudError('ACCOUNT_FORBIDDEN', 'You do not have access to this account.'));

		const { error } = await run({ resource: 'account', operation: 'get', username });

		expect(requests.map((r) => [r.method, r.path])).toEqual([['GET', `/1.3/account/details/${encoded}`]]);
		expect(error?.message).toBe('ACCOUNT_FORBIDDEN: You do not have access to this account.');
		expect(error?.httpCode).toBe('403');
	});

	it('links each account to its input item', async () => {
		const { scope } = api();
		scope.get('/1.3/account/details/first_sub').reply(200, { account: { ...ACCOUNT_DETAILS, username: 'first_sub' } });
		scope.get('/1.3/account/details/second_sub').reply(200, { account: { ...ACCOUNT_DETAILS, username: 'second_sub' } });

		const { items, error } = await run(
			{ resource: 'account', operation: 'get', username: '={{$json.u}}' },
			{ items: [{ u: 'first_sub' }, { u: 'second_sub' }] },
		);

		expect(error).toBeUndefined();
		expect(items.map((i) => [i.json.username, i.pairedItem])).toEqual([
			['first_sub', { item: 0 }],
			['second_sub', { item: 1 }],
		]);
	});
});

describe('UpCloud account: update', () => {
	it.each([
		['pasted with a trailing slash', 'https://api.upcloud.test/1.3/', 'https://api.upcloud.test'],
		['left empty (UpCloud itself)', '', 'https://api.upcloud.com'],
	])('sends the update and the read-back to the same host when the Base URL is %s', async (_, baseUrl, host) => {
		const scope = nock(host);
		const requests = recordRequests(scope);
		scope.put('/1.3/account/details/ops_team').reply(204);
		scope.get('/1.3/account/details/ops_team').reply(200, { account: { username: 'ops_team', first_name: 'Ada' } });
		const { items, error } = await run(
			{ resource: 'account', operation: 'update', username: 'ops_team', updateFields: { firstName: 'Ada' } },
			{ credentials: { upCloudApi: { ...TEST_CREDENTIALS.upCloudApi, baseUrl } } },
		);
		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([
			['PUT', '/1.3/account/details/ops_team'],
			['GET', '/1.3/account/details/ops_team'],
		]);
		expect(items).toEqual([{ json: { username: 'ops_team', first_name: 'Ada' }, pairedItem: { item: 0 } }]);
	});

	it('PUTs to a named account, encoded, and outputs the account read back', async () => {
		const { scope, requests } = api();
		scope.put('/1.3/account/details/a%2Fb').reply(204);
		scope.get('/1.3/account/details/a%2Fb').reply(200, { account: { ...ACCOUNT_DETAILS, username: 'a/b', state: 'New York', country: 'USA' } });

		const { items, error } = await run({
			resource: 'account',
			operation: 'update',
			username: 'a/b',
			updateFields: { country: 'USA', state: 'New York', allowGui: 'yes', tagAccess: { tag: [{ name: 'mytag2', storage: 'no' }] } },
		});

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path, r.body])).toEqual([
			[
				'PUT',
				'/1.3/account/details/a%2Fb',
				{ account: { country: 'USA', state: 'New York', allow_gui: 'yes', tag_access: { tag: [{ name: 'mytag2', storage: 'no' }] } } },
			],
			['GET', '/1.3/account/details/a%2Fb', undefined],
		]);
		expectUpCloudHeaders(requests[0], { body: true });
		expectUpCloudHeaders(requests[1]);
		expect(items).toEqual([
			{ json: { ...ACCOUNT_DETAILS, username: 'a/b', state: 'New York', country: 'USA' }, pairedItem: { item: 0 } },
		]);
	});

	const refused = async (parameters: Record<string, unknown>) => {
		const requests = anyRequest();
		const { items, error } = await run({ resource: 'account', operation: 'update', username: '', ...parameters });
		expect(requests).toEqual([]);
		expect(items).toEqual([]);
		expect(error?.description).toMatch(/Nothing was sent\.$/);
		return error?.message;
	};

	it('refuses empty Update Fields', async () => {
		expect(await refused({ updateFields: {} })).toBe('Update Fields must contain at least one field to change');
	});

	it('refuses the username ".."', async () => {
		expect(await refused({ username: '..', updateFields: { firstName: 'Ada' } })).toBe('Username cannot be "." or ".."');
	});

	it.each([
		[{ country: 'USA' }, 'State is required when the country is USA'],
		[{ phone: '358.31245434' }, 'Phone must be in international format +<country code>.<number>, e.g. +358.31245434'],
		[{ firstName: 'x'.repeat(51) }, 'First Name must be 1–50 characters long (got 51)'],
		[{ postalCode: 'x'.repeat(101) }, 'Postal Code must be 1–100 characters long (got 101)'],
		[{ ipFilters: ['192.0.2.0/24', '192.0.2.300'] }, 'IP Filters entries must be a single IP address, a CIDR block (10.0.0.0/24) or a range (10.0.0.1-10.0.0.9); "192.0.2.300" is none of these'],
	])('refuses %j', async (updateFields, message) => {
		expect(await refused({ updateFields })).toBe(message);
	});
});

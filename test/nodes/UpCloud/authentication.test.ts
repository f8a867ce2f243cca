import nock from 'nock';
import type { INodePropertyOptions } from 'n8n-workflow';

import { UpCloud } from '../../../nodes/UpCloud/UpCloud.node';
import { nodeTypesFor, runNode, TEST_CREDENTIALS, UPCLOUD_AUTH, UPCLOUD_TOKEN_AUTH } from '../../helpers/engine';
import { recordRequests } from '../../helpers/requests';
import { api, errorItem, run, subaccountCreateParameters, upCloudError } from './fixtures';

const TOKEN = TEST_CREDENTIALS.upCloudTokenApi.token as string;

describe('UpCloud node: Authentication', () => {
	const { description } = new UpCloud();

	it('offers API Token (the default, recommended) and Username & Password, each with its own credential', () => {
		const authentication = description.properties.find((p) => p.name === 'authentication')!;
		expect(authentication.default).toBe('apiToken');
		expect(
			(authentication.options as INodePropertyOptions[]).map((o) => [o.value, o.name, o.description]),
		).toEqual([
			['apiToken', 'API Token', expect.stringMatching(/^Recommended by UpCloud/)],
			['basicAuth', 'Username & Password', expect.any(String)],
		]);
		expect(description.credentials).toEqual([
			{ name: 'upCloudTokenApi', required: true, displayOptions: { show: { authentication: ['apiToken'] } } },
			{ name: 'upCloudApi', required: true, displayOptions: { show: { authentication: ['basicAuth'] } } },
		]);
	});

	it('without an Authentication parameter (its default) sends the API token as Bearer', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account').reply(200, { account: { credits: 1, username: 'acme' } });

		const { items, error } = await runNode({
			type: 'upCloud',
			nodeTypes: nodeTypesFor({ upCloud: new UpCloud() }),
			parameters: { resource: 'account', operation: 'getCurrent' },
		});

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
			['GET', '/1.3/account', UPCLOUD_TOKEN_AUTH],
		]);
		expect(items).toEqual([{ json: { credits: 1, credits_in_currency: 0.01, username: 'acme' }, pairedItem: { item: 0 } }]);
		expect(JSON.stringify(items)).not.toContain(TOKEN);
	});

	it.each([
		['apiToken', UPCLOUD_TOKEN_AUTH],
		['basicAuth', UPCLOUD_AUTH],
	])('%s: a routed request carries only that credential', async (authentication, header) => {
		const { scope, requests } = api();
		scope.get('/1.3/account/list').reply(200, { accounts: { account: [{ username: 'acme', type: 'main' }] } });

		const { error } = await run({ authentication, resource: 'account', operation: 'getAll', returnAll: true });

		expect(error).toBeUndefined();
		expect(requests.map((r) => r.headers.authorization)).toEqual([header]);
	});

	it('uses the token credential\'s own Base URL; empty means UpCloud\'s', async () => {
		const scope = nock('https://api.upcloud.com');
		const requests = recordRequests(scope);
		scope.get('/1.3/account').reply(200, { account: { username: 'acme' } });

		const { error } = await run(
			{ authentication: 'apiToken', resource: 'account', operation: 'getCurrent' },
			{ credentials: { ...TEST_CREDENTIALS, upCloudTokenApi: { token: TOKEN, baseUrl: '' } } },
		);

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.path, r.headers.authorization])).toEqual([['/1.3/account', UPCLOUD_TOKEN_AUTH]]);
	});

	it('Account Update with an empty Username and a token: the username from GET /account, then PUT and the read-back, all with the token', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account').reply(200, { account: { credits: 1, username: 'token_owner' } });
		scope.put('/1.3/account/details/token_owner').reply(204);
		scope.get('/1.3/account/details/token_owner').reply(200, { account: { username: 'token_owner', city: 'Turku' } });

		const { items, error } = await run({
			authentication: 'apiToken',
			resource: 'account',
			operation: 'update',
			username: '',
			updateFields: { city: 'Turku' },
		});

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path, r.body, r.headers.authorization])).toEqual([
			['GET', '/1.3/account', undefined, UPCLOUD_TOKEN_AUTH],
			['PUT', '/1.3/account/details/token_owner', { account: { city: 'Turku' } }, UPCLOUD_TOKEN_AUTH],
			['GET', '/1.3/account/details/token_owner', undefined, UPCLOUD_TOKEN_AUTH],
		]);
		expect(items).toEqual([{ json: { username: 'token_owner', city: 'Turku' }, pairedItem: { item: 0 } }]);
	});

	it('Account Update with Basic auth takes the username from the credential, with no extra request', async () => {
		const { scope, requests } = api();
		scope.put('/1.3/account/details/api_user').reply(204);
		scope.get('/1.3/account/details/api_user').reply(200, { account: { username: 'api_user' } });

		const { error } = await run({ resource: 'account', operation: 'update', username: '', updateFields: { city: 'Turku' } });

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
			['PUT', '/1.3/account/details/api_user', UPCLOUD_AUTH],
			['GET', '/1.3/account/details/api_user', UPCLOUD_AUTH],
		]);
	});

	it('Account Update under Continue On Fail: a failing GET /account fails only its item and sends no PUT', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account').reply(401, upCloudError('AUTHENTICATION_FAILED', 'Authentication failed using the given token.'));

		const { items, error } = await run(
			{ authentication: 'apiToken', resource: 'account', operation: 'update', username: '', updateFields: { city: 'Turku' } },
			{ continueOnFail: true },
		);

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([['GET', '/1.3/account']]);
		expect(items.map(errorItem)).toEqual([
			{
				json: { error: 'AUTHENTICATION_FAILED: Authentication failed using the given token.' },
				pairedItem: { item: 0 },
				error: 'AUTHENTICATION_FAILED: Authentication failed using the given token.',
				httpCode: '401',
			},
		]);
		expect(JSON.stringify(items)).not.toContain(TOKEN);
	});

	it('Subaccount Create with a token reads the new subaccount back after the 204 with the token', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/account/sub').reply(204);
		scope.get('/1.3/account/details/myusername').reply(200, { account: { username: 'myusername', type: 'sub' } });

		const { items, error } = await run(subaccountCreateParameters({ authentication: 'apiToken' }));

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
			['POST', '/1.3/account/sub', UPCLOUD_TOKEN_AUTH],
			['GET', '/1.3/account/details/myusername', UPCLOUD_TOKEN_AUTH],
		]);
		expect(items).toEqual([{ json: { username: 'myusername', type: 'sub' }, pairedItem: { item: 0 } }]);
	});

	it('a 401 for a token shows UpCloud\'s code and never the token', async () => {
		const { scope } = api();
		scope.get('/1.3/account').reply(401, upCloudError('AUTHENTICATION_FAILED', 'Authentication failed using the given token.'));

		const { error } = await run({ authentication: 'apiToken', resource: 'account', operation: 'getCurrent' });

		expect(error?.message).toBe('AUTHENTICATION_FAILED: Authentication failed using the given token.');
		expect(error?.description).toMatch(/API token/);
		expect(JSON.stringify(error)).not.toContain(TOKEN);
	});
});

import nock from 'nock';
import type { ICredentialType, INodeType } from 'n8n-workflow';

import { UpCloudApi } from '../../credentials/UpCloudApi.credentials';
import { UpCloudTokenApi } from '../../credentials/UpCloudTokenApi.credentials';
import { UpzeloApi } from '../../credentials/UpzeloApi.credentials';
import { nodeTypesFor, runNode, TEST_CREDENTIALS, UPCLOUD_AUTH, UPCLOUD_TOKEN_AUTH } from '../helpers/engine';
import { recordRequests } from '../helpers/requests';

/**
 * n8n's "Test" button sends the credential's `test.request` as a declarative request with the
 * credential applied; this node does the same through the engine, so the request is the real one.
 */
function credentialTester(credential: ICredentialType): INodeType {
	return {
		description: {
			displayName: 'Credential Test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: 'Credential Test' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credential.name, required: true }],
			properties: [
				{ displayName: 'Request', name: 'request', type: 'hidden', default: '', routing: { request: credential.test!.request } },
			],
		},
	} as INodeType;
}

async function testRequest(credential: ICredentialType, data: Record<string, unknown>, host: string) {
	const scope = nock(host);
	const requests = recordRequests(scope);
	scope.get(() => true).reply(200, {});
	const { error } = await runNode({
		type: 'credentialTest',
		nodeTypes: nodeTypesFor({ credentialTest: credentialTester(credential) }),
		parameters: {},
		credentials: { ...TEST_CREDENTIALS, [credential.name]: data as never },
	});
	expect(error).toBeUndefined();
	return requests;
}

describe('credential test requests', () => {
	it.each([
		['as given', 'https://api.upcloud.test/1.3', 'https://api.upcloud.test'],
		['with a trailing slash', 'https://api.upcloud.test/1.3/', 'https://api.upcloud.test'],
		['left empty (UpCloud itself)', '', 'https://api.upcloud.com'],
	])('UpCloud: GET /account with Basic auth, Base URL %s', async (_, baseUrl, host) => {
		const requests = await testRequest(new UpCloudApi(), { ...TEST_CREDENTIALS.upCloudApi, baseUrl }, host);
		expect(requests.map((r) => [r.method, r.path])).toEqual([['GET', '/1.3/account']]);
		expect(requests[0].headers.authorization).toBe(UPCLOUD_AUTH);
		expect(requests[0].headers.accept).toBe('application/json');
	});

	it.each([
		['as given', 'https://api.upcloud.test/1.3', 'https://api.upcloud.test'],
		['with a trailing slash', 'https://api.upcloud.test/1.3/', 'https://api.upcloud.test'],
		['left empty (UpCloud itself)', '', 'https://api.upcloud.com'],
	])('UpCloud Token API: GET /account with Bearer auth, Base URL %s', async (_, baseUrl, host) => {
		const requests = await testRequest(new UpCloudTokenApi(), { ...TEST_CREDENTIALS.upCloudTokenApi, baseUrl }, host);
		expect(requests.map((r) => [r.method, r.path])).toEqual([['GET', '/1.3/account']]);
		expect(requests[0].headers.authorization).toBe(UPCLOUD_TOKEN_AUTH);
		expect(requests[0].headers.accept).toBe('application/json');
	});

	it('UpCloud Token API: a token pasted with surrounding whitespace is sent without it', async () => {
		const token = TEST_CREDENTIALS.upCloudTokenApi.token as string;
		const requests = await testRequest(
			new UpCloudTokenApi(),
			{ ...TEST_CREDENTIALS.upCloudTokenApi, token: ` ${token}\n` },
			'https://api.upcloud.test',
		);
		expect(requests[0].headers.authorization).toBe(`Bearer ${token}`);
	});

	it.each([
		['as given', 'https://upzelo.test', 'https://upzelo.test'],
		['with a trailing slash', 'https://upzelo.test/', 'https://upzelo.test'],
		['left empty (Upzelo itself)', '', 'https://upzelo.com'],
	])('Upzelo: GET /api/products?limit=1 with Bearer key and App ID, Base URL %s', async (_, baseUrl, host) => {
		const requests = await testRequest(new UpzeloApi(), { ...TEST_CREDENTIALS.upzeloApi, baseUrl }, host);
		expect(requests.map((r) => [r.method, r.path])).toEqual([['GET', '/api/products?limit=1']]);
		expect(requests[0].headers.authorization).toBe('Bearer upz_test_key_123');
		expect(requests[0].headers['x-app-id']).toBe('app_42');
		expect(requests[0].headers.accept).toBe('application/json');
	});
});

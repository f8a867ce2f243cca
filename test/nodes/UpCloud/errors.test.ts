import { api, BASIC_CREDENTIALS, errorItem, PASSWORD, run, subaccountCreateParameters, upCloudError } from './fixtures';

/**
 * UpCloud's documented error kinds, each through an operation that meets it in practice: the node
 * fails with UpCloud's own code and message, the HTTP status, the docs' meaning as description,
 * and nothing that could leak the credential.
 */

const NEW_ACCOUNT_PASSWORD = 'superSecret123';
const partnerCreate = {
	resource: 'partnerAccount',
	operation: 'create',
	username: 'sdk_test_partner_account',
	password: NEW_ACCOUNT_PASSWORD,
	contactDetails: { firstName: 'Test', lastName: 'User', country: 'FIN', email: 'test@myhost.mydomain', phone: '+358.31245434' },
};

/** What the error shows a user and keeps for the execution log; `node` is n8n's copy of the workflow node. */
function visibleParts(error: Record<string, unknown> | undefined) {
	const { node: _node, stack: _stack, ...rest } = error ?? {};
	return JSON.stringify({ ...rest, message: error?.message, description: error?.description });
}

function expectNoSecrets(error: Record<string, unknown> | undefined) {
	const everything = JSON.stringify(error);
	expect(everything).not.toContain(PASSWORD);
	expect(everything).not.toContain(BASIC_CREDENTIALS);
	expect(everything.toLowerCase()).not.toContain('authorization');
	expect(visibleParts(error)).not.toContain(NEW_ACCOUNT_PASSWORD);
}

describe('UpCloud API errors', () => {
	it.each([
		{
			status: 400,
			parameters: partnerCreate,
			mock: ['post', '/1.3/partner/accounts'],
			body: upCloudError('PHONE_INVALID', 'The attribute phone has an invalid value.'),
			message: 'PHONE_INVALID: The attribute phone has an invalid value.',
			description: 'UpCloud rejected the request: an attribute is invalid, unknown or missing.',
		},
		{
			status: 401,
			parameters: partnerCreate,
			mock: ['post', '/1.3/partner/accounts'],
			body: upCloudError('AUTHENTICATION_FAILED', 'Authentication failed using the given username and password.'),
			message: 'AUTHENTICATION_FAILED: Authentication failed using the given username and password.',
			description:
				'Authentication failed: check the credential. An API token must exist, be unexpired and allow the IP address n8n calls from; an API user needs its password and API access allowed.',
		},
		{
			status: 403,
			parameters: partnerCreate,
			mock: ['post', '/1.3/partner/accounts'],
			body: upCloudError('ACCOUNT_CREATION_LIMIT_REACHED', 'The partner has reached its account creation limit.'),
			message: 'ACCOUNT_CREATION_LIMIT_REACHED: The partner has reached its account creation limit.',
			description:
				'The resource belongs to another account, or this API user or token lacks the permission (e.g. billing role, main account, Partner API access, or a token allowed to create tokens).',
		},
		{
			status: 404,
			parameters: { resource: 'account', operation: 'get', username: 'no_such_user' },
			mock: ['get', '/1.3/account/details/no_such_user'],
			body: upCloudError('USER_NOT_FOUND', 'The user no_such_user does not exist.'),
			message: 'USER_NOT_FOUND: The user no_such_user does not exist.',
			description: 'The resource was not found.',
		},
		{
			status: 409,
			parameters: partnerCreate,
			mock: ['post', '/1.3/partner/accounts'],
			body: upCloudError('ACCOUNT_EXISTS', 'An account with this username already exists.'),
			message: 'ACCOUNT_EXISTS: An account with this username already exists.',
			description: 'The request conflicts with the current state, e.g. the username is already taken.',
		},
	])('$status surfaces "$message"', async ({ status, parameters, mock, body, message, description }) => {
		const { scope, requests } = api();
		const [method, path] = mock as ['get' | 'post', string];
		scope[method](path).reply(status, body);

		const { items, error } = await run(parameters);

		expect(requests).toHaveLength(1);
		expect(items).toEqual([]);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe(message);
		expect(error?.httpCode).toBe(String(status));
		expect(error?.description).toBe(description);
		expect((error as unknown as { errorResponse: unknown }).errorResponse).toEqual({
			...body.error,
			httpCode: String(status),
		});
		expectNoSecrets(error as never);
	});

	it('409 on subaccount create surfaces the code before any read-back is attempted', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/account/sub').reply(409, upCloudError('ACCOUNT_EXISTS', 'An account with this username already exists.'));

		const { error } = await run(subaccountCreateParameters());

		expect(requests.map((r) => [r.method, r.path])).toEqual([['POST', '/1.3/account/sub']]);
		expect(error?.message).toBe('ACCOUNT_EXISTS: An account with this username already exists.');
		expect(error?.httpCode).toBe('409');
		expect(JSON.stringify(error)).not.toContain(PASSWORD);
	});

	it('shows an RFC 7807 problem+json body: title, detail and every invalid parameter', async () => {
		const { scope } = api();
		scope.get('/1.3/account/billing/summary/2024-09').query({ resource_id: 'bad' }).reply(
			400,
			{
				type: 'https://developers.upcloud.com/1.3/errors#VALIDATION_ERROR',
				title: 'Validation error.',
				status: 400,
				detail: 'The request has invalid parameters.',
				correlation_id: '01J9Z8Q6ZV7Y6K5G5X4W3V2T1S',
				invalid_params: [
					{ name: 'resource_id', reason: 'Must be a valid UUID or IP address.' },
					{ name: 'username', reason: 'Unknown account.' },
				],
			},
			{ 'Content-Type': 'application/problem+json' },
		);

		const { error } = await run({
			resource: 'billing',
			operation: 'getSummary',
			yearMonth: '2024-09',
			filters: { resourceId: 'bad' },
		});

		expect(error?.message).toBe(
			'VALIDATION_ERROR: Validation error. – The request has invalid parameters. – resource_id: Must be a valid UUID or IP address.; username: Unknown account.',
		);
		expect(error?.httpCode).toBe('400');
		expect((error as unknown as { errorResponse: Record<string, unknown> }).errorResponse).toMatchObject({
			correlation_id: '01J9Z8Q6ZV7Y6K5G5X4W3V2T1S',
			error_code: 'VALIDATION_ERROR',
			httpCode: '400',
		});
		expectNoSecrets(error as never);
	});

	it('falls back to the HTTP status and text for a body that is not UpCloud JSON', async () => {
		const { scope } = api();
		// 502 is transient: the policy tries 5 times before it shows UpCloud's answer.
		scope.get('/1.3/account').times(5).reply(502, '<html><body>Bad Gateway</body></html>', { 'Content-Type': 'text/html' });

		const { error } = await run({ resource: 'account', operation: 'getCurrent' });

		expect(error?.message).toBe('UpCloud answered HTTP 502: <html><body>Bad Gateway</body></html>');
		expect(error?.httpCode).toBe('502');
		expect(error?.description).toBe(
			'Tried 5 times (4 retries, 15 s of waiting); the service kept failing. UpCloud had a service problem; try again later.',
		);
	});

	it('with Continue On Fail, gives the failing item UpCloud\'s error and the next item its result', async () => {
		const { scope } = api();
		const forUser = (username: string) => (body: { username?: string }) => body.username === username;
		scope.post('/1.3/partner/accounts', forUser('taken_name')).reply(409, upCloudError('ACCOUNT_EXISTS', 'An account with this username already exists.'));
		scope.post('/1.3/partner/accounts', forUser('fresh_name')).reply(201, { username: 'fresh_name', country: 'FIN' });

		const { items, error } = await run(
			{ ...partnerCreate, username: '={{$json.u}}', contactDetails: {} },
			{ items: [{ u: 'taken_name' }, { u: 'fresh_name' }], continueOnFail: true },
		);

		expect(error).toBeUndefined();
		expect(items.map(errorItem)).toEqual([
			{
				json: { error: 'ACCOUNT_EXISTS: An account with this username already exists.' },
				pairedItem: { item: 0 },
				error: 'ACCOUNT_EXISTS: An account with this username already exists.',
				httpCode: '409',
			},
			{ json: { username: 'fresh_name', country: 'FIN' }, pairedItem: { item: 1 } },
		]);
		expect(visibleParts(items[0].error as never)).not.toContain(NEW_ACCOUNT_PASSWORD);
	});
});

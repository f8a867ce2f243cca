import { UpCloud } from '../../../nodes/UpCloud/UpCloud.node';
import { nodeTypesFor, TEST_CREDENTIALS, UPCLOUD_AUTH, UPCLOUD_TOKEN_AUTH } from '../../helpers/engine';
import { runListSearch } from '../../helpers/load-options';
import {
	anyRequest,
	api,
	errorItem,
	expectUpCloudHeaders,
	listedToken,
	problem,
	PROBLEM_HEADERS,
	run,
	TOKEN_CREATED,
	TOKEN_DETAILS,
	TOKEN_ID,
} from './fixtures';

const token = (parameters: Record<string, unknown>, extra: Parameters<typeof run>[1] = {}) =>
	run({ authentication: 'apiToken', resource: 'token', ...parameters }, extra);

const create = (overrides: Record<string, unknown> = {}, extra: Parameters<typeof run>[1] = {}) =>
	token({ operation: 'create', name: 'my_1st_token', expiresAt: '2024-12-01T00:00:00Z', ...overrides }, extra);

// Only Date is faked (the expiry rule compares with now): nock and n8n's HTTP stack need real timers.
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
	jest.setSystemTime(new Date('2024-05-10T12:00:00.000Z'));
});

afterEach(() => {
	jest.useRealTimers();
});

describe('UpCloud API token: create', () => {
	it('POSTs name, expiry (RFC 3339 UTC), Can Create Tokens and the IP ranges, and outputs the 201 body with the secret', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/account/tokens').reply(201, TOKEN_CREATED);

		const { items, error } = await create({
			name: '  my_1st_token ',
			additionalFields: { canCreateTokens: true, allowedIpRanges: ['0.0.0.0/0', ' ::/0 '] },
		});

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path, r.body])).toEqual([
			[
				'POST',
				'/1.3/account/tokens',
				{
					name: 'my_1st_token',
					expires_at: '2024-12-01T00:00:00Z',
					can_create_tokens: true,
					allowed_ip_ranges: ['0.0.0.0/0', '::/0'],
				},
			],
		]);
		expectUpCloudHeaders(requests[0], { body: true, authorization: UPCLOUD_TOKEN_AUTH });
		expect(items).toEqual([{ json: TOKEN_CREATED, pairedItem: { item: 0 } }]);
	});

	it('leaves allowed_ip_ranges out when no range is given, also when the field was added but left empty', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/account/tokens').times(2).reply(201, TOKEN_CREATED);

		const without = await create();
		const empty = await create({ additionalFields: { allowedIpRanges: [] } });

		expect(without.error).toBeUndefined();
		expect(empty.error).toBeUndefined();
		expect(requests.map((r) => r.body)).toEqual([
			{ name: 'my_1st_token', expires_at: '2024-12-01T00:00:00Z' },
			{ name: 'my_1st_token', expires_at: '2024-12-01T00:00:00Z' },
		]);
	});

	it('reads the date-time picker in the workflow time zone and sends UTC without milliseconds', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/account/tokens').times(2).reply(201, TOKEN_CREATED);

		await create({ expiresAt: '2024-06-01T12:00:00' }, { timezone: 'Europe/Helsinki' });
		await token(
			{ operation: 'create', name: 'x', expiresAt: '={{ $now.plus({ days: 30 }).toISO() }}' },
			{ timezone: 'America/New_York' },
		);

		expect(requests.map((r) => (r.body as { expires_at: string }).expires_at)).toEqual([
			'2024-06-01T09:00:00Z',
			'2024-06-09T12:00:00Z',
		]);
	});

	it('works with Basic auth too (UpCloud\'s recorded create used Basic)', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/account/tokens').reply(201, TOKEN_CREATED);

		const { error } = await create({ authentication: 'basicAuth' });

		expect(error).toBeUndefined();
		expectUpCloudHeaders(requests[0], { body: true, authorization: UPCLOUD_AUTH });
	});

	it('shows a 400 problem+json with its code, title, detail and invalid parameters', async () => {
		const { scope } = api();
		scope.post('/1.3/account/tokens').reply(
			400,
			{
				...problem(400, 'ERROR_BAD_REQUEST', 'Bad Request', 'The request body is invalid.'),
				invalid_params: [{ name: 'expires_at', reason: 'must be in the future' }],
			},
			PROBLEM_HEADERS,
		);

		const { error } = await create();

		expect(error?.message).toBe(
			'ERROR_BAD_REQUEST: Bad Request – The request body is invalid. – expires_at: must be in the future',
		);
		expect(error?.httpCode).toBe('400');
	});

	it('shows a 403 for a token without Can Create Tokens, with the status meaning', async () => {
		const { scope } = api();
		scope.post('/1.3/account/tokens').reply(403, problem(403, 'ERROR_FORBIDDEN', 'Forbidden', 'Token cannot create tokens.'), PROBLEM_HEADERS);

		const { error } = await create();

		expect(error?.message).toBe('ERROR_FORBIDDEN: Forbidden – Token cannot create tokens.');
		expect(error?.description).toMatch(/token allowed to create tokens/);
	});
});

describe('UpCloud API token: create input rules (nothing is sent)', () => {
	const refused = async (overrides: Record<string, unknown>) => {
		const requests = anyRequest();
		const { items, error } = await create(overrides);
		expect(requests).toEqual([]);
		expect(items).toEqual([]);
		expect(error?.description).toMatch(/Nothing was sent\.$/);
		return error?.message;
	};

	// An empty required field stops n8n before the node runs; an expression giving "" reaches the rule.
	it.each([
		[{ name: '={{ "" }}' }, 'Name is required'],
		[{ name: '   ' }, 'Name is required'],
		[{ name: 'x'.repeat(1025) }, 'Name must be 1–1024 characters long (got 1025)'],
		[{ expiresAt: '={{ "" }}' }, 'Expires At must be a date and time, e.g. 2024-09-01T00:00:00 (got "")'],
		[{ expiresAt: 'next week' }, 'Expires At must be a date and time, e.g. 2024-09-01T00:00:00 (got "next week")'],
		[
			{ expiresAt: '2024-05-10T12:00:00Z' },
			'Expires At must be in the future (got 2024-05-10T12:00:00.000Z, now 2024-05-10T12:00:00.000Z)',
		],
		[
			{ expiresAt: '2024-05-01T00:00:00Z' },
			'Expires At must be in the future (got 2024-05-01T00:00:00.000Z, now 2024-05-10T12:00:00.000Z)',
		],
		[
			{ expiresAt: '2025-05-10T12:00:01Z' },
			'Expires At must be at most 8760 hours (365 days) from now (got 2025-05-10T12:00:01.000Z)',
		],
		[
			{ additionalFields: { allowedIpRanges: ['10.0.0.0/8', '10.0.0.1-10.0.0.9'] } },
			'Allowed IP Ranges entries must be an IP address or a CIDR block such as 203.0.113.0/24 or 2001:db8::/32; "10.0.0.1-10.0.0.9" is neither',
		],
		[
			{ additionalFields: { allowedIpRanges: ['10.0.0.0/33'] } },
			'Allowed IP Ranges entries must be an IP address or a CIDR block such as 203.0.113.0/24 or 2001:db8::/32; "10.0.0.0/33" is neither',
		],
		[{ additionalFields: { allowedIpRanges: ['  '] } }, 'Allowed IP Ranges entries must not be empty; remove the empty entry'],
		[{ additionalFields: { allowedIpRanges: '10.0.0.0/8' } }, 'Allowed IP Ranges must be a list of IP addresses or CIDR blocks'],
		[
			{ additionalFields: { allowedIpRanges: Array.from({ length: 101 }, (_, i) => `10.0.${i}.0/24`) } },
			'Allowed IP Ranges may hold at most 100 entries (got 101)',
		],
	])('refuses %j', async (overrides, message) => {
		expect(await refused(overrides)).toBe(message);
	});

	it('accepts exactly 8760 hours from now, 1024 characters and 100 ranges', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/account/tokens').reply(201, TOKEN_CREATED);
		const ranges = Array.from({ length: 100 }, (_, i) => `2001:db8:${i.toString(16)}::/48`);

		const { error } = await create({
			name: 'n'.repeat(1024),
			expiresAt: '2025-05-10T12:00:00Z',
			additionalFields: { allowedIpRanges: ranges },
		});

		expect(error).toBeUndefined();
		expect(requests[0].body).toEqual({ name: 'n'.repeat(1024), expires_at: '2025-05-10T12:00:00Z', allowed_ip_ranges: ranges });
	});

	it('under Continue On Fail, fails only the broken item and creates the other', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/account/tokens').reply(201, TOKEN_CREATED);

		const { items, error } = await create(
			{ name: '={{ $json.name }}' },
			{ items: [{ name: '' }, { name: 'ok' }], continueOnFail: true },
		);

		expect(error).toBeUndefined();
		expect(requests.map((r) => (r.body as { name: string }).name)).toEqual(['ok']);
		expect(items.map(errorItem)).toEqual([
			{ json: { error: 'Name is required' }, pairedItem: { item: 0 }, error: 'Name is required' },
			{ json: TOKEN_CREATED, pairedItem: { item: 1 } },
		]);
	});
});

describe('UpCloud API token: get many', () => {
	const page = (from: number, count: number) => Array.from({ length: count }, (_, i) => listedToken(from + i));

	it('Limit is one request with limit=<Limit>, one item per token of the bare array', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/tokens?limit=2').reply(200, page(0, 2));

		const { items, error } = await token({ operation: 'getAll', returnAll: false, limit: 2 });

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([['GET', '/1.3/account/tokens?limit=2']]);
		expectUpCloudHeaders(requests[0], { authorization: UPCLOUD_TOKEN_AUTH });
		expect(items).toEqual(page(0, 2).map((json) => ({ json, pairedItem: { item: 0 } })));
	});

	it('Return All pages with limit=100 and offset until a short page', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/tokens?limit=100&offset=0').reply(200, page(0, 100));
		scope.get('/1.3/account/tokens?limit=100&offset=100').reply(200, page(100, 100));
		scope.get('/1.3/account/tokens?limit=100&offset=200').reply(200, page(200, 3));

		const { items, error } = await token({ operation: 'getAll', returnAll: true });

		expect(error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual([
			'/1.3/account/tokens?limit=100&offset=0',
			'/1.3/account/tokens?limit=100&offset=100',
			'/1.3/account/tokens?limit=100&offset=200',
		]);
		expect(items).toEqual(page(0, 203).map((json) => ({ json, pairedItem: { item: 0 } })));
	});

	it('Return All stops at an empty page after a full one', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/tokens?limit=100&offset=0').reply(200, page(0, 100));
		scope.get('/1.3/account/tokens?limit=100&offset=100').reply(200, []);

		const { items } = await token({ operation: 'getAll', returnAll: true });

		expect(requests).toHaveLength(2);
		expect(items).toHaveLength(100);
	});

	it('keeps a token once when the pages shift between requests', async () => {
		const { scope } = api();
		scope.get('/1.3/account/tokens?limit=100&offset=0').reply(200, page(0, 100));
		scope.get('/1.3/account/tokens?limit=100&offset=100').reply(200, page(99, 2));

		const { items } = await token({ operation: 'getAll', returnAll: true });

		expect(items.map((i) => i.json.name)).toEqual(page(0, 101).map((t) => t.name));
	});

	it('stops with an error when a server ignores offset and repeats the page', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/tokens?limit=100&offset=0').reply(200, page(0, 100));
		scope.get('/1.3/account/tokens?limit=100&offset=100').reply(200, page(0, 100));

		const { error } = await token({ operation: 'getAll', returnAll: true });

		expect(requests).toHaveLength(2);
		expect(error?.message).toBe('UpCloud sent the same page again at offset 100');
		expect(error?.description).toBe('Stopped after 100 records instead of requesting pages forever.');
	});

	it('sends Sort (with "+" encoded) and GUI Tokens as gui=true/false; All sends no gui', async () => {
		const { scope, requests } = api();
		scope.get(/^\/1\.3\/account\/tokens\?/).times(3).reply(200, []);

		await token({ operation: 'getAll', limit: 5, options: { sort: '+name', gui: 'exclude' } });
		await token({ operation: 'getAll', limit: 5, options: { sort: '-last_used_at', gui: 'only' } });
		await token({ operation: 'getAll', limit: 5, options: { gui: 'all' } });

		expect(requests.map((r) => r.path)).toEqual([
			'/1.3/account/tokens?gui=false&sort=%2Bname&limit=5',
			'/1.3/account/tokens?gui=true&sort=-last_used_at&limit=5',
			'/1.3/account/tokens?limit=5',
		]);
	});

	it.each([0, 101, 2.5])('refuses Limit %j (UpCloud pages hold 1–100) before sending', async (limit) => {
		const requests = anyRequest();

		const { error } = await token({ operation: 'getAll', returnAll: false, limit: `={{ ${limit} }}` });

		expect(requests).toEqual([]);
		expect(error?.message).toBe(`Limit must be a whole number from 1 to 100; turn on Return All to get more (got ${limit})`);
	});

	it('links every token to its input item for two input items', async () => {
		const { scope } = api();
		scope.get('/1.3/account/tokens?limit=1').times(2).reply(200, page(0, 1));

		const { items } = await token({ operation: 'getAll', limit: 1 }, { items: [{}, {}] });

		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});

describe('UpCloud API token: get and delete', () => {
	it('get GETs /account/tokens/{id} and outputs the token without a secret', async () => {
		const { scope, requests } = api();
		scope.get(`/1.3/account/tokens/${TOKEN_ID}`).reply(200, TOKEN_DETAILS);

		const { items, error } = await token({ operation: 'get', tokenId: { __rl: true, mode: 'id', value: ` ${TOKEN_ID} ` } });

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([['GET', `/1.3/account/tokens/${TOKEN_ID}`]]);
		expectUpCloudHeaders(requests[0], { authorization: UPCLOUD_TOKEN_AUTH });
		expect(items).toEqual([{ json: TOKEN_DETAILS, pairedItem: { item: 0 } }]);
	});

	it('delete sends DELETE for the token picked from the list, and outputs success and the id after the 204', async () => {
		const { scope, requests } = api();
		scope.delete(`/1.3/account/tokens/${TOKEN_ID}`).reply(204);

		const { items, error } = await token({
			operation: 'delete',
			tokenId: { __rl: true, mode: 'list', value: TOKEN_ID, cachedResultName: 'my_1st_token (expires 2025-12-01)' },
		});

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([['DELETE', `/1.3/account/tokens/${TOKEN_ID}`]]);
		expectUpCloudHeaders(requests[0], { authorization: UPCLOUD_TOKEN_AUTH });
		expect(items).toEqual([{ json: { success: true, id: TOKEN_ID }, pairedItem: { item: 0 } }]);
	});

	it.each(['get', 'delete'])('%s encodes a hostile ID into one path segment', async (operation) => {
		const { scope, requests } = api();
		scope.intercept('/1.3/account/tokens/..%2Fx%3Fa%3Db%23c', operation === 'get' ? 'GET' : 'DELETE').reply(
			404,
			problem(404, 'ERROR_NOT_FOUND', 'Not Found', 'Token not found.'),
			PROBLEM_HEADERS,
		);

		const { error } = await token({ operation, tokenId: '../x?a=b#c' });

		expect(requests.map((r) => r.path)).toEqual(['/1.3/account/tokens/..%2Fx%3Fa%3Db%23c']);
		expect(error?.message).toBe('ERROR_NOT_FOUND: Not Found – Token not found.');
		expect(error?.httpCode).toBe('404');
		expect(error?.description).toBe('The resource was not found.');
	});

	it.each([
		['get', '={{ "" }}', 'Token is required'],
		['delete', '  ', 'Token is required'],
		['get', '..', 'Token cannot be "." or ".."'],
		['delete', '.', 'Token cannot be "." or ".."'],
		[
			'delete',
			TOKEN_CREATED.token,
			'Token must be the token\'s ID (a UUID such as 0c8bc50b-968e-4dc3-b9c2-1a4a5298b652), not its ucat_ secret',
		],
	])('%s refuses the ID %j before sending', async (operation, tokenId, message) => {
		const requests = anyRequest();

		const { error } = await token({ operation, tokenId });

		expect(requests).toEqual([]);
		expect(error?.message).toBe(message);
		// The message and description never echo a pasted secret (n8n itself attaches the node's parameters).
		expect(`${error?.message} ${error?.description}`).not.toContain(TOKEN_CREATED.token);
	});

	it('delete under Continue On Fail: a 404 fails its item, the other is deleted', async () => {
		const { scope } = api();
		scope.delete('/1.3/account/tokens/gone').reply(404, problem(404, 'ERROR_NOT_FOUND', 'Not Found'), PROBLEM_HEADERS);
		scope.delete(`/1.3/account/tokens/${TOKEN_ID}`).reply(204);

		const { items, error } = await token(
			{ operation: 'delete', tokenId: '={{ $json.id }}' },
			{ items: [{ id: 'gone' }, { id: TOKEN_ID }], continueOnFail: true },
		);

		expect(error).toBeUndefined();
		expect(items.map(errorItem)).toEqual([
			{
				json: { error: 'ERROR_NOT_FOUND: Not Found' },
				pairedItem: { item: 0 },
				error: 'ERROR_NOT_FOUND: Not Found',
				httpCode: '404',
			},
			{ json: { success: true, id: TOKEN_ID }, pairedItem: { item: 1 } },
		]);
	});
});

describe('UpCloud API token: the Token dropdown', () => {
	const search = (filter?: string, paginationToken?: string, authentication?: string) =>
		runListSearch({
			type: 'upCloud',
			nodeTypes: nodeTypesFor({ upCloud: new UpCloud() }),
			method: 'searchTokens',
			parameter: 'tokenId',
			filter,
			paginationToken,
			currentNodeParameters: authentication ? { authentication, resource: 'token', operation: 'delete' } : undefined,
		});
	const page = (from: number, count: number) => Array.from({ length: count }, (_, i) => listedToken(from + i));

	it('lists the newest 100 tokens with their expiry, with the token credential by default, and offers the next page', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/tokens?limit=100&offset=0&sort=-created_at').reply(200, page(0, 100));

		const result = await search();

		expect(requests.map((r) => [r.path, r.headers.authorization])).toEqual([
			['/1.3/account/tokens?limit=100&offset=0&sort=-created_at', UPCLOUD_TOKEN_AUTH],
		]);
		expect(result.results[0]).toEqual({ name: 'token_0 (expires 2025-12-01)', value: listedToken(0).id });
		expect(result.results).toHaveLength(100);
		expect(result.paginationToken).toBe('100');
	});

	it('filters by name or ID, marks GUI session tokens, and ends on a short page; Basic when the node says so', async () => {
		const { scope, requests } = api();
		const gui = { ...listedToken(7), name: 'control-panel', gui: true };
		scope.get('/1.3/account/tokens?limit=100&offset=100&sort=-created_at').reply(200, [listedToken(5), gui]);

		const result = await search(' CONTROL ', '100', 'basicAuth');

		expect(requests.map((r) => r.headers.authorization)).toEqual([UPCLOUD_AUTH]);
		expect(result).toEqual({
			results: [{ name: 'control-panel (GUI session, expires 2025-12-01)', value: gui.id }],
			paginationToken: undefined,
		});
	});

	it('shows UpCloud\'s error, never the token', async () => {
		const { scope } = api();
		scope.get(/^\/1\.3\/account\/tokens/).reply(401, { error: { error_code: 'AUTHENTICATION_FAILED', error_message: 'Authentication failed.' } });

		const error = await search().then(
			() => undefined,
			(caught: Error) => caught,
		);

		expect(error?.message).toBe('AUTHENTICATION_FAILED: Authentication failed.');
		expect(JSON.stringify(error)).not.toContain(TEST_CREDENTIALS.upCloudTokenApi.token as string);
	});
});

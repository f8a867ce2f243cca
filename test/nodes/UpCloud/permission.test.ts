import { UPCLOUD_TOKEN_AUTH } from '../../helpers/engine';
import { anyRequest, api, errorItem, expectUpCloudHeaders, PERMISSION, run, upCloudError } from './fixtures';

const permission = (parameters: Record<string, unknown>, extra: Parameters<typeof run>[1] = {}) =>
	run({ resource: 'permission', ...parameters }, extra);

const GRANT = {
	operation: 'grant',
	username: 'sdk_test_permissions_subaccount',
	targetType: 'server',
	targetIdentifier: '*',
	additionalFields: { storage: true },
};

// The docs' GET example (upcloud-tokens.md §8), first entries.
const LISTED = [
	{ target_identifier: '0ad9408c-8563-4abf-b862-dbde5b581123', target_type: 'managed_loadbalancer', user: 'sub_account_user1' },
	{ target_identifier: '0603a187-3ede-4aae-883e-85ea3e69babc', target_type: 'object_storage', user: 'sub_account_user1' },
	{ options: { storage: 'yes' }, target_identifier: 'tag1', target_type: 'tag_access', user: 'sub_account_user1' },
	{ target_identifier: '*', target_type: 'router', user: 'main_account_user1' },
	{ target_identifier: '*', target_type: 'server', user: 'main_account_user1' },
];

describe('UpCloud permission: get many', () => {
	it('GETs /permission and outputs one item per entry of permissions.permission', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/permission').reply(200, { permissions: { permission: LISTED } });

		const { items, error } = await permission({ authentication: 'apiToken', operation: 'getAll', returnAll: true });

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([['GET', '/1.3/permission']]);
		expectUpCloudHeaders(requests[0], { authorization: UPCLOUD_TOKEN_AUTH });
		expect(items).toEqual(LISTED.map((json) => ({ json, pairedItem: { item: 0 } })));
	});

	it('filters by username before Limit trims the list', async () => {
		const { scope } = api();
		scope.get('/1.3/permission').times(2).reply(200, { permissions: { permission: LISTED } });

		const one = await permission({ operation: 'getAll', returnAll: false, limit: 1, filters: { username: ' main_account_user1 ' } });
		const all = await permission({ operation: 'getAll', returnAll: true, filters: { username: 'sub_account_user1' } });

		expect(one.items.map((i) => i.json)).toEqual([LISTED[3]]);
		expect(all.items.map((i) => i.json)).toEqual(LISTED.slice(0, 3));
	});

	it('Limit keeps the first entries', async () => {
		const { scope } = api();
		scope.get('/1.3/permission').reply(200, { permissions: { permission: LISTED } });

		const { items } = await permission({ operation: 'getAll', returnAll: false, limit: 2 });

		expect(items.map((i) => i.json)).toEqual(LISTED.slice(0, 2));
	});
});

describe('UpCloud permission: grant and revoke', () => {
	it('grant POSTs the permission envelope and outputs the granted permission (the recorded exchange)', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/permission/grant').reply(200, { permission: PERMISSION });

		const { items, error } = await permission(GRANT);

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path, r.body])).toEqual([
			[
				'POST',
				'/1.3/permission/grant',
				{
					permission: {
						target_identifier: '*',
						target_type: 'server',
						user: 'sdk_test_permissions_subaccount',
						options: { storage: 'yes' },
					},
				},
			],
		]);
		expectUpCloudHeaders(requests[0], { body: true });
		expect(items).toEqual([{ json: PERMISSION, pairedItem: { item: 0 } }]);
	});

	it('grant without Storage sends no options; Skip Target Check is the skip_target_check query', async () => {
		const { scope, requests } = api();
		const target = { target_identifier: '0ad9408c-8563-4abf-b862-dbde5b581123', target_type: 'managed_loadbalancer', user: 'sub_account_user1' };
		scope.post('/1.3/permission/grant?skip_target_check=true').reply(200, { permission: target });

		const { items, error } = await permission({
			authentication: 'apiToken',
			operation: 'grant',
			username: ' sub_account_user1 ',
			targetType: 'managed_loadbalancer',
			targetIdentifier: ' 0ad9408c-8563-4abf-b862-dbde5b581123 ',
			additionalFields: { skipTargetCheck: true, storage: false },
		});

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.path, r.body, r.headers.authorization])).toEqual([
			['/1.3/permission/grant?skip_target_check=true', { permission: target }, UPCLOUD_TOKEN_AUTH],
		]);
		expect(items.map((i) => i.json)).toEqual([target]);
	});

	it('revoke POSTs the same body and outputs success with the permission after the 204', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/permission/revoke').reply(204);

		const { items, error } = await permission({ ...GRANT, operation: 'revoke' });

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path, r.body])).toEqual([
			[
				'POST',
				'/1.3/permission/revoke',
				{
					permission: {
						target_identifier: '*',
						target_type: 'server',
						user: 'sdk_test_permissions_subaccount',
						options: { storage: 'yes' },
					},
				},
			],
		]);
		expect(items).toEqual([{ json: { success: true, ...PERMISSION }, pairedItem: { item: 0 } }]);
	});

	it('revoke with a token for a tag', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/permission/revoke').reply(204);

		const { items } = await permission({
			authentication: 'apiToken',
			operation: 'revoke',
			username: 'staging_ci',
			targetType: 'tag_access',
			targetIdentifier: 'staging',
		});

		expect(requests.map((r) => [r.body, r.headers.authorization])).toEqual([
			[{ permission: { target_identifier: 'staging', target_type: 'tag_access', user: 'staging_ci' } }, UPCLOUD_TOKEN_AUTH],
		]);
		expect(items.map((i) => i.json)).toEqual([
			{ success: true, target_identifier: 'staging', target_type: 'tag_access', user: 'staging_ci' },
		]);
	});

	it('shows UpCloud\'s legacy error code and message; under Continue On Fail the next item goes on', async () => {
		const { scope } = api();
		scope
			.post('/1.3/permission/grant', (body) => body.permission.user === 'ghost_user')
			.reply(404, upCloudError('USER_NOT_FOUND', 'The account ghost_user does not exist.'));
		scope.post('/1.3/permission/grant', (body) => body.permission.user === 'ops_team').reply(200, { permission: PERMISSION });

		const { items, error } = await permission(
			{ ...GRANT, username: '={{ $json.u }}' },
			{ items: [{ u: 'ghost_user' }, { u: 'ops_team' }], continueOnFail: true },
		);

		expect(error).toBeUndefined();
		expect(items.map(errorItem)).toEqual([
			{
				json: { error: 'USER_NOT_FOUND: The account ghost_user does not exist.' },
				pairedItem: { item: 0 },
				error: 'USER_NOT_FOUND: The account ghost_user does not exist.',
				httpCode: '404',
			},
			{ json: PERMISSION, pairedItem: { item: 1 } },
		]);
	});
});

describe('UpCloud permission: input rules (nothing is sent)', () => {
	const USERNAME_RULE =
		'Username must be 4–64 characters of lowercase letters, digits and single underscores between them (e.g. "acme_ops")';

	it.each([
		['grant', { username: 'Ops-Team' }, USERNAME_RULE],
		['revoke', { username: 'abc' }, USERNAME_RULE],
		['grant', { username: '={{ "" }}' }, 'Username is required'],
		['grant', { targetIdentifier: '={{ "" }}' }, 'Target Identifier is required'],
		['revoke', { targetIdentifier: '   ' }, 'Target Identifier is required'],
		['grant', { targetType: 'network' }, 'Storage applies only to the Server and Tag Access target types'],
		['revoke', { targetType: 'storage' }, 'Storage applies only to the Server and Tag Access target types'],
	])('%s refuses %j', async (operation, overrides, message) => {
		const requests = anyRequest();

		const { items, error } = await permission({ ...GRANT, operation, ...overrides });

		expect(requests).toEqual([]);
		expect(items).toEqual([]);
		expect(error?.message).toBe(message);
		expect(error?.description).toMatch(/Nothing was sent\.$/);
	});
});

import {
	ACCOUNT_DETAILS,
	anyRequest,
	api,
	errorItem,
	expectUpCloudHeaders,
	run,
	subaccountCreateParameters as createParameters,
	upCloudError,
} from './fixtures';

const CREATED = { ...ACCOUNT_DETAILS, username: 'myusername', first_name: 'first', last_name: 'last' };

describe('UpCloud subaccount: create', () => {
	it('POSTs every documented attribute in the sub_account envelope, then outputs the account read back', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/account/sub').reply(204);
		scope.get('/1.3/account/details/myusername').reply(200, { account: CREATED });

		const { items, error } = await run(
			createParameters({
				additionalFields: {
					firstName: 'first',
					lastName: 'last',
					company: 'my company name',
					address: 'my address',
					postalCode: '00130',
					city: 'Helsinki',
					state: '',
					country: 'FIN',
					vatNumber: 'FI24315605',
					roles: ['technical', 'billing', 'aux_billing'],
					allowGui: 'no',
					allowApi: 'yes',
					enable3rdPartyServices: 'no',
					networkAccess: ['*'],
					serverAccess: { server: [{ uuid: '*', storage: 'no' }, { uuid: '00798b85-efdc-41ca-8021-f6ef457b8531', storage: 'yes' }] },
					storageAccess: ['01000000-0000-4000-8000-000020010301'],
					tagAccess: { tag: [{ name: 'mytag', storage: 'yes' }] },
					ipFilters: ['192.0.2.0/24', '198.51.100.1-198.51.100.9', '2001:db8::1'],
					labels: { label: [{ key: 'department', value: 'it' }] },
				},
			}),
		);

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([
			['POST', '/1.3/account/sub'],
			['GET', '/1.3/account/details/myusername'],
		]);
		expectUpCloudHeaders(requests[0], { body: true });
		expectUpCloudHeaders(requests[1]);
		expect(requests[0].body).toEqual({
			sub_account: {
				username: 'myusername',
				password: 'mysecr3tPassword',
				email: 'user@example.com',
				phone: '+358.31245434',
				currency: 'EUR',
				language: 'en',
				timezone: 'Europe/Helsinki',
				first_name: 'first',
				last_name: 'last',
				company: 'my company name',
				address: 'my address',
				postal_code: '00130',
				city: 'Helsinki',
				state: '',
				country: 'FIN',
				vat_number: 'FI24315605',
				roles: { role: ['technical', 'billing', 'aux_billing'] },
				allow_gui: 'no',
				allow_api: 'yes',
				enable_3rd_party_services: 'no',
				network_access: { network: ['*'] },
				server_access: {
					server: [
						{ uuid: '*', storage: 'no' },
						{ uuid: '00798b85-efdc-41ca-8021-f6ef457b8531', storage: 'yes' },
					],
				},
				storage_access: { storage: ['01000000-0000-4000-8000-000020010301'] },
				tag_access: { tag: [{ name: 'mytag', storage: 'yes' }] },
				ip_filters: { ip_filter: ['192.0.2.0/24', '198.51.100.1-198.51.100.9', '2001:db8::1'] },
				labels: [{ key: 'department', value: 'it' }],
			},
		});
		expect(items).toEqual([{ json: CREATED, pairedItem: { item: 0 } }]);
	});

	it('sends only the required attributes when nothing else is set, and no password when it is empty', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/account/sub').reply(204);
		scope.get('/1.3/account/details/myusername').reply(200, { account: CREATED });

		const { items, error } = await run(createParameters({ username: '  myusername ', password: '' }));

		expect(error).toBeUndefined();
		expect(requests[0].body).toEqual({
			sub_account: {
				username: 'myusername',
				email: 'user@example.com',
				phone: '+358.31245434',
				currency: 'EUR',
				language: 'en',
				timezone: 'Europe/Helsinki',
			},
		});
		expect(requests[1].path).toBe('/1.3/account/details/myusername');
		expect(items).toEqual([{ json: CREATED, pairedItem: { item: 0 } }]);
	});

	it('creates one subaccount per input item, each output linked to its input', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/account/sub').times(2).reply(204);
		scope.get('/1.3/account/details/sub_one').reply(200, { account: { ...CREATED, username: 'sub_one' } });
		scope.get('/1.3/account/details/sub_two').reply(200, { account: { ...CREATED, username: 'sub_two' } });

		const { items, error } = await run(createParameters({ username: '={{$json.name}}' }), {
			items: [{ name: 'sub_one' }, { name: 'sub_two' }],
		});

		expect(error).toBeUndefined();
		// n8n sends the items' requests concurrently, so only the set of requests is fixed.
		const sent = requests.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.body ?? null)}`).sort();
		expect(sent).toEqual([
			'GET /1.3/account/details/sub_one null',
			'GET /1.3/account/details/sub_two null',
			`POST /1.3/account/sub ${JSON.stringify({ sub_account: { username: 'sub_one', password: 'mysecr3tPassword', email: 'user@example.com', phone: '+358.31245434', currency: 'EUR', language: 'en', timezone: 'Europe/Helsinki' } })}`,
			`POST /1.3/account/sub ${JSON.stringify({ sub_account: { username: 'sub_two', password: 'mysecr3tPassword', email: 'user@example.com', phone: '+358.31245434', currency: 'EUR', language: 'en', timezone: 'Europe/Helsinki' } })}`,
		]);
		expect(items.map((i) => [i.json.username, i.pairedItem])).toEqual([
			['sub_one', { item: 0 }],
			['sub_two', { item: 1 }],
		]);
	});

	it('fails with UpCloud\'s error when the account cannot be read back after the 204', async () => {
		const { scope } = api();
		scope.post('/1.3/account/sub').reply(204);
		scope.get('/1.3/account/details/myusername').reply(403, upCloudError('ACCOUNT_FORBIDDEN', 'You do not have access to this account.'));

		const { items, error } = await run(createParameters());

		expect(items).toEqual([]);
		expect(error?.message).toBe('ACCOUNT_FORBIDDEN: You do not have access to this account.');
		expect(error?.httpCode).toBe('403');
	});
});

describe('UpCloud subaccount: create input rules (nothing is sent)', () => {
	const refused = async (parameters: Record<string, unknown>) => {
		const requests = anyRequest();
		const { items, error } = await run(parameters);
		expect(requests).toEqual([]);
		expect(items).toEqual([]);
		expect(error?.description).toMatch(/Nothing was sent\.$/);
		return error?.message;
	};

	const USERNAME_RULE =
		'Username must be 4–64 characters of lowercase letters, digits and single underscores between them (e.g. "acme_ops")';

	it.each([
		['too short', 'abc'],
		['too long', 'a'.repeat(65)],
		['uppercase', 'MyUser'],
		['a hyphen', 'my-user'],
		['a leading underscore', '_myuser'],
		['a double underscore', 'my__user'],
		['a path', '../x'],
		['blank', '   '],
	])('refuses a username that is %s', async (_case, username) => {
		const expected = username.trim() === '' ? 'Username is required' : USERNAME_RULE;
		expect(await refused(createParameters({ username }))).toBe(expected);
	});

	it('accepts usernames of exactly 4 and 64 characters', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/account/sub').times(2).reply(204);
		scope.get(`/1.3/account/details/ab_1`).reply(200, { account: { username: 'ab_1' } });
		scope.get(`/1.3/account/details/${'a'.repeat(64)}`).reply(200, { account: { username: 'a'.repeat(64) } });
		const { items, error } = await run(createParameters({ username: '={{$json.u}}' }), {
			items: [{ u: 'ab_1' }, { u: 'a'.repeat(64) }],
		});
		expect(error).toBeUndefined();
		expect(requests).toHaveLength(4);
		expect(items.map((i) => i.json.username)).toEqual(['ab_1', 'a'.repeat(64)]);
	});

	it.each([
		['no country code', '0401234567', ''],
		['no period', '+358401234567', ''],
		['a space', '+358 40.1234567', ''],
		['letters', '+358.40abc', ''],
	])('refuses a phone number with %s', async (_case, phone) => {
		expect(await refused(createParameters({ phone }))).toBe(
			'Phone must be in international format +<country code>.<number>, e.g. +358.31245434',
		);
	});

	it('refuses an invalid email address', async () => {
		expect(await refused(createParameters({ email: 'user@example' }))).toBe(
			'Email must be a valid email address (got "user@example")',
		);
	});

	it('requires a state when the country is USA', async () => {
		expect(await refused(createParameters({ additionalFields: { country: 'USA' } }))).toBe(
			'State is required when the country is USA',
		);
		expect(await refused(createParameters({ additionalFields: { country: 'USA', state: '  ' } }))).toBe(
			'State is required when the country is USA',
		);
	});

	it.each([
		['three lines', 'line 1\nline 2\nline 3'],
		['an empty line', 'line 1\n'],
		['a line over 100 characters', `line 1\n${'x'.repeat(101)}`],
		['nothing', ''],
	])('refuses an address of %s', async (_case, address) => {
		expect(await refused(createParameters({ additionalFields: { address } }))).toBe(
			'Address must be 1 or 2 lines, each 1–100 characters long',
		);
	});

	it.each([
		['firstName', 'First Name', 50],
		['lastName', 'Last Name', 50],
		['company', 'Company', 100],
		['postalCode', 'Postal Code', 100],
		['city', 'City', 100],
	])('refuses %s longer than its documented limit', async (name, label, max) => {
		expect(await refused(createParameters({ additionalFields: { [name]: 'x'.repeat(max + 1) } }))).toBe(
			`${label} must be 1–${max} characters long (got ${max + 1})`,
		);
		expect(await refused(createParameters({ additionalFields: { [name]: '' } }))).toBe(
			`${label} must be 1–${max} characters long (got 0)`,
		);
	});

	it('accepts every attribute at its documented maximum (postal code up to 100 for accounts)', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/account/sub').reply(204);
		scope.get('/1.3/account/details/myusername').reply(200, { account: CREATED });
		const additionalFields = {
			firstName: 'f'.repeat(50),
			lastName: 'l'.repeat(50),
			company: 'c'.repeat(100),
			postalCode: 'p'.repeat(100),
			city: 'h'.repeat(100),
			address: `${'a'.repeat(100)}\n${'b'.repeat(100)}`,
			country: 'USA',
			state: 'New York',
		};
		const { error } = await run(createParameters({ additionalFields }));
		expect(error).toBeUndefined();
		expect(requests[0].body).toEqual({
			sub_account: expect.objectContaining({
				first_name: 'f'.repeat(50),
				last_name: 'l'.repeat(50),
				company: 'c'.repeat(100),
				postal_code: 'p'.repeat(100),
				city: 'h'.repeat(100),
				address: `${'a'.repeat(100)}\n${'b'.repeat(100)}`,
				country: 'USA',
				state: 'New York',
			}),
		});
	});

	it.each(['10.0.0.0/33', '10.0.0.256', '10.0.0.1-', '10.0.0.1-2001:db8::1', '2001:db8::/129', 'fe80::1::2', 'localhost'])(
		'refuses the IP filter %s',
		async (entry) => {
			expect(await refused(createParameters({ additionalFields: { ipFilters: ['10.0.0.0/24', entry] } }))).toBe(
				`IP Filters entries must be a single IP address, a CIDR block (10.0.0.0/24) or a range (10.0.0.1-10.0.0.9); "${entry}" is none of these`,
			);
		},
	);

	it('with Continue On Fail, fails only the item that breaks a rule and sends the others', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/account/sub').reply(204);
		scope.get('/1.3/account/details/good_user').reply(200, { account: { ...CREATED, username: 'good_user' } });

		const { items, error } = await run(createParameters({ username: '={{$json.u}}' }), {
			items: [{ u: 'Bad-User' }, { u: 'good_user' }],
			continueOnFail: true,
		});

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([
			['POST', '/1.3/account/sub'],
			['GET', '/1.3/account/details/good_user'],
		]);
		expect(items.map(errorItem)).toEqual([
			{ json: { error: USERNAME_RULE }, pairedItem: { item: 0 }, error: USERNAME_RULE },
			{ json: { ...CREATED, username: 'good_user' }, pairedItem: { item: 1 } },
		]);
	});
});

describe('UpCloud subaccount: delete', () => {
	it('DELETEs /account/sub/{username} and outputs success with the username', async () => {
		const { scope, requests } = api();
		scope.delete('/1.3/account/sub/my_sub_account').reply(204);

		const { items, error } = await run({ resource: 'subaccount', operation: 'delete', username: ' my_sub_account ' });

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([['DELETE', '/1.3/account/sub/my_sub_account']]);
		expectUpCloudHeaders(requests[0]);
		expect(items).toEqual([{ json: { success: true, username: 'my_sub_account' }, pairedItem: { item: 0 } }]);
	});

	it.each([
		['../x', '..%2Fx'],
		['a?b', 'a%3Fb'],
		['a/b', 'a%2Fb'],
		['a#b', 'a%23b'],
		['../../partner/accounts?x=1', '..%2F..%2Fpartner%2Faccounts%3Fx%3D1'],
	])('keeps the hostile username %s inside one path segment', async (username, encoded) => {
		const { scope, requests } = api();
		scope.delete(`/1.3/account/sub/${encoded}`).reply(404, upCloudError('ACCOUNT_NOT_FOUND', 'Account not found.'));

		const { error } = await run({ resource: 'subaccount', operation: 'delete', username });

		expect(requests.map((r) => [r.method, r.path])).toEqual([['DELETE', `/1.3/account/sub/${encoded}`]]);
		expect(error?.message).toBe('ACCOUNT_NOT_FOUND: Account not found.');
	});

	it.each(['.', '..', '  '])('refuses the username "%s" without sending anything', async (username) => {
		const requests = anyRequest();
		const { error } = await run({ resource: 'subaccount', operation: 'delete', username });
		expect(requests).toEqual([]);
		expect(error?.message).toBe(username.trim() === '' ? 'Username is required' : 'Username cannot be "." or ".."');
	});

	it('with Continue On Fail, deletes the good item and reports the missing one', async () => {
		const { scope } = api();
		scope.delete('/1.3/account/sub/gone_user').reply(404, upCloudError('ACCOUNT_NOT_FOUND', 'Account not found.'));
		scope.delete('/1.3/account/sub/old_user').reply(204);

		const { items, error } = await run(
			{ resource: 'subaccount', operation: 'delete', username: '={{$json.u}}' },
			{ items: [{ u: 'gone_user' }, { u: 'old_user' }], continueOnFail: true },
		);

		expect(error).toBeUndefined();
		expect(items.map(errorItem)).toEqual([
			{ json: { error: 'ACCOUNT_NOT_FOUND: Account not found.' }, pairedItem: { item: 0 }, error: 'ACCOUNT_NOT_FOUND: Account not found.', httpCode: '404' },
			{ json: { success: true, username: 'old_user' }, pairedItem: { item: 1 } },
		]);
	});
});

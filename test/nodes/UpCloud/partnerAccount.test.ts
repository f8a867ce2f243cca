import {
	anyRequest,
	api,
	BILLING_SUMMARY,
	errorItem,
	expectUpCloudHeaders,
	PARTNER_ACCOUNT,
	PARTNER_ACCOUNTS,
	run,
	upCloudError,
} from './fixtures';

const CONTACT = {
	firstName: 'Test',
	lastName: 'User',
	country: 'FIN',
	email: 'test@myhost.mydomain',
	phone: '+358.31245434',
};

const createParameters = (overrides: Record<string, unknown> = {}) => ({
	resource: 'partnerAccount',
	operation: 'create',
	username: 'sdk_test_partner_account',
	password: 'superSecret123',
	...overrides,
});

describe('UpCloud partner account: getAll', () => {
	it('GETs /partner/accounts and outputs one item per account of the bare array', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/partner/accounts').reply(200, PARTNER_ACCOUNTS);

		const { items, error } = await run({ resource: 'partnerAccount', operation: 'getAll', returnAll: true });

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([['GET', '/1.3/partner/accounts']]);
		expectUpCloudHeaders(requests[0]);
		expect(items).toEqual(PARTNER_ACCOUNTS.map((json) => ({ json, pairedItem: { item: 0 } })));
	});

	it('returns at most Limit accounts unless Return All is on', async () => {
		const { scope } = api();
		scope.get('/1.3/partner/accounts').times(2).reply(200, PARTNER_ACCOUNTS);

		const limited = await run({ resource: 'partnerAccount', operation: 'getAll', returnAll: false, limit: 2 });
		const byDefault = await run({ resource: 'partnerAccount', operation: 'getAll' });

		expect(limited.items.map((i) => i.json.username)).toEqual(['sdk_test_partner_account', 'acme_ops']);
		expect(byDefault.items.map((i) => i.json.username)).toEqual(['sdk_test_partner_account', 'acme_ops', 'widgets2']);
	});

	it('outputs nothing for a partner without accounts', async () => {
		const { scope } = api();
		scope.get('/1.3/partner/accounts').reply(200, []);
		const { items, error } = await run({ resource: 'partnerAccount', operation: 'getAll', returnAll: true });
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
	});

	it('links every account to the input item that listed it', async () => {
		const { scope } = api();
		scope.get('/1.3/partner/accounts').times(3).reply(200, PARTNER_ACCOUNTS);

		const { items, error } = await run({ resource: 'partnerAccount', operation: 'getAll', returnAll: true }, { items: [{}, {}, {}] });

		expect(error).toBeUndefined();
		expect(items.map((i) => [i.json.username, i.pairedItem])).toEqual(
			[0, 1, 2].flatMap((item) => PARTNER_ACCOUNTS.map((a) => [a.username, { item }])),
		);
	});
});

describe('UpCloud partner account: create', () => {
	it('POSTs a flat body with contact_details and outputs the created account', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/partner/accounts').reply(201, PARTNER_ACCOUNT);

		const { items, error } = await run(createParameters({ contactDetails: CONTACT }));

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([['POST', '/1.3/partner/accounts']]);
		expectUpCloudHeaders(requests[0], { body: true });
		expect(requests[0].body).toEqual({
			username: 'sdk_test_partner_account',
			password: 'superSecret123',
			contact_details: {
				first_name: 'Test',
				last_name: 'User',
				country: 'FIN',
				email: 'test@myhost.mydomain',
				phone: '+358.31245434',
			},
		});
		expect(items).toEqual([{ json: PARTNER_ACCOUNT, pairedItem: { item: 0 } }]);
	});

	it('sends every optional contact detail under its API name', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/partner/accounts').reply(201, PARTNER_ACCOUNTS[2]);

		const { items, error } = await run(
			createParameters({
				username: ' widgets2 ',
				password: 'Widgets2024',
				contactDetails: {
					firstName: 'Sam',
					lastName: 'Smith',
					country: 'USA',
					state: 'New York',
					email: 'billing@widgets.example',
					phone: '+1.5185550100',
					company: 'Widgets Inc',
					address: '1 Main St\nSuite 200',
					postalCode: '12207',
					city: 'Albany',
					vatNumber: 'US123',
				},
			}),
		);

		expect(error).toBeUndefined();
		expect(requests[0].body).toEqual({
			username: 'widgets2',
			password: 'Widgets2024',
			contact_details: {
				first_name: 'Sam',
				last_name: 'Smith',
				country: 'USA',
				state: 'New York',
				email: 'billing@widgets.example',
				phone: '+1.5185550100',
				company: 'Widgets Inc',
				address: '1 Main St\nSuite 200',
				postal_code: '12207',
				city: 'Albany',
				vat_number: 'US123',
			},
		});
		expect(items).toEqual([{ json: PARTNER_ACCOUNTS[2], pairedItem: { item: 0 } }]);
	});

	it('sends no contact_details when none are given, so UpCloud copies the partner\'s', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/partner/accounts').reply(201, PARTNER_ACCOUNT);

		const { error } = await run(createParameters());

		expect(error).toBeUndefined();
		expect(requests[0].body).toEqual({ username: 'sdk_test_partner_account', password: 'superSecret123' });
	});

	it('accepts passwords of exactly 8 and 256 characters and a postal code of 20', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/partner/accounts').times(2).reply(201, PARTNER_ACCOUNT);
		const long = `Aa1${'x'.repeat(253)}`;

		const { error } = await run(
			createParameters({ password: '={{$json.p}}', contactDetails: { ...CONTACT, postalCode: '1'.repeat(20) } }),
			{ items: [{ p: 'Abcdef12' }, { p: long }] },
		);

		expect(error).toBeUndefined();
		expect(requests.map((r) => (r.body as { password: string }).password).sort()).toEqual(['Abcdef12', long].sort());
	});
});

describe('UpCloud partner account: create input rules (nothing is sent)', () => {
	const refused = async (parameters: Record<string, unknown>) => {
		const requests = anyRequest();
		const { items, error } = await run(parameters);
		expect(requests).toEqual([]);
		expect(items).toEqual([]);
		expect(error?.description).toMatch(/Nothing was sent\.$/);
		// The rule may quote a username or field value, never the password.
		expect(JSON.stringify({ message: error?.message, description: error?.description })).not.toContain(
			String(parameters.password),
		);
		return error?.message;
	};

	const PASSWORD_RULE = 'Password must be 8–256 characters and include a lowercase letter, an uppercase letter and a digit';

	it.each([
		['7 characters', 'Abcde12'],
		['257 characters', `Aa1${'x'.repeat(254)}`],
		['no uppercase letter', 'supersecret123'],
		['no lowercase letter', 'SUPERSECRET123'],
		['no digit', 'superSecretPass'],
	])('refuses a password with %s', async (_case, password) => {
		expect(await refused(createParameters({ password }))).toBe(PASSWORD_RULE);
	});

	it.each(['abc', 'Sdk_user', 'sdk-user', 'sdk_', 'a'.repeat(65), 'a/b'])('refuses the username "%s"', async (username) => {
		expect(await refused(createParameters({ username }))).toBe(
			'Username must be 4–64 characters of lowercase letters, digits and single underscores between them (e.g. "acme_ops")',
		);
	});

	it.each([
		['firstName', 'First Name'],
		['lastName', 'Last Name'],
		['email', 'Email'],
		['phone', 'Phone'],
		['country', 'Country'],
	])('requires %s once any contact detail is given', async (name, label) => {
		const contactDetails: Record<string, string> = { ...CONTACT, company: 'Acme Oy' };
		delete contactDetails[name];
		expect(await refused(createParameters({ contactDetails }))).toBe(
			`Contact Details: ${label} is required when any contact detail is given (otherwise leave Contact Details empty to copy the partner's)`,
		);
	});

	it('requires the five contact details when only an optional one is given', async () => {
		expect(await refused(createParameters({ contactDetails: { company: 'Acme Oy' } }))).toBe(
			"Contact Details: First Name is required when any contact detail is given (otherwise leave Contact Details empty to copy the partner's)",
		);
	});

	it.each([
		['firstName', 'First Name', 'x'.repeat(51), 'must be 1–50 characters long (got 51)'],
		['lastName', 'Last Name', 'x'.repeat(51), 'must be 1–50 characters long (got 51)'],
		['company', 'Company', 'x'.repeat(101), 'must be 1–100 characters long (got 101)'],
		['company', 'Company', '', 'must be 1–100 characters long (got 0)'],
		['city', 'City', 'x'.repeat(101), 'must be 1–100 characters long (got 101)'],
		['postalCode', 'Postal Code', '1'.repeat(21), 'must be 1–20 characters long (got 21)'],
		['address', 'Address', 'a\nb\nc', 'must be 1 or 2 lines, each 1–100 characters long'],
		['address', 'Address', 'x'.repeat(101), 'must be 1 or 2 lines, each 1–100 characters long'],
		['phone', 'Phone', '+358 9 1111 111', 'must be in international format +<country code>.<number>, e.g. +358.31245434'],
		['email', 'Email', 'not-an-email', 'must be a valid email address (got "not-an-email")'],
	])('refuses contact %s %j', async (name, label, value, rule) => {
		expect(await refused(createParameters({ contactDetails: { ...CONTACT, [name]: value } }))).toBe(
			`Contact Details: ${label} ${rule}`,
		);
	});

	it('requires a contact state when the country is USA', async () => {
		expect(await refused(createParameters({ contactDetails: { ...CONTACT, country: 'USA' } }))).toBe(
			'Contact Details: State is required when the country is USA',
		);
	});
});

describe('UpCloud partner account: getBillingSummary', () => {
	it('GETs /account/billing/summary/{month}?username= and outputs the flat summary', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/billing/summary/2025-05').query(true).reply(200, BILLING_SUMMARY);

		const { items, error } = await run({
			resource: 'partnerAccount',
			operation: 'getBillingSummary',
			yearMonth: '2025-05',
			username: ' someuser ',
		});

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([['GET', '/1.3/account/billing/summary/2025-05?username=someuser']]);
		expectUpCloudHeaders(requests[0]);
		expect(items).toEqual([{ json: BILLING_SUMMARY, pairedItem: { item: 0 } }]);
	});

	it('adds the Resource ID filter, encoded, and can output one item per billed resource', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/billing/summary/2025-05').query(true).reply(200, BILLING_SUMMARY);

		const { items, error } = await run({
			resource: 'partnerAccount',
			operation: 'getBillingSummary',
			yearMonth: '2025-05',
			username: 'someuser',
			output: 'resources',
			filters: { resourceId: '001c2caa-00dc-4eff-9321-000000000000&username=victim' },
		});

		expect(error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual([
			'/1.3/account/billing/summary/2025-05?username=someuser&resource_id=001c2caa-00dc-4eff-9321-000000000000%26username%3Dvictim',
		]);
		expect(items.map((i) => [i.json.category, i.json.group, i.json.resource_id, i.json.currency, i.pairedItem])).toEqual([
			['managed_databases', 'managed_database', '09001a4d-b525-4ab8-835d-000000000000', 'EUR', { item: 0 }],
			['servers', 'server', '001c2caa-00dc-4eff-9321-000000000000', 'EUR', { item: 0 }],
			['servers', 'server', '0010cf04-3608-4512-b4de-000000000000', 'EUR', { item: 0 }],
			['storages', 'backup', '01bfe607-76ac-42a3-914a-237dcc285ab2', 'EUR', { item: 0 }],
			['storages', 'storage', '01af6d71-43d4-433c-8342-0c9bc4068dda', 'EUR', { item: 0 }],
			['storages', 'template', '01bfe607-dbac-44a3-9143-313d9c285e59', 'EUR', { item: 0 }],
		]);
	});

	it.each(['../x', 'a?b', 'a/b', 'a#b', 'someuser&username=other'])(
		'refuses the hostile username "%s" before it reaches the query',
		async (username) => {
			const requests = anyRequest();
			const { error } = await run({ resource: 'partnerAccount', operation: 'getBillingSummary', yearMonth: '2025-05', username });
			expect(requests).toEqual([]);
			expect(error?.message).toBe(
				'Username must be 4–64 characters of lowercase letters, digits and single underscores between them (e.g. "acme_ops")',
			);
		},
	);

	it('refuses a malformed month without sending anything', async () => {
		const requests = anyRequest();
		const { error } = await run({ resource: 'partnerAccount', operation: 'getBillingSummary', yearMonth: '2025-5', username: 'someuser' });
		expect(requests).toEqual([]);
		expect(error?.message).toBe('Month must be a month in the form YYYY-MM, e.g. 2024-09 (got "2025-5")');
	});

	it('with Continue On Fail, reports the account that is not associated and keeps the other', async () => {
		const { scope } = api();
		scope.get('/1.3/account/billing/summary/2025-05').query({ username: 'acme_ops' }).reply(200, BILLING_SUMMARY);
		scope
			.get('/1.3/account/billing/summary/2025-05')
			.query({ username: 'stranger' })
			.reply(403, upCloudError('ACCOUNT_FORBIDDEN', 'The account is not associated with the partner.'));

		const { items, error } = await run(
			{ resource: 'partnerAccount', operation: 'getBillingSummary', yearMonth: '2025-05', username: '={{$json.u}}' },
			{ items: [{ u: 'stranger' }, { u: 'acme_ops' }], continueOnFail: true },
		);

		expect(error).toBeUndefined();
		expect(items.map(errorItem)).toEqual([
			{
				json: { error: 'ACCOUNT_FORBIDDEN: The account is not associated with the partner.' },
				pairedItem: { item: 0 },
				error: 'ACCOUNT_FORBIDDEN: The account is not associated with the partner.',
				httpCode: '403',
			},
			{ json: BILLING_SUMMARY, pairedItem: { item: 1 } },
		]);
	});
});

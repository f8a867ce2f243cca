import {
	anyRequest,
	api,
	BILLING_SUMMARY,
	errorItem,
	expectUpCloudHeaders,
	LEGACY_DETAILED_SUMMARY,
	LEGACY_SUMMARY,
	RESOURCE_BILLING,
	run,
	upCloudError,
} from './fixtures';

/** The rows "One Item per Billed Resource" gives for BILLING_SUMMARY, in the response's order. */
const SUMMARY_ROWS = [
	{ currency: 'EUR', category: 'managed_databases', group: 'managed_database', ...BILLING_SUMMARY.managed_databases.managed_database.resources[0] },
	{ currency: 'EUR', category: 'servers', group: 'server', ...BILLING_SUMMARY.servers.server.resources[0] },
	{ currency: 'EUR', category: 'servers', group: 'server', ...BILLING_SUMMARY.servers.server.resources[1] },
	{ currency: 'EUR', category: 'storages', group: 'backup', ...BILLING_SUMMARY.storages.backup.resources[0] },
	{ currency: 'EUR', category: 'storages', group: 'storage', ...BILLING_SUMMARY.storages.storage.resources[0] },
	{ currency: 'EUR', category: 'storages', group: 'template', ...BILLING_SUMMARY.storages.template.resources[0] },
];

describe('UpCloud billing: getSummary', () => {
	it('GETs /account/billing/summary/{month} and outputs the flat summary as one item', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/billing/summary/2024-09').reply(200, BILLING_SUMMARY);

		const { items, error } = await run({ resource: 'billing', operation: 'getSummary', yearMonth: '2024-09' });

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([['GET', '/1.3/account/billing/summary/2024-09']]);
		expectUpCloudHeaders(requests[0]);
		expect(items).toEqual([{ json: BILLING_SUMMARY, pairedItem: { item: 0 } }]);
	});

	it('sends the Resource ID filter as resource_id, encoded', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/billing/summary/2024-09').query(true).times(2).reply(200, { currency: 'EUR', total_amount: 0 });

		const { error } = await run(
			{ resource: 'billing', operation: 'getSummary', yearMonth: '2024-09', filters: { resourceId: '={{$json.id}}' } },
			{ items: [{ id: ' 94.237.1.1 ' }, { id: 'x&username=other#y' }] },
		);

		expect(error).toBeUndefined();
		expect(requests.map((r) => r.path).sort()).toEqual([
			'/1.3/account/billing/summary/2024-09?resource_id=94.237.1.1',
			'/1.3/account/billing/summary/2024-09?resource_id=x%26username%3Dother%23y',
		]);
	});

	it('outputs one item per billed resource with category, group, resource_id, amount, hours, details and currency', async () => {
		const { scope } = api();
		scope.get('/1.3/account/billing/summary/2024-09').reply(200, BILLING_SUMMARY);

		const { items, error } = await run({ resource: 'billing', operation: 'getSummary', yearMonth: '2024-09', output: 'resources' });

		expect(error).toBeUndefined();
		expect(items).toEqual(SUMMARY_ROWS.map((json) => ({ json, pairedItem: { item: 0 } })));
		expect(items[3].json).toEqual({
			currency: 'EUR',
			category: 'storages',
			group: 'backup',
			resource_id: '01bfe607-76ac-42a3-914a-237dcc285ab2',
			amount: 0.1,
			hours: 420,
			details: [{ amount: 0.1, hours: 420, size: 10, zone: 'fi-hel2' }],
		});
	});

	it('links every billed resource to the input item whose month it belongs to', async () => {
		const { scope } = api();
		scope.get('/1.3/account/billing/summary/2024-08').reply(200, {
			currency: 'EUR',
			total_amount: 1.5,
			networks: {
				ipv4_address: {
					resources: [{ amount: 1.5, details: [{ amount: 1.5, hours: 744, zone: 'fi-hel1' }], hours: 744, resource_id: '94.237.1.1' }],
					total_amount: 1.5,
				},
				total_amount: 1.5,
			},
		});
		scope.get('/1.3/account/billing/summary/2024-09').reply(200, BILLING_SUMMARY);

		const { items, error } = await run(
			{ resource: 'billing', operation: 'getSummary', yearMonth: '={{$json.month}}', output: 'resources' },
			{ items: [{ month: '2024-08' }, { month: '2024-09' }] },
		);

		expect(error).toBeUndefined();
		expect(items.map((i) => [i.json.category, i.json.group, i.json.resource_id, i.pairedItem])).toEqual([
			['networks', 'ipv4_address', '94.237.1.1', { item: 0 }],
			...SUMMARY_ROWS.map((row) => [row.category, row.group, row.resource_id, { item: 1 }]),
		]);
	});

	it('outputs no items per resource for a month without usage', async () => {
		const { scope } = api();
		scope.get('/1.3/account/billing/summary/2024-01').reply(200, { currency: 'EUR', total_amount: 0 });
		const { items, error } = await run({ resource: 'billing', operation: 'getSummary', yearMonth: '2024-01', output: 'resources' });
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
	});

	it('with Continue On Fail, keeps the readable month and reports the forbidden one', async () => {
		const { scope } = api();
		scope.get('/1.3/account/billing/summary/2024-09').reply(200, BILLING_SUMMARY);
		scope.get('/1.3/account/billing/summary/2024-10').reply(403, upCloudError('ACTION_FORBIDDEN', 'You do not have permission to read billing details.'));

		const { items, error } = await run(
			{ resource: 'billing', operation: 'getSummary', yearMonth: '={{$json.month}}' },
			{ items: [{ month: '2024-09' }, { month: '2024-10' }], continueOnFail: true },
		);

		expect(error).toBeUndefined();
		expect(items.map(errorItem)).toEqual([
			{ json: BILLING_SUMMARY, pairedItem: { item: 0 } },
			{
				json: { error: 'ACTION_FORBIDDEN: You do not have permission to read billing details.' },
				pairedItem: { item: 1 },
				error: 'ACTION_FORBIDDEN: You do not have permission to read billing details.',
				httpCode: '403',
			},
		]);
	});
});

describe('UpCloud billing: month', () => {
	const thisMonth = (timeZone: string) => {
		const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(new Date());
		return `${parts.find((p) => p.type === 'year')?.value}-${parts.find((p) => p.type === 'month')?.value}`;
	};

	it('defaults to the current month', async () => {
		const month = thisMonth('UTC');
		const { scope, requests } = api();
		scope.get(`/1.3/account/billing/summary/${month}`).reply(200, BILLING_SUMMARY);

		const { error } = await run({ resource: 'billing', operation: 'getSummary' });

		expect(error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual([`/1.3/account/billing/summary/${month}`]);
	});

	describe('at 23:30 UTC on the last day of a month', () => {
		beforeEach(() => {
			// Only Date is faked: nock and n8n's HTTP stack need real timers.
			jest.useFakeTimers({
				doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
			});
			jest.setSystemTime(new Date('2024-09-30T23:30:00Z'));
		});
		afterEach(() => jest.useRealTimers());

		it.each([
			['UTC', '2024-09'],
			['Europe/Helsinki', '2024-10'],
			['America/New_York', '2024-09'],
		])('the default month is the one in the workflow time zone (%s: %s)', async (timezone, month) => {
			const { scope, requests } = api();
			scope.get(`/1.3/account/billing_summary/${month}`).reply(200, LEGACY_SUMMARY);

			const { error } = await run({ resource: 'billing', operation: 'getLegacySummary' }, { timezone });

			expect(error).toBeUndefined();
			expect(requests.map((r) => r.path)).toEqual([`/1.3/account/billing_summary/${month}`]);
		});
	});

	it.each(['2024-13', '2024-00', '2024-9', '24-09', '2024/09', '2024-09-01', 'September'])(
		'refuses the month "%s" on every billing operation without sending anything',
		async (yearMonth) => {
			const requests = anyRequest();
			for (const operation of ['getSummary', 'getResourceSummary', 'getLegacySummary', 'getLegacyDetailedSummary']) {
				const { items, error } = await run({ resource: 'billing', operation, yearMonth, resourceId: '00ce9363-9065-4c2a-9d66-3b0c762f556b' });
				expect([operation, error?.message]).toEqual([operation, `Month must be a month in the form YYYY-MM, e.g. 2024-09 (got "${yearMonth}")`]);
				expect(items).toEqual([]);
			}
			expect(requests).toEqual([]);
		},
	);
});

describe('UpCloud billing: getResourceSummary', () => {
	it('GETs /account/resource_billing_summary/{resourceId}/{month} and outputs the unwrapped billing', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/resource_billing_summary/00ce9363-9065-4c2a-9d66-3b0c762f556b/2019-12').reply(200, RESOURCE_BILLING);

		const { items, error } = await run({
			resource: 'billing',
			operation: 'getResourceSummary',
			resourceId: ' 00ce9363-9065-4c2a-9d66-3b0c762f556b ',
			yearMonth: '2019-12',
		});

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([
			['GET', '/1.3/account/resource_billing_summary/00ce9363-9065-4c2a-9d66-3b0c762f556b/2019-12'],
		]);
		expectUpCloudHeaders(requests[0]);
		expect(items).toEqual([{ json: RESOURCE_BILLING.billing, pairedItem: { item: 0 } }]);
	});

	it.each([
		['../x', '..%2Fx'],
		['a?b', 'a%3Fb'],
		['a/b', 'a%2Fb'],
		['a#b', 'a%23b'],
		['2a04:3540::1', '2a04%3A3540%3A%3A1'],
	])('keeps the resource ID %s inside one path segment', async (resourceId, encoded) => {
		const { scope, requests } = api();
		scope.get(`/1.3/account/resource_billing_summary/${encoded}/2024-09`).reply(404, upCloudError('RESOURCE_NOT_FOUND', 'The resource does not exist.'));

		const { error } = await run({ resource: 'billing', operation: 'getResourceSummary', resourceId, yearMonth: '2024-09' });

		expect(requests.map((r) => r.path)).toEqual([`/1.3/account/resource_billing_summary/${encoded}/2024-09`]);
		expect(error?.message).toBe('RESOURCE_NOT_FOUND: The resource does not exist.');
		expect(error?.httpCode).toBe('404');
	});

	it.each(['.', '..', ' '])('refuses the resource ID "%s" without sending anything', async (resourceId) => {
		const requests = anyRequest();
		const { error } = await run({ resource: 'billing', operation: 'getResourceSummary', resourceId, yearMonth: '2024-09' });
		expect(requests).toEqual([]);
		expect(error?.message).toBe(resourceId.trim() === '' ? 'Resource ID is required' : 'Resource ID cannot be "." or ".."');
	});
});

describe('UpCloud billing: deprecated summaries', () => {
	it('getLegacySummary GETs /account/billing_summary/{month} and outputs the unwrapped billing', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/billing_summary/2019-12').reply(200, LEGACY_SUMMARY);

		const { items, error } = await run({ resource: 'billing', operation: 'getLegacySummary', yearMonth: '2019-12' });

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([['GET', '/1.3/account/billing_summary/2019-12']]);
		expectUpCloudHeaders(requests[0]);
		expect(items).toEqual([{ json: LEGACY_SUMMARY.billing, pairedItem: { item: 0 } }]);
	});

	it('getLegacyDetailedSummary GETs /account/billing_summary/{month}/detailed and outputs the unwrapped billing', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/billing_summary/2019-12/detailed').reply(200, LEGACY_DETAILED_SUMMARY);

		const { items, error } = await run({ resource: 'billing', operation: 'getLegacyDetailedSummary', yearMonth: '2019-12' });

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([['GET', '/1.3/account/billing_summary/2019-12/detailed']]);
		expectUpCloudHeaders(requests[0]);
		expect(items).toEqual([{ json: LEGACY_DETAILED_SUMMARY.billing, pairedItem: { item: 0 } }]);
	});

	it('getLegacyDetailedSummary outputs one item per billed resource, template and backup included', async () => {
		const { scope } = api();
		scope.get('/1.3/account/billing_summary/2019-12/detailed').reply(200, LEGACY_DETAILED_SUMMARY);

		const { items, error } = await run({
			resource: 'billing',
			operation: 'getLegacyDetailedSummary',
			yearMonth: '2019-12',
			output: 'resources',
		});

		expect(error).toBeUndefined();
		expect(items).toEqual(
			[
				{ currency: 'EUR', category: 'networks', group: 'bandwidth', amount: 52.136, bandwidth_out: 953344, bandwidth_type: 'public_ipv4', hours: 0, resource_id: '00ce9363-9065-4c2a-9d66-3b0c762f556b' },
				{ currency: 'EUR', category: 'servers', group: 'server', amount: 7.66668, firewall: 2.8, hours: 553, plan: '1xCPU-1GB', resource_id: '008c1044-208e-4344-b03b-fc16e9e27a09' },
				{ currency: 'EUR', category: 'servers', group: 'server', amount: 6.16032, hours: 552, plan: '1xCPU-1GB', resource_id: '001b9e08-362f-4004-8318-43d0e61358f6' },
				{ currency: 'EUR', category: 'storages', group: 'storage', amount: 3.4224, hours: 552, resource_id: '01af6d71-43d4-433c-8342-0c9bc4068dda', size: 20 },
				{ currency: 'EUR', category: 'storages', group: 'template', amount: 0.1, resource_id: '01bfe607-dbac-44a3-9143-313d9c285e59', size: 10 },
				{ currency: 'EUR', category: 'storages', group: 'backup', amount: 0.1, resource_id: '01bfe607-76ac-42a3-914a-237dcc285ab2', size: 10 },
			].map((json) => ({ json, pairedItem: { item: 0 } })),
		);
	});
});

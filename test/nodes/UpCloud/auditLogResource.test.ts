import { anyRequest, api, errorItem, expectUpCloudHeaders, run } from './fixtures';
import { UPCLOUD_TOKEN_AUTH } from '../../helpers/engine';

const auditLog = (parameters: Record<string, unknown>, extra: Parameters<typeof run>[1] = {}) =>
	run({ resource: 'auditLog', ...parameters }, extra);

/** A row as the generated 1.3 schema describes it (values invented). */
const row = (n: number, time = `2024-05-10T11:00:${String(n % 60).padStart(2, '0')}Z`) => ({
	time,
	cloud_event_id: `01HXAUDIT${String(n).padStart(17, '0')}`,
	upcloud_correlation_id: `01HXCORR${String(n).padStart(18, '0')}`,
	account_username: 'ops_user',
	auth_type: 'api',
	origin: 'api',
	action: 'create',
	resource_type: 'server',
	resource_id: '00798b85-efdc-41ca-8021-f6ef457b8531',
	ip_address: '198.51.100.23',
	current_state: { state: 'started' },
});

const rows = (from: number, count: number) => Array.from({ length: count }, (_, i) => row(from + i));

beforeEach(() => {
	jest.useFakeTimers({
		doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
	});
	jest.setSystemTime(new Date('2024-05-10T12:00:00.000Z'));
});

afterEach(() => {
	jest.useRealTimers();
});

describe('UpCloud audit log: get many', () => {
	it('asks for limit=<Limit> at offset 0 and outputs one item per row of audit_logs', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/audit-logs').query(true).reply(200, { audit_logs: rows(1, 2) }, { 'Upcloud-Total-Count': '9' });

		const { items, error } = await auditLog({ operation: 'getAll', limit: 2 });

		expect(error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual(['/1.3/audit-logs?limit=2&offset=0']);
		expectUpCloudHeaders(requests[0]);
		expect(items).toEqual(rows(1, 2).map((json) => ({ json, pairedItem: { item: 0 } })));
	});

	it('sends every filter: lists repeated, times in UTC to the second, search as q', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/audit-logs').query(true).reply(200, { audit_logs: [] });

		const { items, error } = await auditLog(
			{
				operation: 'getAll',
				limit: 10,
				filters: {
					actions: ['create', 'delete'],
					origins: ['api', 'gui'],
					resourceTypes: ['auth', 'server'],
					createdAfter: '2024-05-01T03:00:00',
					createdBefore: '2024-05-09T10:30:15.750+02:00',
					search: '  203.0.113.7 ',
				},
			},
			{ timezone: 'Europe/Helsinki' },
		);

		expect(error).toBeUndefined();
		expect(items).toEqual([]);
		expect(decodeURIComponent(requests[0].path)).toBe(
			'/1.3/audit-logs?actions=create&actions=delete&origins=api&origins=gui&resource_types=auth&resource_types=server' +
				'&created_after=2024-05-01T00:00:00Z&created_before=2024-05-09T08:30:15Z&q=203.0.113.7&limit=10&offset=0',
		);
	});

	it('with Return All pages 200 at a time until a short page, keeping a row read twice once', async () => {
		const { scope, requests } = api();
		scope
			.get('/1.3/audit-logs').query({ limit: '200', offset: '0' }).reply(200, { audit_logs: rows(1, 200) })
			// An event arrived meanwhile: the second page starts with the last row of the first again.
			.get('/1.3/audit-logs').query({ limit: '200', offset: '200' }).reply(200, { audit_logs: rows(200, 200) })
			.get('/1.3/audit-logs').query({ limit: '200', offset: '400' }).reply(200, { audit_logs: rows(400, 50) });

		const { items, error } = await auditLog({ operation: 'getAll', returnAll: true });

		expect(error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual([
			'/1.3/audit-logs?limit=200&offset=0',
			'/1.3/audit-logs?limit=200&offset=200',
			'/1.3/audit-logs?limit=200&offset=400',
		]);
		expect(items.map((item) => item.json.cloud_event_id)).toEqual(rows(1, 449).map((r) => r.cloud_event_id));
	});

	it('stops with an error when UpCloud sends the same page again instead of requesting forever', async () => {
		const { scope } = api();
		scope.get('/1.3/audit-logs').query(true).times(2).reply(200, { audit_logs: rows(1, 200) });

		const { error } = await auditLog({ operation: 'getAll', returnAll: true });

		expect(error?.message).toBe('UpCloud sent the same audit-log page again at offset 200');
	});

	it.each([
		[0, 'Limit must be a whole number from 1 to 200; turn on Return All to get more (got 0)'],
		[201, 'Limit must be a whole number from 1 to 200; turn on Return All to get more (got 201)'],
	])('refuses Limit %p and sends nothing', async (limit, message) => {
		const requests = anyRequest();
		const { error } = await auditLog({ operation: 'getAll', limit });
		expect(error?.message).toBe(message);
		expect(requests).toEqual([]);
	});

	it('refuses a reversed window and a bad date, naming the field and the value, and sends nothing', async () => {
		const requests = anyRequest();
		const reversed = await auditLog({
			operation: 'getAll',
			filters: { createdAfter: '2024-05-02T00:00:00Z', createdBefore: '2024-05-01T00:00:00Z' },
		});
		const bad = await auditLog({ operation: 'getAll', filters: { createdAfter: 'yesterday' } });
		const action = await auditLog({ operation: 'getAll', filters: { actions: ['Create'] } });

		expect(reversed.error?.message).toBe(
			'Created Before must not be earlier than Created After (got 2024-05-01T00:00:00Z, before 2024-05-02T00:00:00Z)',
		);
		expect(bad.error?.message).toBe('Created After must be a date and time, e.g. 2024-09-01T00:00:00 (got "yesterday")');
		expect(action.error?.message).toBe(
			'Actions must be one of "create", "read", "update", "delete", "access-update", "attach", "detach", "login", "logout" (got "Create"; "Create" is the option\'s name, its value is "create")',
		);
		expect(requests).toEqual([]);
	});

	it('refuses an answer without audit_logs as one clear error, and under Continue On Fail as the item\'s error item', async () => {
		const { scope } = api();
		scope.get('/1.3/audit-logs').query(true).times(2).reply(200, { logs: [] });

		const failed = await auditLog({ operation: 'getAll' });
		const kept = await auditLog({ operation: 'getAll' }, { continueOnFail: true });

		expect(failed.error?.message).toBe('UpCloud answered the audit-log list without its "audit_logs" list');
		expect(kept.items.map(errorItem)).toEqual([
			{
				json: { error: 'UpCloud answered the audit-log list without its "audit_logs" list' },
				error: 'UpCloud answered the audit-log list without its "audit_logs" list',
				httpCode: '200',
				pairedItem: { item: 0 },
			},
		]);
	});

	it('shows UpCloud\'s own code and message of a 400', async () => {
		const { scope } = api();
		scope.get('/1.3/audit-logs').query(true).reply(400, {
			error: { error_code: 'INVALID_CREATED_AFTER', error_message: 'The created_after attribute is invalid.' },
		});

		const { error } = await auditLog({ operation: 'getAll' });

		expect(error?.message).toBe('INVALID_CREATED_AFTER: The created_after attribute is invalid.');
		expect(error?.httpCode).toBe('400');
	});

	it('works with the API token credential', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/audit-logs').query(true).reply(200, { audit_logs: rows(1, 1) });

		const { items } = await auditLog({ authentication: 'apiToken', operation: 'getAll', limit: 1 });

		expect(items).toHaveLength(1);
		expectUpCloudHeaders(requests[0], { authorization: UPCLOUD_TOKEN_AUTH });
	});
});

describe('UpCloud audit log: get filter options', () => {
	it('GETs /audit-logs/filter-options and outputs the answer as it is', async () => {
		const options = { resource_types: ['account', 'server'], actions: ['create', 'login'], origins: ['api', 'gui'] };
		const { scope, requests } = api();
		scope.get('/1.3/audit-logs/filter-options').reply(200, options);

		const { items, error } = await auditLog({ operation: 'getFilterOptions' });

		expect(error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual(['/1.3/audit-logs/filter-options']);
		expect(items).toEqual([{ json: options, pairedItem: { item: 0 } }]);
	});
});

describe('UpCloud audit log: export', () => {
	const CSV = 'time,cloud_event_id,action\n2024-05-10T11:00:01Z,01A,create\n2024-05-10T11:00:02Z,01B,delete\n';

	it('downloads CSV (the default) as a binary file named after the window, 180 days back to now by default', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/audit-logs/export').query(true).reply(200, CSV, { 'Content-Type': 'text/csv' });

		const { items, error } = await auditLog({ operation: 'export' });

		expect(error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual(['/1.3/audit-logs/export?format=csv']);
		expectUpCloudHeaders(requests[0], { accept: 'text/csv' });
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual({
			fileName: 'upcloud-audit-log-20231112T120000Z-20240510T120000Z.csv',
			format: 'csv',
			from: '2023-11-12T12:00:00Z',
			to: '2024-05-10T12:00:00Z',
			rows: 2,
		});
		expect(items[0].binary?.data).toMatchObject({
			fileName: 'upcloud-audit-log-20231112T120000Z-20240510T120000Z.csv',
			mimeType: 'text/csv',
		});
		expect(Buffer.from(items[0].binary!.data.data, 'base64').toString('utf8')).toBe(CSV);
	});

	it('downloads JSON into the chosen binary field with the time window', async () => {
		const events = rows(1, 3);
		const { scope, requests } = api();
		scope.get('/1.3/audit-logs/export').query(true).reply(200, JSON.stringify(events), { 'Content-Type': 'application/json' });

		const { items, error } = await auditLog({
			operation: 'export',
			format: 'json',
			binaryPropertyName: 'auditFile',
			filters: { createdAfter: '2024-05-01T00:00:00Z', createdBefore: '2024-05-02T00:00:00Z' },
		});

		expect(error).toBeUndefined();
		expect(decodeURIComponent(requests[0].path)).toBe(
			'/1.3/audit-logs/export?format=json&created_after=2024-05-01T00:00:00Z&created_before=2024-05-02T00:00:00Z',
		);
		expectUpCloudHeaders(requests[0]);
		expect(items[0].json).toMatchObject({ fileName: 'upcloud-audit-log-20240501T000000Z-20240502T000000Z.json', rows: 3 });
		expect(items[0].binary?.auditFile).toMatchObject({ mimeType: 'application/json' });
		expect(JSON.parse(Buffer.from(items[0].binary!.auditFile.data, 'base64').toString('utf8'))).toEqual(events);
	});

	it('refuses a JSON export that is not a list, and an empty output field, without a file', async () => {
		const { scope } = api();
		scope.get('/1.3/audit-logs/export').query(true).reply(200, { audit_logs: [] });

		const notList = await auditLog({ operation: 'export', format: 'json' });
		const requests = anyRequest();
		const noField = await auditLog({ operation: 'export', binaryPropertyName: ' ' });

		expect(notList.error?.message).toBe('UpCloud answered the JSON export without a list of events');
		expect(noField.error?.message).toBe('Put Output File in Field is required');
		expect(requests).toEqual([]);
	});
});

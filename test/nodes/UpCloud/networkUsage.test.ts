import {
	anyRequest,
	api,
	CURRENT_NETWORK_USAGE,
	errorItem,
	expectUpCloudHeaders,
	RESOURCE_TRANSFER_STATS,
	RESOURCE_TRANSFER_STATS_CSV,
	run,
	TRANSFER_STATS,
	TRANSFER_STATS_CSV,
	upCloudError,
} from './fixtures';

const transferStats = (overrides: Record<string, unknown> = {}) => ({
	resource: 'networkUsage',
	operation: 'getTransferStats',
	from: '2020-09-30T22:00:00',
	to: '2020-10-01T00:00:00',
	accumulate: 'hour',
	...overrides,
});

const resourceTransferStats = (overrides: Record<string, unknown> = {}) => ({
	resource: 'networkUsage',
	operation: 'getResourceTransferStats',
	from: '2020-09-07T00:00:00',
	to: '2020-09-09T23:59:59',
	...overrides,
});

describe('UpCloud network usage: getTransferStats', () => {
	it('GETs /account/network_usage with from, to (RFC 3339 UTC) and accumulate, one item per stat', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/network_usage').query(true).reply(200, { stats: { stat: TRANSFER_STATS } });

		const { items, error } = await run(transferStats());

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([
			['GET', '/1.3/account/network_usage?accumulate=hour&from=2020-09-30T22%3A00%3A00Z&to=2020-10-01T00%3A00%3A00Z'],
		]);
		expectUpCloudHeaders(requests[0]);
		expect(items).toEqual(TRANSFER_STATS.map((json) => ({ json, pairedItem: { item: 0 } })));
	});

	it('accumulates by day unless told otherwise', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/network_usage').query(true).reply(200, { stats: { stat: [] } });

		const { items, error } = await run({
			resource: 'networkUsage',
			operation: 'getTransferStats',
			from: '2024-09-01T00:00:00',
			to: '2024-09-30T00:00:00',
		});

		expect(error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual([
			'/1.3/account/network_usage?accumulate=day&from=2024-09-01T00%3A00%3A00Z&to=2024-09-30T00%3A00%3A00Z',
		]);
		expect(items).toEqual([]);
	});

	it.each([
		['Europe/Helsinki', '2024-09-01T00:00:00', '2024-08-31T21:00:00Z'],
		['America/New_York', '2024-09-01T00:00:00', '2024-09-01T04:00:00Z'],
		['Asia/Kolkata', '2024-09-01T00:00:00', '2024-08-31T18:30:00Z'],
		// Summer time ended on 2024-10-27 in Helsinki: before it +03:00, after it +02:00.
		['Europe/Helsinki', '2024-10-28T12:00:00', '2024-10-28T10:00:00Z'],
		['UTC', '2024-09-01T00:00:00', '2024-09-01T00:00:00Z'],
	])('reads a date-time picker value in the workflow time zone (%s %s) and sends it in UTC', async (timezone, from, fromUtc) => {
		const { scope, requests } = api();
		scope.get('/1.3/account/network_usage').query(true).reply(200, { stats: { stat: [] } });

		const { error } = await run(transferStats({ from, to: '2024-11-01T00:00:00', format: 'csv' }), { timezone });

		expect(error).toBeUndefined();
		const query = new URLSearchParams(requests[0].path.split('?')[1]);
		expect(query.get('from')).toBe(fromUtc);
	});

	it('takes expressions giving an ISO string with an offset or a Luxon DateTime as the instant they name', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/network_usage').query(true).reply(200, { stats: { stat: [] } });

		const { error } = await run(
			transferStats({
				from: '={{ "2024-09-01T02:00:00+02:00" }}',
				to: '={{ DateTime.fromISO("2024-09-02T00:00:00", { zone: "America/New_York" }) }}',
			}),
			{ timezone: 'Asia/Tokyo' },
		);

		expect(error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual([
			'/1.3/account/network_usage?accumulate=hour&from=2024-09-01T00%3A00%3A00Z&to=2024-09-02T04%3A00%3A00Z',
		]);
	});

	it('links every stat to its input item', async () => {
		const { scope } = api();
		scope.get('/1.3/account/network_usage').query({ accumulate: 'hour', from: '2020-09-30T22:00:00Z', to: '2020-10-01T00:00:00Z' }).reply(200, { stats: { stat: TRANSFER_STATS } });
		scope.get('/1.3/account/network_usage').query({ accumulate: 'hour', from: '2020-10-01T00:00:00Z', to: '2020-10-01T00:00:00Z' }).reply(200, { stats: { stat: TRANSFER_STATS.slice(2) } });

		const { items, error } = await run(transferStats({ from: '={{$json.from}}' }), {
			items: [{ from: '2020-09-30T22:00:00' }, { from: '2020-10-01T00:00:00' }],
		});

		expect(error).toBeUndefined();
		expect(items.map((i) => [i.json.start_time, i.pairedItem])).toEqual([
			['2020-09-30T22:00:00Z', { item: 0 }],
			['2020-09-30T23:00:00Z', { item: 0 }],
			['2020-10-01T00:00:00Z', { item: 0 }],
			['2020-10-01T00:00:00Z', { item: 1 }],
		]);
	});

	it('surfaces UpCloud\'s INVALID_TIME_WINDOW_SIZE and continues with the next item on Continue On Fail', async () => {
		const { scope } = api();
		scope.get('/1.3/account/network_usage').query({ accumulate: 'hour', from: '2020-09-30T22:00:00Z', to: '2020-10-01T00:00:00Z' }).reply(200, { stats: { stat: TRANSFER_STATS.slice(0, 1) } });
		scope
			.get('/1.3/account/network_usage')
			.query({ accumulate: 'hour', from: '2020-09-30T23:00:00Z', to: '2020-10-01T00:00:00Z' })
			.reply(400, upCloudError('INVALID_TIME_WINDOW_SIZE', "Days between FROM and TO can't be over 31 days."));

		const { items, error } = await run(transferStats({ from: '={{$json.from}}' }), {
			items: [{ from: '2020-09-30T22:00:00' }, { from: '2020-09-30T23:00:00' }],
			continueOnFail: true,
		});

		expect(error).toBeUndefined();
		expect(items.map(errorItem)).toEqual([
			{ json: TRANSFER_STATS[0], pairedItem: { item: 0 } },
			{
				json: { error: "INVALID_TIME_WINDOW_SIZE: Days between FROM and TO can't be over 31 days." },
				pairedItem: { item: 1 },
				error: "INVALID_TIME_WINDOW_SIZE: Days between FROM and TO can't be over 31 days.",
				httpCode: '400',
			},
		]);
	});
});

describe('UpCloud network usage: time window rules (nothing is sent)', () => {
	const refused = async (parameters: Record<string, unknown>, timezone = 'UTC') => {
		const requests = anyRequest();
		const { items, error } = await run(parameters, { timezone });
		expect(requests).toEqual([]);
		expect(items).toEqual([]);
		expect(error?.description).toMatch(/Nothing was sent\.$/);
		return error?.message;
	};

	it.each(['getTransferStats', 'getResourceTransferStats'])('%s refuses From after To', async (operation) => {
		expect(await refused({ ...transferStats(), operation, from: '2024-09-02T00:00:00', to: '2024-09-01T23:59:59' })).toBe(
			'From must not be after To (2024-09-02T00:00:00.000Z > 2024-09-01T23:59:59.000Z)',
		);
	});

	it('compares From and To as instants, reading the picker value in the workflow time zone', async () => {
		// 20:30 in New York is 00:30 UTC the next day: after To, though the wall clock reads earlier.
		expect(
			await refused(transferStats({ from: '2024-09-01T20:30:00', to: '={{ "2024-09-01T22:00:00Z" }}' }), 'America/New_York'),
		).toBe('From must not be after To (2024-09-02T00:30:00.000Z > 2024-09-01T22:00:00.000Z)');
	});

	it.each(['getTransferStats', 'getResourceTransferStats'])('%s refuses a JSON window over 31 days', async (operation) => {
		expect(await refused({ ...transferStats(), operation, from: '2024-08-01T00:00:00', to: '2024-09-01T00:00:01' })).toBe(
			'To must be at most 31 days after From for JSON output; choose the CSV File output format for longer windows',
		);
	});

	it.each([
		['a blank From', { from: ' ' }, 'From must be a date and time, e.g. 2024-09-01T00:00:00 (got " ")'],
		['a From that is not a date', { from: 'yesterday' }, 'From must be a date and time, e.g. 2024-09-01T00:00:00 (got "yesterday")'],
		// JavaScript's Date would silently roll these over to 1 March.
		['an impossible To', { from: '2024-02-20T00:00:00', to: '2024-02-30T00:00:00' }, 'To must be a date and time, e.g. 2024-09-01T00:00:00 (got "2024-02-30T00:00:00")'],
		['an impossible To with an offset', { from: '2024-02-20T00:00:00', to: '={{ "2024-02-31T00:00:00+02:00" }}' }, 'To must be a date and time, e.g. 2024-09-01T00:00:00 (got "2024-02-31T00:00:00+02:00")'],
	])('refuses %s', async (_case, overrides, message) => {
		expect(await refused(transferStats(overrides))).toBe(message);
	});

	it('sends a JSON window of exactly 31 days, and From equal to To', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/network_usage').query(true).times(2).reply(200, { stats: { stat: [] } });

		const { error } = await run(transferStats({ from: '={{$json.from}}', to: '={{$json.to}}' }), {
			items: [
				{ from: '2024-08-01T00:00:00', to: '2024-09-01T00:00:00' },
				{ from: '2024-09-01T00:00:00', to: '2024-09-01T00:00:00' },
			],
		});

		expect(error).toBeUndefined();
		expect(requests.map((r) => r.path).sort()).toEqual([
			'/1.3/account/network_usage?accumulate=hour&from=2024-08-01T00%3A00%3A00Z&to=2024-09-01T00%3A00%3A00Z',
			'/1.3/account/network_usage?accumulate=hour&from=2024-09-01T00%3A00%3A00Z&to=2024-09-01T00%3A00%3A00Z',
		]);
	});

	it('sends a CSV window longer than 31 days', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/network_usage').query(true).reply(200, TRANSFER_STATS_CSV, { 'Content-Type': 'text/csv' });

		const { error } = await run(transferStats({ from: '2024-01-01T00:00:00', to: '2024-12-31T23:00:00', format: 'csv' }));

		expect(error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual([
			'/1.3/account/network_usage?accumulate=hour&from=2024-01-01T00%3A00%3A00Z&to=2024-12-31T23%3A00%3A00Z',
		]);
	});
});

describe('UpCloud network usage: CSV File output', () => {
	it('asks for text/csv and outputs one item with the CSV as binary "data"', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/network_usage').query(true).reply(200, TRANSFER_STATS_CSV, { 'Content-Type': 'text/csv' });

		const { items, error } = await run(transferStats({ format: 'csv' }));

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([
			['GET', '/1.3/account/network_usage?accumulate=hour&from=2020-09-30T22%3A00%3A00Z&to=2020-10-01T00%3A00%3A00Z'],
		]);
		expectUpCloudHeaders(requests[0], { accept: 'text/csv' });
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual({ fileName: 'network-transfer.csv', rows: 3 });
		expect(items[0].pairedItem).toEqual({ item: 0 });
		const { data } = items[0].binary ?? {};
		expect(data?.mimeType).toBe('text/csv');
		expect(data?.fileName).toBe('network-transfer.csv');
		expect(data?.fileExtension).toBe('csv');
		expect(Buffer.from(data?.data ?? '', 'base64').toString('utf8')).toBe(TRANSFER_STATS_CSV);
	});

	it('names the resource statistics file after the operation and counts CRLF rows', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/resource_network_usage').query(true).reply(200, RESOURCE_TRANSFER_STATS_CSV, { 'Content-Type': 'text/csv' });

		const { items, error } = await run(resourceTransferStats({ format: 'csv', from: '2020-01-01T00:00:00' }));

		expect(error).toBeUndefined();
		expectUpCloudHeaders(requests[0], { accept: 'text/csv' });
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual({ fileName: 'resource-transfer.csv', rows: 2 });
		expect(items[0].binary?.data?.fileName).toBe('resource-transfer.csv');
		expect(items[0].binary?.data?.mimeType).toBe('text/csv');
		expect(Buffer.from(items[0].binary?.data?.data ?? '', 'base64').toString('utf8')).toBe(RESOURCE_TRANSFER_STATS_CSV);
	});

	it('shows UpCloud\'s JSON error even though the CSV request reads the body as bytes', async () => {
		const { scope } = api();
		scope.get('/1.3/account/network_usage').query(true).reply(400, upCloudError('INVALID_DATE', 'TO date is older than FROM date.'));

		const { items, error } = await run(transferStats({ format: 'csv' }));

		expect(items).toEqual([]);
		expect(error?.message).toBe('INVALID_DATE: TO date is older than FROM date.');
		expect(error?.httpCode).toBe('400');
	});
});

describe('UpCloud network usage: getResourceTransferStats', () => {
	it('GETs /account/resource_network_usage with repeated service and zone filters, one item per stat', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/resource_network_usage').query(true).reply(200, { stats: { stat: RESOURCE_TRANSFER_STATS } });

		const { items, error } = await run(
			resourceTransferStats({
				accumulate: 'day',
				filters: {
					resourceId: ' 00777436-a6f8-43af-9daf-89e8e6833a7a ',
					services: ['server_public', 'object_storage_public'],
					zones: ['fi-hel1', ' de-fra1 ', ''],
				},
			}),
		);

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([
			[
				'GET',
				'/1.3/account/resource_network_usage?accumulate=day&resource_id=00777436-a6f8-43af-9daf-89e8e6833a7a' +
					'&service=server_public&service=object_storage_public&zone=fi-hel1&zone=de-fra1' +
					'&from=2020-09-07T00%3A00%3A00Z&to=2020-09-09T23%3A59%3A59Z',
			],
		]);
		expectUpCloudHeaders(requests[0]);
		expect(items).toEqual(RESOURCE_TRANSFER_STATS.map((json) => ({ json, pairedItem: { item: 0 } })));
	});

	it('sends no filters when none are set', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/resource_network_usage').query(true).reply(200, { stats: { stat: RESOURCE_TRANSFER_STATS.slice(0, 1) } });

		const { items, error } = await run(resourceTransferStats());

		expect(error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual([
			'/1.3/account/resource_network_usage?accumulate=day&from=2020-09-07T00%3A00%3A00Z&to=2020-09-09T23%3A59%3A59Z',
		]);
		expect(items).toEqual([{ json: RESOURCE_TRANSFER_STATS[0], pairedItem: { item: 0 } }]);
	});

	it('encodes a hostile resource ID filter inside its query value', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/resource_network_usage').query(true).reply(200, { stats: { stat: [] } });

		const { error } = await run(resourceTransferStats({ filters: { resourceId: 'x&zone=us-nyc1#' } }));

		expect(error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual([
			'/1.3/account/resource_network_usage?accumulate=day&resource_id=x%26zone%3Dus-nyc1%23&from=2020-09-07T00%3A00%3A00Z&to=2020-09-09T23%3A59%3A59Z',
		]);
	});
});

describe('UpCloud network usage: getCurrent', () => {
	it('GETs /account/current_network_usage and outputs the unwrapped report', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/account/current_network_usage').reply(200, { stats: { current_network_usage: CURRENT_NETWORK_USAGE } });

		const { items, error } = await run({ resource: 'networkUsage', operation: 'getCurrent' });

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([['GET', '/1.3/account/current_network_usage']]);
		expectUpCloudHeaders(requests[0]);
		expect(items).toEqual([{ json: CURRENT_NETWORK_USAGE, pairedItem: { item: 0 } }]);
	});
});

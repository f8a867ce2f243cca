import { UpCloud } from '../../../nodes/UpCloud/UpCloud.node';
import { nodeTypesFor, UPCLOUD_TOKEN_AUTH } from '../../helpers/engine';
import { runListSearch } from '../../helpers/load-options';
import { waits } from '../../helpers/retry';
import { anyRequest, api, errorItem, expectUpCloudHeaders, run } from './fixtures';
import { SERVER_ID, server, serverBody, TEMPLATE_ID } from './infrastructureFixtures';

const serverOp = (operation: string, parameters: Record<string, unknown> = {}, extra: Parameters<typeof run>[1] = {}) =>
	run({ resource: 'server', operation, serverId: { __rl: true, mode: 'id', value: SERVER_ID }, ...parameters }, extra);

const CREATE = {
	zone: 'fi-hel2',
	title: 'web-1',
	hostname: 'web-1.example.com',
	plan: '1xCPU-1GB',
	template: { __rl: true, mode: 'list', value: TEMPLATE_ID },
	storageSize: 25,
};

const path = `/1.3/server/${SERVER_ID}`;

describe('UpCloud server: get and get many', () => {
	it('GETs /server with repeated, encoded label filters and outputs one item per server', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/server').query(true).reply(200, { servers: { server: [server('started'), server('stopped', { uuid: 'x' })] } });

		const { items, error } = await run({
			resource: 'server',
			operation: 'getAll',
			returnAll: true,
			filters: { labels: ['env=dev', ' backup '] },
		});

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([['GET', '/1.3/server?label=env%3Ddev&label=backup&limit=100&offset=0']]);
		expectUpCloudHeaders(requests[0]);
		expect(items).toEqual([
			{ json: server('started'), pairedItem: { item: 0 } },
			{ json: server('stopped', { uuid: 'x' }), pairedItem: { item: 0 } },
		]);
	});

	it('asks for no more than Limit without Return All, trims a longer answer, and sends no label without filters', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/server?limit=1&offset=0').reply(200, { servers: { server: [server('started'), server('stopped', { uuid: 'x' })] } });

		const { items } = await run({ resource: 'server', operation: 'getAll', limit: 1 });

		expect(requests.map((r) => r.path)).toEqual(['/1.3/server?limit=1&offset=0']);
		expect(items).toEqual([{ json: server('started'), pairedItem: { item: 0 } }]);
	});

	it('GETs one server by its UUID, with the API token too', async () => {
		const { scope, requests } = api();
		scope.get(path).reply(200, serverBody('started'));

		const { items } = await serverOp('get', { authentication: 'apiToken' });

		expect(requests.map((r) => [r.method, r.path])).toEqual([['GET', path]]);
		expectUpCloudHeaders(requests[0], { authorization: UPCLOUD_TOKEN_AUTH });
		expect(items).toEqual([{ json: server('started'), pairedItem: { item: 0 } }]);
	});

	it('lists servers in the Server dropdown as title, hostname, zone and state', async () => {
		const { scope } = api();
		scope.get('/1.3/server?limit=100&offset=0').reply(200, { servers: { server: [server('started')] } });

		const result = await runListSearch({
			type: 'upCloud',
			nodeTypes: nodeTypesFor({ upCloud: new UpCloud() }),
			method: 'searchServers',
			parameter: 'serverId',
			currentNodeParameters: { authentication: 'basicAuth' },
		});

		expect(result).toEqual({ results: [{ name: 'web-1 (web-1.example.com, fi-hel2, started)', value: SERVER_ID }], paginationToken: undefined });
	});

	it('the Server dropdown reads a page of 100 at a time: a full page gives the next offset as its token', async () => {
		const { scope, requests } = api();
		const page = (from: number, count: number) => Array.from({ length: count }, (_, i) => server('started', { uuid: `uuid-${from + i}` }));
		scope.get('/1.3/server?limit=100&offset=0').reply(200, { servers: { server: page(0, 100) } });
		scope.get('/1.3/server?limit=100&offset=100').reply(200, { servers: { server: page(100, 3) } });
		const search = async (paginationToken?: string) =>
			await runListSearch({
				type: 'upCloud',
				nodeTypes: nodeTypesFor({ upCloud: new UpCloud() }),
				method: 'searchServers',
				parameter: 'serverId',
				currentNodeParameters: { authentication: 'basicAuth' },
				paginationToken,
			});

		const first = await search();
		const second = await search(first.paginationToken as string | undefined);

		expect(first.results).toHaveLength(100);
		expect(first.paginationToken).toBe('100');
		expect(second.results.map((r) => r.value)).toEqual(['uuid-100', 'uuid-101', 'uuid-102']);
		expect(second.paginationToken).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual(['/1.3/server?limit=100&offset=0', '/1.3/server?limit=100&offset=100']);
	});
});

describe('UpCloud server: Get Many pages as the notes advise (limit=100, the next offset while a page is full)', () => {
	const servers = (from: number, count: number) =>
		Array.from({ length: count }, (_, i) => server('started', { uuid: `uuid-${from + i}`, title: `s-${from + i}` }));
	const body = (list: unknown[]) => ({ servers: { server: list } });
	const titles = (items: Array<{ json: Record<string, unknown> }>) => items.map((item) => item.json.title);
	const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => `s-${from + i}`);

	it('Return All: pages of 100 until a short page, the label filters on every page, each server once', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/server?label=env%3Ddev&limit=100&offset=0').reply(200, body(servers(0, 100)));
		scope.get('/1.3/server?label=env%3Ddev&limit=100&offset=100').reply(200, body(servers(100, 100)));
		scope.get('/1.3/server?label=env%3Ddev&limit=100&offset=200').reply(200, body(servers(200, 3)));

		const { items, error } = await run({ resource: 'server', operation: 'getAll', returnAll: true, filters: { labels: ['env=dev'] } });

		expect(error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual([
			'/1.3/server?label=env%3Ddev&limit=100&offset=0',
			'/1.3/server?label=env%3Ddev&limit=100&offset=100',
			'/1.3/server?label=env%3Ddev&limit=100&offset=200',
		]);
		expect(titles(items)).toEqual(range(0, 203));
		expect(items.every((item) => item.pairedItem && (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('an empty page after a full one ends the list', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/server?limit=100&offset=0').reply(200, body(servers(0, 100)));
		scope.get('/1.3/server?limit=100&offset=100').reply(200, body([]));

		const { items } = await run({ resource: 'server', operation: 'getAll', returnAll: true });

		expect(requests).toHaveLength(2);
		expect(titles(items)).toEqual(range(0, 100));
	});

	it('a first page longer than limit means UpCloud ignored paging: that answer is the whole list, no second request', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/server?limit=100&offset=0').reply(200, body(servers(0, 130)));

		const { items, error } = await run({ resource: 'server', operation: 'getAll', returnAll: true });

		expect(error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual(['/1.3/server?limit=100&offset=0']);
		expect(titles(items)).toEqual(range(0, 130));
	});

	it('a page repeating some UUIDs (a shifted list) keeps each server once and pages on', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/server?limit=100&offset=0').reply(200, body(servers(0, 100)));
		// Full, but half of it the end of the first page again (servers created meanwhile shifted the list).
		scope.get('/1.3/server?limit=100&offset=100').reply(200, body(servers(50, 100)));
		scope.get('/1.3/server?limit=100&offset=200').reply(200, body(servers(150, 10)));

		const { items, error } = await run({ resource: 'server', operation: 'getAll', returnAll: true });

		expect(error).toBeUndefined();
		expect(requests).toHaveLength(3);
		expect(titles(items)).toEqual(range(0, 160));
	});

	it('the first page again (offset ignored) ends the list without an error', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/server?limit=100&offset=0').reply(200, body(servers(0, 100)));
		scope.get('/1.3/server?limit=100&offset=100').reply(200, body(servers(0, 100)));

		const { items, error } = await run({ resource: 'server', operation: 'getAll', returnAll: true });

		expect(error).toBeUndefined();
		expect(requests).toHaveLength(2);
		expect(titles(items)).toEqual(range(0, 100));
	});

	it('Limit above 100 without Return All: pages of 100 until Limit servers are in hand, then trimmed', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/server?limit=100&offset=0').reply(200, body(servers(0, 100)));
		scope.get('/1.3/server?limit=100&offset=100').reply(200, body(servers(100, 100)));

		const { items } = await run({ resource: 'server', operation: 'getAll', limit: 150 });

		expect(requests.map((r) => r.path)).toEqual(['/1.3/server?limit=100&offset=0', '/1.3/server?limit=100&offset=100']);
		expect(titles(items)).toEqual(range(0, 150));
	});

	it('Limit reached on a full first page: one request', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/server?limit=25&offset=0').reply(200, body(servers(0, 25)));

		const { items } = await run({ resource: 'server', operation: 'getAll', limit: 25 });

		expect(requests.map((r) => r.path)).toEqual(['/1.3/server?limit=25&offset=0']);
		expect(titles(items)).toEqual(range(0, 25));
	});

	it('an error on a later page is UpCloud\'s error, and nothing of the list is output', async () => {
		const { scope } = api();
		scope.get('/1.3/server?limit=100&offset=0').reply(200, body(servers(0, 100)));
		scope.get('/1.3/server?limit=100&offset=100').reply(403, { error: { error_code: 'SERVER_FORBIDDEN', error_message: 'Access denied.' } });

		const { items, error } = await run({ resource: 'server', operation: 'getAll', returnAll: true });

		expect(items).toEqual([]);
		expect(error?.message).toMatch(/Access denied/);
	});
});

describe('UpCloud server: create', () => {
	it('POSTs the documented body for a plan, then polls until started (1 + 2 requests) and keeps the one-time password', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/server').reply(202, serverBody('maintenance', { progress: '0', password: 'pw-once', username: 'root' }));
		scope.get(path).reply(200, serverBody('maintenance', { progress: '85' }));
		scope.get(path).reply(200, serverBody('started'));

		const { items, error } = await run({ resource: 'server', operation: 'create', ...CREATE });

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([
			['POST', '/1.3/server'],
			['GET', path],
			['GET', path],
		]);
		expect(requests[0].body).toEqual({
			server: {
				zone: 'fi-hel2',
				title: 'web-1',
				hostname: 'web-1.example.com',
				plan: '1xCPU-1GB',
				storage_devices: {
					storage_device: [{ action: 'clone', storage: TEMPLATE_ID, title: 'web-1 disk', size: 25, tier: 'maxiops' }],
				},
				networking: {
					interfaces: {
						interface: [
							{ type: 'utility', ip_addresses: { ip_address: [{ family: 'IPv4' }] } },
							{ type: 'public', ip_addresses: { ip_address: [{ family: 'IPv4' }] } },
						],
					},
				},
			},
		});
		expect(waits).toEqual([5000, 5000]);
		expect(items).toEqual([{ json: { ...server('started'), password: 'pw-once', username: 'root' }, pairedItem: { item: 0 } }]);
	});

	it('sends no plan key for Custom, with cores and memory as strings, and every additional field', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/server').reply(202, serverBody('maintenance'));

		const { error } = await run({
			resource: 'server',
			operation: 'create',
			...CREATE,
			plan: 'custom',
			additionalFields: {
				coreNumber: 2,
				memoryAmount: '2048',
				storageTier: 'standard',
				storageTitle: 'root disk',
				loginUser: 'deploy',
				sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB user@host'],
				labels: { label: [{ key: 'env', value: 'dev' }] },
				userData: '#!/bin/sh\necho hi\n',
				publicIpv4: false,
				publicIpv6: true,
				utilityNetwork: true,
				privateNetwork: '035a0a8a-7704-4de5-820d-189fc8d5ec7f',
				firewall: true,
				simpleBackup: '0430,dailies',
			},
			options: { waitForCompletion: false },
		});

		expect(error).toBeUndefined();
		expect(requests).toHaveLength(1);
		expect(requests[0].body).toEqual({
			server: {
				zone: 'fi-hel2',
				title: 'web-1',
				hostname: 'web-1.example.com',
				core_number: '2',
				memory_amount: '2048',
				storage_devices: {
					storage_device: [{ action: 'clone', storage: TEMPLATE_ID, title: 'root disk', size: 25, tier: 'standard' }],
				},
				networking: {
					interfaces: {
						interface: [
							{ type: 'utility', ip_addresses: { ip_address: [{ family: 'IPv4' }] } },
							{ type: 'public', ip_addresses: { ip_address: [{ family: 'IPv6' }] } },
							{ type: 'private', ip_addresses: { ip_address: [{ family: 'IPv4' }] }, network: '035a0a8a-7704-4de5-820d-189fc8d5ec7f' },
						],
					},
				},
				login_user: { username: 'deploy', create_password: 'no', ssh_keys: { ssh_key: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB user@host'] } },
				labels: { label: [{ key: 'env', value: 'dev' }] },
				user_data: '#!/bin/sh\necho hi\n',
				metadata: 'yes',
				firewall: 'on',
				simple_backup: '0430,dailies',
			},
		});
	});

	it('with Wait for Completion off sends exactly one request and outputs UpCloud\'s answer', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/server').reply(202, serverBody('maintenance', { progress: '0' }));

		const { items } = await run({ resource: 'server', operation: 'create', ...CREATE, options: { waitForCompletion: false } });

		expect(requests).toHaveLength(1);
		expect(waits).toEqual([]);
		expect(items).toEqual([{ json: server('maintenance', { progress: '0' }), pairedItem: { item: 0 } }]);
	});
});

describe('UpCloud server: start, stop, restart and their waits', () => {
	it('start: POSTs {"server":{}}; an answer already started needs no GET (start is synchronous by default)', async () => {
		const { scope, requests } = api();
		scope.post(`${path}/start`).reply(200, serverBody('started'));

		const { items } = await serverOp('start');

		expect(requests.map((r) => [r.method, r.path, r.body])).toEqual([['POST', `${path}/start`, { server: {} }]]);
		expect(items).toEqual([{ json: server('started'), pairedItem: { item: 0 } }]);
	});

	it('stop: soft with its timeout as a string; answered "started" (the recorded trap), polls until stopped', async () => {
		const { scope, requests } = api();
		scope.post(`${path}/stop`).reply(200, serverBody('started'));
		scope.get(path).reply(200, serverBody('started'));
		scope.get(path).reply(200, serverBody('stopped'));

		const { items, error } = await serverOp('stop');

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path, r.body])).toEqual([
			['POST', `${path}/stop`, { stop_server: { stop_type: 'soft', timeout: '120' } }],
			['GET', path, undefined],
			['GET', path, undefined],
		]);
		expect(items).toEqual([{ json: server('stopped'), pairedItem: { item: 0 } }]);
	});

	it('stop: hard sends no timeout; Poll Interval sets the wait between GETs', async () => {
		const { scope, requests } = api();
		scope.post(`${path}/stop`).reply(200, serverBody('started'));
		scope.get(path).reply(200, serverBody('stopped'));

		await serverOp('stop', { stopType: 'hard', options: { pollInterval: 2 } });

		expect(requests[0].body).toEqual({ stop_server: { stop_type: 'hard' } });
		expect(waits).toEqual([2000]);
	});

	it('restart (slow): the first "started" is the state before the restart; waits through maintenance to started', async () => {
		const { scope, requests } = api();
		scope.post(`${path}/restart`).reply(200, serverBody('started'));
		scope.get(path).reply(200, serverBody('started'));
		scope.get(path).reply(200, serverBody('maintenance'));
		scope.get(path).reply(200, serverBody('maintenance'));
		scope.get(path).reply(200, serverBody('started', { host: 7617135235 }));

		const { items, error } = await serverOp('restart', { timeout: 60 });

		expect(error).toBeUndefined();
		expect(requests.map((r) => r.method)).toEqual(['POST', 'GET', 'GET', 'GET', 'GET']);
		expect(requests[0].body).toEqual({ restart_server: { stop_type: 'soft', timeout: '60', timeout_action: 'ignore' } });
		expect(items).toEqual([{ json: server('started', { host: 7617135235 }), pairedItem: { item: 0 } }]);
	});

	it('restart (quick): maintenance fell between two polls; ends once the leave window (hard: 30 s) has passed', async () => {
		const { scope, requests } = api();
		scope.post(`${path}/restart`).reply(200, serverBody('started'));
		scope.get(path).times(6).reply(200, serverBody('started'));

		const { items, error } = await serverOp('restart', { stopType: 'hard', timeoutAction: 'destroy' });

		expect(error).toBeUndefined();
		expect(requests[0].body).toEqual({ restart_server: { stop_type: 'hard' } });
		// 6 GETs 5 s apart: 30 s, the grace after a hard restart call.
		expect(requests.map((r) => r.method)).toEqual(['POST', ...Array(6).fill('GET')]);
		expect(waits).toEqual(Array(6).fill(5000));
		expect(items).toEqual([{ json: server('started'), pairedItem: { item: 0 } }]);
	});

	it('restart (soft): the leave window is the stop timeout plus 30 s, so a slow OS shutdown is waited for', async () => {
		const { scope, requests } = api();
		scope.post(`${path}/restart`).reply(200, serverBody('started'));
		// 10 s timeout + 30 s grace = 8 polls at 5 s; maintenance shows at the 7th.
		scope.get(path).times(6).reply(200, serverBody('started'));
		scope.get(path).reply(200, serverBody('maintenance'));
		scope.get(path).reply(200, serverBody('started'));

		const { error } = await serverOp('restart', { timeout: 10 });

		expect(error).toBeUndefined();
		expect(requests).toHaveLength(9);
	});

	it('times out naming the last state and the time waited', async () => {
		const { scope, requests } = api();
		scope.post(`${path}/stop`).reply(200, serverBody('started'));
		scope.get(path).times(2).reply(200, serverBody('started'));

		const { error } = await serverOp('stop', { options: { waitTimeout: 10, pollInterval: 5 } });

		expect(requests).toHaveLength(3);
		expect(error?.message).toBe(`Server ${SERVER_ID} did not reach the state "stopped" within 10 s; its last state was "started"`);
		expect(error?.description).toMatch(/^Waited 10 s\./);
	});

	it('fails on the error state with UpCloud\'s state and the ID; Continue On Fail makes it the item\'s error item', async () => {
		const { scope } = api();
		scope.post(`${path}/start`).reply(200, serverBody('maintenance'));
		scope.get(path).reply(200, serverBody('error'));

		const { items } = await serverOp('start', {}, { continueOnFail: true });

		expect(items.map(errorItem)).toEqual([
			{
				json: { error: `UpCloud reports server ${SERVER_ID} in the state "error"` },
				error: `UpCloud reports server ${SERVER_ID} in the state "error"`,
				pairedItem: { item: 0 },
			},
		]);
	});

	it('repeats a poll GET that meets a 503 (retry policy), never the POST', async () => {
		const { scope, requests } = api();
		scope.post(`${path}/stop`).reply(200, serverBody('started'));
		scope.get(path).reply(503, { error: { error_code: 'SERVICE_UNAVAILABLE', error_message: 'Try later' } });
		scope.get(path).reply(200, serverBody('stopped'));

		const { error } = await serverOp('stop');

		expect(error).toBeUndefined();
		expect(requests.map((r) => r.method)).toEqual(['POST', 'GET', 'GET']);
		expect(waits).toEqual([5000, 1000]);
	});

	it('a wrong-state start is UpCloud\'s SERVER_STATE_ILLEGAL with the hint, and no wait', async () => {
		const { scope, requests } = api();
		scope.post(`${path}/start`).reply(409, { error: { error_code: 'SERVER_STATE_ILLEGAL', error_message: 'The server is not stopped.' } });

		const { error } = await serverOp('start');

		expect(requests).toHaveLength(1);
		expect(error?.message).toBe('SERVER_STATE_ILLEGAL: The server is not stopped.');
		expect(error?.description).toMatch(/Start needs it stopped/);
	});
});

describe('UpCloud server: update and delete', () => {
	it('PUTs only the changed fields; labels replace the set', async () => {
		const { scope, requests } = api();
		scope.put(path).reply(202, serverBody('started', { title: 'new' }));

		const { items } = await serverOp('update', {
			updateFields: { title: 'new', labels: { label: [{ key: 'env', value: 'prod' }] }, firewall: false, plan: '2xCPU-4GB' },
		});

		expect(requests[0].body).toEqual({
			server: { plan: '2xCPU-4GB', title: 'new', labels: { label: [{ key: 'env', value: 'prod' }] }, firewall: 'off' },
		});
		expect(items[0].json).toEqual(server('started', { title: 'new' }));
	});

	it('sends cores and memory as strings for a custom resize', async () => {
		const { scope, requests } = api();
		scope.put(path).reply(202, serverBody('stopped'));

		await serverOp('update', { updateFields: { plan: 'custom', coreNumber: 4, memoryAmount: 8192 } });

		expect(requests[0].body).toEqual({ server: { core_number: '4', memory_amount: '8192', plan: 'custom' } });
	});

	it('delete keeps storages and backups by default: DELETE with no query', async () => {
		const { scope, requests } = api();
		scope.delete(path).reply(204);

		const { items } = await serverOp('delete');

		expect(requests.map((r) => [r.method, r.path])).toEqual([['DELETE', path]]);
		expect(items).toEqual([{ json: { success: true, uuid: SERVER_ID, deletedStorages: false }, pairedItem: { item: 0 } }]);
	});

	it('delete with storages sends storages=1 and the backups policy', async () => {
		const { scope, requests } = api();
		scope.delete(path).query({ storages: '1', backups: 'delete' }).reply(204);

		await serverOp('delete', { options: { deleteStorages: true, backups: 'delete' } });

		expect(requests.map((r) => r.path)).toEqual([`${path}?storages=1&backups=delete`]);
	});

	it('a running server is refused with SERVER_STATE_ILLEGAL and the hint to stop it first; it is never stopped', async () => {
		const { scope, requests } = api();
		scope.delete(path).reply(409, { error: { error_code: 'SERVER_STATE_ILLEGAL', error_message: 'The server is running.' } });

		const { error } = await serverOp('delete');

		expect(requests.map((r) => r.method)).toEqual(['DELETE']);
		expect(error?.message).toBe('SERVER_STATE_ILLEGAL: The server is running.');
		expect(error?.description).toMatch(/stop it first \(Server → Stop\), then delete it/);
	});
});

describe('UpCloud server: input rules (nothing is sent)', () => {
	const refused = async (operation: string, parameters: Record<string, unknown>) => {
		const requests = anyRequest();
		const { items, error } = await serverOp(operation, parameters);
		expect(requests).toEqual([]);
		expect(items).toEqual([]);
		expect(error?.description).toMatch(/Nothing was sent\.$/);
		return error?.message;
	};

	it.each([
		// Typed in By ID, the editor's UUID check already stops the workflow; from an expression the rule does.
		['get', { serverId: { __rl: true, mode: 'id', value: '={{ "web-1" }}' } }, 'Server must be a UUID such as 00798b85-efdc-41ca-8021-f6ef457b8531 (got "web-1")'],
		['get', { serverId: { __rl: true, mode: 'list', value: '={{ "../account" }}' } }, 'Server must be a UUID such as 00798b85-efdc-41ca-8021-f6ef457b8531 (got "../account")'],
		['create', { ...CREATE, zone: 'Helsinki' }, 'Zone must be an UpCloud zone ID such as fi-hel2 or de-fra1 (got "Helsinki")'],
		['create', { ...CREATE, hostname: '-bad-.example.com' }, expect.stringMatching(/^Hostname must be a hostname of at most 128 characters/)],
		['create', { ...CREATE, hostname: `${'a'.repeat(64)}.example.com` }, expect.stringMatching(/^Hostname must be a hostname/)],
		['create', { ...CREATE, hostname: 'web_1.example.com' }, expect.stringMatching(/^Hostname must be a hostname/)],
		['create', { ...CREATE, storageSize: 0 }, 'Storage Size (GiB) must be a whole number from 1 to 4096 (got 0)'],
		['create', { ...CREATE, storageSize: 4097 }, 'Storage Size (GiB) must be a whole number from 1 to 4096 (got 4097)'],
		['create', { ...CREATE, template: { __rl: true, mode: 'id', value: '={{ "ubuntu" }}' } }, 'Template must be a UUID such as 00798b85-efdc-41ca-8021-f6ef457b8531 (got "ubuntu")'],
		['create', { ...CREATE, plan: 'custom' }, 'Core Number is required with the Custom plan'],
		['create', { ...CREATE, plan: 'custom', additionalFields: { coreNumber: 1 } }, 'Memory Amount is required with the Custom plan'],
		['create', { ...CREATE, additionalFields: { coreNumber: 2 } }, 'Core Number applies only to the Custom plan; plan 1xCPU-1GB sets it'],
		['create', { ...CREATE, additionalFields: { labels: { label: [{ key: '_x', value: 'y' }] } } }, 'Labels 1 Key must be 2–32 letters, digits, "_" or "-", not starting with "_" (got "_x")'],
		['create', { ...CREATE, additionalFields: { labels: { label: [{ key: 'env', value: 'a' }, { key: 'env', value: 'b' }] } } }, 'Labels 2 Key repeats the key "env"; each key may appear once'],
		['create', { ...CREATE, additionalFields: { simpleBackup: '2500,dailies' } }, 'Simple Backup (time) must be a time as hhmm, 0000–2359, e.g. 0430 (got "2500")'],
		['create', { ...CREATE, additionalFields: { simpleBackup: '0430,hourly' } }, expect.stringMatching(/^Simple Backup must be "no" or a time and a plan/)],
		['create', { ...CREATE, additionalFields: { sshKeys: ['not a key'] } }, 'SSH Keys (entry 1) must be an SSH public key line such as "ssh-ed25519 AAAAC3Nza… user@host"'],
		['create', { ...CREATE, additionalFields: { privateNetwork: 'net-1' } }, 'Private Network must be a UUID such as 00798b85-efdc-41ca-8021-f6ef457b8531 (got "net-1")'],
		['create', { ...CREATE, additionalFields: { publicIpv4: false, utilityNetwork: false } }, expect.stringMatching(/^Public IPv4 or another network interface is required/)],
		['create', { ...CREATE, options: { pollInterval: 0 } }, 'Poll Interval (Seconds) must be a whole number from 1 to 3600 (got 0)'],
		['stop', { timeout: 601 }, 'Timeout (Seconds) must be a whole number from 1 to 600 (got 601)'],
		['restart', { timeout: '={{ 0 }}' }, 'Timeout (Seconds) must be a whole number from 1 to 600 (got 0)'],
		['update', { updateFields: {} }, 'Update Fields must contain at least one field to change'],
		['update', { updateFields: { plan: 'custom', coreNumber: 2 } }, 'Memory Amount is required with the Custom plan'],
		['getAll', { filters: { labels: ['env=dev', 'bad key=x'] } }, 'Labels (entry 2) must be 2–32 letters, digits, "_" or "-", not starting with "_" (got "bad key")'],
	])('%s refuses %j', async (operation, parameters, message) => {
		expect(await refused(operation, parameters as Record<string, unknown>)).toEqual(message);
	});
});

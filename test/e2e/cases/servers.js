'use strict';
/**
 * Servers, storages, IP addresses, firewall rules, zones and plans (#22) in a real n8n against the sandbox's state
 * machine (test/sandbox/upcloud/servers.js): the lifecycle create → stop → back up → restore → start → stop →
 * delete with storages, each wait polling until the state is reached; Return All over servers; a wrong-state
 * error. The sandbox's transitions are shortened for the run (setup) and restored after it (teardown).
 */

const assert = require('node:assert/strict');

const { controlSandbox } = require('../../sandbox/server');
const { upCloud, chain, parallel } = require('../lib/workflow');
const { json } = require('../lib/run-data');

const PRIMARY_SERVER = '00798b85-efdc-41ca-8021-f6ef457b8531';
/** The sandbox's stopped server (env=dev, backup=nightly). */
const DEV2 = '00de0002-0000-4000-8000-00000000de02';
const UBUNTU = '01000000-0000-4000-8000-000030240200';
const TIMINGS = { createMs: 2500, stopMs: 1500, stopHardMs: 800, restartDelayMs: 800, restartMs: 2000, storageMs: 1500, restoreMs: 2000 };
const FAST = { pollInterval: 1, waitTimeout: 60 };
const rl = (value, mode = 'id') => ({ __rl: true, mode, value });

/** Requests per node run, read from the sandbox log between the first and last request of each path. */
const count = (requests, method, pattern) => requests.filter((r) => r.service === 'upcloud' && r.method === method && pattern.test(r.path)).length;

const cases = [
	{
		id: 'e2eUcLifecycle',
		title: 'UpCloud server lifecycle: create from a template and wait, stop and wait, back up and wait, restore, start, stop, delete with storages',
		setup: (sandbox) => controlSandbox(sandbox, 'state', { serverTimings: TIMINGS }),
		teardown: (sandbox) => controlSandbox(sandbox, 'state', { serverTimings: null }),
		workflow: ({ tag }) =>
			chain('e2eUcLifecycle', 'e2e UpCloud server lifecycle', [
				upCloud(
					'Create',
					{
						resource: 'server',
						operation: 'create',
						zone: 'fi-hel2',
						title: `e2e-${tag}`,
						hostname: `e2e-${tag.replace(/_/g, '-')}.example.com`,
						plan: '1xCPU-1GB',
						template: rl(UBUNTU, 'list'),
						storageSize: 10,
						additionalFields: { labels: { label: [{ key: 'env', value: 'e2e' }] } },
						options: FAST,
					},
					{ credential: 'upcloudToken' },
				),
				upCloud('Stop', { resource: 'server', operation: 'stop', serverId: rl('={{ $json.uuid }}'), timeout: 60, options: FAST }),
				upCloud('Back Up', {
					resource: 'storage',
					operation: 'createBackup',
					storageId: rl('={{ $json.storage_devices.storage_device[0].storage }}'),
					title: 'e2e backup',
					options: FAST,
				}),
				upCloud('Restore', { resource: 'storage', operation: 'restoreBackup', backupId: rl('={{ $json.uuid }}'), options: FAST }),
				upCloud('Start Server', { resource: 'server', operation: 'start', serverId: rl('={{ $("Create").item.json.uuid }}'), options: FAST }),
				upCloud('Stop Again', { resource: 'server', operation: 'stop', serverId: rl('={{ $json.uuid }}'), stopType: 'hard', options: FAST }),
				upCloud('Delete', {
					resource: 'server',
					operation: 'delete',
					serverId: rl('={{ $json.uuid }}'),
					options: { deleteStorages: true, backups: 'delete' },
				}),
			]),
		check(run, { requests, sandbox, record }) {
			const [created] = json(run, 'Create');
			assert.equal(created.state, 'started', 'Create waited until started');
			assert.equal(typeof created.password, 'string', 'the one-time password of the create answer is kept');
			const id = created.uuid;
			const disk = created.storage_devices.storage_device[0].storage;
			const [stopped] = json(run, 'Stop');
			assert.equal(stopped.state, 'stopped', 'Stop waited past the answer that still said started');
			const [backup] = json(run, 'Back Up');
			assert.deepEqual([backup.type, backup.state, backup.origin], ['backup', 'online', disk]);
			const [restored] = json(run, 'Restore');
			assert.deepEqual([restored.uuid, restored.state], [disk, 'online'], 'Restore waited for the origin storage');
			assert.equal(json(run, 'Start Server')[0].state, 'started');
			assert.equal(json(run, 'Stop Again')[0].state, 'stopped');
			assert.deepEqual(json(run, 'Delete'), [{ success: true, uuid: id, deletedStorages: true }]);

			const server = new RegExp(`^/1\\.3/server/${id}$`);
			const perWait = {
				create: count(requests, 'GET', server) > 0,
				createPosts: count(requests, 'POST', /^\/1\.3\/server$/),
				stopPosts: count(requests, 'POST', /\/stop$/),
				backupGets: count(requests, 'GET', new RegExp(`^/1\\.3/storage/${backup.uuid}$`)),
				diskGets: count(requests, 'GET', new RegExp(`^/1\\.3/storage/${disk}$`)),
				serverGets: count(requests, 'GET', server),
				total: requests.filter((r) => r.service === 'upcloud').length,
			};
			record('lifecycle requests', perWait);
			assert.equal(perWait.createPosts, 1, 'one create, never repeated');
			assert.equal(perWait.stopPosts, 2);
			assert.ok(requests.filter((r) => r.service === 'upcloud').every((r) => r.status < 400), 'no request failed');
			const create = requests.find((r) => r.method === 'POST' && r.path === '/1.3/server');
			assert.equal(create.auth.startsWith('bearer'), true, 'Create went with the API token');
			assert.equal(create.body.server.plan, '1xCPU-1GB');
			const del = requests.find((r) => r.method === 'DELETE');
			assert.deepEqual(del.query, { storages: '1', backups: 'delete' });
			const left = sandbox.snapshot().upcloud.infrastructure;
			assert.ok(!left.servers.some((s) => s.uuid === id), 'the server is gone');
			assert.ok(!left.storages.some((s) => s.uuid === disk || s.uuid === backup.uuid), 'its disk and backup are gone');
		},
	},
	{
		id: 'e2eUcServers',
		title: 'UpCloud servers: Return All, by label, zones, plans, templates, a quick restart, firewall rules, IP addresses and wrong-state errors',
		setup: (sandbox) => controlSandbox(sandbox, 'state', { serverTimings: TIMINGS }),
		teardown: (sandbox) => controlSandbox(sandbox, 'state', { serverTimings: null }),
		workflow: () =>
			parallel('e2eUcServers', 'e2e UpCloud servers', [
				upCloud('All Servers', { resource: 'server', operation: 'getAll', returnAll: true }),
				upCloud('Dev Servers', { resource: 'server', operation: 'getAll', returnAll: true, filters: { labels: ['env=dev'] } }),
				upCloud('Zones', { resource: 'zone', operation: 'getAll' }, { credential: 'upcloudToken' }),
				upCloud('Plans', { resource: 'plan', operation: 'getAll' }),
				upCloud('Templates', { resource: 'storage', operation: 'getAll', storageType: 'template', returnAll: true }),
				upCloud('Restart', { resource: 'server', operation: 'restart', serverId: rl(PRIMARY_SERVER), stopType: 'hard', options: FAST }),
				[
					upCloud('Open HTTPS', {
						resource: 'firewallRule',
						operation: 'create',
						serverId: rl(PRIMARY_SERVER),
						direction: 'in',
						action: 'accept',
						family: 'IPv4',
						additionalFields: { protocol: 'tcp', destinationPortStart: 443, comment: 'HTTPS' },
					}),
					upCloud('Rules', { resource: 'firewallRule', operation: 'getAll', serverId: rl(PRIMARY_SERVER) }),
					upCloud('Rule 1', { resource: 'firewallRule', operation: 'get', serverId: rl(PRIMARY_SERVER), position: 1 }),
					upCloud('Close HTTPS', { resource: 'firewallRule', operation: 'delete', serverId: rl(PRIMARY_SERVER), position: 1 }),
				],
				upCloud('IP Addresses', { resource: 'ipAddress', operation: 'getAll' }),
				upCloud(
					'Start Started',
					{ resource: 'server', operation: 'start', serverId: rl(PRIMARY_SERVER) },
					{ onError: 'continueRegularOutput' },
				),
				upCloud(
					'Delete Running',
					{ resource: 'server', operation: 'delete', serverId: rl(PRIMARY_SERVER) },
					{ onError: 'continueRegularOutput' },
				),
				upCloud(
					'Bad Hostname',
					{ resource: 'server', operation: 'create', zone: 'fi-hel2', title: 'x', hostname: 'bad_host!', plan: '1xCPU-1GB', template: rl(UBUNTU), storageSize: 10 },
					{ onError: 'continueRegularOutput' },
				),
			]),
		check(run, { requests, record }) {
			const all = json(run, 'All Servers');
			assert.ok(all.length >= 3, 'Return All lists every server');
			assert.ok(all.some((s) => s.uuid === PRIMARY_SERVER));
			assert.deepEqual(json(run, 'Dev Servers').map((s) => s.title).sort(), ['dev-1', 'dev-2']);
			// Server and storage lists page as the notes advise: limit=100&offset=0, one request while a page is short.
			const lists = requests.filter((r) => r.method === 'GET' && /^\/1\.3\/(server|storage\/template)$/.test(r.path));
			assert.deepEqual(lists.map((r) => [r.path, r.query]), [
				['/1.3/server', { limit: '100', offset: '0' }],
				['/1.3/server', { label: 'env=dev', limit: '100', offset: '0' }],
				['/1.3/storage/template', { limit: '100', offset: '0' }],
			]);
			assert.ok(json(run, 'Zones').some((z) => z.id === 'fi-hel2'));
			assert.ok(json(run, 'Plans').some((p) => p.name === '1xCPU-1GB'));
			assert.ok(json(run, 'Templates').every((t) => t.type === 'template'));
			const [restarted] = json(run, 'Restart');
			assert.equal(restarted.state, 'started');
			const restartGets = count(requests, 'GET', new RegExp(`^/1\\.3/server/${PRIMARY_SERVER}$`));
			record('restart GETs', restartGets);
			assert.ok(restartGets >= 2, 'the restart wait went past the first started (through maintenance)');
			assert.deepEqual(json(run, 'Open HTTPS')[0], {
				action: 'accept', comment: 'HTTPS', destination_address_end: '', destination_address_start: '', destination_port_end: '443',
				destination_port_start: '443', direction: 'in', family: 'IPv4', icmp_type: '', position: '1', protocol: 'tcp',
				source_address_end: '', source_address_start: '', source_port_end: '', source_port_start: '',
			});
			assert.equal(json(run, 'Rules').length, 1);
			assert.equal(json(run, 'Rule 1')[0].comment, 'HTTPS');
			assert.deepEqual(json(run, 'Close HTTPS'), [{ success: true, server: PRIMARY_SERVER, position: 1 }]);
			assert.ok(json(run, 'IP Addresses').length >= 3);
			assert.match(JSON.stringify(json(run, 'Start Started')), /SERVER_STATE_ILLEGAL/);
			assert.match(JSON.stringify(json(run, 'Delete Running')), /SERVER_STATE_ILLEGAL/);
			assert.match(JSON.stringify(json(run, 'Bad Hostname')), /Hostname must be a hostname/);
			assert.equal(requests.filter((r) => r.method === 'POST' && r.path === '/1.3/server').length, 0, 'nothing was sent for the bad hostname');
		},
	},
	{
		id: 'e2eUcStorage',
		title: 'UpCloud storages and IP addresses: create, update, attach, detach, clone, templatize, delete; assign, get, set PTR, release; server get and update',
		setup: (sandbox) => controlSandbox(sandbox, 'state', { serverTimings: TIMINGS }),
		teardown: (sandbox) => controlSandbox(sandbox, 'state', { serverTimings: null }),
		workflow: () =>
			chain('e2eUcStorage', 'e2e UpCloud storages and IPs', [
				upCloud('Dev 2', { resource: 'server', operation: 'get', serverId: rl(DEV2, 'list') }),
				upCloud('Update Dev 2', { resource: 'server', operation: 'update', serverId: rl(DEV2), updateFields: { title: 'dev-2', firewall: false } }),
				upCloud('Create Disk', {
					resource: 'storage',
					operation: 'create',
					zone: 'fi-hel2',
					size: 10,
					title: 'e2e data',
					additionalFields: { labels: { label: [{ key: 'env', value: 'e2e' }] }, backupRule: { rule: { interval: 'daily', time: '0430', retention: 7 } } },
				}),
				upCloud('Get Disk', { resource: 'storage', operation: 'get', storageId: rl('={{ $json.uuid }}', 'list') }),
				upCloud('Update Disk', { resource: 'storage', operation: 'update', storageId: rl('={{ $json.uuid }}'), updateFields: { title: 'e2e data 2', size: 20 } }),
				upCloud('Attach', { resource: 'storage', operation: 'attach', serverId: rl(DEV2), storageId: rl('={{ $json.uuid }}') }),
				upCloud('Detach', {
					resource: 'storage',
					operation: 'detach',
					serverId: rl(DEV2),
					address: '={{ $json.storage_devices.storage_device.find(d => d.storage === $("Create Disk").item.json.uuid).address }}',
				}),
				upCloud('Clone', { resource: 'storage', operation: 'clone', storageId: rl('={{ $("Create Disk").item.json.uuid }}'), zone: 'fi-hel2', title: 'e2e clone', options: FAST }),
				upCloud('Templatize', { resource: 'storage', operation: 'templatize', storageId: rl('={{ $("Create Disk").item.json.uuid }}'), title: 'e2e template', options: FAST }),
				upCloud('Delete Template', { resource: 'storage', operation: 'delete', storageId: rl('={{ $json.uuid }}') }),
				upCloud('Delete Clone', { resource: 'storage', operation: 'delete', storageId: rl('={{ $("Clone").item.json.uuid }}') }),
				upCloud('Delete Disk', { resource: 'storage', operation: 'delete', storageId: rl('={{ $("Create Disk").item.json.uuid }}'), options: { backups: 'delete' } }),
				upCloud('Assign IP', { resource: 'ipAddress', operation: 'create', family: 'IPv4', serverId: rl(DEV2) }, { credential: 'upcloudToken' }),
				upCloud('Get IP', { resource: 'ipAddress', operation: 'get', address: '={{ $json.address }}' }),
				upCloud('Set PTR', { resource: 'ipAddress', operation: 'update', address: '={{ $json.address }}', updateFields: { ptrRecord: 'e2e.example.com' } }),
				upCloud('Release IP', { resource: 'ipAddress', operation: 'delete', address: '={{ $json.address }}' }),
			]),
		check(run, { requests }) {
			assert.equal(json(run, 'Dev 2')[0].uuid, DEV2);
			assert.equal(json(run, 'Update Dev 2')[0].firewall, 'off');
			const [disk] = json(run, 'Create Disk');
			assert.deepEqual([disk.state, disk.size, disk.labels, disk.backup_rule], ['online', 10, [{ key: 'env', value: 'e2e' }], { interval: 'daily', time: '0430', retention: '7' }]);
			assert.deepEqual(json(run, 'Get Disk')[0].servers, { server: [] });
			assert.deepEqual([json(run, 'Update Disk')[0].title, json(run, 'Update Disk')[0].size], ['e2e data 2', 20]);
			assert.ok(json(run, 'Attach')[0].storage_devices.storage_device.some((d) => d.storage === disk.uuid));
			assert.ok(!json(run, 'Detach')[0].storage_devices.storage_device.some((d) => d.storage === disk.uuid));
			const [clone] = json(run, 'Clone');
			assert.deepEqual([clone.state, clone.type, clone.title], ['online', 'normal', 'e2e clone']);
			const [template] = json(run, 'Templatize');
			assert.deepEqual([template.state, template.type], ['online', 'template']);
			for (const node of ['Delete Template', 'Delete Clone', 'Delete Disk']) assert.equal(json(run, node)[0].success, true);
			const [ip] = json(run, 'Assign IP');
			assert.equal(ip.server, DEV2);
			assert.equal(json(run, 'Get IP')[0].address, ip.address);
			assert.equal(json(run, 'Set PTR')[0].ptr_record, 'e2e.example.com');
			assert.deepEqual(json(run, 'Release IP'), [{ success: true, address: ip.address }]);
			const deletes = requests.filter((r) => r.method === 'DELETE' && r.path.startsWith('/1.3/storage/'));
			assert.deepEqual(deletes.map((r) => r.query.backups), ['keep', 'keep', 'delete'], 'backups are kept unless asked');
			assert.ok(requests.some((r) => r.method === 'PATCH'), 'the PTR record is set with PATCH');
		},
	},
];

module.exports = { cases };

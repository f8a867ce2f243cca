import { UpCloud } from '../../../nodes/UpCloud/UpCloud.node';
import { nodeTypesFor } from '../../helpers/engine';
import { runListSearch } from '../../helpers/load-options';
import { waits } from '../../helpers/retry';
import { anyRequest, api, run } from './fixtures';
import { BACKUP_ID, SERVER_ID, serverBody, storage, STORAGE_ID, storageBody } from './infrastructureFixtures';

const rl = (value: string) => ({ __rl: true, mode: 'id', value });
const storageOp = (operation: string, parameters: Record<string, unknown> = {}, extra: Parameters<typeof run>[1] = {}) =>
	run({ resource: 'storage', operation, storageId: rl(STORAGE_ID), ...parameters }, extra);
const path = `/1.3/storage/${STORAGE_ID}`;
const COPY_ID = '01b2c3d4-0000-4000-8000-00000000c0de';
const copy = (state: string, extra: Record<string, unknown> = {}) => storage(state, { uuid: COPY_ID, ...extra });

describe('UpCloud zone and plan', () => {
	it('zone → Get Many: one item per zone', async () => {
		const { scope, requests } = api();
		const zones = [{ id: 'fi-hel2', description: 'Helsinki #2', public: 'yes' }, { id: 'de-fra1', description: 'Frankfurt #1', public: 'yes' }];
		scope.get('/1.3/zone').reply(200, { zones: { zone: zones } });

		const { items } = await run({ resource: 'zone', operation: 'getAll' });

		expect(requests.map((r) => [r.method, r.path])).toEqual([['GET', '/1.3/zone']]);
		expect(items).toEqual(zones.map((json) => ({ json, pairedItem: { item: 0 } })));
	});

	it('plan → Get Many: one item per plan, numbers as UpCloud sends them', async () => {
		const { scope } = api();
		const plan = { name: '1xCPU-1GB', core_number: 1, memory_amount: 1024, storage_size: 25, storage_tier: 'maxiops', public_traffic_out: 1024 };
		scope.get('/1.3/plan').reply(200, { plans: { plan: [plan] } });

		const { items } = await run({ resource: 'plan', operation: 'getAll' });

		expect(items).toEqual([{ json: plan, pairedItem: { item: 0 } }]);
	});

	it('an answer without the envelope is one clear error, not an item', async () => {
		const { scope } = api();
		scope.get('/1.3/zone').reply(200, { zone: [] });

		const { error, items } = await run({ resource: 'zone', operation: 'getAll' });

		expect(items).toEqual([]);
		expect(error?.message).toMatch(/answered without what the API documents|rootProperty/);
	});
});

describe('UpCloud storage: reads', () => {
	it.each([
		['all', '/1.3/storage'],
		['normal', '/1.3/storage/normal'],
		['backup', '/1.3/storage/backup'],
		['template', '/1.3/storage/template'],
		['private', '/1.3/storage/private'],
	])('Get Many of type %s GETs %s, label filters repeated', async (storageType, url) => {
		const { scope, requests } = api();
		scope.get(url).query(true).reply(200, { storages: { storage: [storage('online')] } });

		const { items } = await run({ resource: 'storage', operation: 'getAll', storageType, returnAll: true, filters: { labels: ['color=green'] } });

		expect(requests.map((r) => r.path)).toEqual([`${url}?label=color%3Dgreen&limit=100&offset=0`]);
		expect(items).toEqual([{ json: storage('online'), pairedItem: { item: 0 } }]);
	});

	it('Get Many pages as servers do: pages of 100 at the next offset while full, labels on each, each UUID once', async () => {
		const { scope, requests } = api();
		const storages = (from: number, count: number) => Array.from({ length: count }, (_, i) => storage('online', { uuid: `uuid-${from + i}` }));
		scope.get('/1.3/storage/normal?label=color&limit=100&offset=0').reply(200, { storages: { storage: storages(0, 100) } });
		// A storage created meanwhile shifted the list: the first one of this page was seen already; kept once, and on.
		scope.get('/1.3/storage/normal?label=color&limit=100&offset=100').reply(200, { storages: { storage: storages(99, 100) } });
		scope.get('/1.3/storage/normal?label=color&limit=100&offset=200').reply(200, { storages: { storage: storages(199, 1) } });

		const { items, error } = await run({ resource: 'storage', operation: 'getAll', storageType: 'normal', returnAll: true, filters: { labels: ['color'] } });

		expect(error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual([
			'/1.3/storage/normal?label=color&limit=100&offset=0',
			'/1.3/storage/normal?label=color&limit=100&offset=100',
			'/1.3/storage/normal?label=color&limit=100&offset=200',
		]);
		expect(items.map((item) => item.json.uuid)).toEqual(Array.from({ length: 200 }, (_, i) => `uuid-${i}`));
	});

	it('Get Many with Limit asks for Limit at offset 0 and trims', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/storage?limit=2&offset=0').reply(200, { storages: { storage: [storage('online', { uuid: 'a' }), storage('online', { uuid: 'b' })] } });

		const { items } = await run({ resource: 'storage', operation: 'getAll', limit: 2 });

		expect(requests.map((r) => r.path)).toEqual(['/1.3/storage?limit=2&offset=0']);
		expect(items.map((item) => item.json.uuid)).toEqual(['a', 'b']);
	});

	it('Get GETs one storage by its UUID', async () => {
		const { scope, requests } = api();
		scope.get(path).reply(200, storageBody('online'));

		const { items } = await storageOp('get');

		expect(requests.map((r) => r.path)).toEqual([path]);
		expect(items[0].json).toEqual(storage('online'));
	});

	it('the Backup dropdown lists backups with type, size, zone and state', async () => {
		const { scope } = api();
		scope.get('/1.3/storage/backup?limit=100&offset=0').reply(200, { storages: { storage: [storage('online', { uuid: BACKUP_ID, type: 'backup', title: 'nightly' })] } });

		const result = await runListSearch({
			type: 'upCloud',
			nodeTypes: nodeTypesFor({ upCloud: new UpCloud() }),
			method: 'searchBackups',
			parameter: 'backupId',
			currentNodeParameters: { authentication: 'basicAuth' },
		});

		expect(result.results).toEqual([{ name: 'nightly (backup, 10 GiB, fi-hel2, online)', value: BACKUP_ID }]);
	});
});

describe('UpCloud storage: create, update, delete', () => {
	it('create POSTs zone, size, title, tier, bare-list labels, encryption and the backup rule', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/storage').reply(201, storageBody('online'));

		const { items, error } = await run({
			resource: 'storage',
			operation: 'create',
			zone: 'fi-hel2',
			size: 10,
			title: 'data',
			additionalFields: {
				tier: 'standard',
				labels: { label: [{ key: 'color', value: 'green' }] },
				encrypted: true,
				backupRule: { rule: { interval: 'daily', time: '0430', retention: 7 } },
			},
		});

		expect(error).toBeUndefined();
		expect(requests[0].body).toEqual({
			storage: {
				zone: 'fi-hel2',
				size: 10,
				title: 'data',
				tier: 'standard',
				labels: [{ key: 'color', value: 'green' }],
				encrypted: 'yes',
				backup_rule: { interval: 'daily', time: '0430', retention: '7' },
			},
		});
		expect(items[0].json).toEqual(storage('online'));
	});

	it('create always sends a tier (its default is not documented)', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/storage').reply(201, storageBody('online'));

		await run({ resource: 'storage', operation: 'create', zone: 'fi-hel2', size: 10, title: 'data' });

		expect(requests[0].body).toEqual({ storage: { zone: 'fi-hel2', size: 10, title: 'data', tier: 'maxiops' } });
	});

	it('update PUTs title, size, labels ([] removes all) and an emptied backup rule as {}', async () => {
		const { scope, requests } = api();
		scope.put(path).reply(202, storageBody('online', { size: 20 }));

		await storageOp('update', { updateFields: { title: 't', size: 20, labels: {}, backupRule: {} } });

		expect(requests[0].body).toEqual({ storage: { title: 't', size: 20, labels: [], backup_rule: {} } });
	});

	it('delete keeps backups by default, sent explicitly; Backups → Delete deletes them', async () => {
		const { scope, requests } = api();
		scope.delete(path).query(true).times(2).reply(204);

		const kept = await storageOp('delete');
		await storageOp('delete', { options: { backups: 'delete' } });

		expect(requests.map((r) => r.path)).toEqual([`${path}?backups=keep`, `${path}?backups=delete`]);
		expect(kept.items).toEqual([{ json: { success: true, uuid: STORAGE_ID }, pairedItem: { item: 0 } }]);
	});
});

describe('UpCloud storage: clone, templatize, backup, restore and their waits', () => {
	it('clone POSTs zone, title and tier, then polls the NEW storage until online', async () => {
		const { scope, requests } = api();
		scope.post(`${path}/clone`).reply(201, { storage: copy('maintenance', { progress: '0' }) });
		scope.get(`/1.3/storage/${COPY_ID}`).reply(200, { storage: copy('maintenance', { progress: '50' }) });
		scope.get(`/1.3/storage/${COPY_ID}`).reply(200, { storage: copy('online') });

		const { items } = await storageOp('clone', { zone: 'de-fra1', title: 'copy', additionalFields: { tier: 'hdd' } });

		expect(requests.map((r) => [r.method, r.path])).toEqual([
			['POST', `${path}/clone`],
			['GET', `/1.3/storage/${COPY_ID}`],
			['GET', `/1.3/storage/${COPY_ID}`],
		]);
		expect(requests[0].body).toEqual({ storage: { zone: 'de-fra1', title: 'copy', tier: 'hdd' } });
		expect(items).toEqual([{ json: copy('online'), pairedItem: { item: 0 } }]);
	});

	it('templatize POSTs the title and waits for the template', async () => {
		const { scope, requests } = api();
		scope.post(`${path}/templatize`).reply(201, { storage: copy('maintenance', { type: 'template' }) });
		scope.get(`/1.3/storage/${COPY_ID}`).reply(200, { storage: copy('online', { type: 'template' }) });

		const { items } = await storageOp('templatize', { title: 'golden' });

		expect(requests[0].body).toEqual({ storage: { title: 'golden' } });
		expect(items[0].json).toEqual(copy('online', { type: 'template' }));
	});

	it('create backup waits for the backup, then for the source to be online again (it is backuping meanwhile)', async () => {
		const { scope, requests } = api();
		const backup = (state: string) => storage(state, { uuid: BACKUP_ID, type: 'backup', origin: STORAGE_ID });
		scope.post(`${path}/backup`).reply(201, { storage: backup('maintenance') });
		scope.get(`/1.3/storage/${BACKUP_ID}`).reply(200, { storage: backup('online') });
		scope.get(path).reply(200, storageBody('backuping'));
		scope.get(path).reply(200, storageBody('online'));

		const { items, error } = await storageOp('createBackup', { title: 'nightly' });

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([
			['POST', `${path}/backup`],
			['GET', `/1.3/storage/${BACKUP_ID}`],
			['GET', path],
			['GET', path],
		]);
		expect(requests[0].body).toEqual({ storage: { title: 'nightly' } });
		expect(items).toEqual([{ json: backup('online'), pairedItem: { item: 0 } }]);
	});

	it('create backup: one clock bounds both waits', async () => {
		const { scope } = api();
		scope.post(`${path}/backup`).reply(201, { storage: storage('maintenance', { uuid: BACKUP_ID, origin: STORAGE_ID }) });
		scope.get(`/1.3/storage/${BACKUP_ID}`).reply(200, { storage: storage('online', { uuid: BACKUP_ID, origin: STORAGE_ID }) });
		scope.get(path).reply(200, storageBody('backuping'));

		const { error } = await storageOp('createBackup', { title: 'b', options: { waitTimeout: 10 } });

		expect(error?.message).toBe(`Storage ${STORAGE_ID} did not reach the state "online" within 10 s; its last state was "backuping"`);
	});

	it('restore POSTs to the backup (204), reads its origin and waits for that storage to be online', async () => {
		const { scope, requests } = api();
		scope.post(`/1.3/storage/${BACKUP_ID}/restore`).reply(204);
		scope.get(`/1.3/storage/${BACKUP_ID}`).reply(200, { storage: storage('online', { uuid: BACKUP_ID, type: 'backup', origin: STORAGE_ID }) });
		scope.get(path).reply(200, storageBody('maintenance'));
		scope.get(path).reply(200, storageBody('online'));

		const { items, error } = await run({ resource: 'storage', operation: 'restoreBackup', backupId: rl(BACKUP_ID) });

		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([
			['POST', `/1.3/storage/${BACKUP_ID}/restore`],
			['GET', `/1.3/storage/${BACKUP_ID}`],
			['GET', path],
			['GET', path],
		]);
		expect(items).toEqual([{ json: storage('online'), pairedItem: { item: 0 } }]);
	});

	it('restore with Wait for Completion off: exactly one request', async () => {
		const { scope, requests } = api();
		scope.post(`/1.3/storage/${BACKUP_ID}/restore`).reply(204);

		const { items } = await run({ resource: 'storage', operation: 'restoreBackup', backupId: rl(BACKUP_ID), options: { waitForCompletion: false } });

		expect(requests).toHaveLength(1);
		expect(waits).toEqual([]);
		expect(items).toEqual([{ json: { success: true, backup: BACKUP_ID }, pairedItem: { item: 0 } }]);
	});

	it('a storage in the error state fails the item with its ID', async () => {
		const { scope } = api();
		scope.post(`${path}/clone`).reply(201, { storage: copy('maintenance') });
		scope.get(`/1.3/storage/${COPY_ID}`).reply(200, { storage: copy('error') });

		const { error } = await storageOp('clone', { zone: 'fi-hel2', title: 'c' });

		expect(error?.message).toBe(`UpCloud reports storage ${COPY_ID} in the state "error"`);
	});
});

describe('UpCloud storage: attach and detach', () => {
	it('attach POSTs the device to the server and outputs the server', async () => {
		const { scope, requests } = api();
		scope.post(`/1.3/server/${SERVER_ID}/storage/attach`).reply(200, serverBody('stopped'));

		const { items } = await storageOp('attach', { serverId: rl(SERVER_ID), additionalFields: { address: 'scsi:0:0', bootDisk: true } });

		expect(requests[0].body).toEqual({ storage_device: { type: 'disk', storage: STORAGE_ID, address: 'scsi:0:0', boot_disk: '1' } });
		expect(items[0].json).toEqual(serverBody('stopped').server);
	});

	it('detach POSTs the address', async () => {
		const { scope, requests } = api();
		scope.post(`/1.3/server/${SERVER_ID}/storage/detach`).reply(200, serverBody('stopped'));

		await run({ resource: 'storage', operation: 'detach', serverId: rl(SERVER_ID), address: 'virtio:1' });

		expect(requests[0].body).toEqual({ storage_device: { address: 'virtio:1' } });
	});
});

describe('UpCloud storage: input rules (nothing is sent)', () => {
	it.each([
		['create', { zone: 'fi-hel2', size: 5000, title: 't' }, 'Size (GiB) must be a whole number from 1 to 4096 (got 5000)'],
		['create', { zone: 'mars-1', size: 5, title: 't' }, 'Zone must be an UpCloud zone ID such as fi-hel2 or de-fra1 (got "mars-1")'],
		['create', { zone: 'fi-hel2', size: 5, title: 't', additionalFields: { backupRule: { rule: { interval: 'daily', time: '24:00', retention: 7 } } } }, 'Backup Rule Time must be a time as hhmm, 0000–2359, e.g. 0430 (got "24:00")'],
		['create', { zone: 'fi-hel2', size: 5, title: 't', additionalFields: { backupRule: { rule: { interval: 'daily', time: '0100', retention: 2000 } } } }, 'Retention (Days) must be a whole number from 1 to 1095 (got 2000)'],
		['clone', { storageId: rl('={{ "disk-1" }}'), zone: 'fi-hel2', title: 't' }, 'Storage must be a UUID such as 00798b85-efdc-41ca-8021-f6ef457b8531 (got "disk-1")'],
		['attach', { serverId: rl(SERVER_ID), additionalFields: { address: 'sata:0' } }, 'Address must be virtio, scsi or ide, optionally with bus and unit such as scsi:0:0 (got "sata:0")'],
		['detach', { serverId: rl(SERVER_ID), address: 'virtio' }, 'Address must be the device address as the server lists it, such as virtio:1 or scsi:0:0 (got "virtio")'],
		['update', { updateFields: {} }, 'Update Fields must contain at least one field to change'],
	])('%s refuses %j', async (operation, parameters, message) => {
		const requests = anyRequest();
		const { error } = await storageOp(operation, parameters as Record<string, unknown>);
		expect(requests).toEqual([]);
		expect(error?.message).toBe(message);
		expect(error?.description).toMatch(/Nothing was sent\.$/);
	});
});

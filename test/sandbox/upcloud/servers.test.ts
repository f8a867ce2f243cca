/**
 * The sandbox's servers and storages (upcloud/servers.js): UpCloud's states and their order, and its errors for
 * acting in the wrong state. No test waits: a transition of 0 ms is due at the next request, one of a day holds
 * the state for the whole test.
 */
import nock from 'nock';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startSandbox, controlSandbox } = require('../server');

const AUTH = `Basic ${Buffer.from('sandbox_user:Sandbox-Pass-123').toString('base64')}`;
const DAY = 86_400_000;
const TEMPLATE = '01000000-0000-4000-8000-000030240200';

let sb: { upcloudUrl: string; url: string; close(): Promise<void>; reset(body?: object): void };

beforeAll(async () => {
	nock.enableNetConnect('127.0.0.1');
	sb = await startSandbox({ port: 0 });
});

afterAll(async () => {
	await sb.close();
});

beforeEach(() => sb.reset());

/* eslint-disable @typescript-eslint/no-explicit-any */
async function call(method: string, path: string, body?: unknown): Promise<[number, any]> {
	const res = await fetch(`${sb.upcloudUrl}${path}`, {
		method,
		headers: { authorization: AUTH, accept: 'application/json', 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	return [res.status, text ? JSON.parse(text) : undefined];
}

const timings = (values: Record<string, number>) => controlSandbox(sb, 'state', { serverTimings: values });
const create = () =>
	call('POST', '/server', {
		server: {
			zone: 'fi-hel2',
			title: 't',
			hostname: 't.example.com',
			plan: '1xCPU-1GB',
			storage_devices: { storage_device: [{ action: 'clone', storage: TEMPLATE, title: 'd', size: 10, tier: 'maxiops' }] },
		},
	});
const stateOf = async (uuid: string) => (await call('GET', `/server/${uuid}`))[1].server.state;

describe('sandbox: server states', () => {
	it('create answers 202 in maintenance with a one-time password; it is started once createMs has passed', async () => {
		await timings({ createMs: DAY });
		const [status, body] = await create();
		expect(status).toBe(202);
		expect(body.server).toMatchObject({ state: 'maintenance', progress: '0', username: 'root' });
		expect(typeof body.server.password).toBe('string');
		expect(await stateOf(body.server.uuid)).toBe('maintenance');
		await timings({ createMs: 0 });
		const [, second] = await create();
		expect(await stateOf(second.server.uuid)).toBe('started');
	});

	it('stop answers 200 still started (the recorded trap), then stopped', async () => {
		await timings({ createMs: 0, stopMs: 0, stopHardMs: 0 });
		const [, created] = await create();
		const id = created.server.uuid;
		const [status, stop] = await call('POST', `/server/${id}/stop`, { stop_server: { stop_type: 'soft', timeout: '60' } });
		expect([status, stop.server.state]).toEqual([200, 'started']);
		expect(await stateOf(id)).toBe('stopped');
	});

	it('restart answers started, stays started for restartDelayMs, goes through maintenance, then started', async () => {
		await timings({ createMs: 0, restartDelayMs: DAY });
		const [, created] = await create();
		const id = created.server.uuid;
		const [, answer] = await call('POST', `/server/${id}/restart`, { restart_server: { stop_type: 'soft', timeout: '60', timeout_action: 'ignore' } });
		expect(answer.server.state).toBe('started');
		expect(await stateOf(id)).toBe('started');
	});

	it('a hard restart is in maintenance at the next request, then started after restartMs', async () => {
		await timings({ createMs: 0, restartDelayMs: 0, restartMs: DAY });
		const [, created] = await create();
		const id = created.server.uuid;
		const [, answer] = await call('POST', `/server/${id}/restart`, { restart_server: { stop_type: 'hard' } });
		expect(answer.server.state).toBe('started');
		expect(await stateOf(id)).toBe('maintenance');
		const [status, body] = await call('POST', `/server/${id}/stop`, { stop_server: { stop_type: 'hard' } });
		expect([status, body.error.error_code]).toEqual([409, 'SERVER_STATE_ILLEGAL']);
	});

	it('wrong states: start of a started server, stop of a stopped one, delete of a running one (409 SERVER_STATE_ILLEGAL)', async () => {
		await timings({ createMs: 0, stopMs: 0, stopHardMs: 0 });
		const [, created] = await create();
		const id = created.server.uuid;
		expect((await call('POST', `/server/${id}/start`, { server: {} }))[1].error.error_code).toBe('SERVER_STATE_ILLEGAL');
		const [status, refused] = await call('DELETE', `/server/${id}`);
		expect([status, refused.error.error_code]).toEqual([409, 'SERVER_STATE_ILLEGAL']);
		await call('POST', `/server/${id}/stop`, { stop_server: { stop_type: 'hard' } });
		expect((await call('POST', `/server/${id}/stop`, { stop_server: { stop_type: 'hard' } }))[1].error.error_code).toBe('SERVER_STATE_ILLEGAL');
		expect((await call('DELETE', `/server/${id}?storages=1`))[0]).toBe(204);
		expect((await call('GET', `/server/${id}`))[0]).toBe(404);
	});

	it('backup: the backup is in maintenance and its source backuping; restore puts the origin in maintenance', async () => {
		await timings({ createMs: 0, stopHardMs: 0, storageMs: DAY });
		const [, created] = await create();
		const id = created.server.uuid;
		const disk = created.server.storage_devices.storage_device[0].storage;
		await call('POST', `/server/${id}/stop`, { stop_server: { stop_type: 'hard' } });
		const [status, backup] = await call('POST', `/storage/${disk}/backup`, { storage: { title: 'b' } });
		expect([status, backup.storage.state, backup.storage.type, backup.storage.origin]).toEqual([201, 'maintenance', 'backup', disk]);
		expect((await call('GET', `/storage/${disk}`))[1].storage.state).toBe('backuping');
		expect((await call('POST', `/storage/${disk}/backup`, { storage: { title: 'again' } }))[1].error.error_code).toBe('STORAGE_STATE_ILLEGAL');
		await timings({ storageMs: 0, restoreMs: DAY });
		const [, second] = await call('POST', `/storage/${backup.storage.uuid}/restore`);
		expect(second.error.error_code).toBe('STORAGE_STATE_ILLEGAL');
	});

	it('lists by label, zones, plans and templates', async () => {
		expect((await call('GET', '/server?label=env%3Ddev'))[1].servers.server.map((s: any) => s.title)).toEqual(['dev-1', 'dev-2']);
		expect((await call('GET', '/zone'))[1].zones.zone.map((z: any) => z.id)).toContain('fi-hel2');
		expect((await call('GET', '/plan'))[1].plans.plan[0].name).toBe('1xCPU-1GB');
		expect((await call('GET', '/storage/template'))[1].storages.storage.every((s: any) => s.type === 'template')).toBe(true);
	});

	it('pages the server and storage lists by limit (default 25, as the generated spec documents) and offset', async () => {
		const titles = async (path: string) => (await call('GET', path))[1].servers.server.map((s: any) => s.title);
		expect(await titles('/server?label=env%3Ddev&limit=1&offset=1')).toEqual(['dev-2']);
		expect(await titles('/server?limit=2&offset=0')).toEqual(['web-1', 'dev-1']);
		expect(await titles('/server?limit=100&offset=3')).toEqual([]);
		for (let i = 0; i < 25; i += 1) expect((await create())[0]).toBe(202);
		expect(await titles('/server')).toHaveLength(25);
		expect(await titles('/server?limit=100')).toHaveLength(28);
		const storages = (await call('GET', '/storage?limit=100'))[1].storages.storage.map((s: any) => s.uuid);
		expect((await call('GET', '/storage?limit=2&offset=1'))[1].storages.storage.map((s: any) => s.uuid)).toEqual(storages.slice(1, 3));
		for (const bad of ['limit=101', 'limit=x', 'offset=-1']) {
			const [status, answer] = await call('GET', `/server?${bad}`);
			expect([status, answer.error.error_code]).toEqual([400, `${bad.split('=')[0].toUpperCase()}_INVALID`]);
		}
	});

	it('refuses unknown timing names', async () => {
		await expect(timings({ bootMs: 1 })).rejects.toThrow(/unknown server timing bootMs/);
	});
});

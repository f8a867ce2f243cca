'use strict';
/**
 * UpCloud API 1.3 servers, storages, templates, IP addresses, firewall rules, zones and plans (chapters 8–11),
 * as upcloud-servers-storage.md and UpCloud's own recordings describe them, with the state machine:
 *
 *   server create   202 maintenance ─createMs→ started
 *   server start    200 started (synchronous, as recorded)
 *   server stop     200 still started ─stopMs (hard: stopHardMs)→ stopped          (the recorded trap)
 *   server restart  200 still started ─restartDelayMs→ maintenance ─restartMs→ started  (the recorded trap)
 *   storage clone / templatize / backup  201 new storage maintenance ─storageMs→ online;
 *                   the source is cloning / backuping meanwhile
 *   storage restore 204; the backup's origin is maintenance ─restoreMs→ online
 *
 * Timings are real milliseconds (not the sandbox's billing clock, which may be frozen) and can be changed with
 * POST /__control/state {"serverTimings":{"restartMs":500,…}}. Acting in the wrong state answers UpCloud's
 * documented 409 SERVER_STATE_ILLEGAL / STORAGE_STATE_ILLEGAL.
 */

const { prng, isPlainObject } = require('../common');
const { UpCloudError, asList, invalid, missing } = require('./shared');
const { PRIMARY_SERVER } = require('./seed');

const DEFAULT_TIMINGS = {
	createMs: 3000,
	stopMs: 2000,
	stopHardMs: 1000,
	restartDelayMs: 1000,
	restartMs: 3000,
	storageMs: 2000,
	restoreMs: 3000,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOSTNAME = /^(?=.{1,128}$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?$/;

const ZONES = [
	{ id: 'de-fra1', description: 'Frankfurt #1', public: 'yes' },
	{ id: 'fi-hel1', description: 'Helsinki #1', public: 'yes' },
	{ id: 'fi-hel2', description: 'Helsinki #2', public: 'yes' },
	{ id: 'nl-ams1', description: 'Amsterdam #1', public: 'yes' },
	{ id: 'sg-sin1', description: 'Singapore #1', public: 'yes' },
	{ id: 'uk-lon1', description: 'London #1', public: 'yes' },
	{ id: 'us-nyc1', description: 'New York #1', public: 'yes' },
];

const PLANS = [
	{ name: '1xCPU-1GB', core_number: 1, memory_amount: 1024, storage_size: 25, storage_tier: 'maxiops', public_traffic_out: 1024 },
	{ name: '1xCPU-2GB', core_number: 1, memory_amount: 2048, storage_size: 50, storage_tier: 'maxiops', public_traffic_out: 2048 },
	{ name: '2xCPU-4GB', core_number: 2, memory_amount: 4096, storage_size: 80, storage_tier: 'maxiops', public_traffic_out: 4096 },
	{ name: '4xCPU-8GB', core_number: 4, memory_amount: 8192, storage_size: 160, storage_tier: 'maxiops', public_traffic_out: 5120 },
];

/** Public templates and a CD-ROM, with UUIDs of UpCloud's own form (01000000-0000-4000-8000-…). */
const PUBLIC_STORAGES = [
	{ uuid: '01000000-0000-4000-8000-000030240200', title: 'Ubuntu Server 24.04 LTS (Noble Numbat)', type: 'template', size: 4, template_type: 'cloud-init' },
	{ uuid: '01000000-0000-4000-8000-000020070100', title: 'Debian GNU/Linux 12 (Bookworm)', type: 'template', size: 3, template_type: 'cloud-init' },
	{ uuid: '01000000-0000-4000-8000-000030060200', title: 'Ubuntu Server 20.04 LTS (Focal Fossa)', type: 'template', size: 3, template_type: 'native' },
	{ uuid: '01000000-0000-4000-8000-000070010101', title: 'Debian 12 netinstall', type: 'cdrom', size: 1 },
];

const fail = (status, code, message) => new UpCloudError(status, code, message);
const serverNotFound = (uuid) => fail(404, 'SERVER_NOT_FOUND', `The server ${uuid} does not exist.`);
const storageNotFound = (uuid) => fail(404, 'STORAGE_NOT_FOUND', `The storage ${uuid} does not exist.`);
const serverState = (s, wanted) =>
	fail(409, 'SERVER_STATE_ILLEGAL', `The server ${s.uuid} is ${s.state}; this needs it ${wanted}.`);
const storageState = (s) => fail(409, 'STORAGE_STATE_ILLEGAL', `The storage ${s.uuid} is ${s.state}; it must be online.`);

function createServerState(opts = {}) {
	const random = prng((opts.seed ?? 20240901) ^ 0x5e77e5);
	const state = {
		random,
		timings: { ...DEFAULT_TIMINGS },
		servers: new Map(),
		storages: new Map(),
		ipAddresses: new Map(),
		firewall: new Map(),
		ipCounter: 10,
		macCounter: 16,
	};
	for (const t of PUBLIC_STORAGES) {
		state.storages.set(t.uuid, {
			access: 'public', created: '2024-04-25T08:00:00Z', labels: [], license: 0, state: 'online', tier: 'maxiops', zone: 'fi-hel2',
			backup_rule: {}, backups: { backup: [] }, servers: { server: [] }, timeline: [], ...t,
		});
	}
	const seeds = [
		{ uuid: PRIMARY_SERVER, title: 'web-1', hostname: 'web-1.sandbox-hosting.example', plan: '2xCPU-4GB', state: 'started', labels: [{ key: 'env', value: 'prod' }, { key: 'backup', value: 'nightly' }] },
		{ uuid: '00de0001-0000-4000-8000-00000000de01', title: 'dev-1', hostname: 'dev-1.sandbox-hosting.example', plan: '1xCPU-1GB', state: 'started', labels: [{ key: 'env', value: 'dev' }] },
		{ uuid: '00de0002-0000-4000-8000-00000000de02', title: 'dev-2', hostname: 'dev-2.sandbox-hosting.example', plan: '1xCPU-2GB', state: 'stopped', labels: [{ key: 'env', value: 'dev' }, { key: 'backup', value: 'nightly' }] },
	];
	for (const seed of seeds) {
		const disk = newStorage(state, { title: `${seed.title} disk`, size: 25, zone: 'fi-hel2', tier: 'maxiops', type: 'normal' });
		const server = newServer(state, { ...seed, zone: 'fi-hel2', interfaces: [['utility', 'IPv4'], ['public', 'IPv4']] });
		attach(server, disk, 'virtio:0', 'disk');
		// web-1 has nightly backups: one 10 days old, one from 2 days ago (examples/nightly-backup-cleanup.json).
		if (seed.title === 'web-1') {
			for (const days of [10, 2]) {
				const created = new Date(now() - days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
				const backup = newStorage(state, { title: `nightly ${created.slice(0, 10)} web-1 disk`, size: 25, zone: 'fi-hel2', tier: 'maxiops', type: 'backup', origin: disk.uuid, created });
				disk.backups.backup.push(backup.uuid);
			}
		}
	}
	return state;
}

const now = () => Date.now();

/** Applies every timed transition that is due: states change lazily, when something reads them. */
function settle(resource) {
	while (resource.timeline.length && resource.timeline[0].at <= now()) {
		const step = resource.timeline.shift();
		resource.state = step.state;
		if (step.progress === undefined) delete resource.progress;
		else resource.progress = step.progress;
		if (step.run) step.run();
	}
	return resource;
}

function schedule(resource, steps) {
	let at = now();
	resource.timeline = steps.map((step) => {
		at += step.afterMs;
		return { ...step, at };
	});
}

function newStorage(state, fields) {
	const uuid = fields.uuid ?? state.random.uuid('01');
	const storage = {
		access: 'private', backup_rule: {}, backups: { backup: [] }, created: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
		encrypted: 'no', labels: [], license: 0, servers: { server: [] }, state: 'online', timeline: [], ...fields, uuid,
	};
	state.storages.set(uuid, storage);
	return storage;
}

function nextIp(state, family) {
	state.ipCounter += 1;
	const n = state.ipCounter;
	return family === 'IPv6' ? `2a04:3545:1000:720::${n.toString(16)}` : `94.237.${Math.floor(n / 250)}.${(n % 250) + 1}`;
}

function nextMac(state) {
	state.macCounter += 1;
	return `ee:1b:db:ca:${(state.macCounter >> 8).toString(16).padStart(2, '0')}:${(state.macCounter & 255).toString(16).padStart(2, '0')}`;
}

function newServer(state, seed) {
	const plan = PLANS.find((p) => p.name === seed.plan);
	const uuid = seed.uuid ?? state.random.uuid('00');
	const server = {
		boot_order: 'disk', core_number: String(plan ? plan.core_number : seed.core_number ?? 1), created: Math.floor(now() / 1000),
		firewall: seed.firewall ?? 'off', host: 6946046595, hostname: seed.hostname, labels: { label: seed.labels ?? [] }, license: 0,
		memory_amount: String(plan ? plan.memory_amount : seed.memory_amount ?? 1024), metadata: seed.metadata ?? 'no', nic_model: 'virtio',
		plan: plan ? plan.name : 'custom', plan_ipv4_bytes: '0', plan_ipv6_bytes: '0', remote_access_enabled: 'no', server_group: null,
		simple_backup: seed.simple_backup ?? 'no', state: seed.state, tags: { tag: [] }, timezone: 'UTC', title: seed.title, uuid,
		video_model: 'cirrus', zone: seed.zone, storage_devices: { storage_device: [] }, interfaces: [], timeline: [],
	};
	for (const [index, [type, family, network]] of seed.interfaces.entries()) {
		const mac = nextMac(state);
		const address = type === 'private' ? `10.0.0.${index + 2}` : type === 'utility' ? `10.6.6.${state.ipCounter++ % 250}` : nextIp(state, family);
		server.interfaces.push({ index: index + 1, type, mac, network: network ?? `03${state.random.hex(6)}-0000-4000-8000-000000000000`, family, address });
		if (type !== 'private') {
			state.ipAddresses.set(address, { access: type, address, family, mac, part_of_plan: type === 'public' && family === 'IPv4' ? 'yes' : 'no', ptr_record: `${address.replace(/[.:]/g, '-')}.${seed.zone}.upcloud.host`, server: uuid, zone: seed.zone, floating: 'no' });
		}
	}
	state.servers.set(uuid, server);
	state.firewall.set(uuid, []);
	return server;
}

function attach(server, storage, address, type) {
	server.storage_devices.storage_device.push({ address, storage: storage.uuid, type, boot_disk: server.storage_devices.storage_device.length === 0 ? '1' : '0' });
	storage.servers.server.push(server.uuid);
}

function serverView(state, s, full) {
	settle(s);
	const { timeline, interfaces, storage_devices: devices, ...rest } = s;
	const list = {
		core_number: rest.core_number, created: rest.created, host: rest.host, hostname: rest.hostname, labels: rest.labels, license: rest.license,
		memory_amount: rest.memory_amount, plan: rest.plan, plan_ipv4_bytes: rest.plan_ipv4_bytes, plan_ipv6_bytes: rest.plan_ipv6_bytes,
		server_group: rest.server_group, simple_backup: rest.simple_backup, state: rest.state, tags: rest.tags, title: rest.title, uuid: rest.uuid, zone: rest.zone,
		...(rest.progress !== undefined ? { progress: rest.progress } : {}),
	};
	if (!full) return list;
	const ips = [...state.ipAddresses.values()].filter((ip) => ip.server === s.uuid);
	return {
		...rest,
		ip_addresses: { ip_address: ips.map((ip) => ({ access: ip.access, address: ip.address, family: ip.family })) },
		networking: {
			interfaces: {
				interface: interfaces.map((i) => ({
					bootable: 'no', index: i.index, mac: i.mac, network: i.network, source_ip_filtering: 'yes', type: i.type,
					ip_addresses: { ip_address: ips.filter((ip) => ip.mac === i.mac).map((ip) => ({ address: ip.address, family: ip.family, floating: ip.floating })) },
				})),
			},
		},
		storage_devices: {
			storage_device: devices.storage_device.map((d) => {
				const st = state.storages.get(d.storage);
				return { ...d, storage_size: st ? st.size : 0, storage_tier: st ? st.tier : '', storage_title: st ? st.title : '' };
			}),
		},
	};
}

function storageView(s, full) {
	settle(s);
	const { timeline, ...rest } = s;
	if (full) return rest;
	const { backup_rule: rule, backups, servers, ...list } = rest;
	return list;
}

function jsonBody(ctx, envelope) {
	let body;
	try {
		body = ctx.rawBody ? JSON.parse(ctx.rawBody) : {};
	} catch {
		throw fail(400, 'INVALID_REQUEST', 'The request body is not valid JSON.');
	}
	if (!isPlainObject(body)) throw fail(400, 'INVALID_REQUEST', 'The request body must be a JSON object.');
	if (envelope === undefined) return body;
	if (!isPlainObject(body[envelope])) throw fail(400, 'INVALID_REQUEST', `The request body must be {"${envelope}":{…}}.`);
	return body[envelope];
}

function serverOf(ctx, uuid) {
	if (!UUID.test(uuid)) throw fail(400, 'SERVER_INVALID', `The server UUID ${uuid} is invalid.`);
	const s = ctx.state.servers.servers.get(uuid);
	if (!s) throw serverNotFound(uuid);
	return settle(s);
}

function storageOf(ctx, uuid) {
	if (!UUID.test(uuid)) throw fail(400, 'STORAGE_INVALID', `The storage UUID ${uuid} is invalid.`);
	const s = ctx.state.servers.storages.get(uuid);
	if (!s) throw storageNotFound(uuid);
	return settle(s);
}

function labelsMatch(labels, filters) {
	return filters.every((f) => {
		const i = f.indexOf('=');
		const key = i < 0 ? f : f.slice(0, i);
		return labels.some((l) => l.key === key && (i < 0 || l.value === f.slice(i + 1)));
	});
}

const LABEL_KEY = /^(?!_)[A-Za-z0-9_-]{2,32}$/;
function checkLabels(labels) {
	if (!Array.isArray(labels)) throw invalid('labels');
	for (const l of labels) {
		if (!isPlainObject(l) || typeof l.key !== 'string' || !LABEL_KEY.test(l.key)) throw fail(400, 'INVALID_LABEL_KEY', 'A label key is invalid.');
		if (typeof l.value !== 'string' || l.value.length > 255) throw fail(400, 'INVALID_LABEL_VALUE', 'A label value is invalid.');
	}
	return labels.map((l) => ({ key: l.key, value: l.value }));
}

function checkZone(zone) {
	if (zone === undefined) throw missing('zone');
	if (!ZONES.some((z) => z.id === zone)) throw invalid('zone');
	return zone;
}

function checkTimeout(value) {
	if (value === undefined) return undefined;
	const n = Number(value);
	if (!/^\d+$/.test(String(value)) || n < 1 || n > 600) throw invalid('timeout');
	return n;
}

function checkSize(value) {
	const n = Number(value);
	if (!Number.isInteger(n) || n < 1 || n > 4096) throw invalid('size');
	return n;
}

function checkBackupRule(rule) {
	if (!isPlainObject(rule)) throw invalid('backup_rule');
	if (Object.keys(rule).length === 0) return {};
	if (!['daily', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].includes(rule.interval)) throw invalid('interval');
	if (!/^([01]\d|2[0-3])[0-5]\d$/.test(String(rule.time))) throw fail(400, 'HOUR_INVALID', 'The attribute time has an invalid value.');
	const days = Number(rule.retention);
	if (!Number.isInteger(days) || days < 1 || days > 1095) throw invalid('retention');
	return { interval: rule.interval, time: rule.time, retention: String(days) };
}

function createServer(ctx) {
	const sv = ctx.state.servers;
	const body = jsonBody(ctx, 'server');
	const zone = checkZone(body.zone);
	if (typeof body.title !== 'string' || body.title === '') throw missing('server_title');
	if (typeof body.hostname !== 'string') throw missing('hostname');
	if (!HOSTNAME.test(body.hostname)) throw invalid('hostname');
	let plan;
	if (body.plan !== undefined && body.plan !== 'custom') {
		plan = PLANS.find((p) => p.name === body.plan);
		if (!plan) throw invalid('plan');
		if (body.core_number !== undefined && Number(body.core_number) !== plan.core_number) throw fail(400, 'PLAN_CORE_NUMBER_ILLEGAL', 'core_number does not match the plan.');
	}
	const devices = body.storage_devices?.storage_device;
	if (!Array.isArray(devices) || devices.length === 0) throw missing('storage_devices');
	const interfaces = body.networking?.interfaces?.interface ?? [['utility', 'IPv4'], ['public', 'IPv4']].map(([type, family]) => ({ type, ip_addresses: { ip_address: [{ family }] } }));
	const created = [];
	for (const device of devices) {
		if (device.action !== 'clone' && device.action !== 'create') throw invalid('action');
		const size = checkSize(device.size);
		if (!['maxiops', 'standard', 'hdd', undefined].includes(device.tier)) throw invalid('tier');
		if (device.action === 'clone') {
			const source = storageOf(ctx, String(device.storage));
			if (source.state !== 'online') throw storageState(source);
			if (size < source.size) throw fail(400, 'SIZE_INVALID', `The size must be at least the template's ${source.size} GiB.`);
		} else if (typeof device.title !== 'string') throw missing('title');
		created.push({ title: device.title ?? `${body.title} disk`, size, tier: device.tier ?? 'maxiops' });
	}
	const server = newServer(sv, {
		title: body.title, hostname: body.hostname, zone, plan: plan?.name, core_number: body.core_number, memory_amount: body.memory_amount,
		state: 'maintenance', labels: body.labels?.label ? checkLabels(body.labels.label) : [], firewall: body.firewall === 'on' ? 'on' : 'off',
		metadata: body.metadata === 'yes' ? 'yes' : 'no', simple_backup: body.simple_backup,
		interfaces: interfaces.map((i) => [i.type, i.ip_addresses?.ip_address?.[0]?.family ?? 'IPv4', i.network]),
	});
	for (const [index, d] of created.entries()) {
		const disk = newStorage(sv, { ...d, zone, type: 'normal', state: 'maintenance' });
		schedule(disk, [{ afterMs: sv.timings.createMs, state: 'online' }]);
		attach(server, disk, `virtio:${index}`, 'disk');
	}
	server.progress = '0';
	schedule(server, [
		{ afterMs: sv.timings.createMs / 2, state: 'maintenance', progress: '85' },
		{ afterMs: sv.timings.createMs / 2, state: 'started' },
	]);
	const view = serverView(sv, server, true);
	return { status: 202, json: { server: { ...view, password: 'sandbox-' + sv.random.hex(8), username: body.login_user?.username ?? 'root' } } };
}

function power(ctx, [uuid], action) {
	const sv = ctx.state.servers;
	const s = serverOf(ctx, uuid);
	const t = sv.timings;
	if (action === 'start') {
		jsonBody(ctx);
		if (s.state !== 'stopped') throw serverState(s, 'stopped');
		if (s.storage_devices.storage_device.length === 0) throw fail(409, 'NO_STORAGES_ATTACHED', 'The server has no storage to boot from.');
		s.state = 'started';
		return { json: { server: serverView(sv, s, true) } };
	}
	const request = jsonBody(ctx, action === 'stop' ? 'stop_server' : 'restart_server');
	if (s.state !== 'started') throw serverState(s, 'started');
	const type = request.stop_type ?? 'soft';
	if (type !== 'soft' && type !== 'hard') throw invalid('stop_type');
	checkTimeout(request.timeout);
	if (action === 'restart' && request.timeout_action !== undefined && !['ignore', 'destroy'].includes(request.timeout_action)) throw invalid('timeout_action');
	// Answered before anything changes: the state is still started (recorded for both).
	const answer = { json: { server: serverView(sv, s, true) } };
	if (action === 'stop') schedule(s, [{ afterMs: type === 'hard' ? t.stopHardMs : t.stopMs, state: 'stopped' }]);
	else schedule(s, [{ afterMs: type === 'hard' ? 0 : t.restartDelayMs, state: 'maintenance' }, { afterMs: t.restartMs, state: 'started' }]);
	// A restart's first step may be due at once (hard): not applied before the answer has been made.
	return answer;
}

function modifyServer(ctx, [uuid]) {
	const sv = ctx.state.servers;
	const s = serverOf(ctx, uuid);
	const body = jsonBody(ctx, 'server');
	if (s.state === 'maintenance') throw serverState(s, 'started or stopped');
	const resizes = ['plan', 'core_number', 'memory_amount'].some((k) => k in body);
	if (resizes && s.state !== 'stopped') throw serverState(s, 'stopped');
	if ('plan' in body) {
		if (body.plan === 'custom') s.plan = 'custom';
		else {
			const plan = PLANS.find((p) => p.name === body.plan);
			if (!plan) throw invalid('plan');
			Object.assign(s, { plan: plan.name, core_number: String(plan.core_number), memory_amount: String(plan.memory_amount) });
		}
	}
	if ('core_number' in body) s.core_number = String(body.core_number);
	if ('memory_amount' in body) s.memory_amount = String(body.memory_amount);
	if ('title' in body) s.title = String(body.title);
	if ('hostname' in body) {
		if (!HOSTNAME.test(String(body.hostname))) throw invalid('hostname');
		s.hostname = body.hostname;
	}
	if ('labels' in body) s.labels = { label: checkLabels(body.labels?.label ?? []) };
	if ('firewall' in body) s.firewall = body.firewall === 'on' ? 'on' : 'off';
	if ('metadata' in body) s.metadata = body.metadata === 'yes' ? 'yes' : 'no';
	if ('simple_backup' in body) s.simple_backup = String(body.simple_backup);
	return { status: 202, json: { server: serverView(sv, s, true) } };
}

function deleteServer(ctx, [uuid]) {
	const sv = ctx.state.servers;
	const s = serverOf(ctx, uuid);
	if (s.state !== 'stopped') throw serverState(s, 'stopped');
	const storages = ctx.query.storages === '1' || ctx.query.storages === 'true';
	const backups = ctx.query.backups ?? 'keep';
	if (!['keep', 'keep_latest', 'delete'].includes(backups)) throw fail(400, 'BACKUP_DELETION_POLICY_INVALID', 'The backups policy is invalid.');
	for (const d of s.storage_devices.storage_device) {
		const st = sv.storages.get(d.storage);
		if (!st) continue;
		st.servers.server = st.servers.server.filter((x) => x !== uuid);
		if (!storages || st.type !== 'normal') continue;
		const own = st.backups.backup;
		const drop = backups === 'delete' ? own : backups === 'keep_latest' ? own.slice(0, -1) : [];
		for (const b of drop) sv.storages.delete(b);
		sv.storages.delete(st.uuid);
	}
	for (const [address, ip] of sv.ipAddresses) if (ip.server === uuid && ip.floating !== 'yes') sv.ipAddresses.delete(address);
	sv.servers.delete(uuid);
	sv.firewall.delete(uuid);
	return { status: 204 };
}

/**
 * One page of a server or storage list. Only the generated spec documents `limit` (default 25) and `offset`
 * (default 0) there (upcloud-servers-storage.md §1.2, open question 1); taken literally, as here, a client that
 * sends no limit gets 25. The maximum of 100 is the sandbox's assumption (the token list's documented one).
 */
function page(ctx, list) {
	const limit = pagingParam(ctx.query, 'limit', 100, 25);
	const offset = pagingParam(ctx.query, 'offset', Infinity, 0);
	return list.slice(offset, offset + limit);
}

function pagingParam(query, name, max, fallback) {
	const raw = Array.isArray(query[name]) ? query[name][query[name].length - 1] : query[name];
	if (raw === undefined) return fallback;
	if (!/^\d+$/.test(String(raw)) || Number(raw) > max) throw invalid(name);
	return Number(raw);
}

const STORAGE_LISTS = { normal: ['type', 'normal'], backup: ['type', 'backup'], cdrom: ['type', 'cdrom'], template: ['type', 'template'], public: ['access', 'public'], private: ['access', 'private'], favorite: ['favorite', true] };

function listStorages(ctx, [kind]) {
	const filters = asList(ctx.query.label);
	const [field, value] = kind ? STORAGE_LISTS[kind] : [];
	const list = [...ctx.state.servers.storages.values()]
		.map((s) => settle(s))
		.filter((s) => !kind || s[field] === value)
		.filter((s) => labelsMatch(s.labels, filters));
	return { json: { storages: { storage: page(ctx, list).map((s) => storageView(s, false)) } } };
}

function createStorage(ctx) {
	const sv = ctx.state.servers;
	const body = jsonBody(ctx, 'storage');
	const zone = checkZone(body.zone);
	if (body.size === undefined) throw missing('size');
	const size = checkSize(body.size);
	if (typeof body.title !== 'string' || body.title === '') throw missing('storage_title');
	if (body.tier !== undefined && !['maxiops', 'standard', 'hdd'].includes(body.tier)) throw invalid('tier');
	const storage = newStorage(sv, {
		size, title: body.title, zone, tier: body.tier ?? 'maxiops', type: 'normal', encrypted: body.encrypted === 'yes' ? 'yes' : 'no',
		labels: body.labels === undefined ? [] : checkLabels(body.labels),
		backup_rule: body.backup_rule === undefined ? {} : checkBackupRule(body.backup_rule),
	});
	return { status: 201, json: { storage: storageView(storage, true) } };
}

function modifyStorage(ctx, [uuid]) {
	const s = storageOf(ctx, uuid);
	const body = jsonBody(ctx, 'storage');
	if (s.access === 'public') throw fail(403, 'STORAGE_FORBIDDEN', 'Public storages cannot be modified.');
	if (s.state !== 'online') throw storageState(s);
	if ('size' in body) {
		const size = checkSize(body.size);
		if (size < s.size) throw fail(400, 'SIZE_INVALID', 'A storage can only grow.');
		s.size = size;
	}
	if ('title' in body) s.title = String(body.title);
	if ('labels' in body) s.labels = checkLabels(body.labels);
	if ('backup_rule' in body) s.backup_rule = checkBackupRule(body.backup_rule);
	return { status: 202, json: { storage: storageView(s, true) } };
}

function deleteStorage(ctx, [uuid]) {
	const sv = ctx.state.servers;
	const s = storageOf(ctx, uuid);
	if (s.access === 'public') throw fail(403, 'STORAGE_FORBIDDEN', 'Public storages cannot be deleted.');
	if (s.servers.server.length) throw fail(409, 'STORAGE_ATTACHED', 'The storage is attached to a server; detach it first.');
	if (s.state !== 'online') throw storageState(s);
	const policy = ctx.query.backups ?? 'keep';
	if (!['keep', 'keep_latest', 'delete'].includes(policy)) throw fail(400, 'BACKUP_DELETION_POLICY_INVALID', 'The backups policy is invalid.');
	if (policy === 'delete') for (const b of s.backups.backup) sv.storages.delete(b);
	if (s.type === 'backup' && s.origin) {
		const origin = sv.storages.get(s.origin);
		if (origin) origin.backups.backup = origin.backups.backup.filter((b) => b !== uuid);
	}
	sv.storages.delete(uuid);
	return { status: 204 };
}

/** Clone, templatize and backup: a new storage in maintenance, the source busy, both online after storageMs. */
function copyStorage(ctx, [uuid], kind) {
	const sv = ctx.state.servers;
	const source = storageOf(ctx, uuid);
	const body = jsonBody(ctx, 'storage');
	if (source.state !== 'online') throw storageState(source);
	if (typeof body.title !== 'string' || body.title === '') throw missing('title');
	if (kind === 'clone') checkZone(body.zone);
	if (kind === 'templatize') {
		const running = source.servers.server.map((id) => sv.servers.get(id)).find((srv) => srv && settle(srv).state !== 'stopped');
		if (running) throw serverState(running, 'stopped');
	}
	const copy = newStorage(sv, {
		title: body.title, size: source.size, tier: kind === 'clone' ? body.tier ?? source.tier : source.tier, zone: kind === 'clone' ? body.zone : source.zone,
		type: kind === 'templatize' ? 'template' : kind === 'backup' ? 'backup' : 'normal', state: 'maintenance', progress: '0',
		...(kind === 'backup' ? { origin: source.uuid } : {}),
	});
	schedule(copy, [{ afterMs: sv.timings.storageMs, state: 'online' }]);
	source.state = kind === 'backup' ? 'backuping' : 'cloning';
	schedule(source, [{ afterMs: sv.timings.storageMs, state: 'online' }]);
	if (kind === 'backup') source.backups.backup.push(copy.uuid);
	return { status: 201, json: { storage: storageView(copy, true) } };
}

function restoreBackup(ctx, [uuid]) {
	const sv = ctx.state.servers;
	const backup = storageOf(ctx, uuid);
	if (backup.type !== 'backup') throw fail(400, 'STORAGE_TYPE_ILLEGAL', 'Only a backup can be restored.');
	if (backup.state !== 'online') throw storageState(backup);
	const origin = sv.storages.get(backup.origin);
	if (!origin) throw storageNotFound(backup.origin);
	settle(origin);
	if (origin.state !== 'online') throw storageState(origin);
	const running = origin.servers.server.map((id) => sv.servers.get(id)).find((srv) => srv && settle(srv).state !== 'stopped');
	if (running) throw serverState(running, 'stopped');
	origin.state = 'maintenance';
	schedule(origin, [{ afterMs: sv.timings.restoreMs, state: 'online' }]);
	return { status: 204 };
}

function attachStorage(ctx, [uuid]) {
	const sv = ctx.state.servers;
	const server = serverOf(ctx, uuid);
	const device = jsonBody(ctx, 'storage_device');
	if (server.state === 'maintenance') throw serverState(server, 'started or stopped');
	const storage = storageOf(ctx, String(device.storage));
	if (storage.access === 'public') throw fail(403, 'PUBLIC_STORAGE_ATTACH', 'Public templates can only be cloned.');
	if (storage.servers.server.length) throw fail(409, 'STORAGE_ATTACHED', 'The storage is already attached.');
	if (storage.zone !== server.zone) throw fail(409, 'ZONE_MISMATCH', 'The storage is in another zone.');
	const type = device.type ?? 'disk';
	const bus = String(device.address ?? 'virtio').split(':')[0];
	const used = server.storage_devices.storage_device.map((d) => d.address);
	let address = device.address;
	if (!address || !String(address).includes(':')) {
		for (let i = 0; ; i++) {
			const candidate = bus === 'virtio' ? `virtio:${i}` : `${bus}:0:${i}`;
			if (!used.includes(candidate)) {
				address = candidate;
				break;
			}
		}
	} else if (used.includes(address)) throw fail(409, 'DEVICE_ADDRESS_IN_USE', `The address ${address} is in use.`);
	attach(server, storage, address, type);
	if (device.boot_disk === '1') for (const d of server.storage_devices.storage_device) d.boot_disk = d.storage === storage.uuid ? '1' : '0';
	return { json: { server: serverView(sv, server, true) } };
}

function detachStorage(ctx, [uuid]) {
	const sv = ctx.state.servers;
	const server = serverOf(ctx, uuid);
	const device = jsonBody(ctx, 'storage_device');
	if (server.state === 'maintenance') throw serverState(server, 'started or stopped');
	const list = server.storage_devices.storage_device;
	const at = list.findIndex((d) => d.address === device.address);
	if (at < 0) throw fail(409, 'DEVICE_ADDRESS_NOT_IN_USE', `Nothing is attached at ${device.address}.`);
	const [removed] = list.splice(at, 1);
	const storage = sv.storages.get(removed.storage);
	if (storage) storage.servers.server = storage.servers.server.filter((x) => x !== uuid);
	return { json: { server: serverView(sv, server, true) } };
}

function ipOf(ctx, address) {
	const ip = ctx.state.servers.ipAddresses.get(address);
	if (!ip) throw fail(404, 'IP_ADDRESS_NOT_FOUND', `The IP address ${address} does not exist.`);
	return ip;
}

function assignIp(ctx) {
	const sv = ctx.state.servers;
	const body = jsonBody(ctx, 'ip_address');
	const family = body.family ?? 'IPv4';
	if (!['IPv4', 'IPv6'].includes(family)) throw invalid('family');
	const floating = body.floating === 'yes';
	if (floating && family !== 'IPv4') throw fail(400, 'FAMILY_INVALID', 'Floating addresses are IPv4 only.');
	let server;
	if (body.mac) {
		server = [...sv.servers.values()].find((s) => s.interfaces.some((i) => i.mac === body.mac));
		if (!server) throw fail(400, 'MAC_INVALID', 'No interface has this MAC.');
	} else if (body.server) server = serverOf(ctx, String(body.server));
	if (!floating && !server) throw missing('server');
	if (floating && !server && !body.zone) throw missing('zone');
	const access = body.access ?? 'public';
	if (!['public', 'utility', 'private'].includes(access)) throw invalid('access');
	const address = nextIp(sv, family);
	const iface = server?.interfaces.find((i) => (body.mac ? i.mac === body.mac : i.type === access));
	const ip = {
		access, address, family, floating: floating ? 'yes' : 'no', part_of_plan: 'no', ptr_record: `${address.replace(/[.:]/g, '-')}.upcloud.host`,
		zone: server ? server.zone : checkZone(body.zone), ...(server ? { server: server.uuid, mac: iface?.mac ?? nextMac(sv) } : {}),
	};
	sv.ipAddresses.set(address, ip);
	return { status: 201, json: { ip_address: ip } };
}

function modifyIp(ctx, [address]) {
	const sv = ctx.state.servers;
	const ip = ipOf(ctx, address);
	const body = jsonBody(ctx, 'ip_address');
	if ('ptr_record' in body) {
		if (ip.access === 'utility') throw fail(400, 'PTR_RECORD_NOT_SUPPORTED', 'Utility addresses have no PTR record.');
		if (!HOSTNAME.test(String(body.ptr_record))) throw fail(400, 'PTR_RECORD_INVALID', 'The PTR record is invalid.');
		ip.ptr_record = body.ptr_record;
	}
	if ('mac' in body) {
		if (ip.floating !== 'yes') throw fail(400, 'MAC_INVALID', 'Only floating addresses move between servers.');
		if (body.mac === null) {
			delete ip.server;
			delete ip.mac;
		} else {
			const server = [...sv.servers.values()].find((s) => s.interfaces.some((i) => i.mac === body.mac));
			if (!server) throw fail(400, 'MAC_INVALID', 'No interface has this MAC.');
			Object.assign(ip, { server: server.uuid, mac: body.mac });
		}
	}
	return { status: 202, json: { ip_address: ip } };
}

const RULE_FIELDS = ['action', 'comment', 'destination_address_end', 'destination_address_start', 'destination_port_end', 'destination_port_start', 'direction', 'family', 'icmp_type', 'position', 'protocol', 'source_address_end', 'source_address_start', 'source_port_end', 'source_port_start'];

function ruleView(rule, position) {
	const out = {};
	for (const k of RULE_FIELDS) out[k] = k === 'position' ? String(position) : rule[k] ?? '';
	return out;
}

function rulesOf(ctx, uuid) {
	serverOf(ctx, uuid);
	return ctx.state.servers.firewall.get(uuid);
}

function createRule(ctx, [uuid]) {
	const server = serverOf(ctx, uuid);
	if (server.state === 'maintenance') throw serverState(server, 'started or stopped');
	const rules = rulesOf(ctx, uuid);
	const rule = jsonBody(ctx, 'firewall_rule');
	if (!['in', 'out'].includes(rule.direction)) throw rule.direction === undefined ? missing('direction') : invalid('direction');
	if (!['accept', 'reject', 'drop'].includes(rule.action)) throw rule.action === undefined ? missing('action') : invalid('action');
	if (rule.protocol !== undefined && !['tcp', 'udp', 'icmp'].includes(rule.protocol)) throw invalid('protocol');
	if (rule.icmp_type !== undefined && rule.protocol !== 'icmp') throw fail(400, 'ICMP_TYPE_PROTOCOL_MISMATCH', 'icmp_type needs protocol icmp.');
	for (const side of ['source', 'destination']) {
		const ports = [rule[`${side}_port_start`], rule[`${side}_port_end`]].filter((p) => p !== undefined);
		if (ports.length && !['tcp', 'udp'].includes(rule.protocol)) throw fail(400, 'PORT_PROTOCOL_MISMATCH', 'Ports need protocol tcp or udp.');
		for (const p of ports) if (!/^\d+$/.test(String(p)) || Number(p) < 1 || Number(p) > 65535) throw invalid(`${side}_port_start`);
		if (ports.length === 2 && Number(ports[0]) > Number(ports[1])) throw fail(400, `${side.toUpperCase()}_PORT_ORDER_ILLEGAL`, 'The port range is reversed.');
	}
	if (rules.length >= 1000) throw fail(403, 'FIREWALL_RULE_LIMIT_REACHED', 'A server can have 1000 rules.');
	let position = rules.length + 1;
	if (rule.position !== undefined) {
		position = Number(rule.position);
		if (!Number.isInteger(position) || position < 1 || position > 1000) throw invalid('position');
		position = Math.min(position, rules.length + 1);
	}
	const stored = {};
	for (const k of RULE_FIELDS) if (k !== 'position' && rule[k] !== undefined) stored[k] = String(rule[k]);
	rules.splice(position - 1, 0, stored);
	return { status: 201, json: { firewall_rule: ruleView(stored, position) } };
}

function ruleAt(ctx, uuid, position) {
	const rules = rulesOf(ctx, uuid);
	const n = Number(position);
	if (!/^\d+$/.test(position) || n < 1 || n > 1000) throw invalid('position');
	if (n > rules.length) throw fail(404, 'FIREWALL_RULE_NOT_FOUND', `There is no firewall rule at position ${position}.`);
	return { rules, n };
}

const routes = [
	['GET', /^\/zone\/?$/, () => ({ json: { zones: { zone: ZONES } } })],
	['GET', /^\/plan\/?$/, () => ({ json: { plans: { plan: PLANS } } })],
	['GET', /^\/server\/?$/, (ctx) => {
		const filters = asList(ctx.query.label);
		const list = [...ctx.state.servers.servers.values()].map((s) => settle(s)).filter((s) => labelsMatch(s.labels.label, filters));
		return { json: { servers: { server: page(ctx, list).map((s) => serverView(ctx.state.servers, s, false)) } } };
	}],
	['POST', /^\/server\/?$/, createServer],
	['GET', /^\/server\/([^/]+)\/?$/, (ctx, [uuid]) => ({ json: { server: serverView(ctx.state.servers, serverOf(ctx, uuid), true) } })],
	['PUT', /^\/server\/([^/]+)\/?$/, modifyServer],
	['DELETE', /^\/server\/([^/]+)\/?$/, deleteServer],
	['POST', /^\/server\/([^/]+)\/start$/, (ctx, p) => power(ctx, p, 'start')],
	['POST', /^\/server\/([^/]+)\/stop$/, (ctx, p) => power(ctx, p, 'stop')],
	['POST', /^\/server\/([^/]+)\/restart$/, (ctx, p) => power(ctx, p, 'restart')],
	['POST', /^\/server\/([^/]+)\/storage\/attach$/, attachStorage],
	['POST', /^\/server\/([^/]+)\/storage\/detach$/, detachStorage],
	['GET', /^\/server\/([^/]+)\/firewall_rule$/, (ctx, [uuid]) => ({
		json: { firewall_rules: { firewall_rule: rulesOf(ctx, uuid).map((r, i) => ruleView(r, i + 1)) } },
	})],
	['POST', /^\/server\/([^/]+)\/firewall_rule$/, createRule],
	['GET', /^\/server\/([^/]+)\/firewall_rule\/([^/]+)$/, (ctx, [uuid, position]) => {
		const { rules, n } = ruleAt(ctx, uuid, position);
		return { json: { firewall_rule: ruleView(rules[n - 1], n) } };
	}],
	['DELETE', /^\/server\/([^/]+)\/firewall_rule\/([^/]+)$/, (ctx, [uuid, position]) => {
		const { rules, n } = ruleAt(ctx, uuid, position);
		rules.splice(n - 1, 1);
		return { status: 204 };
	}],
	['GET', /^\/storage\/?$/, (ctx) => listStorages(ctx, [])],
	['GET', /^\/storage\/(normal|backup|cdrom|template|public|private|favorite)\/?$/, listStorages],
	['POST', /^\/storage\/?$/, createStorage],
	['GET', /^\/storage\/([^/]+)\/?$/, (ctx, [uuid]) => ({ json: { storage: storageView(storageOf(ctx, uuid), true) } })],
	['PUT', /^\/storage\/([^/]+)\/?$/, modifyStorage],
	['DELETE', /^\/storage\/([^/]+)\/?$/, deleteStorage],
	['POST', /^\/storage\/([^/]+)\/clone$/, (ctx, p) => copyStorage(ctx, p, 'clone')],
	['POST', /^\/storage\/([^/]+)\/templatize$/, (ctx, p) => copyStorage(ctx, p, 'templatize')],
	['POST', /^\/storage\/([^/]+)\/backup$/, (ctx, p) => copyStorage(ctx, p, 'backup')],
	['POST', /^\/storage\/([^/]+)\/restore$/, restoreBackup],
	['GET', /^\/ip_address\/?$/, (ctx) => ({ json: { ip_addresses: { ip_address: [...ctx.state.servers.ipAddresses.values()] } } })],
	['POST', /^\/ip_address\/?$/, assignIp],
	['GET', /^\/ip_address\/([^/]+)$/, (ctx, [address]) => ({ json: { ip_address: ipOf(ctx, address) } })],
	['PATCH', /^\/ip_address\/([^/]+)$/, modifyIp],
	['DELETE', /^\/ip_address\/([^/]+)$/, (ctx, [address]) => {
		const ip = ipOf(ctx, address);
		if (ip.access === 'utility') throw fail(400, 'CANNOT_DELETE_UTILITY_ADDRESS', 'The utility address cannot be removed.');
		ctx.state.servers.ipAddresses.delete(address);
		return { status: 204 };
	}],
];

/** POST /__control/state {"serverTimings": {…}}: change the transition times (milliseconds); null restores them. */
function applyServerControl(state, body) {
	if (!('serverTimings' in body)) return;
	const t = body.serverTimings;
	if (t === null) {
		state.timings = { ...DEFAULT_TIMINGS };
		return;
	}
	if (!isPlainObject(t)) throw new Error('serverTimings must be an object such as {"restartMs": 500}');
	for (const [k, v] of Object.entries(t)) {
		if (!(k in DEFAULT_TIMINGS)) throw new Error(`unknown server timing ${k} (known: ${Object.keys(DEFAULT_TIMINGS).join(', ')})`);
		if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`serverTimings.${k} must be a number of milliseconds`);
		state.timings[k] = v;
	}
}

function serverSnapshot(state) {
	return {
		timings: state.timings,
		servers: [...state.servers.values()].map((s) => ({ uuid: s.uuid, title: s.title, state: settle(s).state, labels: s.labels.label, storages: s.storage_devices.storage_device.map((d) => d.storage) })),
		storages: [...state.storages.values()].filter((s) => s.access === 'private').map((s) => ({ uuid: s.uuid, title: s.title, type: s.type, state: settle(s).state, origin: s.origin })),
	};
}

module.exports = { routes, createServerState, applyServerControl, serverSnapshot, DEFAULT_TIMINGS, PUBLIC_STORAGES };

import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { UpCloudTrigger } from '../../../nodes/UpCloud/UpCloudTrigger.node';
import { nodeTypesFor, UPCLOUD_AUTH, UPCLOUD_TOKEN_AUTH } from '../../helpers/engine';
import { NODE_NAME, Poller } from '../../helpers/poll';
import { recordRequests } from '../../helpers/requests';
import { waits } from '../../helpers/retry';

const TYPE = 'upCloudTrigger';
const nodeTypes = nodeTypesFor({ [TYPE]: new UpCloudTrigger() });
const API = 'https://api.upcloud.test';
const NOT_READ = ['create', 'update', 'delete', 'access-update', 'attach', 'detach', 'login', 'logout'];

const at = (seconds: number) => new Date(Date.UTC(2024, 4, 10, 12, 0, 0) + seconds * 1000).toISOString().replace('.000Z', 'Z');

let serial = 0;
/** An audit row as the generated 1.3 schema describes it; IDs sort by creation, as ULIDs do. */
function event(seconds: number, extra: IDataObject = {}): IDataObject {
	serial += 1;
	return {
		time: at(seconds),
		cloud_event_id: `01HX${String(serial).padStart(22, '0')}`,
		upcloud_correlation_id: `01HY${String(serial).padStart(22, '0')}`,
		account_username: 'finance_bot',
		auth_type: 'api',
		origin: 'api',
		action: 'create',
		resource_type: 'auth',
		resource_sub_type: 'api-token',
		current_state: { name: `token-${serial}` },
		ip_address: '203.0.113.7',
		...extra,
	};
}

/**
 * UpCloud's audit log as chapter 22 documents it: the list filters, inclusive created_after/created_before,
 * limit ≤ 200 and a row offset, Upcloud-Total-Count; newest first unless told (the docs say no order).
 * `answerNext(0, 500)` lets the next request through and answers the one after with a 500 (0: answered normally).
 */
function auditLog(log: IDataObject[], options: { order?: 'asc' | 'desc'; authorization?: string } = {}) {
	const scope = nock(API, { reqheaders: { authorization: options.authorization ?? UPCLOUD_AUTH, accept: 'application/json' } }).persist();
	const requests = recordRequests(scope);
	const failures: number[] = [];
	scope.get('/1.3/audit-logs').query(true).reply(function (uri) {
		const failure = failures.shift();
		if (failure) return [failure, { error: { error_code: 'INTERNAL_ERROR', error_message: 'Something went wrong.' } }];
		const query = Object.fromEntries(
			[...new URL(uri, API).searchParams.keys()].map((key) => [key, new URL(uri, API).searchParams.getAll(key)]),
		) as Record<string, string[]>;
		const one = (key: string) => query[key]?.[0];
		const after = one('created_after') ? Date.parse(one('created_after')!) : -Infinity;
		const before = one('created_before') ? Date.parse(one('created_before')!) : Infinity;
		const matching = log
			.filter((row) => {
				const ms = Date.parse(String(row.time));
				return ms >= after && ms <= before + 999;
			})
			.filter((row) => !query.actions || query.actions.includes(String(row.action)))
			.filter((row) => !query.origins || query.origins.includes(String(row.origin)))
			.filter((row) => !query.resource_types || query.resource_types.includes(String(row.resource_type)))
			.filter((row) => !one('q') || [row.resource_id, row.account_username, row.ip_address].includes(one('q')))
			.sort((a, b) => Date.parse(String(a.time)) - Date.parse(String(b.time)));
		if (options.order !== 'asc') matching.reverse();
		const offset = Number(one('offset') ?? 0);
		const limit = Number(one('limit') ?? 50);
		return [200, { audit_logs: matching.slice(offset, offset + limit) }, { 'Upcloud-Total-Count': String(matching.length) }];
	});
	/** Each request's query, decoded, with the path. */
	const sent = () => requests.map((r) => decodeURIComponent(r.path));
	return { requests, sent, answerNext: (...statuses: number[]) => failures.push(...statuses) };
}

/** A trigger (Basic auth unless told); `saved` is this node's static data as n8n's database holds it. */
function trigger(parameters: INodeParameters = {}, saved?: IDataObject) {
	const staticData = saved ? { [`node:${NODE_NAME}`]: saved } : undefined;
	return new Poller({ type: TYPE, nodeTypes, parameters: { authentication: 'basicAuth', ...parameters }, staticData });
}

const ids = (items: IDataObject[]) => items.map((item) => item.cloud_event_id);
const qs = (after: string | undefined, before: string, offset = 0, limit = 200, actions = NOT_READ) =>
	`/1.3/audit-logs?${actions.map((a) => `actions=${a}&`).join('')}${after ? `created_after=${after}&` : ''}created_before=${before}&limit=${limit}&offset=${offset}`;

// Only Date is faked: nock and n8n's HTTP stack need real timers.
function setNow(seconds: number) {
	jest.setSystemTime(new Date(Date.parse(at(seconds)) + 400));
}

beforeEach(() => {
	serial = 0;
	jest.useFakeTimers({
		doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
	});
	setNow(0);
});

afterEach(() => {
	jest.useRealTimers();
});

describe('node description', () => {
	const { description } = new UpCloudTrigger();

	it('is a polling trigger named upCloudTrigger with both UpCloud authentications and the issue\'s parameters', () => {
		expect(description).toMatchObject({ name: 'upCloudTrigger', polling: true, inputs: [], group: ['trigger'] });
		expect(description.credentials?.map((c) => c.name)).toEqual(['upCloudTokenApi', 'upCloudApi']);
		expect(description.properties.map((p) => p.name)).toEqual([
			'authentication',
			'actions',
			'resourceTypes',
			'origins',
			'search',
			'options',
			'requestOptions',
		]);
		const actions = description.properties.find((p) => p.name === 'actions');
		expect(actions?.description).toMatch(/every action except Read/);
	});
});

describe('first activation', () => {
	it('records the newest matching event as the cursor with one request and emits nothing', async () => {
		const log = [event(-50), event(-20), event(-20, { action: 'read' })];
		const api = auditLog(log);
		const t = trigger();

		const first = await t.poll();

		expect(first.error).toBeUndefined();
		expect(first.result).toBeNull();
		expect(api.sent()).toEqual([qs(undefined, at(0))]);
		expect(t.staticData()).toEqual({ cursor: { second: at(-20), seen: [log[1].cloud_event_id] } });
		expect(t.staticDataChanged).toBe(true);
	});

	it('knows every event of the newest second, so the next poll emits none of them (found in real n8n)', async () => {
		const log = [event(-50), event(-20), event(-20), event(-20)];
		const api = auditLog(log);
		const t = trigger();
		await t.poll();
		expect(t.staticData()).toEqual({ cursor: { second: at(-20), seen: ids(log.slice(1)) } });
		setNow(60);
		expect((await t.poll()).result).toBeNull();
		expect(api.sent()).toHaveLength(2);
	});

	it('with no matching event starts at now', async () => {
		auditLog([]);
		const t = trigger();
		expect((await t.poll()).result).toBeNull();
		expect(t.staticData()).toEqual({ cursor: { second: at(0), seen: [] } });
	});
});

describe('polls', () => {
	it('an idle poll makes exactly one request, emits nothing and leaves the state untouched', async () => {
		const log = [event(-5)];
		const api = auditLog(log);
		const t = trigger();
		await t.poll();
		const state = t.staticData();

		for (const now of [60, 120, 180]) {
			setNow(now);
			expect((await t.poll()).result).toBeNull();
		}

		expect(api.sent().slice(1)).toEqual([qs(at(-5), at(60)), qs(at(-5), at(120)), qs(at(-5), at(180))]);
		expect(t.staticData()).toEqual(state);
	});

	it('emits new events oldest first, one item each with a one-line message and UpCloud\'s own fields', async () => {
		const log = [event(-5)];
		const api = auditLog(log);
		const t = trigger();
		await t.poll();
		log.push(event(10), event(20, { action: 'login', resource_type: 'auth', resource_sub_type: undefined, account_username: 'ops_user', origin: 'gui' }));
		setNow(60);

		const { items, error } = await t.poll();

		expect(error).toBeUndefined();
		expect(items).toEqual([
			{ message: 'API token token-2 created by finance_bot from 203.0.113.7 via api', ...log[1] },
			{ message: 'ops_user logged in from 203.0.113.7 via gui', ...log[2] },
		]);
		expect(api.sent()).toHaveLength(2);
		expect(t.staticData()).toEqual({ cursor: { second: at(20), seen: [log[2].cloud_event_id] } });
	});

	it('drops the events already emitted at the cursor\'s timestamp (created_after is inclusive) and emits later ones sharing it', async () => {
		const log = [event(-5), event(0)];
		auditLog(log);
		const t = trigger();
		await t.poll();
		// Two more in the same second as the cursor, one later.
		log.push(event(0), event(0), event(3));
		setNow(60);
		expect(ids((await t.poll()).items)).toEqual(ids(log.slice(2)));
		log.push(event(3));
		setNow(120);
		expect(ids((await t.poll()).items)).toEqual([log[5].cloud_event_id]);
		setNow(180);
		expect((await t.poll()).result).toBeNull();
	});

	// The total counts the cursor's own event too (created_after is inclusive): 451 rows, 3 pages.
	it('450 new events in one poll: 3 requests, 450 items, oldest first, then idle', async () => {
		const log = [event(-5)];
		const api = auditLog(log);
		const t = trigger();
		await t.poll();
		for (let i = 0; i < 450; i++) log.push(event(1 + Math.floor(i / 4)));
		setNow(300);

		const { items } = await t.poll();

		expect(ids(items)).toEqual(ids(log.slice(1)));
		expect(api.sent().slice(1)).toEqual([qs(at(-5), at(300), 0), qs(at(-5), at(300), 200), qs(at(-5), at(300), 400, 51)]);
		setNow(360);
		expect((await t.poll()).result).toBeNull();
		expect(api.sent()).toHaveLength(5);
	});

	it('more than 5,000 waiting: a poll emits the oldest 5,000, the next continues from there; nothing lost or twice', async () => {
		const log = [event(-5)];
		const api = auditLog(log);
		const t = trigger();
		await t.poll();
		for (let i = 0; i < 5300; i++) log.push(event(1 + Math.floor(i / 7)));
		setNow(3000);

		const first = await t.poll();
		// The oldest 5,000 rows read, the cursor's own event among them.
		expect(first.items).toHaveLength(4999);
		// Newest first: the first page, then the 25 pages at the end of the list.
		expect(api.requests).toHaveLength(1 + 1 + 25);
		setNow(3060);
		const second = await t.poll();
		expect([...ids(first.items), ...ids(second.items)]).toEqual(ids(log.slice(1)));
		expect(JSON.stringify(t.staticData()).length).toBeLessThan(18_000);
	});

	it('a failed poll emits nothing and keeps the cursor; the next poll catches up with nothing lost and nothing twice', async () => {
		const log = [event(-5)];
		const api = auditLog(log);
		const t = trigger();
		await t.poll();
		for (let i = 0; i < 250; i++) log.push(event(10));
		const before = t.staticData();
		setNow(60);
		// The second page fails (500 is not a transient error, so it is not retried).
		api.answerNext(0, 500);

		const failed = await t.poll();
		expect(failed.error?.message).toBe('INTERNAL_ERROR: Something went wrong.');
		expect(failed.items).toEqual([]);
		expect(t.staticData()).toEqual(before);

		setNow(120);
		expect(ids((await t.poll()).items)).toEqual(ids(log.slice(1)));
	});

	it('a transient 503 is retried within the poll under the retry policy', async () => {
		const log = [event(-5)];
		const api = auditLog(log);
		const t = trigger();
		await t.poll();
		log.push(event(10));
		api.answerNext(503);
		setNow(60);
		expect(ids((await t.poll()).items)).toEqual([log[1].cloud_event_id]);
		expect(waits).toEqual([1000]);
	});

	it('after the state is lost, starts again from the newest event and emits nothing, then carries on', async () => {
		const log = [event(-5)];
		auditLog(log);
		const t = trigger();
		await t.poll();
		log.push(event(10));
		const lost = trigger({}, {});
		setNow(60);
		expect((await lost.poll()).result).toBeNull();
		expect(lost.staticData()).toEqual({ cursor: { second: at(10), seen: [log[1].cloud_event_id] } });
		log.push(event(70));
		setNow(120);
		expect(ids((await lost.poll()).items)).toEqual([log[2].cloud_event_id]);
	});
});

describe('filters and authentication', () => {
	it('sends every filter on every request: actions, resource types, origins, search (as q)', async () => {
		const log = [event(-5, { resource_type: 'server', origin: 'gui', action: 'delete', account_username: 'ops_user' })];
		const api = auditLog(log);
		const t = trigger({ actions: ['delete', 'login'], resourceTypes: ['server', 'auth'], origins: ['gui'], search: ' ops_user ' });
		await t.poll();
		log.push(event(5, { resource_type: 'server', origin: 'gui', action: 'delete', account_username: 'ops_user' }), event(6));
		setNow(60);
		const { items } = await t.poll();
		expect(ids(items)).toEqual([log[1].cloud_event_id]);
		expect(api.sent()[1]).toBe(
			`/1.3/audit-logs?actions=delete&actions=login&origins=gui&resource_types=server&resource_types=auth&q=ops_user&created_after=${at(-5)}&created_before=${at(60)}&limit=200&offset=0`,
		);
	});

	it('Include Reads without actions filters no action; with actions it adds read', async () => {
		const log = [event(-5)];
		const api = auditLog(log);
		await trigger({ options: { includeReads: true } }).poll();
		await trigger({ actions: ['login'], options: { includeReads: true } }).poll();
		expect(api.sent()).toEqual([
			`/1.3/audit-logs?created_before=${at(0)}&limit=200&offset=0`,
			`/1.3/audit-logs?actions=login&actions=read&created_before=${at(0)}&limit=200&offset=0`,
		]);
	});

	it('uses the API token credential when chosen', async () => {
		const api = auditLog([event(-5)], { authorization: UPCLOUD_TOKEN_AUTH });
		const t = trigger({ authentication: 'apiToken' });
		expect((await t.poll()).error).toBeUndefined();
		expect(api.requests[0].headers.authorization).toBe(UPCLOUD_TOKEN_AUTH);
	});

	it('refuses an option given by its display name before sending anything', async () => {
		const requests = recordRequests(nock(API).get(() => true).optionally().reply(599));
		const { error } = await trigger({ actions: ['Create'] }).poll();
		expect(error?.message).toMatch(/^Actions must be one of .*\(got "Create"/);
		expect(requests).toEqual([]);
	});
});

describe('Fetch Test Event (manual)', () => {
	it('shows the latest 5 matching events, oldest first, and never touches the cursor', async () => {
		const log = Array.from({ length: 8 }, (_, i) => event(-100 + i));
		auditLog(log, { order: 'asc' });
		const t = trigger();
		const { items } = await t.poll('manual');
		expect(ids(items)).toEqual(ids(log.slice(3)));
		expect(items[0].message).toBe('API token token-4 created by finance_bot from 203.0.113.7 via api');
		expect(t.staticData()).toEqual({});
	});

	it('says in one item that none matched, and with which filters', async () => {
		auditLog([event(-5, { action: 'read' })]);
		const { items } = await trigger({ origins: ['gui'] }).poll('manual');
		expect(items).toEqual([
			{
				message:
					"No audit-log event matched: UpCloud's log of the last 180 days has none with actions create, update, delete, access-update, attach, detach, login, logout, origins gui. Change the filters, or cause such an event (e.g. log in to the Hub) and fetch again.",
				matched: 0,
				filters: { actions: NOT_READ, origins: ['gui'] },
			},
		]);
	});
});

describe('n8n saves static data only when a poll emits (and after activation)', () => {
	/**
	 * The Poller keeps what n8n's database holds (savedStaticData): the state after activation and after every poll
	 * that emitted, never after a poll that emitted nothing; restart() rebuilds the workflow from that copy.
	 */
	it('a restart after an idle stretch emits nothing again and loses nothing: idle polls leave nothing unsaved', async () => {
		const log = [event(-5)];
		auditLog(log);
		const t = trigger();
		await t.poll();
		log.push(event(10));
		setNow(60);
		expect((await t.poll()).items).toHaveLength(1);
		for (const now of [120, 180]) {
			setNow(now);
			expect((await t.poll()).result).toBeNull();
			// The cursor moves only when a poll emits, so what n8n did not save after an idle poll is what it holds.
			expect(t.savedStaticData()).toEqual(t.staticData());
		}
		log.push(event(200));
		t.restart();
		setNow(240);
		expect(ids((await t.poll()).items)).toEqual([log[2].cloud_event_id]);
		setNow(300);
		expect((await t.poll()).result).toBeNull();
	});

	it('if n8n stops between a poll emitting and its save, that poll\'s events are emitted once more, never lost', async () => {
		const log = [event(-5)];
		auditLog(log);
		const t = trigger();
		await t.poll();
		const atActivation = t.savedStaticData();
		log.push(event(10), event(11));
		setNow(60);
		expect((await t.poll()).items).toHaveLength(2);
		// Killed before the save landed: the database still has the activation's cursor.
		log.push(event(100));
		const restarted = trigger({}, atActivation);
		setNow(120);
		expect(ids((await restarted.poll()).items)).toEqual(ids(log.slice(1)));
	});
});

describe('a crowded second (more events in one second than a page)', () => {
	it('read while under way: emitted once, re-read by idle polls within it, left behind once over; then idle polls are one request', async () => {
		const log = [event(-5)];
		const api = auditLog(log);
		const t = trigger();
		await t.poll();
		log.push(...Array.from({ length: 300 }, () => event(10)));
		setNow(10);
		expect((await t.poll()).items).toHaveLength(300);
		expect(JSON.stringify(t.staticData()).length).toBeLessThan(18_000);
		let before = api.requests.length;
		expect((await t.poll()).result).toBeNull();
		// Second 10 is still under way, so it is read again whole (created_after is inclusive): 200 + 101 rows.
		expect(api.requests.length - before).toBe(2);
		log.push(event(10));
		expect(ids((await t.poll()).items)).toEqual([log.at(-1)?.cloud_event_id]);
		setNow(60);
		expect((await t.poll()).result).toBeNull();
		expect(t.staticData()).toEqual({ cursor: { second: at(11), seen: [] } });
		before = api.requests.length;
		for (const now of [120, 180]) {
			setNow(now);
			expect((await t.poll()).result).toBeNull();
		}
		expect(api.requests.length - before).toBe(2);
	});

	it('read once over: the poll that emits it moves on at once, so the next idle poll is one request', async () => {
		const log = [event(-5)];
		const api = auditLog(log);
		const t = trigger();
		await t.poll();
		log.push(...Array.from({ length: 450 }, () => event(10)));
		setNow(60);
		expect((await t.poll()).items).toHaveLength(450);
		expect(t.staticData()).toEqual({ cursor: { second: at(11), seen: [] } });
		const before = api.requests.length;
		setNow(120);
		expect((await t.poll()).result).toBeNull();
		expect(api.sent().slice(before)).toEqual([qs(at(11), at(120))]);
	});
});

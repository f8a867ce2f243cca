import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import type { AuditCursor, AuditPage } from '../../../nodes/UpCloud/auditLog';
import {
	advance,
	auditQuery,
	eventMessage,
	MAX_BOUNDARY_IDS,
	readNewest,
	readRows,
	startingCursor,
	storedCursor,
	triggerActions,
} from '../../../nodes/UpCloud/auditLog';

const ev = (id: string, time: string, extra: IDataObject = {}): IDataObject => ({ cloud_event_id: id, time, action: 'create', ...extra });

/** A list endpoint over `log`, in the given order, counting requests: what UpCloud's paging does. */
function listOf(log: IDataObject[], order: 'asc' | 'desc' = 'asc', withTotal = true) {
	const sorted = [...log].sort((a, b) => Date.parse(String(a.time)) - Date.parse(String(b.time)));
	if (order === 'desc') sorted.reverse();
	const calls: Array<[number, number]> = [];
	const read = async (offset: number, limit: number): Promise<AuditPage> => {
		calls.push([offset, limit]);
		return { rows: sorted.slice(offset, offset + limit), ...(withTotal ? { total: sorted.length } : {}) };
	};
	return { read, calls };
}

const second = (n: number) => new Date(Date.UTC(2024, 4, 10, 12, 0, 0) + n * 1000).toISOString().replace('.000Z', 'Z');
const many = (count: number, at: (i: number) => string, prefix = 'E') =>
	Array.from({ length: count }, (_, i) => ev(`${prefix}${String(i).padStart(6, '0')}`, at(i)));

describe('advance: the cursor and its boundary dedupe', () => {
	const start: AuditCursor = { second: '2024-05-10T12:00:00Z', seen: ['A'] };

	it('drops what was emitted at the cursor\'s second (created_after is inclusive), emits the rest oldest first', () => {
		const { events, cursor } = advance(start, [
			ev('C', '2024-05-10T12:00:03Z'),
			ev('A', '2024-05-10T12:00:00Z'),
			ev('B', '2024-05-10T12:00:00.400Z'),
			ev('D', '2024-05-10T12:00:03.100Z'),
		]);
		expect(events.map((e) => e.cloud_event_id)).toEqual(['B', 'C', 'D']);
		expect(cursor).toEqual({ second: '2024-05-10T12:00:03Z', seen: ['C', 'D'] });
	});

	it('adds to the remembered IDs when the newest events are still in the cursor\'s second', () => {
		const { events, cursor } = advance(start, [ev('A', '2024-05-10T12:00:00Z'), ev('B', '2024-05-10T12:00:00Z')]);
		expect(events.map((e) => e.cloud_event_id)).toEqual(['B']);
		expect(cursor).toEqual({ second: '2024-05-10T12:00:00Z', seen: ['A', 'B'] });
	});

	it('keeps the cursor as it was when nothing is new (an idle poll), and drops rows read twice or older', () => {
		const same = advance(start, [ev('A', '2024-05-10T12:00:00Z'), ev('Z', '2024-05-10T11:59:59Z')]);
		expect(same).toEqual({ events: [], cursor: start });
		const twice = advance(start, [ev('B', '2024-05-10T12:00:01Z'), ev('B', '2024-05-10T12:00:01Z')]);
		expect(twice.events).toHaveLength(1);
	});

	it('a crowded second (a page or more) once over is left behind; a quieter one keeps its IDs for late rows', () => {
		const crowded = many(200, () => second(3));
		expect(advance({ second: second(0), seen: [] }, crowded, second(10)).cursor).toEqual({ second: second(4), seen: [] });
		// Still under way (the poll's own second), or not read whole: kept.
		expect(advance({ second: second(0), seen: [] }, crowded, second(3)).cursor.second).toBe(second(3));
		expect(advance({ second: second(0), seen: [] }, crowded).cursor.second).toBe(second(3));
		// Fewer than a page: its IDs stay, so an event logged into it later is still caught.
		const quiet = advance({ second: second(0), seen: [] }, crowded.slice(0, 199), second(10));
		expect(quiet.cursor).toEqual({ second: second(3), seen: crowded.slice(0, 199).map((e) => String(e.cloud_event_id)) });
		// An idle poll re-reading a crowded second that is over moves on too.
		const idle = advance({ second: second(3), seen: [], below: 'E000199' }, crowded, second(10));
		expect(idle).toEqual({ events: [], cursor: { second: second(4), seen: [] } });
	});

	it('orders events of one instant by ID, so every poll and test run shows them the same way', () => {
		const { events } = advance({ second: second(0), seen: [] }, [ev('K', second(1)), ev('B', second(1)), ev('F', second(1))]);
		expect(events.map((e) => e.cloud_event_id)).toEqual(['B', 'F', 'K']);
	});

	it('emits a row without a time but does not move the cursor with it', () => {
		const { events, cursor } = advance(start, [ev('X', 'not a time')]);
		expect(events.map((e) => e.cloud_event_id)).toEqual(['X']);
		expect(cursor).toEqual(start);
	});

	it(`remembers at most ${MAX_BOUNDARY_IDS} IDs, however many events share a second, the smaller ones folded into below`, () => {
		const { cursor } = advance({ second: second(0), seen: [] }, many(1000, () => second(5)));
		expect(cursor.seen).toHaveLength(MAX_BOUNDARY_IDS);
		expect(cursor.seen[0]).toBe('E000744');
		expect(cursor.seen.at(-1)).toBe('E000999');
		expect(cursor.below).toBe('E000743');
	});

	it('a crowded second is emitted once: idle polls re-reading it emit nothing, later events of it are emitted', () => {
		const crowded = many(300, () => second(5));
		let { events, cursor } = advance({ second: second(0), seen: [] }, crowded);
		expect(events).toHaveLength(300);
		// Every later poll asks from that second again and gets all 300 back (created_after is inclusive).
		for (let poll = 0; poll < 3; poll++) {
			({ events, cursor } = advance(cursor, crowded));
			expect(events).toEqual([]);
		}
		const later = many(10, () => second(5), 'F');
		({ events, cursor } = advance(cursor, [...crowded, ...later]));
		expect(events.map((e) => e.cloud_event_id)).toEqual(later.map((e) => e.cloud_event_id));
		expect(advance(cursor, [...crowded, ...later]).events).toEqual([]);
		expect(cursor.seen).toHaveLength(MAX_BOUNDARY_IDS);
	});

	it('the stored state stays under 18 KB of JSON whatever the rows (property)', () => {
		fc.assert(
			fc.property(
				fc.array(fc.record({ id: fc.string({ maxLength: 500 }), s: fc.integer({ min: 0, max: 3 }) }), { maxLength: 700 }),
				(rows) => {
					const { cursor } = advance({ second: second(0), seen: [] }, rows.map((r) => ev(r.id, second(r.s))));
					expect(JSON.stringify(cursor).length).toBeLessThan(18_000);
				},
			),
			{ numRuns: 60 },
		);
	});

	it('over any log growing between polls, every event is emitted exactly once, in time order (property)', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 30 }), { minLength: 1, maxLength: 8 }),
				fc.constantFrom<'asc' | 'desc'>('asc', 'desc'),
				async (batches, order) => {
					const log: IDataObject[] = [ev('START', second(0))];
					let clock = 0;
					let cursor = startingCursor([log[0]], new Date(Date.parse(second(0))));
					const emitted: string[] = [];
					let n = 0;
					for (const batch of batches) {
						// New events at or after the clock's second (several share a second, some share the cursor's).
						for (const step of batch) log.push(ev(`N${String(n++).padStart(4, '0')}`, second(clock + (step > 2 ? 1 : 0))));
						clock += 1;
						// The poll's window ends at its own second (created_before, inclusive), where events still arrive.
						const until = second(clock);
						const window = log.filter((e) => Date.parse(String(e.time)) >= Date.parse(cursor.second) && Date.parse(String(e.time)) <= Date.parse(until));
						const { rows, complete } = await readRows(listOf(window, order).read, 50);
						const result = advance(cursor, rows, complete ? until : undefined);
						emitted.push(...result.events.map((e) => String(e.cloud_event_id)));
						cursor = result.cursor;
					}
					// Whatever a capped poll left is read by the following ones.
					for (let i = 0; i < 20; i++) {
						const until = second(clock + 1 + i);
						const window = log.filter((e) => Date.parse(String(e.time)) >= Date.parse(cursor.second));
						const { rows, complete } = await readRows(listOf(window, order).read, 50);
						const result = advance(cursor, rows, complete ? until : undefined);
						emitted.push(...result.events.map((e) => String(e.cloud_event_id)));
						cursor = result.cursor;
					}
					expect(emitted).toEqual(log.slice(1).sort((a, b) => Date.parse(String(a.time)) - Date.parse(String(b.time)) || String(a.cloud_event_id).localeCompare(String(b.cloud_event_id))).map((e) => e.cloud_event_id));
				},
			),
			{ numRuns: 80 },
		);
	});
});

describe('readRows: the pages of one poll', () => {
	it('an idle poll is one request', async () => {
		const list = listOf([ev('A', second(0))]);
		const { rows, complete, requests } = await readRows(list.read);
		expect([rows.length, complete, requests]).toEqual([1, true, 1]);
		expect(list.calls).toEqual([[0, 200]]);
	});

	it('450 events are 3 pages: 200, 200, then the 50 the total says are left', async () => {
		const list = listOf(many(450, (i) => second(i)));
		const { rows, complete } = await readRows(list.read);
		expect(rows).toHaveLength(450);
		expect(complete).toBe(true);
		expect(list.calls).toEqual([[0, 200], [200, 200], [400, 50]]);
	});

	it('without the Upcloud-Total-Count header pages until a short page', async () => {
		const list = listOf(many(400, (i) => second(i)), 'asc', false);
		const { rows, complete } = await readRows(list.read);
		expect(rows).toHaveLength(400);
		expect(complete).toBe(true);
		expect(list.calls).toEqual([[0, 200], [200, 200], [400, 200]]);
	});

	it('with more than 5,000 waiting, oldest first, reads the oldest 5,000 in 25 requests', async () => {
		const log = many(5600, (i) => second(Math.floor(i / 3)));
		const list = listOf(log, 'asc');
		const { rows, complete, requests } = await readRows(list.read);
		expect(complete).toBe(false);
		expect(requests).toBe(25);
		expect(rows.map((r) => r.cloud_event_id)).toEqual(log.slice(0, 5000).map((r) => r.cloud_event_id));
	});

	it('with more than 5,000 waiting, newest first, reads the oldest 5,000 from the end of the list', async () => {
		const log = many(5600, (i) => second(Math.floor(i / 3)));
		const list = listOf(log, 'desc');
		const { rows, complete } = await readRows(list.read);
		expect(complete).toBe(false);
		expect(list.calls[1]).toEqual([600, 200]);
		expect(list.calls.at(-1)).toEqual([5400, 200]);
		expect(new Set(rows.map((r) => r.cloud_event_id))).toEqual(new Set(log.slice(0, 5000).map((r) => r.cloud_event_id)));
	});

	it('asks for the last row when the first page is one instant, to tell the order', async () => {
		const log = [...many(300, () => second(1)), ...many(4800, (i) => second(2 + i), 'F')];
		const list = listOf(log, 'asc');
		await readRows(list.read);
		expect(list.calls.slice(0, 3)).toEqual([[0, 200], [5099, 1], [200, 200]]);
	});
});

describe('readNewest: a test run and the first activation', () => {
	it('takes the newest from the first page when the list is newest first', async () => {
		const list = listOf(many(450, (i) => second(i)), 'desc');
		const rows = await readNewest(list.read, 5);
		expect(rows.map((r) => r.cloud_event_id)).toEqual(['E000445', 'E000446', 'E000447', 'E000448', 'E000449']);
		expect(list.calls).toEqual([[0, 200]]);
	});

	it('reads the end of the list when it is oldest first', async () => {
		const list = listOf(many(450, (i) => second(i)), 'asc');
		const rows = await readNewest(list.read, 5);
		expect(rows.map((r) => r.cloud_event_id)).toEqual(['E000445', 'E000446', 'E000447', 'E000448', 'E000449']);
		expect(list.calls).toEqual([[0, 200], [445, 5]]);
	});

	it('starts watching at the newest event\'s second, knowing every event of it, or at now when none matched', () => {
		const newest = [ev('M', '2024-05-10T11:59:57Z'), ev('N', '2024-05-10T11:59:58.250Z'), ev('O', '2024-05-10T11:59:58.900Z')];
		expect(startingCursor(newest, new Date())).toEqual({ second: '2024-05-10T11:59:58Z', seen: ['N', 'O'] });
		expect(startingCursor([], new Date('2024-05-10T12:00:00.900Z'))).toEqual({ second: '2024-05-10T12:00:00Z', seen: [] });
	});

	it('when one page of the newest is all one second, every ID up to its largest counts as history', () => {
		// 250 events share second 9; the page of the newest 200 holds E000050–E000249.
		const second9 = many(250, () => second(9));
		const cursor = startingCursor(second9.slice(50), new Date());
		expect(cursor).toEqual({ second: second(9), seen: [], below: 'E000249' });
		// The 50 older ones of that second the page did not hold are history too; a later one is new.
		const { events } = advance(cursor, [...second9, ev('F000000', second(9))]);
		expect(events.map((e) => e.cloud_event_id)).toEqual(['F000000']);
	});

	it('a stored state that is not a cursor counts as none', () => {
		expect(storedCursor(undefined)).toBeUndefined();
		expect(storedCursor({ second: 'soon', seen: [] })).toBeUndefined();
		expect(storedCursor({ second: second(0), seen: ['A', 3] })).toEqual({ second: second(0), seen: ['A'] });
		expect(storedCursor({ second: second(0), seen: [], below: 'Z' })).toEqual({ second: second(0), seen: [], below: 'Z' });
	});
});

describe('queries and messages', () => {
	it('empty actions are every filter action except read; Include Reads drops the action filter', () => {
		expect(triggerActions([], false)).toEqual(['create', 'update', 'delete', 'access-update', 'attach', 'detach', 'login', 'logout']);
		expect(triggerActions([], true)).toBeUndefined();
		expect(triggerActions(['login'], true)).toEqual(['login', 'read']);
		expect(triggerActions(['login'], false)).toEqual(['login']);
	});

	it('leaves empty filters out and sends times in the page\'s form', () => {
		expect(auditQuery({ actions: [], origins: ['api'], createdAfter: new Date('2024-05-10T12:00:00.999Z') })).toEqual({
			origins: ['api'],
			created_after: '2024-05-10T12:00:00Z',
		});
	});

	it.each([
		[
			{ action: 'create', resource_type: 'auth', resource_sub_type: 'api-token', current_state: { name: 'ci-deploy' }, account_username: 'finance_bot', ip_address: '203.0.113.7', origin: 'api' },
			'API token ci-deploy created by finance_bot from 203.0.113.7 via api',
		],
		[{ action: 'login', account_username: 'ops_user', ip_address: '198.51.100.23', origin: 'gui' }, 'ops_user logged in from 198.51.100.23 via gui'],
		[
			{ action: 'delete', resource_type: 'server', previous_state: { hostname: 'web-1' }, account_username: 'ops_user', origin: 'gui' },
			'Server web-1 deleted by ops_user via gui',
		],
		[{ action: 'stop', resource_type: 'server', resource_id: '00798b85', account_username: 'ops_user' }, 'Server 00798b85 stopped by ops_user'],
		[{ action: 'maintenance-start', resource_type: 'managed-database', origin: 'upcloud_internal' }, 'Managed database maintenance-start by someone via upcloud_internal'],
	])('message of %j', (event, message) => {
		expect(eventMessage(event as IDataObject)).toBe(message);
	});
});

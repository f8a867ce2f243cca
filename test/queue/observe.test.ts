/**
 * The queue-mode suite's accounting (test/queue/lib): matching the sandbox's requests to the node runs that sent
 * them, what became of a killed worker's executions, and reading /proc/net/tcp. Pure functions, so they are tested here rather than only inside a cluster.
 */

/* eslint-disable @typescript-eslint/no-var-requires */
const { matchRequests, fateOfInterrupted, activityByExecution, finishingWorker } = require('./lib/observe');
const { socketInode, portOf } = require('./lib/clients');
/* eslint-enable @typescript-eslint/no-var-requires */

const KINDS = { 'Get Current': 'GET /1.3/account', Customers: 'GET /api/customers' };

/** A run whose two nodes ran in [start, start+10] and [start+20, start+30]. */
const run = (start: number) => ({
	data: {
		resultData: {
			runData: {
				'Get Current': [{ startTime: start, executionTime: 10 }],
				Customers: [{ startTime: start + 20, executionTime: 10 }],
			},
		},
	},
});

const req = (path: string, client: string, at: number, ms = 2) => ({
	method: 'GET',
	path,
	client,
	startedAt: at,
	time: new Date(at + ms).toISOString(),
});

describe('matchRequests', () => {
	const runs = [
		{ executionId: 1, worker: 'worker1', run: run(1000) },
		{ executionId: 2, worker: 'worker1', run: run(1005) },
		{ executionId: 3, worker: 'worker2', run: run(1000) },
	];
	const requests = [
		req('/1.3/account', 'worker1', 1002),
		req('/1.3/account', 'worker1', 1008),
		req('/1.3/account', 'worker2', 1003),
		req('/api/customers', 'worker1', 1022),
		req('/api/customers', 'worker1', 1027),
		req('/api/customers', 'worker2', 1021),
	];

	it('gives every node run exactly one request of its kind, from its worker, inside its window', () => {
		const m = matchRequests(runs, requests, KINDS, { toleranceMs: 0 });
		expect(m).toEqual({ matched: 6, missing: [], extra: [] });
	});

	it('matches a run kept from another attempt to the requests of the workers given for it', () => {
		// Execution 4 ran on worker1, which died; worker2 finished it with worker1's node runs and sent nothing.
		const kept = [{ executionId: 4, worker: 'worker2', workers: ['worker1', 'worker2', 'other'], run: run(2000) }];
		const sent = [req('/1.3/account', 'worker1', 2002), req('/api/customers', 'other', 2021)];
		expect(matchRequests(kept, sent, KINDS, { toleranceMs: 0 })).toEqual({ matched: 2, missing: [], extra: [] });
		const finisherOnly = matchRequests([{ ...kept[0], workers: undefined }], sent, KINDS, { toleranceMs: 0 });
		expect(finisherOnly.matched).toBe(0);
		expect(finisherOnly.extra).toHaveLength(2);
	});

	it('reports a request sent twice as extra', () => {
		const twice = [...requests, req('/api/customers', 'worker2', 1024)];
		const m = matchRequests(runs, twice, KINDS, { toleranceMs: 0 });
		expect(m.matched).toBe(6);
		expect(m.extra).toEqual([twice[6]]);
	});

	it('does not count a request from another process, or outside the window, for a run', () => {
		const wrong = requests.map((r, i) => (i === 2 ? { ...r, client: 'worker1' } : i === 5 ? { ...r, startedAt: 900 } : r));
		const m = matchRequests(runs, wrong, KINDS, { toleranceMs: 0 });
		expect(m.missing).toEqual([
			{ executionId: 3, node: 'Get Current', worker: 'worker2' },
			{ executionId: 3, node: 'Customers', worker: 'worker2' },
		]);
		expect(m.extra).toHaveLength(2);
	});

	it('reports a node without run data as missing', () => {
		const m = matchRequests([{ executionId: 9, worker: 'worker1', run: undefined }], [], KINDS);
		expect(m.missing).toHaveLength(2);
	});

	it('ignores requests of other kinds', () => {
		const m = matchRequests(runs, [...requests, req('/1.3/account/current_network_usage', 'worker1', 1003)], KINDS, { toleranceMs: 0 });
		expect(m).toEqual({ matched: 6, missing: [], extra: [] });
	});
});

describe('a killed worker\'s executions', () => {
	const killedAt = Date.parse('2026-12-07T12:00:10.000Z');
	const row = (id: number, status: string, stoppedAt: string | null) => ({ id, status, stoppedAt });

	it('tells re-run, failed, stored as it died, and lost apart', () => {
		const rows = [
			row(1, 'success', '2026-12-07T12:00:20.000Z'),
			row(2, 'error', '2026-12-07T12:00:40.000Z'),
			row(3, 'success', '2026-12-07T12:00:09.990Z'),
			row(4, 'success', '2026-12-07T12:00:10.500Z'),
			row(5, 'running', null),
		];
		const fates = fateOfInterrupted({ interrupted: [1, 2, 3, 4, 5, 6], rerun: [1], rows, killedAt });
		expect(Object.fromEntries(fates)).toEqual({ 1: 'rerun', 2: 'failed', 3: 'storedAsItDied', 4: 'lost', 5: 'failed', 6: 'lost' });
	});

	it('gives a success no log calls finished to the one worker that started it, never to one of two', () => {
		const worker = (role: string, lines: string[]) => ({ role, lines, lineCount: () => lines.length });
		const cluster = {
			workers: [
				worker('worker1', ['Worker started execution 7', 'Worker started execution 8', 'Worker finished execution 8', 'Worker started execution 9']),
				worker('worker2', ['Worker started execution 9', 'Worker started execution 10', 'Worker finished execution 10']),
			],
		};
		const byWorker = finishingWorker(activityByExecution(cluster, { worker1: 0, worker2: 0 }), [7, 8, 9, 10]);
		expect(Object.fromEntries(byWorker)).toEqual({ 7: 'worker1', 8: 'worker1', 10: 'worker2' });
	});
});

describe('/proc/net/tcp', () => {
	const table = [
		'  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
		'   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 11111 1 0000000000000000 100 0 0 10 0',
		'   1: 0100007F:D431 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 22222 1 0000000000000000 20 4 30 10 -1',
	].join('\n');

	it('reads the port of an address', () => {
		expect(portOf('0100007F:1F90')).toBe(8080);
	});

	it('finds the inode of the client socket by its local and peer port', () => {
		expect(socketInode(0xd431, 8080, table)).toBe('22222');
		expect(socketInode(0xd432, 8080, table)).toBeUndefined();
	});
});

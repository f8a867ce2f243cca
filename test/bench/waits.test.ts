import type { INodeProperties } from 'n8n-workflow';

import { UpCloud } from '../../nodes/UpCloud/UpCloud.node';
import { RESTART_LEAVE_GRACE_S } from '../../nodes/UpCloud/waits';

/** bench/waits.js: the "Requests per wait" section of `npm run bench` (the runs themselves need a real n8n). */
const waits = require('../../bench/waits') as {
	cases(target: { serverId: string; diskId: string }, grace: number): Case[];
	renderWaits(results: Array<{ version: string; rows: Row[] }>, grace: number): { lines: string[]; findings: string[]; failed: boolean };
	TIMINGS: Record<string, number>;
	POLL_S: number;
};

interface Mode {
	params: Record<string, unknown> & { resource: string; operation: string; options: Record<string, unknown> };
	gets?: [number, number];
	state: string;
}
interface Case {
	key: string;
	operation: string;
	on: Mode;
	off?: Mode;
}
interface Row {
	key: string;
	operation: string;
	timing: string;
	wait: boolean;
	calls: number;
	gets: number;
	total: number;
	failed: number;
	expectedGets: [number, number];
	why: string;
	state: string;
	expectedState: string;
	ms: number;
	spanMs: number;
}

const TARGET = { serverId: '00de0001-0000-4000-8000-00000000de01', diskId: '01c254f1-0b9a-4950-8391-8e2669e1328f' };
const list = waits.cases(TARGET, RESTART_LEAVE_GRACE_S);

describe('bench/waits.js: the cases', () => {
	it('expects ⌈T / interval⌉ GETs for a transition due T after the call, with the sandbox timings of the run', () => {
		expect(waits.POLL_S).toBe(1);
		expect(waits.TIMINGS).toEqual({ stopMs: 2500, restartDelayMs: 1500, restartMs: 2000, storageMs: 2500 });
		expect(Object.fromEntries(list.map((c) => [c.key, c.on.gets]))).toEqual({
			stop: [3, 3],
			start: [0, 0],
			restart: [4, 4],
			// Timeout 1 s + 30 s of grace, every poll `started`: the 31st GET, or the 30th when the polls' own time adds up.
			quickRestart: [30, 31],
			backup: [4, 4],
			clone: [3, 3],
		});
		expect(list.map((c) => [c.key, c.on.state, c.off?.state])).toEqual([
			['stop', 'stopped', 'started'],
			['start', 'started', 'started'],
			['restart', 'started', 'started'],
			['quickRestart', 'started', undefined],
			['backup', 'online', 'maintenance'],
			['clone', 'online', 'maintenance'],
		]);
	});

	it('sends parameters the UpCloud node has for that operation, with the wait on or off and Poll Interval 1 s', () => {
		const properties = new UpCloud().description.properties;
		const shownFor = (p: INodeProperties, resource: string, operation: string) => {
			const show = p.displayOptions?.show ?? {};
			return (!show.resource || show.resource.includes(resource)) && (!show.operation || show.operation.includes(operation));
		};
		for (const c of list) {
			for (const [wait, mode] of [[true, c.on], [false, c.off]] as const) {
				if (!mode) continue;
				const { resource, operation, options } = mode.params;
				for (const name of Object.keys(mode.params)) {
					expect([c.key, name, properties.some((p) => p.name === name && shownFor(p, resource, operation))]).toEqual([c.key, name, true]);
				}
				const collection = properties.find((p) => p.name === 'options' && shownFor(p, resource, operation) && p.displayOptions?.show?.resource);
				const optionNames = (collection?.options as INodeProperties[]).map((o) => o.name);
				expect(Object.keys(options).filter((o) => !optionNames.includes(o))).toEqual([]);
				expect(options).toEqual({ waitForCompletion: wait, pollInterval: 1, waitTimeout: 60 });
			}
		}
	});
});

const row = (over: Partial<Row>): Row => ({
	key: 'stop',
	operation: 'Server → Stop (soft)',
	timing: '`stopped` 2.5 s after the call',
	wait: true,
	calls: 1,
	gets: 3,
	total: 4,
	failed: 0,
	expectedGets: [3, 3],
	why: '⌈2.5 s / 1 s⌉',
	state: 'stopped',
	expectedState: 'stopped',
	ms: 3100,
	spanMs: 3050,
	...over,
});
const off = row({ wait: false, gets: 0, total: 1, expectedGets: [0, 0], state: 'started', expectedState: 'started', ms: 40, spanMs: 0 });

describe('bench/waits.js: the rendered section', () => {
	it('renders one line per run with the requests, the expectation and the times, and no finding when all is as expected', () => {
		const out = waits.renderWaits([{ version: '1.123.81', rows: [row({}), off] }], 30);
		expect(out.failed).toBe(false);
		expect(out.findings).toEqual([]);
		expect(out.lines).toContain('| 1.123.81 | Server → Stop (soft) | `stopped` 2.5 s after the call | on | 4 (1 + 3) | 4 = 1 + ⌈2.5 s / 1 s⌉ | 3.10 s | 3.05 s | `stopped` |');
		expect(out.lines).toContain('| 1.123.81 | Server → Stop (soft) | `stopped` 2.5 s after the call | off | 1 (1 + 0) | 1 = the call | 0.04 s | 0.00 s | `started` |');
	});

	it('fails when the wait is off and more than one request was made, when a call went twice or a wait ended in another state', () => {
		for (const [bad, finding] of [
			[{ ...off, gets: 1, total: 2 }, 'made 2 requests; with the option off it must be exactly 1'],
			[{ ...off, calls: 2, total: 2 }, 'sent the call 2 times'],
			[row({ state: 'started' }), 'output the state `started`, expected `stopped`'],
		] as Array<[Row, string]>) {
			const out = waits.renderWaits([{ version: '2.41.1', rows: [row({}), bad] }], 30);
			expect(out.failed).toBe(true);
			expect(out.findings.join('\n')).toContain(finding);
		}
	});

	it('reports a GET count outside the expectation as a finding, without failing (a slow poll on a shared machine)', () => {
		const out = waits.renderWaits([{ version: '2.41.1', rows: [row({ gets: 4, total: 5 })] }], 30);
		expect(out.failed).toBe(false);
		expect(out.findings).toEqual([
			'n8n 2.41.1: Server → Stop (soft) with Wait for Completion on: 4 GETs, expected 3 (⌈2.5 s / 1 s⌉); on this shared machine a slow poll can move a GET past a transition.',
		]);
	});
});

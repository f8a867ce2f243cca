'use strict';
/**
 * The benchmark's "Requests per wait" section (issue #22): the UpCloud node's operations that wait for UpCloud to
 * finish, each run once by a real n8n (`n8n execute`) with Options → Wait for Completion on (Poll Interval 1 s)
 * and once off, against the sandbox's state machine with known transition times (POST /__control/state
 * {"serverTimings":…}). Per run: the requests the sandbox logged (the call + the GETs), the node's
 * `executionTime`, the time from the call to the last GET in the sandbox's log, and the state the node output.
 *
 * The expected number of GETs follows from the timings: the node sleeps one interval before each GET, so the
 * n-th GET reaches the sandbox a little after n intervals, and the first GET to see a transition that is due T ms
 * after the call is GET number ⌈T / interval⌉ (for T = 3 s and 1 s: the GET at 3.0x s, the third).
 * With the option off every operation must be exactly one request: anything else fails the benchmark, as does a
 * call sent twice or a wait that ends in the wrong state.
 */

const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const { ROOT, nodeNamed } = require('../scripts/lib/registry');
const { SANDBOX_CREDENTIALS } = require('../scripts/lib/sandbox');
const { executeWorkflow } = require('../scripts/lib/n8n');

const UPCLOUD = nodeNamed('upCloud');
const CREDENTIAL = SANDBOX_CREDENTIALS.upcloudToken;
const NODE_NAME = 'UpCloud';
/** The seeded server the waits act on (started, env=dev) and its one disk, found by title in the sandbox. */
const SERVER_TITLE = 'dev-1';

const POLL_S = 1;
const POLL_MS = POLL_S * 1000;
const WAIT_TIMEOUT_S = 60;
/** The sandbox's transition times for the run (ms); none a multiple of the interval, so no GET lands on the edge. */
const TIMINGS = { stopMs: 2500, restartDelayMs: 1500, restartMs: 2000, storageMs: 2500 };
/** A quick restart: through `maintenance` between two polls (0.2–0.5 s after the call), soft Timeout 1 s. */
const QUICK = { restartDelayMs: 200, restartMs: 300 };
const QUICK_TIMEOUT_S = 1;
/**
 * How long after the soft-stop timeout a restart seen `started` at every poll ends its wait: the built node's own
 * constant (nodes/UpCloud/waits.ts), read once the build exists.
 */
const restartLeaveGraceS = () => require(path.join(ROOT, path.dirname(UPCLOUD.entry), 'waits.js')).RESTART_LEAVE_GRACE_S;

const polls = (ms) => Math.ceil(ms / POLL_MS);
const sec = (ms) => `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
const rl = (value) => ({ __rl: true, mode: 'id', value });

/**
 * The cases, in the order they run. `needs` is the server's state before each run (brought about by a direct
 * call to the sandbox, outside the measured run); `gets` the expected number of GETs with the option on
 * ([min, max]; off: none); `settleMs` how long the sandbox is still busy after a run with the option off.
 */
function cases({ serverId, diskId }, grace) {
	const options = (wait) => ({ waitForCompletion: wait, pollInterval: POLL_S, waitTimeout: WAIT_TIMEOUT_S });
	const stop = (wait) => ({ resource: 'server', operation: 'stop', serverId: rl(serverId), stopType: 'soft', timeout: 60, options: options(wait) });
	const start = (wait) => ({ resource: 'server', operation: 'start', serverId: rl(serverId), options: options(wait) });
	const restart = (wait, timeout = 60) => ({
		resource: 'server', operation: 'restart', serverId: rl(serverId), stopType: 'soft', timeout, timeoutAction: 'ignore', options: options(wait),
	});
	const backup = (wait) => ({ resource: 'storage', operation: 'createBackup', storageId: rl(diskId), title: 'bench backup', options: options(wait) });
	const clone = (wait) => ({ resource: 'storage', operation: 'clone', storageId: rl(diskId), zone: 'fi-hel2', title: 'bench clone', options: options(wait) });
	const restartMs = TIMINGS.restartDelayMs + TIMINGS.restartMs;
	const quickLeave = (QUICK_TIMEOUT_S + grace) * 1000;
	return [
		{
			key: 'stop', operation: 'Server → Stop (soft)', needs: 'started', timing: `\`stopped\` ${sec(TIMINGS.stopMs)} after the call (answered \`started\`)`,
			on: { params: stop(true), gets: [polls(TIMINGS.stopMs), polls(TIMINGS.stopMs)], state: 'stopped', why: `⌈${sec(TIMINGS.stopMs)} / ${POLL_S} s⌉` },
			off: { params: stop(false), state: 'started', settleMs: TIMINGS.stopMs },
		},
		{
			key: 'start', operation: 'Server → Start', needs: 'stopped', timing: 'answered `started` (synchronous, as UpCloud recorded it)',
			on: { params: start(true), gets: [0, 0], state: 'started', why: '0 (the answer is already `started`)' },
			off: { params: start(false), state: 'started', settleMs: 0 },
		},
		{
			key: 'restart', operation: 'Server → Restart (soft)', needs: 'started',
			timing: `answered \`started\`, \`maintenance\` ${sec(TIMINGS.restartDelayMs)}–${sec(restartMs)} after the call, then \`started\``,
			on: { params: restart(true), gets: [polls(restartMs), polls(restartMs)], state: 'started', why: `⌈${sec(restartMs)} / ${POLL_S} s⌉` },
			off: { params: restart(false), state: 'started', settleMs: restartMs },
		},
		{
			key: 'quickRestart', operation: `Server → Restart (soft, Timeout ${QUICK_TIMEOUT_S} s), quick`, needs: 'started',
			timing: `\`maintenance\` ${sec(QUICK.restartDelayMs)}–${sec(QUICK.restartDelayMs + QUICK.restartMs)} after the call: between two polls`,
			timings: QUICK,
			// Every poll sees `started`; the wait ends at the first GET once Timeout + 30 s have passed (one GET earlier
			// when the polls' own time adds up to more than an interval).
			on: {
				params: restart(true, QUICK_TIMEOUT_S), gets: [polls(quickLeave) - 1, polls(quickLeave)], state: 'started',
				why: `⌈(${QUICK_TIMEOUT_S} s + ${grace} s) / ${POLL_S} s⌉`,
			},
		},
		{
			key: 'backup', operation: 'Storage → Create Backup', timing: `backup \`online\` and its storage \`online\` again ${sec(TIMINGS.storageMs)} after the call`,
			on: {
				params: backup(true), gets: [polls(TIMINGS.storageMs) + 1, polls(TIMINGS.storageMs) + 1], state: 'online',
				why: `⌈${sec(TIMINGS.storageMs)} / ${POLL_S} s⌉ on the backup + 1 on its storage`,
			},
			off: { params: backup(false), state: 'maintenance', settleMs: TIMINGS.storageMs },
		},
		{
			key: 'clone', operation: 'Storage → Clone', timing: `the copy \`online\` ${sec(TIMINGS.storageMs)} after the call`,
			on: { params: clone(true), gets: [polls(TIMINGS.storageMs), polls(TIMINGS.storageMs)], state: 'online', why: `⌈${sec(TIMINGS.storageMs)} / ${POLL_S} s⌉` },
			off: { params: clone(false), state: 'maintenance', settleMs: TIMINGS.storageMs },
		},
	];
}

/** One workflow per case and mode: Manual Trigger → the UpCloud node, with the sandbox's token credential. */
function waitWorkflow(id, params) {
	const start = { id: 'w-start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
	return {
		id,
		name: `bench: UpCloud ${params.resource} ${params.operation}, Wait for Completion ${params.options.waitForCompletion ? 'on' : 'off'}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			start,
			{
				id: 'w-upcloud',
				name: NODE_NAME,
				type: UPCLOUD.type,
				typeVersion: 1,
				position: [240, 0],
				parameters: params,
				credentials: { [CREDENTIAL.type]: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
			},
		],
		connections: { Start: { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] } },
	};
}

const workflowId = (key, wait) => `benchWait-${key}-${wait ? 'on' : 'off'}`;

/** The sandbox's /__control calls the section needs, and the direct UpCloud calls that prepare a run. */
function sandboxControl(sandbox) {
	const call = async (url, method, body, headers = {}) => {
		const res = await fetch(url, {
			method,
			headers: { accept: 'application/json', ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
			...(body ? { body: JSON.stringify(body) } : {}),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`sandbox ${method} ${url}: ${res.status} ${text.slice(0, 500)}`);
		return text ? JSON.parse(text) : {};
	};
	const control = (method, route, body) => call(`${sandbox.url}/__control${route}`, method, body);
	const { token, baseUrl } = sandbox.credentials.upcloudToken;
	return {
		timings: (serverTimings) => control('POST', '/state', { serverTimings }),
		infrastructure: async () => (await control('GET', '/state')).upcloud.infrastructure,
		clearLog: () => control('DELETE', '/requests'),
		upcloudRequests: async () => (await control('GET', '/requests?service=upcloud')).requests,
		upcloud: (method, path, body) => call(`${baseUrl}${path}`, method, body, { authorization: `Bearer ${token}` }),
	};
}

/** Polls the sandbox (every 200 ms, at most 20 s) until `ready(infrastructure)`. */
async function until(control, ready, what) {
	const deadline = Date.now() + 20000;
	while (!ready(await control.infrastructure())) {
		if (Date.now() > deadline) throw new Error(`the sandbox did not get ${what} within 20 s`);
		await sleep(200);
	}
}

/**
 * Before a run: the disk `online` and the server in the state the case needs, brought about by a direct hard stop
 * or start (outside the measured run: the log is cleared after it).
 */
async function prepareRun(control, { serverId, diskId }, needs) {
	const server = (infra) => infra.servers.find((s) => s.uuid === serverId);
	const disk = (infra) => infra.storages.find((s) => s.uuid === diskId);
	await until(control, (infra) => ['started', 'stopped'].includes(server(infra)?.state) && disk(infra)?.state === 'online', 'the server and disk settled');
	if (!needs || server(await control.infrastructure()).state === needs) return;
	if (needs === 'stopped') await control.upcloud('POST', `/server/${serverId}/stop`, { stop_server: { stop_type: 'hard' } });
	else await control.upcloud('POST', `/server/${serverId}/start`, {});
	await until(control, (infra) => server(infra)?.state === needs, `the server ${needs}`);
}

/** The workflows to import, one per case and mode (the server and disk are the sandbox's seeded ones). */
async function prepareWaits(sandbox) {
	const control = sandboxControl(sandbox);
	const infra = await control.infrastructure();
	const server = infra.servers.find((s) => s.title === SERVER_TITLE);
	if (!server || server.storages.length === 0) {
		throw new Error(`the sandbox has no server "${SERVER_TITLE}" with a disk (test/sandbox/upcloud/servers.js)`);
	}
	const target = { serverId: server.uuid, diskId: server.storages[0] };
	const grace = restartLeaveGraceS();
	const list = cases(target, grace);
	const workflows = [];
	for (const c of list) {
		for (const wait of [true, false]) {
			const mode = wait ? c.on : c.off;
			if (mode) workflows.push(waitWorkflow(workflowId(c.key, wait), mode.params));
		}
	}
	return { cases: list, workflows, control, target, grace };
}

/** One `n8n execute` of a wait workflow; the requests it made, its times and the state it output. */
async function executeWait(rt, env, control, c, wait) {
	const mode = wait ? c.on : c.off;
	await control.clearLog();
	const r = await executeWorkflow(rt, env, workflowId(c.key, wait), { timeoutMs: (WAIT_TIMEOUT_S + 120) * 1000 });
	const runData = r.run?.data?.resultData?.runData;
	const task = runData?.[NODE_NAME]?.[0];
	if (r.code !== 0 || !task || task.error || r.run.data.resultData.error) {
		const message = task?.error?.message ?? r.run?.data?.resultData?.error?.message ?? r.text.slice(-1500);
		throw new Error(`${c.operation}, wait ${wait ? 'on' : 'off'}: execute failed (exit ${r.code}): ${message}`);
	}
	const requests = await control.upcloudRequests();
	const items = task.data.main[0];
	return {
		key: c.key,
		operation: c.operation,
		timing: c.timing,
		wait,
		calls: requests.filter((q) => q.method !== 'GET').length,
		gets: requests.filter((q) => q.method === 'GET').length,
		total: requests.length,
		failed: requests.filter((q) => q.status >= 400).length,
		expectedGets: wait ? mode.gets : [0, 0],
		why: wait ? mode.why : 'none',
		state: items.length === 1 ? items[0].json.state : `${items.length} items`,
		expectedState: mode.state,
		ms: task.executionTime,
		// From the call to the last GET, as the sandbox logged them: the wait as UpCloud would see it.
		spanMs: requests.length > 1 ? requests[requests.length - 1].startedAt - requests[0].startedAt : 0,
	};
}

/** Runs every case on one n8n, on and then off; restores the sandbox's default timings at the end. */
async function benchWaits(rt, env, prepared, log) {
	const { control, target } = prepared;
	const rows = [];
	try {
		for (const c of prepared.cases) {
			for (const wait of [true, false]) {
				const mode = wait ? c.on : c.off;
				if (!mode) continue;
				await control.timings(TIMINGS);
				await prepareRun(control, target, c.needs);
				if (c.timings) await control.timings({ ...TIMINGS, ...c.timings });
				const row = await executeWait(rt, env, control, c, wait);
				rows.push(row);
				log(`n8n ${rt.version} waits: ${c.operation}, wait ${wait ? 'on' : 'off'}: ${row.calls} call + ${row.gets} GETs, ${(row.ms / 1000).toFixed(2)} s, ${row.state}`);
				// With the option off the sandbox is still at work: its transitions end before the next run is prepared.
				if (!wait && mode.settleMs) await sleep(mode.settleMs + 300);
			}
		}
		await control.timings(TIMINGS);
		await prepareRun(control, target, 'started');
	} finally {
		await control.timings(null);
	}
	return rows;
}

/**
 * The section's markdown lines and its findings; `failed` when off was not one request, a call was repeated or a
 * wait ended in the wrong state. `results`: [{ version, rows }]; `grace`: RESTART_LEAVE_GRACE_S.
 */
function renderWaits(results, grace) {
	const lines = [];
	const findings = [];
	let failed = false;
	const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
	lines.push('## Requests per wait');
	lines.push('');
	lines.push(
		'The UpCloud node\'s operations that wait for UpCloud to finish, each run once by `n8n execute` with Options → ' +
			`Wait for Completion on (Poll Interval ${POLL_S} s, Wait Timeout ${WAIT_TIMEOUT_S} s) and once off, against the sandbox's ` +
			'state machine with the transition times shown (`POST /__control/state {"serverTimings":…}`). Requests are the ' +
			'sandbox\'s log of the run: the call, then the GETs of the wait. The node sleeps one interval before each GET, so ' +
			'the first GET to see a transition due T after the call is GET number ⌈T / interval⌉.',
	);
	lines.push('');
	lines.push('| n8n | operation | sandbox timing | Wait for Completion | requests (call + GETs) | expected | node time | call → last GET | output state |');
	lines.push('|---|---|---|---|---:|---|---:|---:|---|');
	for (const { version, rows } of results) {
		for (const r of rows) {
			const [min, max] = r.expectedGets;
			const expected = r.wait ? `${1 + min}${max !== min ? `–${1 + max}` : ''} = 1 + ${r.why}` : '1 = the call';
			lines.push(
				`| ${version} | ${r.operation} | ${r.timing} | ${r.wait ? 'on' : 'off'} | ${r.total} (${r.calls} + ${r.gets}) | ${expected} | ${fmt(r.ms)} | ${fmt(r.spanMs)} | \`${r.state}\` |`,
			);
			const where = `n8n ${version}: ${r.operation} with Wait for Completion ${r.wait ? 'on' : 'off'}`;
			if (!r.wait && r.total !== 1) {
				failed = true;
				findings.push(`**${where} made ${r.total} requests; with the option off it must be exactly 1.**`);
			}
			if (r.calls !== 1) {
				failed = true;
				findings.push(`**${where} sent the call ${r.calls} times; a write is sent exactly once.**`);
			}
			if (r.state !== r.expectedState) {
				failed = true;
				findings.push(`**${where} output the state \`${r.state}\`, expected \`${r.expectedState}\`.**`);
			}
			if (r.failed > 0) findings.push(`${where}: ${r.failed} of its requests were answered with an error (retried GETs count as GETs).`);
			if (r.wait && (r.gets < min || r.gets > max)) {
				findings.push(
					`${where}: ${r.gets} GETs, expected ${min === max ? min : `${min}–${max}`} (${r.why}); on this shared machine a slow poll can move a GET past a transition.`,
				);
			}
		}
	}
	lines.push('');
	lines.push(
		'With the option off every operation is exactly one request (the benchmark fails otherwise) and the output is ' +
			'UpCloud\'s immediate answer: Stop\'s still says `started`, a backup or clone is still in `maintenance`. With it on, ' +
			'a wait costs one GET per poll interval of the transition: Start none (its answer is already `started`), Create ' +
			'Backup one more for the storage it was taken of. A quick restart that passes through `maintenance` between two ' +
			`polls is the expensive case: the node cannot tell it from one that has not begun and polls until the soft-stop ` +
			`Timeout + ${grace} s have passed (waits.ts, RESTART_LEAVE_GRACE_S). At the default Poll Interval ` +
			'of 5 s a wait costs ⌈T / 5 s⌉ GETs instead.',
	);
	lines.push('');
	return { lines, findings, failed };
}

module.exports = { prepareWaits, benchWaits, renderWaits, cases, TIMINGS, QUICK, POLL_S };

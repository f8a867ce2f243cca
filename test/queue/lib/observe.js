'use strict';
/**
 * What the queue-mode suite looks at: execution rows and run data in Postgres, what the worker logs say, the
 * webhook calls that start executions, and which requests the sandbox saw for which node run.
 */

const path = require('node:path');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const FINAL = ['success', 'error', 'crashed', 'canceled'];

/** Execution rows of a workflow with an id above `afterId`, oldest first. */
async function executions(cluster, workflowId, afterId = 0) {
	const rows = await cluster.query(
		'SELECT id, status, mode, finished, "startedAt", "stoppedAt", "createdAt" FROM execution_entity WHERE "workflowId" = $1 AND id > $2 ORDER BY id',
		[workflowId, afterId],
	);
	return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

async function lastExecutionId(cluster) {
	const [row] = await cluster.query('SELECT COALESCE(MAX(id), 0) AS id FROM execution_entity');
	return Number(row.id);
}

/**
 * Waits until `predicate(rows)` holds for the workflow's executions above `afterId`. Gives up after `timeoutMs`, or
 * after `stallMs` without any row changing status, and then resolves the rows as they are (the caller asserts).
 */
async function waitForExecutions(cluster, workflowId, afterId, predicate, { timeoutMs = 120000, stallMs = 0, intervalMs = 500 } = {}) {
	const started = Date.now();
	let lastKey = '';
	let lastChange = Date.now();
	for (;;) {
		const rows = await executions(cluster, workflowId, afterId);
		if (predicate(rows)) return rows;
		const key = rows.map((r) => `${r.id}:${r.status}`).join(',');
		if (key !== lastKey) {
			lastKey = key;
			lastChange = Date.now();
		}
		if (Date.now() - started > timeoutMs || (stallMs && Date.now() - lastChange > stallMs)) return rows;
		await sleep(intervalMs);
	}
}

const allFinal = (count) => (rows) => rows.length >= count && rows.every((r) => FINAL.includes(r.status));

function countBy(list, key) {
	const out = {};
	for (const x of list) out[key(x)] = (out[key(x)] ?? 0) + 1;
	return out;
}

/** The run data of executions, shaped like `n8n execute --rawOutput` output (`{ data: { resultData } }`). */
async function runsOf(cluster, ids) {
	if (ids.length === 0) return new Map();
	const flatted = require(path.join(cluster.rt.dir, 'node_modules', 'flatted'));
	const rows = await cluster.query('SELECT "executionId", data FROM execution_data WHERE "executionId" = ANY($1::int[])', [ids]);
	return new Map(rows.map((r) => [Number(r.executionId), { data: flatted.parse(r.data) }]));
}

/**
 * What a worker's log says about executions: `started`/`finished` map execution id → number of times (a job n8n
 * hands out again after a worker died is started a second time). Lines from `since` on.
 */
function workerActivity(worker, since = 0) {
	const started = new Map();
	const finished = new Map();
	const lines = worker.lines.slice(Math.max(0, since - (worker.lineCount() - worker.lines.length)));
	for (const line of lines) {
		let m = /Worker started execution (\d+)/.exec(line);
		if (m) started.set(Number(m[1]), (started.get(Number(m[1])) ?? 0) + 1);
		m = /Worker finished execution (\d+)/.exec(line);
		if (m) finished.set(Number(m[1]), (finished.get(Number(m[1])) ?? 0) + 1);
	}
	return { started, finished };
}

/**
 * What became of each execution a killed worker had started but not logged as finished: `rerun` (another worker
 * started it), `failed` (it ended other than success), `storedAsItDied` (it ended success, stopped no later than the
 * kill, and no one else ran it: the victim stored it and died before its "finished" line was written), or `lost`
 * (none of these: an execution n8n dropped or ended success without a worker, which the suite fails on).
 */
function fateOfInterrupted({ interrupted, rerun, rows, killedAt }) {
	const rowOf = new Map(rows.map((x) => [x.id, x]));
	const fates = new Map();
	for (const id of interrupted) {
		const row = rowOf.get(id);
		const stoppedAt = row?.stoppedAt ? new Date(row.stoppedAt).getTime() : Infinity;
		if (rerun.includes(id)) fates.set(id, 'rerun');
		else if (row && row.status !== 'success') fates.set(id, 'failed');
		else if (row && stoppedAt <= killedAt) fates.set(id, 'storedAsItDied');
		else fates.set(id, 'lost');
	}
	return fates;
}

/** Line positions of every process now, so a phase reads only its own log lines. */
function logMarks(cluster) {
	const marks = {};
	for (const p of [cluster.main, ...cluster.workers]) if (p) marks[p.role] = p.lineCount();
	return marks;
}

/**
 * Starts `count` executions by POSTing to a production webhook, `concurrency` calls at a time. Each call must be
 * answered 200 `{"message":"Workflow was started"}`. Resolves `{ accepted, refused: [..], firstSentAt, lastAnsweredAt }`.
 * `onAccepted(n)` is called after each accepted call (the worker-kill phase waits on it).
 */
async function fireWebhooks(url, { count, concurrency = 20, onAccepted } = {}) {
	let next = 0;
	let accepted = 0;
	const refused = [];
	const firstSentAt = Date.now();
	let lastAnsweredAt = firstSentAt;
	const one = async (n) => {
		try {
			const res = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ n }),
				signal: AbortSignal.timeout(60000),
			});
			const text = await res.text();
			if (res.status === 200 && /Workflow was started/.test(text)) {
				accepted += 1;
				onAccepted?.(accepted);
			} else refused.push({ n, status: res.status, body: text.slice(0, 200) });
		} catch (err) {
			refused.push({ n, status: 0, body: err.message });
		}
		lastAnsweredAt = Date.now();
	};
	const lanes = Array.from({ length: Math.min(concurrency, count) }, async () => {
		while (next < count) await one(next++);
	});
	await Promise.all(lanes);
	return { accepted, refused, firstSentAt, lastAnsweredAt };
}

/**
 * Matches the sandbox's requests to the node runs that sent them. A node run of execution E on worker W sends its
 * request between the node's start and end (`startTime`, `+ executionTime` in the run data); the sandbox logs each
 * request with the process that sent it (`client`) and when it arrived and was answered. `nodeRequests` maps node
 * name → "METHOD /path". Every run must get exactly one request of its kind from its worker inside its window.
 *
 * `runs`: [{ executionId, worker, workers?, run }], `workers` the clients whose requests may be that run's (default
 * [worker]). Resolves `{ matched, missing: [{executionId, node}], extra: [request] }`:
 * `extra` are requests no node run accounts for (a request sent twice, or by a run whose data is lost).
 */
function matchRequests(runs, requests, nodeRequests, { toleranceMs = 5 } = {}) {
	const slots = [];
	for (const { executionId, worker, workers, run } of runs) {
		const runData = run?.data?.resultData?.runData ?? {};
		for (const [node, kind] of Object.entries(nodeRequests)) {
			const task = runData[node]?.[0];
			if (!task) {
				slots.push({ executionId, node, kind, worker, workers, from: Infinity, to: -Infinity });
				continue;
			}
			slots.push({ executionId, node, kind, worker, workers, from: task.startTime - toleranceMs, to: task.startTime + task.executionTime + toleranceMs });
		}
	}
	const kinds = new Set(Object.values(nodeRequests));
	const pool = requests.filter((r) => kinds.has(`${r.method} ${r.path}`)).map((r) => ({ r, at: r.startedAt, done: Date.parse(r.time), used: false }));
	pool.sort((a, b) => a.at - b.at);
	// Earliest-ending window first, each taking the earliest request that fits: a perfect matching exists iff this finds one.
	slots.sort((a, b) => a.to - b.to);
	let matched = 0;
	const missing = [];
	for (const s of slots) {
		const senders = s.workers ?? [s.worker];
		const hit = pool.find((p) => !p.used && senders.includes(p.r.client) && `${p.r.method} ${p.r.path}` === s.kind && p.at >= s.from && p.done <= s.to);
		if (hit) {
			hit.used = true;
			matched += 1;
		} else missing.push({ executionId: s.executionId, node: s.node, worker: s.worker });
	}
	return { matched, missing, extra: pool.filter((p) => !p.used).map((p) => p.r) };
}

/** The workers' logs since `marks`, by execution: `startedBy` (roles, in worker order) and `finishedBy` (a role). */
function activityByExecution(cluster, marks) {
	const startedBy = new Map();
	const finishedBy = new Map();
	for (const w of cluster.workers) {
		if (!w) continue;
		const activity = workerActivity(w, marks[w.role] ?? 0);
		for (const id of activity.started.keys()) startedBy.set(id, [...(startedBy.get(id) ?? []), w.role]);
		for (const id of activity.finished.keys()) finishedBy.set(id, w.role);
	}
	return { startedBy, finishedBy };
}

/**
 * The worker that finished each of `ids` (executions that ended success), from `activityByExecution`. One that no
 * log calls finished but exactly one worker started was finished by that worker: killed right after storing it, it
 * did not get to write the line.
 */
function finishingWorker({ startedBy, finishedBy }, ids) {
	const out = new Map(finishedBy);
	for (const id of ids) if (!out.has(id) && startedBy.get(id)?.length === 1) out.set(id, startedBy.get(id)[0]);
	return out;
}

module.exports = {
	FINAL,
	sleep,
	executions,
	lastExecutionId,
	waitForExecutions,
	allFinal,
	countBy,
	runsOf,
	workerActivity,
	fateOfInterrupted,
	activityByExecution,
	logMarks,
	fireWebhooks,
	matchRequests,
	finishingWorker,
};

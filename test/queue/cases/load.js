'use strict';
/**
 * c. Load: N webhook-started executions (500 by default, 20 calls at a time) of Webhook → UpCloud Get Current →
 * Upzelo Customer Get Many (Limit 10), across the two workers; then the same job built with two HTTP Request nodes,
 * in the same cluster, in the same run. Pass: N `success` rows, 0 failed, 0 missing, and for every execution the two
 * requests seen by the sandbox, each from the worker that ran it, inside the run of the node that sent it.
 *
 * d. A worker dies: the same load, and one worker is killed with SIGKILL (its whole process group, as when its
 * machine or container dies) once a third of the executions are done. What n8n does with the executions that worker
 * held is reported in counts; every request is accounted for by a node run, or by an attempt the dead worker never
 * finished (at most one request per node of those), so nothing was sent twice unseen.
 */

const assert = require('node:assert/strict');

const { LOAD_REQUESTS, loadOursWorkflow, loadHttpWorkflow } = require('../lib/workflows');
const o = require('../lib/observe');

const WARM_UP = 100;

/** Fires `count` executions of `wf` and waits until all are final (or nothing changes for `stallMs`). */
async function loadRun(ctx, wf, { count, concurrency = 20, onAccepted, stallMs = 60000, timeoutMs = 300000 }) {
	const { cluster, sandbox } = ctx;
	const afterId = await o.lastExecutionId(cluster);
	const seq = sandbox.state.seq;
	const marks = o.logMarks(cluster);
	const fired = await o.fireWebhooks(`${cluster.main.url}/webhook/${wf.webhookPath}`, { count, concurrency, onAccepted });
	const rows = await o.waitForExecutions(cluster, wf.id, afterId, o.allFinal(fired.accepted), { timeoutMs, stallMs });
	const requests = sandbox.requests().filter((r) => r.seq > seq);
	const lastStop = Math.max(...rows.map((r) => (r.stoppedAt ? new Date(r.stoppedAt).getTime() : 0)));
	const wallMs = lastStop - fired.firstSentAt;
	return { wf, afterId, marks, fired, rows, requests, wallMs, perSecond: (rows.length / wallMs) * 1000 };
}

/** Request accounting of a load run: every run's two requests matched, from the worker that finished it. */
async function account(ctx, r) {
	const { cluster } = ctx;
	const done = r.rows.filter((x) => x.status === 'success');
	const activity = o.activityByExecution(cluster, r.marks);
	const byWorker = o.finishingWorker(activity, done.map((x) => x.id));
	const runs = await o.runsOf(cluster, done.map((x) => x.id));
	// An execution started by two workers (n8n 1.x hands a dead worker's job out again) may keep the run data of
	// either attempt: seen once, the survivor finished it at once with the dead worker's node runs. The dead
	// worker's last requests can reach the sandbox after its sockets are gone, logged as client "other".
	const { startedBy } = activity;
	const sendersOf = (id) => {
		const roles = startedBy.get(id) ?? [];
		return roles.length > 1 ? [...roles, 'other'] : [byWorker.get(id)];
	};
	const matched = o.matchRequests(
		done.map((x) => ({ executionId: x.id, worker: byWorker.get(x.id), workers: sendersOf(x.id), run: runs.get(x.id) })),
		r.requests,
		LOAD_REQUESTS[r.wf.id],
	);
	return { ...matched, byWorker: o.countBy([...byWorker.values()], (w) => w), senders: o.countBy(r.requests, (x) => x.client) };
}

const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

async function loadPhase(ctx) {
	const { t, record, opts } = ctx;
	const n = opts.executions;
	const ours = loadOursWorkflow();
	const http = loadHttpWorkflow(ctx.sandbox);
	const results = {};

	await t(`c. warm-up: ${WARM_UP} executions of each build (not measured)`, async () => {
		for (const wf of [ours, http]) {
			const r = await loadRun(ctx, wf, { count: WARM_UP, stallMs: 30000 });
			assert.equal(r.rows.filter((x) => x.status === 'success').length, WARM_UP, `${wf.name}: ${JSON.stringify(o.countBy(r.rows, (x) => x.status))}`);
		}
	});

	// ABBA order (ours, HTTP, HTTP, ours, …), so a drift of the shared machine over time weighs on both alike.
	const builds = { ours: [ours, 'UpCloud Get Current → Upzelo Get Many (Limit 10)'], http: [http, 'the same with two HTTP Request nodes'] };
	const order = Array.from({ length: opts.rounds }, (_, i) => (i % 2 === 0 ? ['ours', 'http'] : ['http', 'ours'])).flat();
	for (const [i, key] of order.entries()) {
		const [wf, label] = builds[key];
		await t(`c. load ${i + 1}/${order.length}: ${n} webhook calls, 20 at a time, of ${label}: ${n} success rows, 0 failed, 0 missing, 2 requests each`, async () => {
			const r = await loadRun(ctx, wf, { count: n });
			const statuses = o.countBy(r.rows, (x) => x.status);
			const acc = await account(ctx, r);
			(results[key] = results[key] ?? []).push(r);
			record(`c.${i + 1}.${key}`, {
				accepted: r.fired.accepted,
				rows: r.rows.length,
				statuses,
				wall: secs(r.wallMs),
				perSecond: Number(r.perSecond.toFixed(1)),
				acceptedIn: secs(r.fired.lastAnsweredAt - r.fired.firstSentAt),
				executionsByWorker: acc.byWorker,
				requestsBySender: acc.senders,
				requestsMatched: acc.matched,
				requestsExtra: acc.extra.length,
			});
			assert.equal(r.fired.accepted, n, `${r.fired.refused.length} webhook calls refused: ${JSON.stringify(r.fired.refused.slice(0, 3))}`);
			assert.equal(r.rows.length, n, `${n} execution rows (got ${r.rows.length}: ${n - r.rows.length} missing)`);
			assert.deepEqual(statuses, { success: n }, 'every execution succeeded');
			assert.equal(acc.missing.length, 0, `node runs without their request: ${JSON.stringify(acc.missing.slice(0, 5))}`);
			assert.equal(acc.extra.length, 0, `requests no node run accounts for: ${JSON.stringify(acc.extra.slice(0, 3))}`);
			assert.equal(acc.matched, 2 * n);
			assert.equal(acc.senders.main, undefined, 'main sent none of them');
			assert.ok(Object.keys(acc.byWorker).length === 2, `both workers ran executions: ${JSON.stringify(acc.byWorker)}`);
		});
	}
	if (results.ours?.length && results.http?.length) {
		// Executions per second over all runs of a build: all its executions ÷ all its wall time.
		const rate = (runs) => (runs.reduce((a, r) => a + r.rows.length, 0) / runs.reduce((a, r) => a + r.wallMs, 0)) * 1000;
		const summary = { ours: Number(rate(results.ours).toFixed(1)), http: Number(rate(results.http).toFixed(1)) };
		summary.ratio = Number((summary.ours / summary.http).toFixed(2));
		record('c.summary', { executionsPerSecond: summary, runsEach: results.ours.length });
		process.stdout.write(`      executions/s: ours ${summary.ours}, HTTP Request ${summary.http}; ours ÷ HTTP Request = ${summary.ratio}\n`);
	}
}

async function workerDiesPhase(ctx) {
	const { t, cluster, record, opts } = ctx;
	const n = opts.killExecutions;
	const wf = loadOursWorkflow();
	const victim = 0;

	await t(`d. worker1 killed (SIGKILL) during a load run of ${n} executions: every execution accounted for, no request sent twice unseen`, async () => {
		const victimRole = cluster.workers[victim].role;
		const marks = o.logMarks(cluster);
		let killStartedAt;
		let killedAt;
		// Kill once a third of the executions are done, while the calls are still coming in.
		const afterId = await o.lastExecutionId(cluster);
		let running = true;
		const watcher = (async () => {
			while (running) {
				const [row] = await cluster.query(`SELECT COUNT(*) AS c FROM execution_entity WHERE "workflowId" = $1 AND id > $2 AND status = 'success'`, [wf.id, afterId]);
				if (Number(row.c) >= n / 3) {
					killStartedAt = Date.now();
					await cluster.killWorker(victim);
					killedAt = Date.now();
					return;
				}
				await o.sleep(100);
			}
		})();
		const r = await loadRun(ctx, wf, { count: n, stallMs: 45000, timeoutMs: 240000 }).finally(() => {
			running = false;
		});
		await watcher;
		assert.ok(killedAt, 'the worker was killed during the run');

		const statuses = o.countBy(r.rows, (x) => x.status);
		const acc = await account(ctx, r);
		const survivor = cluster.workers.find((w, i) => i !== victim);
		const onVictim = o.workerActivity(cluster.workers[victim], marks[victimRole]);
		const onSurvivor = o.workerActivity(survivor, marks[survivor.role]);
		// In the middle of these when it died (its log says started, not finished).
		const interrupted = [...onVictim.started.keys()].filter((id) => !onVictim.finished.has(id));
		// Handed out again after the victim's lock on them expired (1.x retries a stalled job once).
		const rerun = [...onVictim.started.keys()].filter((id) => onSurvivor.started.has(id));
		const fates = o.fateOfInterrupted({ interrupted, rerun, rows: r.rows, killedAt });
		const notSuccess = r.rows.filter((x) => x.status !== 'success');
		const finishedByAnyone = new Set([...onVictim.finished.keys(), ...onSurvivor.finished.keys()]);
		const messages = await errorMessages(ctx, notSuccess.map((x) => x.id));
		// A request the victim sent just before it died can reach the sandbox after it is gone; then no live process
		// holds its socket ("other"). Only such requests, arriving during the kill, count as the victim's.
		const lateFromVictim = (x) => x.client === 'other' && x.startedAt >= killStartedAt - 50 && x.startedAt <= killedAt + 1000;
		const extra = acc.extra.map((x) => (lateFromVictim(x) ? { ...x, client: victimRole, late: true } : x));
		const settled = r.rows.filter((x) => interrupted.includes(x.id) || notSuccess.includes(x));
		const lastSettled = Math.max(0, ...settled.map((x) => (x.stoppedAt ? new Date(x.stoppedAt).getTime() : 0)));
		const outcome = {
			accepted: r.fired.accepted,
			rows: r.rows.length,
			statuses,
			killedAfterSuccesses: Math.ceil(n / 3),
			interruptedOnVictim: interrupted.length,
			interruptedEndedAs: o.countBy(r.rows.filter((x) => interrupted.includes(x.id)), (x) => ({ rerun: `${x.status} after a re-run on ${survivor.role}`, storedAsItDied: 'success, stored by it as it died' })[fates.get(x.id)] ?? x.status),
			takenButNotStartedByVictim: notSuccess.filter((x) => !onVictim.started.has(x.id)).length,
			rerunOnOtherWorker: rerun.length,
			settledAfterKill: lastSettled ? secs(lastSettled - killedAt) : 'not settled',
			executionsByWorker: acc.byWorker,
			requestsMatchedToRuns: acc.matched,
			requestsOfInterruptedAttempts: o.countBy(extra, (x) => `${x.client} ${x.method} ${x.path}${x.late ? ' (arrived as it died)' : ''}`),
			errorMessages: messages,
		};
		record('d', outcome);
		process.stdout.write(`      ${JSON.stringify(outcome)}\n`);

		assert.equal(r.fired.accepted, n, `every webhook call accepted (${r.fired.refused.length} refused)`);
		assert.equal(r.rows.length, n, `a row for every accepted call (${n - r.rows.length} missing)`);
		assert.ok(interrupted.length > 0, 'the killed worker was running executions when it died');
		assert.ok(r.rows.every((x) => o.FINAL.includes(x.status)), `every execution ended: ${JSON.stringify(statuses)}`);
		// What did not succeed is what the victim held: at most its concurrency, never finished by a worker, with an error saying why.
		assert.ok(notSuccess.length <= cluster.concurrency, `${notSuccess.length} executions did not succeed, more than the ${cluster.concurrency} the dead worker could hold`);
		assert.ok(notSuccess.every((x) => !finishedByAnyone.has(x.id)), 'an execution a worker finished did not end success');
		assert.ok(notSuccess.every((x) => !onSurvivor.started.has(x.id)), 'a failed execution had been given to the surviving worker');
		assert.ok(!('(none)' in messages), `every failed execution carries n8n's error: ${JSON.stringify(messages)}`);
		const lost = interrupted.filter((id) => fates.get(id) === 'lost');
		assert.deepEqual(lost, [], 'every interrupted execution was re-run, ended with an error, or was stored by the dead worker before it died');
		// Every successful run has its two requests, from the worker that finished it, inside its node runs.
		assert.equal(acc.missing.length, 0, `node runs without their request: ${JSON.stringify(acc.missing.slice(0, 5))}`);
		// Left over: only attempts on the dead worker whose run data is not the one kept (interrupted, or run again
		// elsewhere), at most one request per node each.
		const attemptsWithoutRun = new Set([...interrupted, ...rerun]).size;
		for (const x of extra) assert.equal(x.client, victimRole, `a request no run accounts for came from ${x.client}: ${JSON.stringify(x)}`);
		for (const kind of Object.values(LOAD_REQUESTS[wf.id])) {
			const count = extra.filter((x) => `${x.method} ${x.path}` === kind).length;
			assert.ok(count <= attemptsWithoutRun, `${count} unaccounted ${kind} for ${attemptsWithoutRun} attempts of the dead worker`);
		}
	});
}

/** The error message n8n stored for each execution (the run data's workflow-level error), counted. */
async function errorMessages(ctx, ids) {
	const runs = await o.runsOf(ctx.cluster, ids);
	return o.countBy([...runs.values()], (run) => run.data?.resultData?.error?.message ?? '(none)');
}

module.exports = { loadPhase, workerDiesPhase };

'use strict';
/**
 * b. The UpCloud Usage Trigger in a cluster (credits, one level "below 500"): activated on main, it polls on main
 * only (every GET /1.3/account of a poll comes from main's process), its executions run on workers (the node after
 * it sends its request from a worker, and a worker logs the execution), and its state is the workflow's static data
 * in Postgres. Drive credits below the level: exactly one alert. Stay low for several polls: none. Restart main
 * while still low: none. Recover, cross again: exactly one more.
 *
 * n8n writes a poller's static data to Postgres only when the poll emits (and at activation): dist/
 * active-workflow-manager.js (1.x) and workflows/triggers/trigger-execution-context.factory.js (2.x) call
 * saveStaticData in `__emit`. A recovery that emits nothing therefore lives only in main's memory, and a restart or
 * re-activation before the next crossing loads the old alarm from Postgres (activation itself saves static data
 * after its first poll). The main workflow has Also Notify on Recovery on, so every change of state is an execution
 * and is saved, and nothing is repeated. The second part has it off: the first poll after the re-activation cannot
 * know whether the saved alarm ended, so the second crossing is alerted, marked `afterRestart` (at least once).
 */

const assert = require('node:assert/strict');

const { json } = require('../../e2e/lib/run-data');
const { triggerWorkflow } = require('../lib/workflows');
const o = require('../lib/observe');
const { controlSandbox } = require('../../sandbox/server');

const POLL = 'GET /1.3/account';
const AFTER = 'GET /1.3/account/current_network_usage';
const HIGH = 84215.3127;
const LOW = 4210;

/** The sandbox's readings (credits, month spend, …), as the usage trigger will poll them. */
const control = (sandbox, body) => controlSandbox(sandbox, 'state', body);

/** Driving one activated trigger workflow: polls, its executions, its static data in Postgres. */
function watcher(ctx, wf, { reactivateToPoll }) {
	const { cluster, sandbox } = ctx;
	const w = { wf, afterId: 0, since: 0, marks: {}, polls: 0 };

	/** Waits for main's next poll after sandbox request `seq`, then gives an emitted execution time to finish. */
	w.nextPoll = async (seq, label, timeoutMs = 30000) => {
		const t0 = Date.now();
		while (!sandbox.requests().some((r) => r.seq > seq && `${r.method} ${r.path}` === POLL)) {
			if (Date.now() - t0 > timeoutMs) throw new Error(`no poll within ${timeoutMs / 1000} s (${label})`);
			await o.sleep(200);
		}
		w.polls += 1;
		await o.sleep(1500);
		return w.executions();
	};
	/** One more poll: the next one on the cron, or (2.x, or when asked) one forced by deactivating and activating. */
	w.poll = async (label) => {
		const seq = sandbox.state.seq;
		if (reactivateToPoll) {
			await ctx.session.setActive(wf.id, false);
			await ctx.session.setActive(wf.id, true);
		}
		return w.nextPoll(seq, label);
	};
	w.activate = async () => {
		w.afterId = await o.lastExecutionId(cluster);
		w.since = sandbox.state.seq;
		w.marks = o.logMarks(cluster);
		await ctx.session.setActive(wf.id, true);
		return w.nextPoll(w.since, 'activation');
	};
	w.deactivate = () => ctx.session.setActive(wf.id, false);
	/** The workflow's executions, once none is still running, each with the state of its trigger item. */
	w.executions = async () => {
		const rows = await o.waitForExecutions(cluster, wf.id, w.afterId, (list) => list.every((r) => o.FINAL.includes(r.status)), { timeoutMs: 30000 });
		const runs = await o.runsOf(cluster, rows.map((r) => r.id));
		return rows.map((r) => ({ ...r, run: runs.get(r.id), state: runs.get(r.id) ? json(runs.get(r.id), 'Usage')[0]?.state : undefined }));
	};
	/** The level's status as stored in Postgres (`ok` / `alarm`). */
	w.stored = async () => {
		const [row] = await cluster.query('SELECT "staticData" FROM workflow_entity WHERE id = $1', [wf.id]);
		const data = typeof row.staticData === 'string' ? JSON.parse(row.staticData) : row.staticData;
		return Object.values(data?.['node:Usage']?.state?.levels ?? {}).map((l) => l.status).join(',');
	};
	return w;
}

const states = (rows) => rows.map((r) => `${r.id}:${r.status}:${r.state}`).join(' ');

async function triggerPhase(ctx) {
	const { t, cluster, sandbox, rt, record } = ctx;
	const major = Number(rt.version.split('.')[0]);
	const w = watcher(ctx, triggerWorkflow(rt.version), { reactivateToPoll: major >= 2 });

	await control(sandbox, { credits: HIGH });
	const activated = await t('b. Usage Trigger activated on main; its first poll (credits 842.15 EUR) emits nothing', async () => {
		const rows = await w.activate();
		assert.deepEqual(rows, [], 'no execution while credits are high');
		assert.equal(await w.stored(), 'ok', 'static data in Postgres holds the level as ok');
	});
	if (!activated) return;

	try {
		await t('b. credits drop to 42.10 EUR: exactly one alert execution, run on a worker', async () => {
			await control(sandbox, { credits: LOW });
			const rows = await w.poll('crossed');
			assert.equal(states(rows), `${rows[0]?.id}:success:alerting`, 'one alert');
			const [row] = rows;
			assert.equal(row.mode, 'trigger');
			const [item] = json(row.run, 'Usage');
			assert.equal(item.level, 'below 500');
			assert.equal(item.value, 42.1);
			assert.equal(json(row.run, 'Network Now').length, 1, 'the node after the trigger ran');
			const ranBy = cluster.workers.filter((x) => o.workerActivity(x, w.marks[x.role]).finished.has(row.id));
			assert.equal(ranBy.length, 1, `a worker logged "Worker finished execution ${row.id}"`);
			assert.equal(await w.stored(), 'alarm', 'static data in Postgres holds the level in alarm');
		});

		await t('b. three more polls while low: no further execution', async () => {
			let rows;
			for (let i = 1; i <= 3; i++) rows = await w.poll(`low ${i}`);
			assert.equal(rows.length, 1, `still one execution: ${states(rows)}`);
		});

		await t('b. main restarted while credits are still low: it polls again from the state in Postgres, no second alert', async () => {
			await cluster.stopMain();
			const seq = sandbox.state.seq;
			await cluster.startMain();
			await ctx.login();
			// Every activation polls once, also the one at start-up.
			let rows = await w.nextPoll(seq, 'start-up');
			rows = await w.poll('after restart');
			assert.equal(rows.length, 1, `still one execution after the restart: ${states(rows)}`);
			assert.equal(await w.stored(), 'alarm');
		});

		await t('b. credits recover ("resolved" execution), then drop again: exactly one more alert', async () => {
			await control(sandbox, { credits: HIGH });
			let rows = await w.poll('recovered');
			assert.equal(rows.length, 2, `the recovery is one execution: ${states(rows)}`);
			assert.equal(rows[1].state, 'resolved');
			assert.equal(await w.stored(), 'ok');
			await control(sandbox, { credits: LOW });
			rows = await w.poll('crossed again');
			assert.deepEqual(rows.map((r) => r.state), ['alerting', 'resolved', 'alerting'], `exactly one more alert: ${states(rows)}`);
			assert.ok(rows.every((r) => r.status === 'success'));
		});

		await t('b. every poll came from main, every request of the trigger executions from a worker', async () => {
			const requests = sandbox.requests().filter((r) => r.seq > w.since);
			const pollsBy = o.countBy(requests.filter((r) => `${r.method} ${r.path}` === POLL), (r) => r.client);
			const afterBy = o.countBy(requests.filter((r) => `${r.method} ${r.path}` === AFTER), (r) => r.client);
			assert.deepEqual(Object.keys(pollsBy), ['main'], `polls by process: ${JSON.stringify(pollsBy)}`);
			assert.ok(Object.keys(afterBy).every((role) => role.startsWith('worker')), `trigger executions' requests by process: ${JSON.stringify(afterBy)}`);
			assert.equal(Object.values(afterBy).reduce((a, b) => a + b, 0), 3, 'one request per execution (2 alerts, 1 recovery)');
			record('b', { pollsSeen: pollsBy.main, pollsWaitedFor: w.polls, executions: { alerting: 2, resolved: 1 }, nodeAfterTriggerRanOn: afterBy });
		});
	} finally {
		// 1.x would go on polling every 5 s through the load phases.
		await w.deactivate().catch(() => {});
	}

	await t('b. Also Notify on Recovery off: a recovery is kept in main\'s memory only; after a re-activation the next crossing is still alerted, marked afterRestart', async () => {
		const quiet = watcher(ctx, triggerWorkflow(rt.version, { id: 'queueTrigQuiet', notifyOnRecovery: false }), { reactivateToPoll: true });
		await control(sandbox, { credits: HIGH });
		try {
			await quiet.activate();
			await control(sandbox, { credits: LOW });
			let rows = await quiet.poll('crossed');
			assert.equal(states(rows), `${rows[0]?.id}:success:alerting`);
			await control(sandbox, { credits: HIGH });
			// A scheduled poll (not an activation, which saves static data) sees the recovery, emits nothing and so
			// saves nothing. 2.x schedules no faster than once a minute: this waits for the next full minute.
			const seq = sandbox.state.seq;
			rows = await quiet.nextPoll(seq, 'recovered', 75000);
			const storedAfterRecovery = await quiet.stored();
			await control(sandbox, { credits: LOW });
			rows = await quiet.poll('crossed again after a re-activation');
			const [repeat] = rows[1]?.run ? json(rows[1].run, 'Usage') : [];
			record('b.quietRecovery', { storedAfterRecovery, executions: rows.length, secondAfterRestart: repeat?.afterRestart });
			assert.equal(storedAfterRecovery, 'alarm', 'the recovery was not written to Postgres (n8n behaviour)');
			assert.equal(rows.length, 2, `the second crossing is alerted: ${states(rows)}`);
			assert.equal(rows[1].status, 'success');
			assert.equal(repeat?.state, 'alerting');
			assert.equal(repeat?.afterRestart, true, 'the alert after the re-activation is marked afterRestart');
			assert.equal(repeat?.previousState, 'unknown');
			assert.match(repeat?.message ?? '', /repeated after an n8n restart/);
			assert.equal(await quiet.stored(), 'alarm');
			// Its next poll (the same activation) repeats nothing.
			rows = await quiet.nextPoll(sandbox.state.seq, 'still low', 75000);
			assert.equal(rows.length, 2, `no further execution in the same activation: ${states(rows)}`);
		} finally {
			await quiet.deactivate().catch(() => {});
		}
	});
}

module.exports = { triggerPhase };

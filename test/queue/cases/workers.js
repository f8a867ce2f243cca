'use strict';
/**
 * a. Every node runs on a worker: one webhook-started workflow per package, run once each. The execution row in
 * Postgres is `success`, exactly one worker's log says it started and finished it (main only enqueued it), every
 * request the sandbox saw came from that worker, and the items are the ones the single-instance e2e expects. The
 * CSV file the worker produced is read back through main, from Postgres (binary-data mode `database`).
 */

const assert = require('node:assert/strict');

const { items } = require('../../e2e/lib/run-data');
const { checkReturnAll } = require('../../e2e/cases/upzelo');
const { UPCLOUD_CASES, upcloudWorkflow, upzeloWorkflow } = require('../lib/workflows');
const o = require('../lib/observe');

/** Runs `wf` once through its webhook and resolves `{ id, row, run, requests, worker }` after the worker-side checks. */
async function runOnce(ctx, wf) {
	const { cluster, sandbox } = ctx;
	const before = await o.lastExecutionId(cluster);
	const seq = sandbox.state.seq;
	const marks = o.logMarks(cluster);
	const fired = await o.fireWebhooks(`${cluster.main.url}/webhook/${wf.webhookPath}`, { count: 1 });
	assert.equal(fired.accepted, 1, `webhook call refused: ${JSON.stringify(fired.refused)}`);
	const rows = await o.waitForExecutions(cluster, wf.id, before, o.allFinal(1), { timeoutMs: 90000 });
	assert.equal(rows.length, 1, `one execution row (got ${rows.length})`);
	const [row] = rows;
	assert.equal(row.status, 'success', `execution ${row.id} in Postgres: ${row.status}`);
	assert.equal(row.mode, 'webhook');
	const run = (await o.runsOf(cluster, [row.id])).get(row.id);
	assert.ok(run, `run data of execution ${row.id} is in Postgres`);

	// The row can be final in Postgres a moment before the worker's "finished" log line has been read.
	const ranByNow = () =>
		cluster.workers.filter((w) => {
			const a = o.workerActivity(w, marks[w.role]);
			return a.started.get(row.id) === 1 && a.finished.get(row.id) === 1;
		});
	let ranBy = ranByNow();
	for (let waited = 0; ranBy.length === 0 && waited < 10000; waited += 200) {
		await new Promise((resolve) => setTimeout(resolve, 200));
		ranBy = ranByNow();
	}
	assert.equal(ranBy.length, 1, `exactly one worker logged "Worker started/finished execution ${row.id}" (got ${ranBy.map((w) => w.role).join(', ') || 'none'})`);
	const mainLines = cluster.main.lines.slice(-2000);
	assert.ok(mainLines.some((l) => l.includes(`Enqueued execution ${row.id} `)), `main logged "Enqueued execution ${row.id}"`);
	assert.ok(!mainLines.some((l) => l.includes(`Worker started execution ${row.id} `)), 'main did not run it');

	const requests = sandbox.requests().filter((r) => r.seq > seq);
	const senders = o.countBy(requests, (r) => r.client);
	assert.deepEqual(Object.keys(senders), [ranBy[0].role], `every request came from ${ranBy[0].role} (senders: ${JSON.stringify(senders)})`);
	return { id: row.id, row, run, requests, worker: ranBy[0].role, senders };
}

async function workersPhase(ctx) {
	const { t, cluster, session, record, tag, yearMonth } = ctx;

	await t('a. UpCloud workflow (account, network usage with the CSV file, partner accounts) runs on a worker with the e2e items', async () => {
		const wf = upcloudWorkflow({ tag });
		const r = await runOnce(ctx, wf);
		for (const c of UPCLOUD_CASES) await c.check(r.run, { requests: r.requests, tag, yearMonth });
		record('a.upcloud', { execution: r.id, worker: r.worker, requests: r.requests.length });

		// The CSV file a worker made, read back by main: in `database` mode it is in Postgres, not on the worker's disk.
		const [csv] = items(r.run, 'Transfer CSV');
		const ref = csv.binary.data;
		assert.match(String(ref.id), /^database:/, `binary data stored in mode "database" (id ${ref.id})`);
		const res = await session.get(`/rest/binary-data?id=${encodeURIComponent(ref.id)}&action=download`);
		assert.equal(res.status, 200, `main serves the worker's CSV: HTTP ${res.status}`);
		const lines = res.text.trim().split(/\r?\n/);
		assert.equal(lines.length, csv.json.rows + 1, `CSV has a header and ${csv.json.rows} rows (got ${lines.length} lines)`);
		const stored = await cluster.query('SELECT "mimeType", "fileSize" FROM binary_data WHERE "fileId" = $1', [ref.id.split(/[:/]/).pop()]);
		assert.equal(stored.length, 1, 'the file is a row of binary_data in Postgres');
		assert.equal(stored[0].mimeType, 'text/csv');
		record('a.csv', { bytes: Number(stored[0].fileSize), rows: csv.json.rows });
	});

	await t('a. Upzelo Return All over 1,000 customers runs on a worker: 10 pages, 1,000 items', async () => {
		const wf = upzeloWorkflow({ tag });
		const r = await runOnce(ctx, wf);
		checkReturnAll(r.run, r.requests, 1000);
		record('a.upzelo', { execution: r.id, worker: r.worker, requests: r.requests.length });
	});
}

module.exports = { workersPhase };

'use strict';
/**
 * e. The UpCloud Trigger (audit log) in a cluster: activated on main, it polls on main only (every GET
 * /1.3/audit-logs comes from main's process), its executions run on workers (the node after it sends its request
 * from a worker), and its cursor is the workflow's static data in Postgres. Events appended to the sandbox's audit
 * log arrive once each: across idle polls, and across a main restart, with events appended while main was down.
 * n8n saves a poller's static data only when a poll emits (and at activation); an idle poll here changes nothing,
 * so a restart re-emits nothing.
 */

const assert = require('node:assert/strict');

const { json } = require('../../e2e/lib/run-data');
const { ours, upCloud, workflow, link } = require('../../e2e/lib/workflow');
const { pollCronFor } = require('../../e2e/lib/examples');
const o = require('../lib/observe');
const { controlSandbox } = require('../../sandbox/server');

const ID = 'queueAuditTrig';
const NAME = 'Audit';
const AFTER = 'GET /1.3/account/current_network_usage';

/** The trigger on every non-read event, and one UpCloud node after it, so each execution does work on a worker. */
function auditWorkflow(version) {
	const trigger = ours('upCloudTrigger', NAME, { pollTimes: { item: [{ mode: 'custom', cronExpression: pollCronFor(version) }] } });
	trigger.position = [0, 0];
	const after = upCloud('Network Now', { resource: 'networkUsage', operation: 'getCurrent' });
	after.position = [240, 0];
	const connections = {};
	link(connections, trigger.name, after.name);
	return workflow(ID, 'queue: UpCloud Trigger (audit log) in a cluster', [trigger, after], connections);
}

async function auditTriggerPhase(ctx) {
	const { t, cluster, sandbox, rt, record } = ctx;
	const major = Number(rt.version.split('.')[0]);
	const isPoll = (r) => r.method === 'GET' && r.path === '/1.3/audit-logs' && Number(r.query.offset ?? 0) === 0;
	const since = sandbox.state.seq;
	let afterId = 0;
	let marks = {};

	const nextPoll = async (seq, label, timeoutMs = 30000) => {
		const t0 = Date.now();
		while (!sandbox.requests().some((r) => r.seq > seq && isPoll(r))) {
			if (Date.now() - t0 > timeoutMs) throw new Error(`no audit-log poll within ${timeoutMs / 1000} s (${label})`);
			await o.sleep(200);
		}
		await o.sleep(1500);
		return executionsOf();
	};
	// 2.x schedules no faster than once a minute: each poll there is a re-activation (which polls once).
	const poll = async (label) => {
		const seq = sandbox.state.seq;
		if (major >= 2) {
			await ctx.session.setActive(ID, false);
			await ctx.session.setActive(ID, true);
		}
		return nextPoll(seq, label);
	};
	const executionsOf = async () => {
		const rows = await o.waitForExecutions(cluster, ID, afterId, (list) => list.every((r) => o.FINAL.includes(r.status)), { timeoutMs: 30000 });
		const runs = await o.runsOf(cluster, rows.map((r) => r.id));
		return rows.map((r) => ({ ...r, run: runs.get(r.id), events: runs.get(r.id) ? json(runs.get(r.id), NAME) : [] }));
	};
	const stored = async () => {
		const [row] = await cluster.query('SELECT "staticData" FROM workflow_entity WHERE id = $1', [ID]);
		const data = typeof row.staticData === 'string' ? JSON.parse(row.staticData) : row.staticData;
		return data?.[`node:${NAME}`]?.cursor;
	};
	const append = (events) => controlSandbox(sandbox, 'audit-logs', { events });
	const wholeSecond = () => new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');

	const activated = await t('e. UpCloud Trigger activated on main: the first poll records the newest event, emits nothing, and the cursor is in Postgres', async () => {
		afterId = await o.lastExecutionId(cluster);
		marks = o.logMarks(cluster);
		const seq = sandbox.state.seq;
		await ctx.session.setActive(ID, true);
		assert.deepEqual(await nextPoll(seq, 'activation'), []);
		const cursor = await stored();
		assert.ok(cursor && typeof cursor.second === 'string', `cursor stored: ${JSON.stringify(cursor)}`);
	});
	if (!activated) return;

	const requestsPerIdlePoll = [];
	try {
		await t('e. two events appended: exactly one execution of exactly those two, run on a worker; idle polls after it are one request each and emit nothing', async () => {
			await append([
				{ action: 'login', resource_type: 'auth', origin: 'gui', account_username: 'ops_user', ip_address: '198.51.100.77' },
				{ action: 'create', resource_type: 'auth', resource_sub_type: 'api-token', current_state: { name: 'ci-deploy' }, account_username: 'finance_bot', ip_address: '203.0.113.7' },
			]);
			let rows = await poll('two events');
			assert.equal(rows.length, 1, `one execution: ${rows.map((r) => r.id).join(', ')}`);
			assert.deepEqual(rows[0].events.map((e) => e.message).sort(), [
				'API token ci-deploy created by finance_bot from 203.0.113.7 via api',
				'ops_user logged in from 198.51.100.77 via gui',
			]);
			assert.equal(rows[0].status, 'success');
			const ranBy = cluster.workers.filter((x) => o.workerActivity(x, marks[x.role]).finished.has(rows[0].id));
			assert.equal(ranBy.length, 1, `a worker logged "Worker finished execution ${rows[0].id}"`);
			for (let i = 0; i < 2; i++) {
				const seq = sandbox.state.seq;
				rows = await poll(`idle ${i + 1}`);
				const polls = sandbox.requests().filter((r) => r.seq > seq && r.path === '/1.3/audit-logs');
				// On 1.x the cron may have polled more than once meanwhile: per poll, count its pages.
				requestsPerIdlePoll.push(polls.length / Math.max(1, polls.filter(isPoll).length));
			}
			assert.equal(rows.length, 1, 'no execution from idle polls');
			assert.ok(requestsPerIdlePoll.every((n) => n === 1), `one request per idle poll: ${requestsPerIdlePoll.join(', ')}`);
		});

		await t('e. main restarted after idle polls, three events (one timestamp) appended while it was down: start-up emits exactly those three, nothing again', async () => {
			await cluster.stopMain();
			const second = wholeSecond();
			await append([1, 2, 3].map((n) => ({ time: second, action: 'delete', resource_type: 'server', current_state: { hostname: `web-${n}` } })));
			const seq = sandbox.state.seq;
			await cluster.startMain();
			await ctx.login();
			await nextPoll(seq, 'start-up');
			await o.waitForExecutions(cluster, ID, afterId, (list) => list.length >= 2 && list.every((r) => o.FINAL.includes(r.status)), { timeoutMs: 30000 });
			let rows = await executionsOf();
			assert.equal(rows.length, 2, `one more execution: ${rows.map((r) => r.id).join(', ')}`);
			assert.deepEqual(rows[1].events.map((e) => e.message).sort(), [1, 2, 3].map((n) => `Server web-${n} deleted by sandbox_user from 192.0.2.10 via api`));
			rows = await poll('after restart');
			assert.equal(rows.length, 2, 'no duplicates after the restart');
			assert.equal((await stored()).second, second, 'the cursor in Postgres is at the three events\' second');
		});

		await t('e. every audit-log request came from main, every request of the executions from a worker', async () => {
			const requests = sandbox.requests().filter((r) => r.seq > since);
			const pollsBy = o.countBy(requests.filter((r) => r.path === '/1.3/audit-logs'), (r) => r.client);
			const afterBy = o.countBy(requests.filter((r) => `${r.method} ${r.path}` === AFTER), (r) => r.client);
			assert.deepEqual(Object.keys(pollsBy), ['main'], `audit-log requests by process: ${JSON.stringify(pollsBy)}`);
			assert.ok(Object.keys(afterBy).length > 0 && Object.keys(afterBy).every((role) => role.startsWith('worker')), `executions' requests by process: ${JSON.stringify(afterBy)}`);
			record('e', { auditLogRequests: pollsBy.main, requestsPerIdlePoll, executions: 2, nodeAfterTriggerRanOn: afterBy });
		});
	} finally {
		await ctx.session.setActive(ID, false).catch(() => {});
	}
}

module.exports = { auditWorkflow, auditTriggerPhase };

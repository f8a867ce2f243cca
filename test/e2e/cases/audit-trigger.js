'use strict';
/**
 * UpCloud Trigger (audit log) in a running n8n: "Fetch Test Event" through the editor's endpoint, then one workflow
 * activated alone, events appended to the sandbox's audit log through /__control, and exactly those executions,
 * each with exactly the new events. 1.x polls on the 5-second cron; 2.x refuses sub-minute crons, so there each poll
 * is a re-activation (activation always polls once, with the stored cursor).
 */

const assert = require('node:assert/strict');

const { ours, workflow } = require('../lib/workflow');
const { controlSandbox } = require('../../sandbox/server');

const NAME = 'Audit';
const NOT_READ = ['create', 'update', 'delete', 'access-update', 'attach', 'detach', 'login', 'logout'];

const single = (id, title, parameters, pollCron, extra) => {
	const node = ours('upCloudTrigger', NAME, { pollTimes: { item: [{ mode: 'custom', cronExpression: pollCron }] }, ...parameters }, extra);
	return workflow(id, title, [node], {});
};

const IDS = { manual: 'e2eAudManual', none: 'e2eAudManNone', active: 'e2eAudActive' };

function workflows({ pollCron }) {
	return [
		single(IDS.manual, 'e2e audit trigger manual', {}, pollCron),
		single(IDS.none, 'e2e audit trigger manual, nothing matches', { search: '192.0.2.254' }, pollCron, { credential: 'upcloudToken' }),
		single(IDS.active, 'e2e audit trigger active', {}, pollCron),
	];
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const append = (sandbox, body) => controlSandbox(sandbox, 'audit-logs', body);
const wholeSecond = () => new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** The sandbox's audit-log list requests after `since`, grouped into polls (a poll starts at offset 0). */
function pollsSince(sandbox, since) {
	const polls = [];
	for (const r of sandbox.requests({ service: 'upcloud' })) {
		if (r.seq <= since || r.path !== '/1.3/audit-logs') continue;
		if (Number(r.query.offset ?? 0) === 0 || polls.length === 0) polls.push([]);
		polls[polls.length - 1].push(r);
	}
	return polls;
}

/**
 * @param ctx { t, major, sandbox, session, executions, activate, manualRun, items, triggerItems, record }
 */
async function auditTriggerPhase(ctx) {
	const { t, major, sandbox, session, executions, activate, manualRun, items, triggerItems } = ctx;
	const measured = { idlePollRequests: [], pagedPollRequests: undefined };

	await t('UpCloud Trigger in manual mode ("Fetch Test Event"): the latest 5 matching events, oldest first, one request', async () => {
		const before = sandbox.state.seq;
		const e = await manualRun(session, executions, IDS.manual, NAME);
		assert.equal(e.status ?? (e.finished ? 'success' : 'error'), 'success', `execution ${e.id}: ${JSON.stringify(e.data?.resultData?.error?.message)}`);
		const out = items({ data: e.data }, NAME).map((i) => i.json);
		assert.equal(out.length, 5);
		assert.ok(out.every((i) => i.action !== 'read'), 'reads are left out by default');
		const times = out.map((i) => Date.parse(i.time));
		assert.deepEqual([...times].sort((a, b) => a - b), times, 'oldest first');
		const calls = pollsSince(sandbox, before).flat();
		assert.equal(calls.length, 1, `one request: ${calls.map((c) => JSON.stringify(c.query)).join(' ')}`);
		assert.equal(calls[0].auth, 'basic:sandbox_user');
		assert.deepEqual(calls[0].query.actions, NOT_READ);
		// The same five as the sandbox's own newest non-read events.
		const qs = NOT_READ.map((a) => `actions=${a}`).join('&');
		const auth = `Basic ${Buffer.from(`${sandbox.credentials.upcloud.username}:${sandbox.credentials.upcloud.password}`).toString('base64')}`;
		const direct = await (await fetch(`${sandbox.upcloudUrl}/audit-logs?${qs}&limit=5`, { headers: { authorization: auth } })).json();
		assert.deepEqual(out.map((i) => i.cloud_event_id).sort(), direct.audit_logs.map((e) => e.cloud_event_id).sort());
		assert.ok(out.every((i) => /^\S+ (logged in|logged out)|^.+ by \S+/.test(i.message)), `one-line messages: ${out.map((i) => i.message).join(' | ')}`);
	});

	await t('UpCloud Trigger in manual mode with an API token and nothing matching: one item that says so', async () => {
		const e = await manualRun(session, executions, IDS.none, NAME);
		const out = items({ data: e.data }, NAME).map((i) => i.json);
		assert.equal(out.length, 1);
		assert.equal(out[0].matched, 0);
		assert.match(out[0].message, /^No audit-log event matched: .* matching "192\.0\.2\.254"\./);
	});

	// Each poll of the activated workflow: 1.x waits for the cron's next poll, 2.x re-activates (2.x may activate
	// in the background, so both wait until the sandbox has seen the poll start).
	const waitForPoll = async (since) => {
		const t0 = Date.now();
		while (pollsSince(sandbox, since).length < 1) {
			if (Date.now() - t0 > 30000) throw new Error('no audit-log poll within 30 s');
			await sleep(300);
		}
		// Emitted runs are saved asynchronously after the poll.
		await sleep(2000);
		return pollsSince(sandbox, since)[0];
	};
	const poll = async () => {
		const since = sandbox.state.seq;
		if (major >= 2) {
			await session.setActive(IDS.active, false);
			await activate(IDS.active);
		}
		return waitForPoll(since);
	};
	const runs = async (count, what) => executions.waitFor(IDS.active, (list) => list.length >= count, { what });
	const emitted = (execution) => triggerItems(execution, NAME);

	const started = await t('UpCloud Trigger activated: the first poll records the newest event and emits nothing; idle polls are one request each', async () => {
		const before = sandbox.state.seq;
		await activate(IDS.active);
		const first = await waitForPoll(before);
		assert.equal(first?.length, 1, 'activation: one request');
		assert.equal(first[0].query.created_after, undefined, 'activation reads no history');
		for (let i = 0; i < 2; i++) {
			const idle = await poll();
			assert.ok(idle[0].query.created_after, 'later polls ask from the cursor');
			measured.idlePollRequests.push(idle.length);
		}
		assert.deepEqual(measured.idlePollRequests, [1, 1], 'an idle poll is one request');
		assert.deepEqual(await executions.list(IDS.active), [], 'no execution for history');
	});
	if (!started) return measured;

	const second = wholeSecond();
	await t('UpCloud Trigger: a login and a new API token start one execution with exactly those two (the read is left out)', async () => {
		await append(sandbox, {
			events: [
				{ time: second, action: 'login', resource_type: 'auth', account_username: 'ops_user', ip_address: '198.51.100.99', origin: 'gui', auth_type: 'gui' },
				{ time: second, action: 'create', resource_type: 'auth', resource_sub_type: 'api-token', current_state: { name: 'ci-deploy' }, account_username: 'finance_bot', ip_address: '203.0.113.7', origin: 'api' },
				{ time: second, action: 'read', resource_type: 'server' },
			],
		});
		await poll();
		const [run] = await runs(1, 'one execution');
		assert.equal(run.mode, 'trigger');
		assert.deepEqual(emitted(run).map((i) => i.message).sort(), [
			'API token ci-deploy created by finance_bot from 203.0.113.7 via api',
			'ops_user logged in from 198.51.100.99 via gui',
		]);
	});

	await t('UpCloud Trigger: three more events in the same second (created_after is inclusive) are one execution of exactly those three', async () => {
		await append(sandbox, { count: 3, event: { time: second, action: 'delete', resource_type: 'server', resource_id: '00798b85-efdc-41ca-8021-f6ef457b8531' } });
		await poll();
		const done = await runs(2, 'a second execution');
		const items2 = emitted(done[1]);
		assert.equal(items2.length, 3);
		assert.ok(items2.every((i) => i.action === 'delete' && i.time === second));
		await poll();
		assert.equal((await executions.list(IDS.active)).length, 2, 'nothing emitted twice');
	});

	await t('UpCloud Trigger: 450 new events are one execution of 450 items, oldest first, read in 3 requests', async () => {
		const beforeAppend = sandbox.state.seq;
		// One crowded second, stamped two seconds back: the poll reads it once it is over and moves past it (a
		// crowded second still under way is re-read by the next poll; jest covers that), so idle polls stay one request.
		const past = new Date(Math.floor(Date.now() / 1000) * 1000 - 2000).toISOString().replace('.000Z', 'Z');
		await append(sandbox, { count: 450, event: { time: past, action: 'create', resource_type: 'storage' } });
		await poll();
		const done = await runs(3, 'the 450-event execution');
		// The poll that read them (on 1.x a cron poll already under way may have been the one).
		const paged = pollsSince(sandbox, beforeAppend).find((p) => p.length > 1);
		const events = emitted(done[2]);
		assert.equal(events.length, 450);
		assert.ok(events.every((e) => e.resource_type === 'storage'));
		const ids = events.map((e) => e.cloud_event_id);
		assert.equal(new Set(ids).size, 450);
		measured.pagedPollRequests = paged?.length;
		assert.equal(paged?.length, 3, 'offsets 0, 200, 400');
		assert.deepEqual(paged.map((r) => Number(r.query.offset)), [0, 200, 400]);
		const idle = await poll();
		measured.idlePollRequests.push(idle.length);
		assert.equal(idle.length, 1, 'idle again: one request');
		assert.equal(idle[0].query.created_after, new Date(Date.parse(past) + 1000).toISOString().replace('.000Z', 'Z'), 'past the crowded second');
		assert.equal((await executions.list(IDS.active)).length, 3);
	});

	await session.post(`/rest/workflows/${IDS.active}/deactivate`, {});
	ctx.record?.('auditTriggerRequestsPerPoll', measured);
	return measured;
}

module.exports = { workflows, auditTriggerPhase, IDS };

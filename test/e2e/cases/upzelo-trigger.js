'use strict';
/**
 * Upzelo Trigger workflows, activated in a running n8n; the sandbox delivers Upzelo-shaped events to their
 * production URLs (POST /__control/webhooks/deliver, retries compressed) and each case must give exactly the
 * expected executions: the nine events, a filtered-out type, a delivery without the secret (401, retried by
 * the sandbox until it gives up), a retried delivery with and without Ignore Retries, and bad bodies.
 */

const assert = require('node:assert/strict');

const { fullType } = require('../../../scripts/lib/registry');
const { EVENT_TYPES, EXAMPLE_CUSTOMER } = require('../../sandbox/upzelo-webhooks');
const { workflow } = require('../lib/workflow');
const { json } = require('../lib/run-data');
const { loadExamples, variantId } = require('../lib/examples');

const NAME = 'Upzelo Trigger';
const SECRET = 'e2e-webhook-secret';
/** Upzelo's delays divided by this: its 132 minutes of retries take 1.3 s. */
const COMPRESS = 6000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function triggerWorkflow(id, webhookId, parameters) {
	return workflow(id, `e2e ${id}`, [
		{ id: `${id}-node`, name: NAME, type: fullType('upzeloTrigger'), typeVersion: 1, position: [0, 0], parameters, webhookId },
	], {});
}

const WORKFLOWS = {
	all: { id: 'e2eUpzTrgAll', webhookId: 'c0a80101-0000-4000-8000-00000000e2e1', parameters: { events: [], options: { secret: SECRET } } },
	filtered: { id: 'e2eUpzTrgFilt', webhookId: 'c0a80101-0000-4000-8000-00000000e2e2', parameters: { events: ['subscription.cancelled'], options: { simplify: false } } },
	retries: { id: 'e2eUpzTrgRetry', webhookId: 'c0a80101-0000-4000-8000-00000000e2e3', parameters: { options: { ignoreRetries: true } } },
};

const workflows = () => Object.values(WORKFLOWS).map((w) => triggerWorkflow(w.id, w.webhookId, w.parameters));

/**
 * The live checks, against the running n8n of the live phase.
 * @param ctx { t, n8n, session, executions, sandbox }
 */
async function live({ t, n8n, session, executions, sandbox }) {
	const url = (w) => `${n8n.url}/webhook/${w.webhookId}/webhook`;
	const deliver = async (body) => {
		const res = await fetch(`${sandbox.url}/__control/webhooks/deliver`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ compress: COMPRESS, wait: true, ...body }),
		});
		const out = await res.json();
		if (res.status !== 200) throw new Error(`sandbox deliver: HTTP ${res.status} ${JSON.stringify(out)}`);
		return out;
	};
	const finished = async (w, count, what) => executions.waitFor(w.id, (list) => list.length >= count, { what });
	/** Executions settle a moment after n8n answered: wait, then the list must be exactly `count` long. */
	const exactly = async (w, count, what) => {
		const done = count ? await finished(w, count, what) : [];
		await sleep(2500);
		const all = await executions.list(w.id);
		assert.equal(all.length, count, `${what}: ${all.length} executions of ${w.id}, expected ${count}`);
		return done;
	};
	const items = (e) => json({ data: e.data }, NAME);

	const activated = await t(`Upzelo Trigger: ${Object.keys(WORKFLOWS).length} webhook workflows activated; their production URLs answer (400 to an empty object)`, async () => {
		for (const w of Object.values(WORKFLOWS)) await session.setActive(w.id, true);
		// 2.x registers the webhooks in the background: wait until each URL is ours (our 400, not n8n's 404).
		for (const w of Object.values(WORKFLOWS)) {
			let last;
			for (let i = 0; i < 60; i++) {
				const query = w === WORKFLOWS.all ? `?secret=${SECRET}` : '';
				last = await fetch(`${url(w)}${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
				if (last.status === 400) break;
				await sleep(500);
			}
			assert.equal(last.status, 400, `${w.id}: POST {} answered ${last.status}`);
			assert.deepEqual(await last.json(), { error: 'The delivery has no "data" object; Upzelo sends {"data": {"type": …}}' });
		}
		await exactly(WORKFLOWS.all, 0, 'probes');
	});
	if (!activated) return;

	await t('Upzelo Trigger: the nine documented events, each delivered once with the secret, give nine executions with their items', async () => {
		const w = WORKFLOWS.all;
		const types = Object.values(EVENT_TYPES);
		for (const [event, type] of Object.entries(EVENT_TYPES)) {
			const d = await deliver({ url: `${url(w)}?secret=${SECRET}`, event, data: { flow: { id: `flow_${type}` } } });
			assert.equal(d.state, 'delivered', `${event}: ${JSON.stringify(d.attempts)}`);
			assert.deepEqual(d.attempts.map((a) => a.status), [200], `${event}: one attempt, answered 200`);
			assert.deepEqual(d.attempts[0].answer, { message: 'Workflow was started' });
		}
		const done = await exactly(w, 9, 'nine event executions');
		assert.ok(done.every((e) => e.mode === 'webhook' && e.status === 'success'), JSON.stringify(done.map((e) => [e.mode, e.status])));
		const got = done.map(items);
		assert.ok(got.every((list) => list.length === 1), 'one item per delivery');
		assert.deepEqual(got.map(([i]) => i.event).sort(), [...types].sort());
		for (const [item] of got) {
			assert.deepEqual(item.data, { type: item.event, attempt: 1, customer: EXAMPLE_CUSTOMER, flow: { id: `flow_${item.event}` } });
			assert.equal(item.external_id, EXAMPLE_CUSTOMER.external_id);
			assert.equal(item.name, EXAMPLE_CUSTOMER.name);
			assert.equal(item.email, EXAMPLE_CUSTOMER.email);
			assert.ok(Math.abs(Date.parse(item.receivedAt) - Date.now()) < 600000, `receivedAt ${item.receivedAt}`);
			assert.ok(!JSON.stringify(item).includes(SECRET), 'the secret is not in the output');
		}
	});

	await t('Upzelo Trigger: a delivery without the secret (and one with a wrong one) is answered 401 on all 7 attempts and starts nothing', async () => {
		const w = WORKFLOWS.all;
		for (const query of ['', '?secret=wrong']) {
			const d = await deliver({ url: `${url(w)}${query}`, event: 'Subscription Cancelled' });
			assert.equal(d.state, 'failed');
			assert.deepEqual(d.attempts.map((a) => a.status), [401, 401, 401, 401, 401, 401, 401]);
			assert.deepEqual(d.attempts[0].answer, { error: 'The secret query parameter is missing or wrong' });
		}
		await exactly(w, 9, 'no execution for the refused deliveries');
	});

	await t('Upzelo Trigger: Events = subscription.cancelled: that type starts one execution (Simplify off); flow.started is answered 200 and starts nothing', async () => {
		const w = WORKFLOWS.filtered;
		const other = await deliver({ url: url(w), event: 'Flow Started' });
		assert.deepEqual(other.attempts.map((a) => [a.status, a.answer]), [[200, { received: true, ignored: 'event type "flow.started" is not in Events' }]]);
		const wanted = await deliver({ url: url(w), event: 'Subscription Cancelled' });
		assert.deepEqual(wanted.attempts.map((a) => a.status), [200]);
		const [e] = await exactly(w, 1, 'one subscription.cancelled execution');
		const [item] = items(e);
		assert.deepEqual(Object.keys(item).sort(), ['data', 'event', 'receivedAt']);
		assert.equal(item.event, 'subscription.cancelled');
	});

	await t('Upzelo Trigger: a retried delivery (the first two answers lost): Ignore Retries on gives one execution; off gives one per attempt', async () => {
		const on = await deliver({ url: url(WORKFLOWS.retries), event: 'Subscription Pause', loseAnswers: 2 });
		assert.deepEqual(on.attempts.map((a) => a.status), [200, 200, 200]);
		assert.deepEqual(on.attempts.map((a) => a.answer), [
			{ message: 'Workflow was started' },
			{ received: true, ignored: 'attempt 2 of an event already received' },
			{ received: true, ignored: 'attempt 3 of an event already received' },
		]);
		const [e] = await exactly(WORKFLOWS.retries, 1, 'one execution for three attempts');
		assert.equal(items(e)[0].data.attempt, 1);
		// n8n saved the memory with the workflow (static data), so a restart or another webhook process keeps it.
		const wf = await session.get(`/rest/workflows/${WORKFLOWS.retries.id}`);
		const memory = wf.json.data.staticData?.[`node:${NAME}`]?.recentDeliveries;
		assert.ok(Array.isArray(memory) && memory.length === 1 && /^subscription\.pause:[0-9a-f]{32}$/.test(memory[0][0]), `static data: ${JSON.stringify(wf.json.data.staticData)}`);

		const off = await deliver({ url: `${url(WORKFLOWS.all)}?secret=${SECRET}`, event: 'Subscription Pause', data: { flow: { id: 'retried' } }, loseAnswers: 1 });
		assert.deepEqual(off.attempts.map((a) => a.status), [200, 200]);
		const done = await exactly(WORKFLOWS.all, 11, 'two executions for two attempts without Ignore Retries');
		assert.deepEqual(done.slice(9).map((x) => items(x)[0].data.attempt), [1, 2]);
	});

	await t('Upzelo Trigger: bad deliveries start nothing: text 400, JSON without data 400, malformed JSON refused by n8n itself (422)', async () => {
		const w = WORKFLOWS.retries;
		const text = await deliver({ url: url(w), rawBody: 'flow.started', contentType: 'text/plain', maxAttempts: 1 });
		assert.deepEqual(text.attempts.map((a) => [a.status, a.answer]), [[400, { error: 'The delivery is not a JSON object; Upzelo sends {"data": {"type": …}}' }]]);
		const noType = await deliver({ url: url(w), rawBody: '{"data": {"attempt": 1}}', maxAttempts: 1 });
		assert.deepEqual(noType.attempts.map((a) => [a.status, a.answer]), [[400, { error: 'The delivery has no event type in "data.type"' }]]);
		// n8n parses a JSON body before any node runs, and answers 422 when it cannot (same in 1.x and 2.x here).
		const broken = await deliver({ url: url(w), rawBody: '{"data": {"type": "flow.started"', maxAttempts: 1 });
		assert.equal(broken.attempts[0].status, 422, JSON.stringify(broken.attempts));
		await exactly(w, 1, 'no execution for bad deliveries');
	});

	const example = loadExamples().find((ex) => ex.workflow.id === 'exUpzCancelled');
	await t('example upzelo-cancelled-slack.json (e2e variant, Post to Slack disabled): activated, a cancellation posts one message with the customer', async () => {
		assert.ok(example, 'examples/upzelo-cancelled-slack.json is shipped');
		const id = variantId(example.workflow.id);
		const trigger = example.workflow.nodes.find((n) => n.type === fullType('upzeloTrigger'));
		const w = { id, webhookId: trigger.webhookId };
		const wf = await session.get(`/rest/workflows/${id}`);
		const on = await session.post(`/rest/workflows/${id}/activate`, { versionId: wf.json.data.versionId });
		assert.equal(on.status, 200, on.text.slice(0, 300));
		let d;
		for (let i = 0; i < 20; i++) {
			d = await deliver({ url: url(w), event: 'Subscription Cancelled', maxAttempts: 1 });
			if (d.attempts[0].status !== 404) break;
			await sleep(500);
		}
		assert.deepEqual(d.attempts.map((a) => a.status), [200]);
		const [e] = await exactly(w, 1, 'one cancellation message');
		const [msg] = json({ data: e.data }, 'Compose Message');
		assert.match(msg.text, /^:wave: Richard Hendricks \(richard@piedpiper\.example, Upzelo customer cus_1234\) cancelled their subscription\. Event subscription\.cancelled, received \d{4}-\d\d-\d\dT/);
		assert.equal(msg.customerId, 'cus_1234');
		const off = await session.post(`/rest/workflows/${id}/deactivate`, {});
		assert.equal(off.status, 200);
	});

	await t('Upzelo Trigger: deactivated, its URL is n8n\'s 404 and the sandbox\'s retries start nothing', async () => {
		const w = WORKFLOWS.filtered;
		const off = await session.post(`/rest/workflows/${w.id}/deactivate`, {});
		assert.equal(off.status, 200, off.text.slice(0, 200));
		let d;
		for (let i = 0; i < 20; i++) {
			// A type this workflow filters out: while n8n still serves the URL, it is a 200 that starts nothing.
			d = await deliver({ url: url(w), event: 'Flow Started', maxAttempts: 2 });
			if (d.attempts.every((a) => a.status === 404)) break;
			await sleep(500);
		}
		assert.deepEqual(d.attempts.map((a) => a.status), [404, 404]);
		await exactly(w, 1, 'no new execution after deactivation');
	});
}

module.exports = { workflows, live, WORKFLOWS };

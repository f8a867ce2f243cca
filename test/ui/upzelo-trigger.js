'use strict';
/**
 * The Upzelo Trigger in the editor: its panel shows the webhook URLs (test and production, with this node's path)
 * and the notice saying where to paste the URL in Upzelo; Listen for Test Event, with the sandbox delivering to
 * the test URL, shows the delivered item.
 */

const path = require('node:path');

const { fullType } = require('../../scripts/lib/registry');
const ed = require('./editor');

const WORKFLOW_ID = 'uiUpzeloTrigger';
const NODE_ID = 'ui-upzelo-trigger-node';
const WEBHOOK_ID = 'c0a80101-0000-4000-8000-0000000000a1';
const NAME = 'Upzelo Trigger';

function workflow() {
	return {
		id: WORKFLOW_ID,
		name: 'UI: Upzelo Trigger',
		active: false,
		nodes: [{ id: NODE_ID, name: NAME, type: fullType('upzeloTrigger'), typeVersion: 1, position: [0, 0], parameters: { events: [], options: {} }, webhookId: WEBHOOK_ID }],
		connections: {},
		settings: { executionOrder: 'v1' },
		pinData: {},
		tags: [],
	};
}

function assert(condition, message) {
	if (!condition) throw new Error(message);
}

/** Opens the trigger's panel and returns the URL the Webhook URLs section shows for `which` (Test URL, Production URL). */
async function shownUrl(page, which) {
	const ndv = page.locator(ed.NDV).first();
	const headline = ndv.getByText('Webhook URLs', { exact: true }).first();
	const urls = ndv.locator('.webhook-url, [class*="webhook-url"]').first();
	if (!(await urls.isVisible().catch(() => false))) await headline.click();
	await ndv.getByText(which, { exact: true }).first().click();
	await page.waitForTimeout(300);
	return (await urls.innerText()).trim();
}

/** The checks, as named tests of the UI suite. */
async function checks(ctx, { t, page, watch, shots, oursSince }) {
	await t('Upzelo Trigger: the panel shows the test and production webhook URLs and the notice about Upzelo\'s dashboard', async () => {
		watch.setContext('upzelo trigger panel');
		const from = watch.errors.length;
		await ed.openWorkflow(page, ctx.url, WORKFLOW_ID);
		await ed.openNode(page, WORKFLOW_ID, NODE_ID, NAME);
		const text = (await page.locator(ed.NDV).first().innerText()).replace(/\s+/g, ' ');
		assert(/Developer → Webhooks, add a webhook with this node's Production URL/.test(text), `the notice is not shown: ${text.slice(0, 600)}`);
		assert(text.includes('enable the events listed under Events'), 'the notice does not say which events to enable');
		const production = await shownUrl(page, 'Production URL');
		assert(production.endsWith(`/webhook/${WEBHOOK_ID}/webhook`) && /^https?:\/\//.test(production), `production URL shown: ${production}`);
		const test = await shownUrl(page, 'Test URL');
		assert(test.endsWith(`/webhook-test/${WEBHOOK_ID}/webhook`), `test URL shown: ${test}`);
		assert(!(await ed.ndvIssues(page)).length, 'parameter-issue badge on the trigger');
		await page.screenshot({ path: path.join(shots, 'upzelo-trigger-panel.png') });
		const ours = oursSince(watch, from);
		assert(!ours, `errors of ours:\n${ours}`);
	});

	await t('Upzelo Trigger: Listen for Test Event, the sandbox delivers Subscription Cancelled to the test URL, the output shows the item', async () => {
		watch.setContext('upzelo trigger test event');
		const from = watch.errors.length;
		await page.locator(`${ed.NDV} [data-test-id="node-execute-button"]`).first().click();
		// n8n registers the test webhook when listening starts; a delivery before that is its 404, retried 1 s later.
		const res = await fetch(`${ctx.sandbox.url}/__control/webhooks/deliver`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ url: `${ctx.url}/webhook-test/${WEBHOOK_ID}/webhook`, event: 'Subscription Cancelled', compress: 180, maxAttempts: 7, wait: true }),
		});
		const delivery = await res.json();
		assert(delivery.state === 'delivered', `the test URL did not take the delivery: ${JSON.stringify(delivery.attempts)}`);
		await page.locator(`${ed.NDV} [data-test-id="ndv-items-count"], ${ed.NDV} [data-test-id="run-data-item-count"]`).first().waitFor({ timeout: 20000 });
		const out = await ed.outputPanel(page);
		await page.screenshot({ path: path.join(shots, 'upzelo-trigger-test-event.png') });
		await ed.closeNode(page);
		assert(out.count === 1, `the output panel shows ${out.count} items, expected 1: ${out.text.slice(0, 300)}`);
		const [row] = out.table.rows;
		const cell = (h) => row?.[out.table.headers.indexOf(h)];
		assert(cell('event') === 'subscription.cancelled', `event column: ${cell('event')} (columns ${out.table.headers.join(', ')})`);
		assert(cell('external_id') === 'cus_1234', `external_id column: ${cell('external_id')}`);
		const ours = oursSince(watch, from);
		assert(!ours, `errors of ours:\n${ours}`);
	});
}

module.exports = { workflow, checks, WORKFLOW_ID };

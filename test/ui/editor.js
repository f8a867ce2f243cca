'use strict';
/**
 * Driving n8n's editor (1.123.x and 2.x) with the selectors n8n's own tests use (`data-test-id`): sign-in, the
 * node panel, the node details view (NDV), Execute step and the output panel.
 */

const NDV = '[data-test-id="ndv"]';

async function signIn(page, url, { email, password }) {
	await page.goto(`${url}/signin`);
	await page.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]').first().fill(email);
	await page.locator('input[type="password"]').first().fill(password);
	await page.locator('[data-test-id="form-submit-button"]').first().click();
	await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 30000 });
}

/** Opens a workflow with a full page load and waits for its canvas. */
async function openWorkflow(page, url, id, { query = '' } = {}) {
	await page.goto(`${url}/workflow/${id}${query}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 60000 });
}

/**
 * Opens a node's details view through the editor's own router (the link n8n gives a node, /workflow/<id>/<node
 * id>): a route change inside the loaded app, no page load. With `name`, checks that the panel shows that node.
 */
async function openNode(page, workflowId, nodeId, name) {
	await page.evaluate(
		async ([wf, node]) => {
			const app = document.querySelector('#app').__vue_app__;
			await app.config.globalProperties.$router.push(`/workflow/${wf}/${node}`);
		},
		[workflowId, nodeId],
	);
	await page.locator(NDV).first().waitFor({ state: 'visible', timeout: 20000 });
	await page.locator(`${NDV} .parameter-item`).first().waitFor({ timeout: 20000 });
	if (name !== undefined) {
		const title = (await page.locator(`${NDV} [data-test-id="node-title-container"]`).first().innerText()).trim();
		if (title !== name) throw new Error(`the link to node ${nodeId} opened "${title}", expected "${name}"`);
	}
}

/** Escape closes an open dropdown first, then the panel. */
async function closeNode(page) {
	const ndv = page.locator(NDV).first();
	for (let i = 0; i < 2 && (await ndv.isVisible()); i++) {
		await page.keyboard.press('Escape');
		await ndv.waitFor({ state: 'hidden', timeout: 2000 }).catch(() => {});
	}
	// A focused input may keep the Escape: then the panel's own way back (1.x "Back to canvas"), else the route.
	if (await ndv.isVisible()) {
		const back = page.locator('[data-test-id="back-to-canvas"]:visible');
		if (await back.count()) await back.first().click();
		else await page.evaluate(() => document.querySelector('#app').__vue_app__.config.globalProperties.$router.push({ params: { nodeId: '' } }));
	}
	await ndv.waitFor({ state: 'hidden', timeout: 5000 });
}

/** Issue indicators in the open NDV (n8n's `parameter-issues` triangle next to a parameter), with their labels. */
async function ndvIssues(page) {
	return page.$$eval(`${NDV} [data-test-id="parameter-issues"]`, (els) =>
		els.map((el) => {
			const item = el.closest('.parameter-item, [data-test-id="parameter-item"]');
			return (item?.querySelector('label, .n8n-input-label')?.textContent || item?.textContent || '').trim().slice(0, 80);
		}),
	);
}

/** Names of the canvas nodes that carry n8n's node-issues badge. */
async function canvasNodesWithIssues(page) {
	return page.$$eval('[data-test-id="canvas-node"]', (els) =>
		els.filter((el) => el.querySelector('[data-test-id="node-issues"]')).map((el) => el.getAttribute('data-node-name')),
	);
}

async function canvasNodeNames(page) {
	return page.$$eval('[data-test-id="canvas-node"]', (els) => els.map((el) => el.getAttribute('data-node-name')));
}

/** Clicks Execute step (or Fetch Test Event) in the open NDV and waits for the output panel to show a run. */
async function executeStep(page, { timeoutMs = 30000 } = {}) {
	await page.locator(`${NDV} [data-test-id="node-execute-button"]`).first().click();
	const output = page.locator('[data-test-id="output-panel"], [data-test-id="ndv-output-panel"]').first();
	await page
		.locator(
			[
				`${NDV} [data-test-id="ndv-items-count"]`,
				`${NDV} [data-test-id="run-data-item-count"]`,
				`${NDV} [data-test-id="node-error-message"]`,
				`${NDV} [data-test-id="ndv-output-panel"] [data-test-id="run-data-callout"]`,
				`${NDV} [data-test-id="output-panel"] [data-test-id="run-data-callout"]`,
			].join(', '),
		)
		.first()
		.waitFor({ timeout: timeoutMs });
	return output;
}

/**
 * The output panel: its text, its item count ("3 items" → 3; undefined when it shows none) and its table (the
 * default view; n8n's JSON view renders only the lines in sight, the table all rows of a page of 10).
 */
async function outputPanel(page) {
	const panel = page.locator(`${NDV} [data-test-id="output-panel"], ${NDV} [data-test-id="ndv-output-panel"]`).first();
	await panel.locator('table').first().waitFor({ timeout: 10000 }).catch(() => {});
	const text = (await panel.innerText()).replace(/\s+/g, ' ');
	const m = text.match(/(\d[\d,]*)\s+items?\b/);
	const table = await panel.evaluate((el) => {
		const t = el.querySelector('table');
		if (!t) return { headers: [], rows: [] };
		const headers = [...t.querySelectorAll('thead th')].map((th) => th.innerText.trim());
		const rows = [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim()));
		return { headers, rows };
	});
	return { text, count: m ? Number(m[1].replace(/,/g, '')) : undefined, table };
}

/** Switches the output panel's view (Schema, Table, JSON); n8n keeps the choice for the next panels. */
async function outputView(page, view) {
	const panel = page.locator(`${NDV} [data-test-id="output-panel"], ${NDV} [data-test-id="ndv-output-panel"]`).first();
	await panel.locator('[data-test-id="ndv-run-data-display-mode"]').getByText(view, { exact: true }).first().click();
}

module.exports = { NDV, signIn, openWorkflow, openNode, closeNode, ndvIssues, canvasNodesWithIssues, canvasNodeNames, executeStep, outputPanel, outputView };

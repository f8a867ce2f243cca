'use strict';
/**
 * The editor in a real browser (`npm run test:ui`): Debian's Chromium, driven by playwright-core, on the n8n the
 * runner starts with both packages installed, signed in as its owner.
 *
 *   - node panel: a search finds every node of both packages with its icon; the dark theme shows the dark icon;
 *   - every resource × operation of UpCloud and Upzelo (one node each in two pre-imported workflows, with the
 *     e2e's sample values): the panel renders, no parameter-issue badge, no page/console/HTTP error of ours, one
 *     screenshot each in .ui-screenshots/<version>/ (git-ignored); a node with a required value left empty is
 *     the control that the badge is looked for right;
 *   - resource locators: Price → Create lists products, Subscription → Create lists prices (from the sandbox),
 *     typing filters, By ID works;
 *   - Execute step for one operation of every resource shows the expected items; a forced API error shows
 *     UpCloud's code and message;
 *   - the Usage Trigger's Fetch Test Event with one level shows the `test` item;
 *   - every error the pages logged, ours (none allowed) and n8n's own (reported with the source file).
 */

const fs = require('node:fs');
const path = require('node:path');

const { launchChromium, watchErrors, summarize, stackHead } = require('./browser');
const ed = require('./editor');
const { uiWorkflows, WORKFLOW_IDS, CONTROL_NODE } = require('./samples');
const { EXECUTE, FORCED_ERROR } = require('./checks');
const { controlSandbox } = require('../sandbox/server');

const SHOTS = path.join(__dirname, '..', '..', '.ui-screenshots');
const PACKAGE_NODES = [
	{ search: 'UpCloud', name: 'UpCloud', icon: 'upcloud' },
	{ search: 'UpCloud', name: 'UpCloud Usage Trigger', icon: 'upcloud' },
	{ search: 'Upzelo', name: 'Upzelo', icon: 'upzelo' },
];

const slug = (s) => s.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();

function assert(condition, message) {
	if (!condition) throw new Error(message);
}

/** Our errors since error number `from`, as one message (empty: none). */
function oursSince(watch, from) {
	return watch
		.since(from)
		.filter((e) => e.ours && !e.external)
		.map((e) => `${e.kind}: ${e.message}${e.stack ? ` (${stackHead(e.stack)})` : ''}`)
		.join('\n');
}

/** Opens the node panel (Tab on the canvas), searches `term`, returns `{ name, src, loaded }` per item shown. */
async function searchNodePanel(page, term) {
	// The canvas's + button (the keyboard shortcut is Tab in 1.x, N in 2.x).
	await page.locator('[data-test-id="node-creator-plus-button"]').first().click();
	const search = page.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]').first();
	await search.waitFor({ timeout: 10000 });
	// 2.x may re-render the search box as it opens and drop what was typed: type again until results match.
	const match = page.locator('[data-test-id="node-creator-item-name"]', { hasText: term }).first();
	for (let attempt = 0; ; attempt++) {
		await search.fill(term);
		const found = await match.waitFor({ timeout: 4000 }).then(() => true, () => false);
		if (found) break;
		if (attempt === 2) throw new Error(`the node panel shows nothing named like "${term}" after typing it`);
	}
	// The icons are <img> elements that load after the list renders.
	await page.waitForFunction(
		() => [...document.querySelectorAll('[data-test-id="node-creator"] img')].every((img) => img.complete),
		undefined,
		{ timeout: 10000 },
	);
	return page.$$eval('[data-test-id="node-creator-item-name"]', (els) =>
		els.map((el) => {
			// The icon sits a few levels above the name, in the same list item.
			let item = el.parentElement;
			for (let i = 0; i < 8 && item && !item.querySelector('img'); i++) item = item.parentElement;
			const alone = item && item.querySelectorAll('[data-test-id="node-creator-item-name"]').length === 1;
			const img = alone ? item.querySelector('img') : null;
			return { name: el.textContent.trim(), src: img?.getAttribute('src') ?? null, loaded: Boolean(img && img.complete && img.naturalWidth > 0) };
		}),
	);
}

async function closeNodePanel(page) {
	await page.keyboard.press('Escape');
	await page.locator('[data-test-id="node-creator"]').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
}

/** Checks the node panel shows our three nodes with the light or the dark icon. */
async function nodePanelCheck(page, { dark }) {
	const seen = {};
	for (const term of ['UpCloud', 'Upzelo']) {
		for (const item of await searchNodePanel(page, term)) seen[item.name] = item;
		await closeNodePanel(page);
	}
	for (const n of PACKAGE_NODES) {
		const item = seen[n.name];
		assert(item, `the node panel's search for "${n.search}" does not list ${n.name}; it lists ${Object.keys(seen).join(', ')}`);
		const want = dark ? `${n.icon}.dark.svg` : `${n.icon}.svg`;
		assert(item.src && item.src.endsWith(want), `${n.name}: icon ${item.src}, expected …/${want}`);
		assert(item.loaded, `${n.name}: icon ${item.src} did not load`);
	}
	return seen;
}

/** The resource locator `label` of the open NDV: its list, filtered list and By ID. */
async function resourceLocatorCheck(page, { label, expected, filterTerm, shotFile, onList }) {
	const param = page.locator(`${ed.NDV} [data-test-id="parameter-item"], ${ed.NDV} .parameter-item`).filter({ hasText: label }).first();
	await param.locator('[data-test-id="rlc-mode-selector"]').click();
	await page.locator('.el-select-dropdown__item:visible, [role="option"]:visible').filter({ hasText: 'From List' }).first().click();
	await param.locator('[data-test-id="rlc-input"]').click();
	// 1.x wraps the list in resource-locator-dropdown, 2.x in a popover of its own: take the entries in sight.
	const items = page.locator('[data-test-id="rlc-item"]:visible');
	await items.first().waitFor({ timeout: 15000 });
	const names = (await items.allInnerTexts()).map((t) => t.trim());
	for (const want of expected.slice(0, 5)) assert(names.some((n) => n.includes(want)), `${label}: the list does not show "${want}"; it shows ${names.slice(0, 10).join(' | ')}`);
	if (shotFile) await page.screenshot({ path: shotFile });
	if (onList) await onList();
	const search = page.locator('[data-test-id="rlc-search"]:visible').first();
	await (await search.evaluate((el) => el.tagName === 'INPUT') ? search : search.locator('input')).fill(filterTerm);
	await page.waitForFunction(
		(term) => {
			const shown = [...document.querySelectorAll('[data-test-id="rlc-item"]')].filter((el) => el.offsetParent);
			return shown.length > 0 && shown.every((el) => el.textContent.toLowerCase().includes(term.toLowerCase()));
		},
		filterTerm,
		{ timeout: 15000 },
	);
	const filtered = (await items.allInnerTexts()).map((t) => t.trim());
	assert(filtered.length < names.length || names.length === 1, `${label}: typing "${filterTerm}" did not narrow the list (${names.length} → ${filtered.length})`);
	// Pick the first filtered entry, then the same record By ID.
	await items.first().click();
	await param.locator('[data-test-id="rlc-mode-selector"]').click();
	await page.locator('.el-select-dropdown__item:visible, [role="option"]:visible').filter({ hasText: 'By ID' }).first().click();
	return { listed: names.length, filtered: filtered.length, param };
}

/** .ui-screenshots/<n8n version>/ (…-vm for the 1vm target, the same n8n on its vm expression engine). */
const shotsDir = (ctx) => path.join(SHOTS, `${ctx.version}${ctx.target === '1vm' ? '-vm' : ''}`);

/**
 * Pictures for the README ("What it looks like"), taken on 1.x only: a region of the 1440×900 page, so that the
 * committed PNGs stay small (docs/ui-*.png are copies of these).
 */
async function readmeShot(ctx, page, name, clip) {
	if (ctx.target !== '1') return;
	const box = typeof clip === 'string' ? await settledBox(page.locator(clip).first()) : clip;
	await page.screenshot({ path: path.join(shotsDir(ctx), `readme-${name}.png`), clip: box });
}

/** An element's box once it has stopped moving (the node panel slides in), at most about 3 s later. */
async function settledBox(locator) {
	let box = await locator.boundingBox();
	for (let i = 0; i < 30; i++) {
		await new Promise((r) => setTimeout(r, 100));
		const next = await locator.boundingBox();
		if (box && next && ['x', 'y', 'width', 'height'].every((k) => Math.abs(box[k] - next[k]) < 0.5)) return next;
		box = next;
	}
	return box;
}

/** The value typed or picked in a resource locator. */
function rlValue(param) {
	return param.locator('[data-test-id="rlc-input"]').first().evaluate((el) => (el.tagName === 'INPUT' ? el : el.querySelector('input')).value);
}

module.exports = {
	title: 'Editor in a real browser',

	async prepare(ctx) {
		const ui = await uiWorkflows(ctx.sandbox, ctx.tag);
		ctx.state.ui = ui;
		return { credentials: [], workflows: ui.workflows };
	},

	async live(ctx) {
		const { ui } = ctx.state;
		const shots = shotsDir(ctx);
		fs.rmSync(shots, { recursive: true, force: true });
		fs.mkdirSync(shots, { recursive: true });
		const started = Date.now();

		let page;
		let watch;
		const ready = await ctx.t('Chromium starts and the owner signs in at /signin', async () => {
			ctx.state.browser = await launchChromium();
			page = await ctx.state.browser.newPage({ viewport: { width: 1440, height: 900 } });
			page.setDefaultTimeout(20000);
			watch = watchErrors(page, { origin: new URL(ctx.url).origin });
			await ed.signIn(page, ctx.url, ctx.owner);
		});
		if (!ready) return;

		await ctx.t('node panel: a search finds UpCloud, UpCloud Usage Trigger and Upzelo, each with its icon', async () => {
			watch.setContext('node panel');
			await ed.openWorkflow(page, ctx.url, WORKFLOW_IDS.trigger);
			await nodePanelCheck(page, { dark: false });
			await searchNodePanel(page, 'UpCloud');
			await page.screenshot({ path: path.join(shots, 'node-panel.png') });
			await readmeShot(ctx, page, 'node-panel', '[data-test-id="node-creator"]');
			// Add the node and pick an operation, as a newcomer does.
			await page.locator('[data-test-id="node-creator-item-name"]', { hasText: /^UpCloud$/ }).first().click();
			const picked = ui.upCloudNodes.find((n) => n.key === 'upCloud:account:getCurrent');
			const { action } = picked.display;
			await page.locator('[data-test-id="node-creator"]').getByText(action, { exact: false }).first().click();
			await page.locator(ed.NDV).first().waitFor({ state: 'visible' });
			// What the editor added: read from its workflow store (the panel's fields render a moment later).
			const added = await page.waitForFunction(
				(type) => {
					// 1.x keeps the nodes in the workflows store; 2.x in a store of its own: look through all of them.
					const stores = document.querySelector('#app').__vue_app__.config.globalProperties.$pinia._s;
					const ours = (list) => Array.isArray(list) && list.find((n) => n && n.type === type);
					for (const store of stores.values()) {
						for (const value of [store.workflow?.nodes, store.allNodes, ...Object.values(store.$state ?? {}).map((v) => v?.nodes ?? v?.workflow?.nodes)]) {
							const node = ours(value);
							if (node) return JSON.parse(JSON.stringify(node.parameters));
						}
					}
					// Else what the panel shows: its Resource and Operation fields.
					const text = document.querySelector('[data-test-id="ndv"]')?.innerText ?? '';
					return /Resource\s+Account/.test(text) && /Operation\s+Get Current/.test(text) ? { resource: 'account', operation: 'getCurrent' } : false;
				},
				picked.type,
				{ timeout: 10000 },
			).then((h) => h.jsonValue());
			await page.screenshot({ path: path.join(shots, 'node-panel-added.png') });
			assert(added.resource === 'account' && added.operation === 'getCurrent', `after picking "${action}" the node holds ${JSON.stringify(added)}`);
			await ed.closeNode(page);
			const ours = oursSince(watch, 0);
			assert(!ours, `errors of ours:\n${ours}`);
		});

		await ctx.t('dark theme: the node panel and the canvas show the dark icons', async () => {
			watch.setContext('dark theme');
			await ed.openWorkflow(page, ctx.url, WORKFLOW_IDS.upzelo, { query: '?theme=dark' });
			await nodePanelCheck(page, { dark: true });
			await closeNodePanel(page);
			const canvasIcons = await page.$$eval('[data-test-id="canvas-node"] img', (imgs) => [...new Set(imgs.map((i) => i.getAttribute('src')))]);
			assert(canvasIcons.length && canvasIcons.every((s) => s.endsWith('upzelo.dark.svg')), `canvas icons in the dark theme: ${canvasIcons.join(', ')}`);
			await page.screenshot({ path: path.join(shots, 'dark-canvas.png') });
		});

		// Every resource × operation.
		let swept = 0;
		for (const [wfId, nodes, type] of [
			[WORKFLOW_IDS.upCloud, ui.upCloudNodes, 'UpCloud'],
			[WORKFLOW_IDS.upzelo, ui.upzeloNodes, 'Upzelo'],
		]) {
			const opened = await ctx.t(`${type}: the sweep workflow opens; the canvas shows the issue badge on no node but the control`, async () => {
				watch.setContext(`${type} sweep canvas`);
				await ed.openWorkflow(page, ctx.url, wfId);
				const names = await ed.canvasNodeNames(page);
				const missing = nodes.filter((n) => !names.includes(n.name)).map((n) => n.name);
				assert(!missing.length, `not on the canvas: ${missing.join(', ')}`);
				const withIssues = await ed.canvasNodesWithIssues(page);
				const expected = wfId === WORKFLOW_IDS.upCloud ? [CONTROL_NODE] : [];
				assert(JSON.stringify(withIssues) === JSON.stringify(expected), `nodes with the issue badge: ${JSON.stringify(withIssues)}, expected ${JSON.stringify(expected)}`);
			});
			if (!opened) continue;
			if (wfId === WORKFLOW_IDS.upCloud) {
				await ctx.t(`control: "${CONTROL_NODE}" (Account → Get without a username) shows the parameter-issue badge`, async () => {
					await ed.openNode(page, wfId, 'ui-control-no-username-node', CONTROL_NODE);
					const issues = await ed.ndvIssues(page);
					assert(issues.length === 1, `badges: ${JSON.stringify(issues)}`);
					await ed.closeNode(page);
				});
			}
			for (const node of nodes) {
				await ctx.t(`${type} ${node.display.resource} → ${node.display.operation}: panel renders, no issue badge, no error of ours`, async () => {
					watch.setContext(`${type} ${node.key}`);
					const from = watch.errors.length;
					await ed.openNode(page, wfId, node.id, node.name);
					const ndv = page.locator(ed.NDV).first();
					const text = await ndv.innerText();
					assert(text.includes(node.display.operation), `the panel does not show the operation "${node.display.operation}"`);
					const issues = await ed.ndvIssues(page);
					await page.screenshot({ path: path.join(shots, `${slug(type)}-${slug(node.resource)}-${slug(node.operation)}.png`) });
					await ed.closeNode(page);
					assert(!issues.length, `parameter-issue badges at: ${issues.join(' | ')}`);
					const ours = oursSince(watch, from);
					assert(!ours, `errors of ours:\n${ours}`);
					swept += 1;
				});
			}
		}
		ctx.record('operationsSwept', swept);

		await ctx.t('Price → Create: Product lists the sandbox products, typing filters them, By ID works', async () => {
			watch.setContext('resource locator products');
			await ed.openWorkflow(page, ctx.url, WORKFLOW_IDS.upzelo);
			await ed.openNode(page, WORKFLOW_IDS.upzelo, 'ui-upzelo-price-create-node');
			const products = ui.records.products;
			const term = products[0].name.split(/\s+/)[0];
			const r = await resourceLocatorCheck(page, {
				label: 'Product',
				expected: products.map((p) => p.name),
				filterTerm: term,
				shotFile: path.join(shots, 'upzelo-product-dropdown.png'),
				onList: () => readmeShot(ctx, page, 'upzelo-dropdown', { x: 525, y: 30, width: 392, height: 700 }),
			});
			const value = await rlValue(r.param);
			assert(/^upz_prod_/.test(value), `By ID after picking from the list holds "${value}", expected the product's ID`);
			assert(!(await ed.ndvIssues(page)).length, 'parameter-issue badge after By ID');
			// By ID works: Execute step creates the price for that product.
			const before = ctx.sandbox.state.seq;
			await ed.executeStep(page);
			const out = await ed.outputPanel(page);
			await ed.closeNode(page);
			assert(out.count === 1 && /upz_prc_/.test(out.text), `Price → Create shows no created price: ${out.text.slice(0, 300)}`);
			const posts = ctx.sandbox.requests().filter((q) => q.seq > before && q.method === 'POST' && q.path === '/api/prices');
			assert(posts.length === 1 && posts[0].body.product_id === value, `POST /api/prices sent ${JSON.stringify(posts.map((q) => q.body))}, expected product_id ${value}`);
			ctx.log(`products: ${r.listed} listed, ${r.filtered} for "${term}"`);
		});

		await ctx.t('Subscription → Create: Price lists the sandbox prices, typing filters them, By ID works', async () => {
			watch.setContext('resource locator prices');
			await ed.openNode(page, WORKFLOW_IDS.upzelo, 'ui-upzelo-subscription-create-node');
			const prices = ui.records.prices;
			const r = await resourceLocatorCheck(page, {
				label: 'Price',
				// Our list shows a price as "<title> (<amount> <CURRENCY> / <interval>)".
				expected: prices.map((p) => `${(p.price / 100).toFixed(2)} ${p.currency.toUpperCase()}`),
				filterTerm: prices[0].currency,
				shotFile: path.join(shots, 'upzelo-price-dropdown.png'),
			});
			const value = await rlValue(r.param);
			assert(/^upz_prc_/.test(value), `By ID after picking from the list holds "${value}", expected the price's ID`);
			await ed.closeNode(page);
		});

		for (const [nodeId, expectation] of Object.entries(EXECUTE)) {
			const node = [...ui.upCloudNodes, ...ui.upzeloNodes].find((n) => n.id === nodeId);
			const wfId = node.type.endsWith('.upzelo') ? WORKFLOW_IDS.upzelo : WORKFLOW_IDS.upCloud;
			await ctx.t(`Execute step: ${node.display.resource} → ${node.display.operation} shows the expected items`, async () => {
				watch.setContext(`execute ${node.key}`);
				const from = watch.errors.length;
				const want = await expectation(ctx.sandbox, ctx);
				if (!page.url().includes(`/workflow/${wfId}`)) await ed.openWorkflow(page, ctx.url, wfId);
				await ed.openNode(page, wfId, nodeId, node.name);
				await ed.executeStep(page);
						const out = await ed.outputPanel(page);
				await page.screenshot({ path: path.join(shots, `run-${slug(node.resource)}-${slug(node.operation)}.png`) });
				if (nodeId === 'ui-upCloud-account-get-node') await readmeShot(ctx, page, 'upcloud-operation', { x: 525, y: 25, width: 890, height: 855 });
				await ed.closeNode(page);
				assert(out.count === want.count, `the output panel shows ${out.count} items, expected ${want.count}: ${out.text.slice(0, 300)}`);
				const missing = want.includes.filter((s) => !out.text.includes(String(s)));
				assert(!missing.length, `the output panel lacks ${missing.join(', ')}: ${out.text.slice(0, 300)}`);
				const ours = oursSince(watch, from);
				assert(!ours, `errors of ours:\n${ours}`);
			});
		}

		await ctx.t("forced API error (sandbox: UpCloud answers 500): the panel shows UpCloud's code and message", async () => {
			watch.setContext('forced error');
			await controlSandbox(ctx.sandbox, 'faults', FORCED_ERROR.fault);
			try {
				if (!page.url().includes(`/workflow/${WORKFLOW_IDS.upCloud}`)) await ed.openWorkflow(page, ctx.url, WORKFLOW_IDS.upCloud);
				await ed.openNode(page, WORKFLOW_IDS.upCloud, FORCED_ERROR.nodeId);
				await ed.executeStep(page);
				await page.locator(`${ed.NDV} [data-test-id="node-error-message"]`).first().waitFor();
				const text = (await page.locator(ed.NDV).first().innerText()).replace(/\s+/g, ' ');
				await page.screenshot({ path: path.join(shots, 'upcloud-forced-error.png') });
				await ed.closeNode(page);
				const missing = FORCED_ERROR.expect.filter((s) => !text.includes(s));
				assert(!missing.length, `the error panel lacks ${missing.join(', ')}: ${text.slice(0, 500)}`);
			} finally {
				await controlSandbox(ctx.sandbox, 'faults', undefined, 'DELETE');
			}
		});

		await ctx.t('Usage Trigger: Fetch Test Event with one level shows the test item', async () => {
			watch.setContext('usage trigger');
			const from = watch.errors.length;
			await ed.openWorkflow(page, ctx.url, WORKFLOW_IDS.trigger);
			await ed.openNode(page, WORKFLOW_IDS.trigger, 'ui-trigger-node');
			await ed.executeStep(page);
			const out = await ed.outputPanel(page);
			// The picture shows the item as JSON; the table (checked) stays the view for later panels.
			await ed.outputView(page, 'JSON');
			await page.screenshot({ path: path.join(shots, 'usage-trigger-test-event.png') });
			await readmeShot(ctx, page, 'usage-trigger-test', { x: 375, y: 25, width: 1050, height: 855 });
			await ed.outputView(page, 'Table');
			await ed.closeNode(page);
			assert(out.count === 1, `the output panel shows ${out.count} items, expected 1: ${out.text.slice(0, 300)}`);
			const [row] = out.table.rows;
			const cell = (h) => row?.[out.table.headers.indexOf(h)];
			assert(cell('state') === 'test', `state column: ${cell('state')} (columns ${out.table.headers.join(', ')})`);
			assert(cell('metric') === 'credits', `metric column: ${cell('metric')}`);
			assert(out.table.headers.includes('level'), `no level column: ${out.table.headers.join(', ')}`);
			const ours = oursSince(watch, from);
			assert(!ours, `errors of ours:\n${ours}`);
		});

		await ctx.t('no page, console or HTTP error of ours on any page; n8n\'s own listed', async () => {
			const all = summarize(watch.errors);
			const ours = all.filter((e) => e.ours && !e.external);
			const theirs = all.filter((e) => !e.ours || e.external);
			// n8n 1.x's editor looks community packages up on registry.npmjs.org: unpublished (and refused by this
			// closed network), that lookup fails; it is n8n's request, not an error of the package.
			ctx.record('externalRequestsAboutOurs', all.filter((e) => e.ours && e.external).map((e) => `${e.message} ×${e.count}`));
			ctx.record(
				'n8nOwnErrors',
				theirs.map((e) => ({ kind: e.kind, message: e.message.slice(0, 200), count: e.count, firstSeen: e.context, source: stackHead(e.stack || e.url, 2) })),
			);
			for (const e of theirs) ctx.log(`n8n's own ${e.kind} ×${e.count} (first: ${e.context}): ${e.message.slice(0, 160)}${e.stack ? ` at ${stackHead(e.stack, 2)}` : e.url ? ` at ${e.url}` : ''}`);
			assert(!ours.length, ours.map((e) => `${e.kind} ×${e.count} (${e.context}): ${e.message}`).join('\n'));
		});
		ctx.record('liveSeconds', Math.round((Date.now() - started) / 1000));
	},

	async close(ctx) {
		if (ctx.state.browser) await ctx.state.browser.close().catch(() => {});
		ctx.state.browser = undefined;
	},
};

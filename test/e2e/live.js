'use strict';
/**
 * The part of the e2e that needs a running n8n (`n8n start`): what the editor loads (node and credential types,
 * icons), the usage trigger in manual mode (the editor's "Fetch Test Event"), and activated polling workflows,
 * including the example workflows that start with a polling trigger.
 */

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { ACTION_NODES, PACKAGE_NAMES, fullType } = require('../../scripts/lib/registry');
const { RestSession, startN8n } = require('../../scripts/lib/n8n');
const { items, json } = require('./lib/run-data');
const { controlSandbox } = require('../sandbox/server');
const upzeloTrigger = require('./cases/upzelo-trigger');
const { auditTriggerPhase } = require('./cases/audit-trigger');

const OWNER = { email: 'e2e@example.com', password: 'E2e-Owner-Pass-1', firstName: 'E2E', lastName: 'Owner' };

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function flattedFor(rt) {
	// n8n stores and serves execution data as a `flatted` string; use the copy n8n itself ships.
	return require(path.join(rt.dir, 'node_modules', 'flatted'));
}

/** The sandbox's readings (credits, month spend, …), as the usage trigger will poll them. */
const control = (sandbox, body) => controlSandbox(sandbox, 'state', body);

class Executions {
	constructor(session, rt) {
		this.session = session;
		this.flatted = flattedFor(rt);
		this.cache = new Map();
	}

	async list(workflowId) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const r = await this.session.get(`/rest/executions?filter=${filter}&limit=100`);
		if (r.status !== 200) throw new Error(`GET /rest/executions: HTTP ${r.status} ${r.text.slice(0, 300)}`);
		const results = r.json?.data?.results ?? r.json?.data ?? [];
		return [...results].sort((a, b) => Number(a.id) - Number(b.id));
	}

	/** The execution with its run data, shaped like `execute --rawOutput` output (`{ data: { resultData } }`). */
	async get(id) {
		if (this.cache.has(id)) return this.cache.get(id);
		const r = await this.session.get(`/rest/executions/${id}`);
		if (r.status !== 200) throw new Error(`GET /rest/executions/${id}: HTTP ${r.status}`);
		const e = r.json.data;
		const data = typeof e.data === 'string' ? this.flatted.parse(e.data) : e.data;
		const out = { ...e, data };
		if (e.finished || (e.status && !['running', 'new', 'waiting'].includes(e.status))) this.cache.set(id, out);
		return out;
	}

	/** Waits until `predicate(executions)` holds for the finished executions of a workflow. */
	async waitFor(workflowId, predicate, { timeoutMs = 40000, what = 'executions' } = {}) {
		const started = Date.now();
		let last = [];
		for (;;) {
			const listed = await this.list(workflowId);
			const done = [];
			for (const e of listed) {
				if (['running', 'new', 'waiting'].includes(e.status)) continue;
				done.push(await this.get(e.id));
			}
			last = done;
			if (predicate(done)) return done;
			if (Date.now() - started > timeoutMs) {
				throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; have ${done.length}: ${JSON.stringify(done.map(summary))}`);
			}
			await sleep(1000);
		}
		// eslint-disable-next-line no-unreachable
		return last;
	}
}

/** Trigger items of an execution (first node = the trigger). */
function triggerItems(execution, triggerName) {
	try {
		return json({ data: execution.data }, triggerName);
	} catch {
		return [];
	}
}

function summary(e) {
	const runData = e.data?.resultData?.runData ?? {};
	const first = Object.values(runData)[0]?.[0]?.data?.main?.[0] ?? [];
	return { id: e.id, mode: e.mode, status: e.status, items: first.map((i) => `${i.json.state}:${i.json.level}`) };
}

async function manualRun(session, executions, workflowId, triggerName) {
	const wf = await session.get(`/rest/workflows/${workflowId}`);
	if (wf.status !== 200) throw new Error(`GET /rest/workflows/${workflowId}: HTTP ${wf.status}`);
	// 1.x wants the workflow in the body, 2.x reads it from the database and ignores extra keys.
	const r = await session.post(`/rest/workflows/${workflowId}/run`, {
		workflowData: wf.json.data,
		triggerToStartFrom: { name: triggerName },
	});
	if (r.status !== 200) throw new Error(`manual run: HTTP ${r.status} ${r.text.slice(0, 300)}`);
	const id = r.json?.data?.executionId;
	if (!id) throw new Error(`manual run did not start an execution: ${r.text.slice(0, 300)}`);
	for (let i = 0; i < 60; i++) {
		const e = await executions.get(id).catch(() => undefined);
		if (e && (e.finished || ['success', 'error', 'crashed', 'canceled'].includes(e.status))) return e;
		await sleep(500);
	}
	throw new Error(`manual execution ${id} did not finish in 30 s`);
}

/** The current UTC month as the trigger sees it: the elapsed fraction (in exact hours) and its length in days. */
function monthNow() {
	const now = new Date();
	const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
	const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
	return { fraction: (now.getTime() - start) / (end - start), days: (end - start) / 86_400_000 };
}

/**
 * One `n8n start` for the e2e's live checks (when `ctx.e2e`) and then each suite's `live(ctx)`.
 * @param ctx { e2e, liveChecks: { usageTrigger, upzeloTrigger }, suites, rt, env, sandbox, reporter, group, manualWorkflows, activeWorkflow, noLevelWorkflow,
 *   projectionWorkflows, exampleVariants, exampleChecks, expectedTypes, userFolder }
 */
async function livePhase(ctx) {
	const { rt, env, reporter, group } = ctx;
	const t = (title, fn) => reporter.test(group, title, fn);

	let n8n;
	const ok = await t('n8n start with the packages installed: editor and REST API answer', async () => {
		n8n = await startN8n(rt, env, { logFile: path.join(ctx.userFolder, 'n8n-start.log') });
	});
	if (!ok) return;
	try {
		const session = new RestSession(n8n.url);
		const executions = new Executions(session, rt);
		const loggedIn = await t('owner account set up and logged in over REST', async () => {
			await session.ensureOwner(OWNER);
		});
		if (!loggedIn) return;
		if (ctx.e2e && ctx.liveChecks.usageTrigger) await e2eLiveChecks({ ctx, t, n8n, session, executions });
		if (ctx.e2e && ctx.liveChecks.upzeloTrigger) await upzeloTrigger.live({ t, n8n, session, executions, sandbox: ctx.sandbox });
		for (const s of ctx.suites) {
			await s.module.live(Object.assign(s.ctx, { env, url: n8n.url, session, owner: OWNER, executions, n8n }));
		}
	} finally {
		await n8n.stop();
	}
}

/** The e2e's checks against the running n8n: editor types and icons, the usage trigger in manual mode and activated. */
async function e2eLiveChecks({ ctx, t, n8n, session, executions }) {
	const { rt, sandbox } = ctx;
	const major = Number(rt.version.split('.')[0]);
	const toActivate = [ctx.activeWorkflow.id, ...ctx.exampleVariants.filter((v) => v.mode === 'activate').map((v) => v.workflow.id)];

	const { nodes: ourNodes, credentials: ourCredentials } = ctx.expectedTypes;
	await t(`n8n loads all ${ourNodes.length} nodes and all ${ourCredentials.length} credentials (editor types, icons, no load errors)`, async () => {
		const nodes = await session.get('/types/nodes.json');
		assert.equal(nodes.status, 200, `/types/nodes.json HTTP ${nodes.status}`);
		const byName = new Map(nodes.json.map((n) => [n.name, n]));
		const missing = ctx.expectedTypes.nodes.filter((n) => !byName.has(fullType(n)));
		assert.deepEqual(missing, [], `node types missing from the editor: ${missing.join(', ')}`);
		const creds = await session.get('/types/credentials.json');
		const credNames = new Set(creds.json.map((c) => c.name));
		const missingCreds = ctx.expectedTypes.credentials.filter((c) => !credNames.has(c));
		assert.deepEqual(missingCreds, [], `credential types missing: ${missingCreds.join(', ')}`);
		for (const name of ctx.expectedTypes.nodes) {
			const desc = byName.get(fullType(name));
			const urls = typeof desc.iconUrl === 'string' ? [desc.iconUrl] : Object.values(desc.iconUrl || {});
			assert.ok(urls.length > 0, `${name} has an icon URL (got ${JSON.stringify(desc.icon ?? desc.iconUrl)})`);
			for (const url of urls) {
				const res = await fetch(`${n8n.url}/${url.replace(/^\//, '')}`);
				assert.equal(res.status, 200, `icon ${url}: HTTP ${res.status}`);
				assert.match(await res.text(), /<svg/, `icon ${url} is an SVG`);
			}
		}
		for (const { name } of ACTION_NODES.filter((n) => ctx.expectedTypes.nodes.includes(n.name))) {
			assert.ok(byName.has(fullType(`${name}Tool`)), `usableAsTool: n8n derived ${name}Tool`);
		}
		const loadErrors = n8n
			.output()
			.split('\n')
			.filter((l) => PACKAGE_NAMES.some((p) => l.includes(p)) && /error|fail|cannot/i.test(l));
		assert.deepEqual(loadErrors, [], 'n8n logged errors about the package');
	});

	await t('every example uses node types and versions this n8n knows', async () => {
		const nodes = (await session.get('/types/nodes.json')).json;
		// Versioned nodes appear once per implementation (Set v1–2 and v3–3.4), so merge their versions.
		const versions = new Map();
		for (const n of nodes) versions.set(n.name, [...(versions.get(n.name) ?? []), ...[].concat(n.version)]);
		const problems = [];
		for (const ex of ctx.examples) {
			for (const node of ex.workflow.nodes) {
				const known = versions.get(node.type);
				if (!known) problems.push(`${ex.file}: ${node.name} has unknown type ${node.type}`);
				else if (!known.includes(node.typeVersion)) {
					problems.push(`${ex.file}: ${node.name} ${node.type} v${node.typeVersion} (this n8n has ${known.join(', ')})`);
				}
			}
		}
		assert.deepEqual(problems, []);
	});

	for (const m of ctx.manualWorkflows) {
		const how = m.auth?.startsWith('bearer') ? ' with an API token' : '';
		await t(`usage trigger in manual mode ("Fetch Test Event"): ${m.title ?? m.metric}${how}`, async () => {
			const before = sandbox.state.seq;
			const e = await manualRun(session, executions, m.id, 'Usage');
			assert.equal(e.mode, 'manual');
			assert.equal(e.status ?? (e.finished ? 'success' : 'error'), 'success', `execution ${e.id}: ${JSON.stringify(e.data?.resultData?.error?.message)}`);
			const out = items({ data: e.data }, 'Usage');
			assert.ok(out.length >= 1, 'a manual run always yields an item, even when nothing is crossed');
			for (const i of out) {
				assert.equal(i.json.metric, m.metric);
				assert.equal(i.json.state, 'test', 'manual items are marked as test');
				assert.equal(typeof i.json.value, 'number');
				assert.ok(i.json.message, 'has a message');
			}
			const calls = sandbox.requests().filter((r) => r.seq > before && r.service === 'upcloud');
			assert.ok(calls.length >= 1 && calls.length <= 2, `one poll is one request (+ currency or account name lookup): ${calls.map((c) => c.path).join(', ')}`);
			if (m.calls) assert.deepEqual(calls.map((c) => c.path), m.calls);
			if (m.account) assert.ok(out.every((i) => i.json.account === m.account), `account ${m.account} in the items`);
			const auth = m.auth ?? 'basic:sandbox_user';
			assert.ok(calls.every((c) => c.auth === auth), `every request authenticated as ${auth}: ${calls.map((c) => c.auth).join(', ')}`);
			if (m.requests !== undefined) assert.equal(calls.length, m.requests, `requests of one manual run: ${calls.map((c) => c.path).join(', ')}`);
			if (m.check) m.check(out.map((i) => i.json));
		});
	}

	if (major < 2) {
		// n8n 1.x runs manual executions in its main process (no task runners here): the native isolated-vm
		// module is mapped into it exactly when expressions are evaluated by the vm engine.
		await t(`expressions evaluated by the ${rt.engine} engine (isolated-vm ${rt.engine === 'vm' ? '' : 'not '}loaded in n8n)`, async () => {
			const maps = fs.readFileSync(`/proc/${n8n.child.pid}/maps`, 'utf8');
			const loaded = /isolated-vm[^\n]*\.node/.test(maps);
			assert.equal(loaded, rt.engine === 'vm', `isolated-vm native module ${loaded ? 'is' : 'is not'} mapped into n8n (pid ${n8n.child.pid})`);
		});
	}

	await t('usage trigger with no threshold level: activation fails with the clear message and sends nothing', async () => {
		const id = ctx.noLevelWorkflow.id;
		const before = sandbox.state.seq;
		const wf = await session.get(`/rest/workflows/${id}`);
		const on = await session.post(`/rest/workflows/${id}/activate`, { versionId: wf.json.data.versionId });
		const message = /Add at least one threshold level/;
		if (major < 2) {
			assert.notEqual(on.status, 200, `activation must fail: ${on.text.slice(0, 300)}`);
			assert.match(on.text, message);
			assert.equal((await session.get(`/rest/workflows/${id}`)).json.data.active, false, 'the workflow is not active');
		} else {
			// 2.x accepts the publication and activates its triggers in the background; the failure becomes the
			// workflow's publication status and activation error, which the editor shows.
			let why = on.status === 200 ? '' : on.text;
			for (let i = 0; i < 40 && !message.test(why); i++) {
				await sleep(500);
				const status = await session.get(`/rest/workflows/${id}/publication-status`);
				const error = await session.get(`/rest/active-workflows/error/${id}`);
				why = `${status.status} ${status.text} | ${error.status} ${error.text}`;
			}
			assert.match(why, message, `the activation error names the missing level: ${why.slice(0, 500)}`);
			await session.post(`/rest/workflows/${id}/deactivate`, {});
		}
		const calls = sandbox.requests().filter((r) => r.seq > before && r.service === 'upcloud');
		assert.deepEqual(calls.map((c) => c.path), [], 'nothing was sent to UpCloud');
	});

	// Activated over REST, as the editor's Active/Publish toggle does (both versions have POST …/activate).
	// Budget example: its 80 % level is already crossed when it starts watching, so it fires at activation.
	await control(sandbox, { monthSpend: 450, credits: 84215.3127 });
	const sinceStart = sandbox.state.seq;
	const activate = (id) => session.setActive(id, true);
	const activated = await t(`activate ${toActivate.length} polling workflows (POST /rest/workflows/:id/activate)`, async () => {
		for (const id of toActivate) await activate(id);
	});
	if (!activated) return;

	const activeId = ctx.activeWorkflow.id;
	// Make every active workflow poll once more. 1.x: the 5-second cron does it, so wait until the sandbox has
	// seen a new poll of each (GET /account for the credit triggers, the billing summary for the spend one).
	// 2.x: the cron can be no faster than a minute, but activation always polls once: deactivate + activate.
	const creditWatchers = 1 + ctx.exampleVariants.filter((v) => v.mode === 'activate' && /credits/i.test(v.file)).length;
	const spendWatchers = ctx.exampleVariants.filter((v) => v.mode === 'activate' && /spend|budget/i.test(v.file)).length;
	const pollEach = async (ids, { creditPolls, spendPolls }) => {
		if (major < 2) {
			const since = sandbox.state.seq;
			const t0 = Date.now();
			for (;;) {
				const fresh = sandbox.requests().filter((r) => r.seq > since);
				const credits = fresh.filter((r) => r.path === '/1.3/account').length;
				const spend = fresh.filter((r) => r.path.startsWith('/1.3/account/billing/summary/')).length;
				if (credits >= creditPolls && spend >= spendPolls) break;
				if (Date.now() - t0 > 30000) throw new Error(`no new polls within 30 s (credits ${credits}, spend ${spend})`);
				await sleep(300);
			}
		} else {
			for (const id of ids) {
				await session.setActive(id, false);
				await activate(id);
			}
		}
		// Emitted runs are saved asynchronously after the poll.
		await sleep(2000);
	};
	const pollAll = () => pollEach(toActivate, { creditPolls: creditWatchers, spendPolls: spendWatchers });
	const how = major < 2 ? 'on its 5-second cron' : 'on each (re)activation (2.x refuses sub-minute crons)';
	const examplesToWatch = ctx.exampleVariants.filter((v) => v.mode === 'activate');

	await t(`activated usage trigger polls ${how} and stays quiet while credits are fine`, async () => {
		const polled = sandbox.requests().filter((r) => r.seq > sinceStart && r.path === '/1.3/account').length;
		assert.ok(polled >= 1, 'polled GET /account at activation');
		await pollAll();
		assert.deepEqual((await executions.list(activeId)).map(summary), []);
	});

	await control(sandbox, { credits: 4210, monthSpend: 512.5 });
	// Examples whose trigger watches something else than these readings set it up here (the audit log's events).
	for (const variant of examplesToWatch) await ctx.exampleChecks[variant.source.id]?.arrange?.({ sandbox });
	await t('activated usage trigger fires once when credits drop below the threshold, and not again while they stay low', async () => {
		await pollAll();
		const done = await executions.waitFor(activeId, (list) => list.length >= 1, { what: 'an alert execution' });
		const [first] = done;
		assert.equal(first.mode, 'trigger');
		const [item] = triggerItems(first, 'Usage');
		assert.equal(item.state, 'alerting');
		assert.equal(item.level, 'below 500');
		assert.equal(item.value, 42.1);
		// Another poll in alarm must not alert again: the state was kept in the workflow's static data.
		await pollAll();
		const after = await executions.list(activeId);
		assert.equal(after.length, 1, `still one execution after another poll: ${JSON.stringify(after.map((e) => e.id))}`);
	});

	for (const variant of examplesToWatch) {
		const check = ctx.exampleChecks[variant.source.id];
		await t(`example ${variant.file} (activated, ${variant.disabled.join(', ') || 'nothing'} disabled) fires`, async () => {
			if (!check?.live) throw new Error(`no live check defined for example ${variant.source.id}`);
			await check.live({ executions, variant, triggerItems, sandbox });
		});
	}

	await control(sandbox, { credits: 84215.3127 });
	await t('activated usage trigger emits "resolved" when credits recover (Also Notify on Recovery)', async () => {
		await pollAll();
		const done = await executions.waitFor(activeId, (list) => list.length >= 2, { what: 'a recovery execution' });
		const [item] = triggerItems(done[1], 'Usage');
		assert.equal(item.state, 'resolved');
		assert.equal(item.previousState, 'alarm');
	});

	for (const variant of examplesToWatch) {
		const check = ctx.exampleChecks[variant.source.id];
		if (!check?.liveRecovery) continue;
		await t(`example ${variant.file}: recovery`, async () => {
			await check.liveRecovery({ executions, variant, triggerItems });
		});
	}

	await projectionsPhase({ t, sandbox, session, executions, activate, pollEach, toActivate, workflows: ctx.projectionWorkflows });
	await auditTriggerPhase({ t, major, sandbox, session, executions, activate, manualRun, items, triggerItems });
}

/**
 * Projected Month-End Spend and Credit Runway, activated alone after every other workflow is deactivated, so each
 * poll is exactly theirs: 1 GET /account and 2 billing summaries. n8n's clock is real, so the sandbox values are set
 * from the elapsed fraction f of this month (D days long): a month-to-date spend of S·f projects S by month end and
 * burns S/D a day, whatever the day of the month.
 */
async function projectionsPhase({ t, sandbox, session, executions, activate, pollEach, toActivate, workflows }) {
	const [forecast, runway] = workflows.map((w) => w.id);
	const poll = () => pollEach([forecast, runway], { creditPolls: 1, spendPolls: 2 });
	const spendProjecting = (total) => ({ monthSpend: Number((total * monthNow().fraction).toFixed(5)) });
	// Credits (in hundredths, as GET /account reports them) that last `days` at a burn of total/D a day.
	const creditsLasting = (days, total) => ({ credits: Math.round(((days * total) / monthNow().days) * 100) });
	// The item states of each finished execution of a workflow, oldest first.
	const states = async (id, name) =>
		(await executions.waitFor(id, () => true)).map((e) => triggerItems(e, name).map((i) => i.state).join(','));

	const started = await t('projections: every other workflow deactivated; forecast (above 1000 EUR) and runway (below 7 days) activated, quiet', async () => {
		for (const id of toActivate) {
			await session.setActive(id, false);
		}
		// Projected 500 EUR; 60 days of credits at 500/D a day.
		await control(sandbox, { ...spendProjecting(500), ...creditsLasting(60, 500) });
		await activate(forecast);
		await activate(runway);
		await poll();
		assert.deepEqual(await states(forecast, 'Forecast'), []);
		assert.deepEqual(await states(runway, 'Runway'), []);
	});
	if (!started) return;

	await t('projections: the forecast crosses its level: exactly one alert, and the runway stays quiet', async () => {
		// Projected 2000 EUR; the same credits now last 15 days.
		await control(sandbox, spendProjecting(2000));
		await poll();
		const [alert] = await executions.waitFor(forecast, (l) => l.length >= 1, { what: 'a forecast alert' });
		const [item] = triggerItems(alert, 'Forecast');
		assert.equal(item.state, 'alerting');
		assert.equal(item.level, 'over 1000');
		assert.ok(item.value > 1500 && item.value <= 2000, `forecast about 2000 (got ${item.value})`);
		assert.ok(Math.abs(item.monthToDate / item.elapsedFraction - item.value) < 0.01 * item.value, 'value = monthToDate / elapsedFraction');
		assert.match(item.message, /^UpCloud spend for \S+ in \d{4}-\d\d is projected at \d+\.\d\d EUR by month end \(\d+\.\d\d EUR so far, [\d.]+% of the month\), above the 1000 EUR threshold$/);
		await poll();
		assert.deepEqual(await states(forecast, 'Forecast'), ['alerting'], 'one alert, not one per poll');
		assert.deepEqual(await states(runway, 'Runway'), []);
	});

	await t('projections: the runway crosses its level: exactly one alert, and no second forecast alert', async () => {
		// 3 days of credits at 2000/D a day.
		await control(sandbox, creditsLasting(3, 2000));
		await poll();
		const [alert] = await executions.waitFor(runway, (l) => l.length >= 1, { what: 'a runway alert' });
		const [item] = triggerItems(alert, 'Runway');
		assert.equal(item.state, 'alerting');
		assert.equal(item.level, 'within 7 days');
		assert.ok(item.value > 2.5 && item.value < 4, `about 3 days (got ${item.value})`);
		const expectedEnd = Date.parse(item.observedAt) + item.value * 86_400_000;
		// value is rounded to 4 decimals: 0.00005 days is 4.32 s.
		assert.ok(Math.abs(Date.parse(item.runsOutAt) - expectedEnd) < 4500, `runsOutAt ${item.runsOutAt} = observedAt + value days`);
		assert.match(item.message, /^UpCloud credits for \S+ last \d\.\d days at this month's rate \(\d+\.\d\d EUR left, \d+\.\d\d EUR\/day, running out around \S+Z\), below the 7 days threshold$/);
		await poll();
		assert.deepEqual(await states(runway, 'Runway'), ['alerting'], 'one alert, not one per poll');
		assert.deepEqual(await states(forecast, 'Forecast'), ['alerting']);
	});

	await t('projections: no spend this month: both recover (the runway is unlimited)', async () => {
		await control(sandbox, { monthSpend: 0 });
		await poll();
		await executions.waitFor(forecast, (l) => l.length >= 2, { what: 'the forecast recovery' });
		const done = await executions.waitFor(runway, (l) => l.length >= 2, { what: 'the runway recovery' });
		const [item] = triggerItems(done[1], 'Runway');
		assert.equal(item.state, 'resolved');
		assert.equal(item.value, null);
		assert.equal(item.runsOutAt, null);
		assert.match(item.message, /^Resolved: UpCloud credits for \S+ last indefinitely \(\d+\.\d\d EUR left, no spend yet this month\), no longer below the 7 days threshold$/);
		assert.deepEqual(await states(forecast, 'Forecast'), ['alerting', 'resolved']);
		assert.deepEqual(await states(runway, 'Runway'), ['alerting', 'resolved']);
	});
}

module.exports = { livePhase, OWNER };

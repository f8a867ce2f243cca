'use strict';
/**
 * Our nodes as AI Agent tools in a real n8n (`npm run test:agent`): n8n's AI Agent with an OpenAI Chat Model whose
 * credential points at a local scripted model (fake-model.js), and the UpCloud and Upzelo nodes attached as the
 * tools n8n makes of them (`<package>.<node>Tool`, e.g. the UpCloud node's `upCloudTool`). Each check runs one
 * workflow with `n8n execute` and asserts what the sandbox received and what the model was given:
 *
 *   1. UpCloud Account → Get Current: one GET /1.3/account with the credential's auth; the credits figure and
 *      credits_in_currency in the tool result and in the agent's answer.
 *   2. UpCloud Billing → Get Summary, Month from $fromAI('month'): the model's month in the path; a bad month comes
 *      back to the model as our input-rule message and nothing reaches the sandbox.
 *   3. Upzelo Customer → Get, ID from $fromAI('customerId'): the ID encoded in the path; a 404 comes back to the
 *      model as Upzelo's message and the run completes.
 *   4. Every operation of both nodes as a tool: the names and descriptions n8n gives the model.
 *
 * `n8n execute` runs the agent without streaming (streaming only happens through a chat trigger in streaming
 * mode), so the model gets non-streaming chat-completions requests; the fake answers streamed ones too.
 */

const assert = require('node:assert/strict');
const path = require('node:path');

const { ROOT } = require('../../scripts/lib/process');
const { ACTION_NODES, nodeNamed } = require('../../scripts/lib/registry');
const { ours, base, upCloud, upzelo, workflow } = require('../e2e/lib/workflow');
const { json, runError } = require('../e2e/lib/run-data');
const { startFakeModel, callThenQuote, answerOnly, FINAL_PREFIX } = require('./fake-model');

const FAKE_CREDENTIAL = { id: 'agentFakeOpenAi', name: 'Fake OpenAI model (agent suite)', type: 'openAiApi' };
const AGENT = 'AI Agent';
const MODEL = 'OpenAI Chat Model';
const MISSING_CUSTOMER_ID = 'cus 7/ä?#';
const BAD_MONTH = '2024-13';
const SUITE_BUDGET_MS = 4 * 60 * 1000;

/** A node's description as built (the runner packs, and so builds, before any suite runs). */
function builtDescription(type) {
	const mod = require(path.join(ROOT, nodeNamed(type).entry));
	const Cls = Object.values(mod).find((v) => typeof v === 'function');
	return new Cls().description;
}

/** Every resource/operation of a node with its action text, in the order of the node's properties. */
function operationsOf(type) {
	const description = builtDescription(type);
	return description.properties
		.filter((p) => p.name === 'operation' && p.displayOptions?.show?.resource)
		.flatMap((p) => p.displayOptions.show.resource.flatMap((resource) => p.options.map((o) => ({ resource, operation: o.value, action: o.action }))))
		.map((op) => ({ ...op, nodeName: `${op.action} in ${description.defaults.name}` }));
}

/**
 * One of our nodes as an agent tool: the `…Tool` type n8n derives from it, on the agent's ai_tool input. `node` is
 * a builder of test/e2e/lib/workflow.js (`upCloud`, `upzelo`) or a node name of the registry.
 */
function tool(node, name, parameters, extra) {
	const built = typeof node === 'function' ? node(name, parameters, extra) : ours(node, name, parameters, extra);
	return { ...built, type: `${built.type}Tool` };
}

/** A node of n8n's AI package (@n8n/n8n-nodes-langchain). */
function langchain(type, name, parameters, typeVersion, extra) {
	return { ...base(type, name, parameters, typeVersion, extra), type: `@n8n/n8n-nodes-langchain.${type}` };
}

/**
 * Manual Trigger → AI Agent (prompt defined in the node, carrying the fake's scenario marker) with the OpenAI Chat
 * Model (1.2: chat completions; later versions may use the Responses API) and the given tools.
 */
function agentWorkflow(id, scenario, question, tools, agentVersion) {
	const start = base('manualTrigger', 'Start', {}, 1, { id: `${id}-start` });
	const agent = langchain('agent', AGENT, { promptType: 'define', text: `${question} [scenario:${scenario}]`, options: {} }, agentVersion, { id: `${id}-agent` });
	const model = langchain('lmChatOpenAi', MODEL, { model: { __rl: true, mode: 'id', value: 'fake-model' }, options: {} }, 1.2, {
		id: `${id}-model`,
		credentials: { openAiApi: { id: FAKE_CREDENTIAL.id, name: FAKE_CREDENTIAL.name } },
	});
	start.position = [0, 0];
	agent.position = [240, 0];
	model.position = [160, 200];
	tools.forEach((t, i) => {
		t.position = [320 + i * 120, 200];
	});
	const connections = {
		Start: { main: [[{ node: AGENT, type: 'main', index: 0 }]] },
		[MODEL]: { ai_languageModel: [[{ node: AGENT, type: 'ai_languageModel', index: 0 }]] },
	};
	for (const t of tools) connections[t.name] = { ai_tool: [[{ node: AGENT, type: 'ai_tool', index: 0 }]] };
	return workflow(id, `agent suite: ${scenario}`, [start, agent, model, ...tools], connections);
}

/** The only tool of the request, called with `args`. */
const onlyTool = (args) => (tools) => {
	assert.equal(tools.length, 1, `one tool offered (got ${tools.map((t) => t.name).join(', ')})`);
	return { name: tools[0].name, arguments: args };
};

const FROM_AI_MONTH = "={{ $fromAI('month', 'The month to summarise, as YYYY-MM', 'string') }}";
const FROM_AI_CUSTOMER = "={{ $fromAI('customerId', 'The Upzelo ID of the customer', 'string') }}";

/**
 * The AI Agent versions each check runs with: 2.2 (LangChain's agent executor runs the tools inside the agent node)
 * and the editor's default on that n8n line, 3 on 1.x and 3.1 on 2.x (the workflow engine runs each tool call as a
 * run of the tool node).
 */
const agentVersions = (version) => [2.2, Number(version.split('.')[0]) >= 2 ? 3.1 : 3];

const billingTool = () =>
	tool(upCloud, 'UpCloud Billing', { resource: 'billing', operation: 'getSummary', yearMonth: FROM_AI_MONTH }, { credential: 'upcloud' });
const customerTool = () => tool(upzelo, 'Upzelo Customers', { resource: 'customer', operation: 'get', customerId: FROM_AI_CUSTOMER });

/**
 * The tool-calling checks: the fake model calls the case's one tool with `args`, then quotes what it answered;
 * `check` gets the sandbox requests of the run, the model's two requests, the tool's answer (parsed) and the agent's
 * output.
 */
const CASES = [
	{
		key: 'credits',
		title: 'UpCloud tool, Account → Get Current: one GET /1.3/account with the token; credits and credits_in_currency reach the model and the answer',
		question: 'How many credits does our UpCloud account have left?',
		tools: () => [tool(upCloud, 'UpCloud', { resource: 'account', operation: 'getCurrent' }, { credential: 'upcloudToken' })],
		args: () => ({}),
		check({ requests, chats, answer, output, sandbox, record }) {
			assert.deepEqual(seen(requests), ['GET /1.3/account 200 bearer'], 'one GET /account with the API token');
			const { credits } = sandbox.state.upcloud.main;
			assert.deepEqual(chats[0].tools.map((t) => [t.name, t.description]), [['UpCloud', 'Get credits and resource limits of the account in UpCloud']]);
			assert.deepEqual(chats[0].tools[0].parameters.properties ?? {}, {}, 'no parameter for the model to fill');
			assert.equal(answer.length, 1);
			assert.equal(answer[0].credits, credits, "the tool result holds the sandbox's credits figure");
			assert.equal(answer[0].credits_in_currency, Math.round((credits / 100) * 1e6) / 1e6, 'and the amount in the currency (credits / 100)');
			assert.ok(output.includes(`"credits":${credits},"credits_in_currency":${answer[0].credits_in_currency}`), 'both in the agent output');
			record({ credits, credits_in_currency: answer[0].credits_in_currency });
		},
	},
	{
		key: 'billingGood',
		title: "UpCloud tool, Billing → Get Summary with $fromAI('month'): the model's month is the one in the path",
		question: 'How much have we spent on UpCloud this month?',
		tools: () => [billingTool()],
		args: ({ yearMonth }) => ({ month: yearMonth }),
		check({ requests, chats, answer, yearMonth }) {
			assert.deepEqual(seen(requests), [`GET /1.3/account/billing/summary/${yearMonth} 200 basic:sandbox_user`]);
			const schema = chats[0].tools[0].parameters;
			assert.deepEqual(Object.keys(schema.properties ?? {}), ['month'], 'the tool asks the model for "month" only');
			assert.equal(schema.properties.month.description, 'The month to summarise, as YYYY-MM');
			assert.equal(answer.length, 1);
			assert.equal(typeof answer[0].total_amount, 'number', 'the summary reaches the model');
		},
	},
	{
		key: 'billingBad',
		title: `UpCloud tool, Billing → Get Summary with month ${BAD_MONTH}: our input-rule message reaches the model, nothing reaches the sandbox`,
		question: 'How much did we spend on UpCloud in the 13th month of 2024?',
		tools: () => [billingTool()],
		args: () => ({ month: BAD_MONTH }),
		check({ requests, answer, record }) {
			assert.deepEqual(seen(requests), [], 'no request');
			assert.deepEqual(answer, [{ error: `Month must be a month in the form YYYY-MM, e.g. 2024-09 (got "${BAD_MONTH}")` }]);
			record(answer);
		},
	},
	{
		key: 'customerFound',
		title: "Upzelo tool, Customer → Get with $fromAI('customerId'): the customer reaches the model",
		question: 'Look up this Upzelo customer.',
		tools: () => [customerTool()],
		args: ({ customerId }) => ({ customerId }),
		check({ requests, answer, customerId }) {
			assert.deepEqual(seen(requests), [`GET /api/customers/${encodeURIComponent(customerId)} 200 bearer + x-app-id:sandbox_app`]);
			assert.deepEqual(answer.map((c) => c.id), [customerId]);
		},
	},
	{
		key: 'customerMissing',
		title: `Upzelo tool, Customer → Get "${MISSING_CUSTOMER_ID}": the ID arrives encoded, the 404's message reaches the model, the run completes`,
		question: 'Look up this Upzelo customer.',
		tools: () => [customerTool()],
		args: () => ({ customerId: MISSING_CUSTOMER_ID }),
		check({ requests, answer, record }) {
			assert.deepEqual(seen(requests), ['GET /api/customers/cus%207%2F%C3%A4%3F%23 404 bearer + x-app-id:sandbox_app']);
			assert.deepEqual(answer, [{ error: `Entity not found: We cannot find an entity with an id matching ${MISSING_CUSTOMER_ID}` }]);
			record(answer);
		},
	},
];

const caseId = (c, agentVersion) => `ag${c.key.slice(0, 10)}${String(agentVersion).replace('.', '')}`;

/** The fake's scripts, one per workflow (the prompt names its scenario). */
function scripts(ctx, versions) {
	const out = { allTools: answerOnly('No tool needed.') };
	for (const v of versions) {
		for (const c of CASES) out[caseId(c, v)] = callThenQuote(onlyTool(c.args(ctx)));
	}
	return out;
}

function workflows(versions) {
	const all = [
		// No tool runs here (the model answers without calling one): each node has its package's default credential.
		...ACTION_NODES.flatMap((node) => operationsOf(node.name).map((op) => tool(node.name, op.nodeName, { resource: op.resource, operation: op.operation }))),
	];
	return [
		...versions.flatMap((v) => CASES.map((c) => agentWorkflow(caseId(c, v), caseId(c, v), c.question, c.tools(), v))),
		agentWorkflow('agAllTools', 'allTools', 'Which tools do you have?', all, versions[versions.length - 1]),
	];
}

/** The agent's answer (its `output` field); a failed run fails the check with n8n's error. */
function agentOutput(run) {
	const err = runError(run);
	if (err) throw new Error(`the run failed: ${err.message}${err.description ? ` – ${err.description}` : ''}`);
	const [item] = json(run, AGENT);
	assert.equal(typeof item?.output, 'string', 'the agent outputs one item with an output text');
	return item.output;
}

/** The two chat requests of a tool-calling scenario: the first offers the tools, the second carries the tool result. */
function toolRound(fake, scenario) {
	const chats = fake.chats(scenario);
	assert.equal(chats.length, 2, `two chat requests (got ${chats.length}${chats.some((c) => c.failure) ? `: ${chats.map((c) => c.failure).join(', ')}` : ''})`);
	for (const c of chats) {
		assert.equal(c.path, '/v1/chat/completions');
		assert.equal(c.stream, false, 'n8n execute does not stream');
		assert.equal(c.authorization, 'bearer', 'the model request carries the API key as a Bearer token');
	}
	assert.equal(chats[1].toolResults.length, 1, 'the second request carries one tool result');
	const resultText = chats[1].toolResults[0].content;
	assert.notEqual(resultText, '', 'the tool result is not empty');
	return { chats, resultText, answer: JSON.parse(resultText) };
}

/** Sandbox requests of one run, as "METHOD path status auth". */
const seen = (requests) => requests.map((r) => `${r.method} ${r.path} ${r.status} ${r.auth.replace(/^bearer:.*/, 'bearer')}`);

/** Internal names that must not reach the model: option values, parameter names, node type names. */
const INTERNAL = /\b(getAll|getCurrent|getSummary|yearMonth|customerId|upCloud|networkUsage|partnerAccount|n8n-nodes)\b|_/;

module.exports = {
	title: 'AI agent tools',

	async prepare(ctx) {
		const { state } = ctx;
		state.versions = agentVersions(ctx.version);
		state.customerId = firstCustomerId(ctx.sandbox);
		state.fake = await startFakeModel({
			scenarios: scripts({ yearMonth: ctx.yearMonth, customerId: state.customerId }, state.versions),
			// A bound, not a budget: with --suites e2e,agent the e2e's own cases run between prepare and cli.
			lifetimeMs: 30 * 60 * 1000,
		});
		return {
			credentials: [{ ...FAKE_CREDENTIAL, data: { apiKey: 'sk-fake-agent-suite', url: state.fake.url } }],
			workflows: workflows(state.versions),
		};
	},

	async cli(ctx) {
		const { sandbox, state } = ctx;
		const { fake } = state;
		// At most 4 minutes on each n8n line: a hung run fails its check and leaves the rest of the budget to the others.
		const deadline = Date.now() + SUITE_BUDGET_MS;
		const run = async (id) => {
			const left = deadline - Date.now();
			if (left <= 0) throw new Error(`the suite's ${SUITE_BUDGET_MS / 60000} minutes on this n8n are used up`);
			const before = sandbox.state.seq;
			const result = await ctx.execute(id, { timeoutMs: Math.min(60000, left) });
			if (!result.run) throw new Error(`no run JSON from execute (exit ${result.code}):\n${result.text.slice(-2000)}`);
			return { ...result, requests: sandbox.requests().filter((r) => r.seq > before) };
		};

		for (const v of state.versions) {
			for (const c of CASES) {
				const id = caseId(c, v);
				await ctx.t(`agent ${v} · ${c.title}`, async () => {
					const r = await run(id);
					const output = agentOutput(r.run);
					const { chats, resultText, answer } = toolRound(fake, id);
					assert.equal(output, `${FINAL_PREFIX}${resultText}`, "the run completes with the model's answer quoting the tool result");
					await c.check({
						...r,
						chats,
						answer,
						output,
						sandbox,
						yearMonth: ctx.yearMonth,
						customerId: state.customerId,
						record: (value) => ctx.record(`agent${v}.${c.key}`, value),
					});
				});
			}
		}

		await ctx.t('agent · every operation of both nodes as a tool: the names and descriptions n8n gives the model (not empty, no duplicates, no internal names)', async () => {
			const r = await run('agAllTools');
			assert.equal(agentOutput(r.run), 'No tool needed.');
			assert.deepEqual(r.requests, [], 'no tool ran');
			const chats = fake.chats('allTools');
			assert.equal(chats.length, 1);
			const tools = chats[0].tools.map((t) => ({ name: t.name, description: t.description }));
			ctx.record('agent.tools', tools);
			const expected = ACTION_NODES.flatMap((node) => operationsOf(node.name));
			assert.deepEqual(
				tools.map((t) => t.name).sort(),
				expected.map((op) => op.nodeName.replace(/[^a-zA-Z0-9_-]+/g, '_')).sort(),
				'one tool per operation, named after the node',
			);
			const problems = [];
			const descriptions = new Set();
			for (const t of tools) {
				if (!t.description?.trim()) problems.push(`${t.name}: empty description`);
				if (descriptions.has(t.description)) problems.push(`${t.name}: duplicate description "${t.description}"`);
				descriptions.add(t.description);
				if (INTERNAL.test(t.description ?? '')) problems.push(`${t.name}: internal name in "${t.description}"`);
				if (t.name.length > 64) problems.push(`${t.name}: name longer than OpenAI's 64 characters`);
			}
			assert.deepEqual(problems, []);
		});
	},

	async close(ctx) {
		await ctx.state.fake?.close();
	},
};

/** A seeded Upzelo customer's ID, read from the sandbox's state (no request, so the request log stays the runs'). */
function firstCustomerId(sandbox) {
	const first = sandbox.state.upzelo?.col?.customers?.list?.[0];
	if (!first?.id) throw new Error('the sandbox has no seeded Upzelo customer');
	return first.id;
}

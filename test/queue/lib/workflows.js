'use strict';
/**
 * The workflows of the queue-mode suite. In queue mode a workflow runs on a worker when something other than the
 * editor starts it, so each starts with a production Webhook ("Start", answering at once) instead of the e2e's
 * Manual Trigger; the rest are the single-instance e2e's own nodes and checks (test/e2e/cases), so the items
 * expected are the same.
 */

const crypto = require('node:crypto');

const { START, base, ours, upCloud, upzelo, workflow, link } = require('../../e2e/lib/workflow');
const upcloudCases = require('../../e2e/cases/upcloud').cases;
const upzeloCases = require('../../e2e/cases/upzelo').cases;
const { FIVE_SECONDS, pollCronFor } = require('../../e2e/lib/examples');

/** Credential of the HTTP Request build (n8n's generic Basic Auth, with the sandbox's UpCloud login). */
const HTTP_BASIC = { id: 'queueHttpBasic', name: 'UpCloud Basic Auth (sandbox)', type: 'httpBasicAuth' };

function webhookStart(path) {
	return base('webhook', START, { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} }, 2, {
		id: `queue-start-${path}`,
		webhookId: crypto.createHash('md5').update(path).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
	});
}

/**
 * One webhook-started workflow made of e2e workflows: their nodes after the Manual Trigger, side by side, each
 * wired from the Webhook as it was from the trigger.
 */
function fromE2e(id, name, path, e2eWorkflows) {
	const start = webhookStart(path);
	const nodes = [start];
	const connections = {};
	for (const wf of e2eWorkflows) {
		for (const node of wf.nodes) if (node.name !== START) nodes.push(node);
		for (const [from, conn] of Object.entries(wf.connections)) {
			conn.main.forEach((targets, output) => targets.forEach((t) => link(connections, from, t.node, output)));
		}
	}
	return { ...workflow(id, name, nodes, connections), webhookPath: path };
}

/** a. UpCloud: account, network usage (incl. the CSV file) and partner accounts, the e2e's cases in one workflow. */
const UPCLOUD_CASES = ['e2eUcAccount', 'e2eUcNetwork', 'e2eUcPartner'].map((id) => upcloudCases.find((c) => c.id === id));

function upcloudWorkflow(ctx) {
	return fromE2e('queueUpCloud', 'queue: UpCloud on a worker', 'queue-upcloud', UPCLOUD_CASES.map((c) => c.workflow(ctx)));
}

/** a. Upzelo Return All (the e2e's case; the sandbox has 1,000 customers here). */
function upzeloWorkflow(ctx) {
	const c = upzeloCases.find((x) => x.id === 'e2eUzReturnAll');
	return fromE2e('queueUpzelo', 'queue: Upzelo Return All on a worker', 'queue-upzelo', [c.workflow(ctx)]);
}

/**
 * b. The Usage Trigger on credits with one level, and one UpCloud node after it, so each alert is an execution that
 * does work on a worker. 1.x polls every 5 s; 2.x refuses schedules under a minute, so the suite makes it poll by
 * re-activating (activation always polls once). `notifyOnRecovery` decides whether a recovery is an execution.
 */
function triggerWorkflow(version, { id = 'queueTrigger', notifyOnRecovery = true } = {}) {
	const trigger = ours('upCloudUsageTrigger', 'Usage', {
		pollTimes: { item: [{ mode: 'custom', cronExpression: pollCronFor(version) }] },
		metric: 'credits',
		creditsCurrency: 'EUR',
		thresholds: { levels: [{ threshold: 500, name: 'below 500' }] },
		options: { notifyOnRecovery },
	});
	trigger.position = [0, 0];
	const after = upCloud('Network Now', { resource: 'networkUsage', operation: 'getCurrent' });
	after.position = [240, 0];
	const connections = {};
	link(connections, trigger.name, after.name);
	const what = notifyOnRecovery ? 'alerts and recoveries' : 'alerts only';
	return workflow(id, `queue: usage trigger in a cluster (${what})`, [trigger, after], connections);
}

/** c/d. Webhook → UpCloud Get Current → Upzelo Customer Get Many (Limit 10). */
function loadOursWorkflow() {
	const nodes = [
		webhookStart('queue-load-ours'),
		upCloud('Get Current', { resource: 'account', operation: 'getCurrent' }),
		upzelo('Customers', { resource: 'customer', operation: 'getAll', returnAll: false, limit: 10 }),
	];
	return chainOf('queueLoadOurs', 'queue: load, our nodes', nodes, 'queue-load-ours');
}

/** c. The same job with two HTTP Request nodes (v4.2), authenticated as users do without our packages. */
function loadHttpWorkflow(sandbox) {
	const { upzelo: z } = sandbox.credentials;
	const nodes = [
		webhookStart('queue-load-http'),
		base('httpRequest', 'Account', { url: `${sandbox.upcloudUrl}/account`, authentication: 'genericCredentialType', genericAuthType: 'httpBasicAuth', options: {} }, 4.2, {
			credentials: { httpBasicAuth: { id: HTTP_BASIC.id, name: HTTP_BASIC.name } },
		}),
		base(
			'httpRequest',
			'Customers',
			{
				url: `${z.baseUrl}/api/customers`,
				sendQuery: true,
				queryParameters: { parameters: [{ name: 'limit', value: '10' }] },
				sendHeaders: true,
				headerParameters: {
					parameters: [
						{ name: 'Authorization', value: `Bearer ${z.apiKey}` },
						{ name: 'x-app-id', value: z.appId },
					],
				},
				options: {},
			},
			4.2,
		),
	];
	return chainOf('queueLoadHttp', 'queue: load, HTTP Request nodes', nodes, 'queue-load-http');
}

/** Which request each node of a load workflow sends (for matching requests to node runs). */
const LOAD_REQUESTS = {
	queueLoadOurs: { 'Get Current': 'GET /1.3/account', Customers: 'GET /api/customers' },
	queueLoadHttp: { Account: 'GET /1.3/account', Customers: 'GET /api/customers' },
};

function chainOf(id, name, nodes, path) {
	const connections = {};
	nodes.forEach((n, i) => {
		n.position = [i * 240, 0];
		if (i > 0) link(connections, nodes[i - 1].name, n.name);
	});
	return { ...workflow(id, name, nodes, connections), webhookPath: path };
}

module.exports = {
	HTTP_BASIC,
	UPCLOUD_CASES,
	LOAD_REQUESTS,
	FIVE_SECONDS,
	upcloudWorkflow,
	upzeloWorkflow,
	triggerWorkflow,
	loadOursWorkflow,
	loadHttpWorkflow,
};

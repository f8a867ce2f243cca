'use strict';
/**
 * The workflows the editor suite opens: one node per resource × operation of UpCloud and of Upzelo, each with
 * valid sample values, so that opening each node is one route change instead of building it by hand.
 *
 * The values are the e2e's own (test/e2e/cases/*.js: they pass real executions), except where the e2e takes a
 * value from the node before it (`={{ $json.id }}`): here each node stands alone, so such values become literal
 * records of the sandbox, read from its API when the suite prepares (an expression would also hide what the
 * editor validates, e.g. a resource locator's ID format).
 */

const { ACTION_NODES, fullType, nodeNamed } = require('../../scripts/lib/registry');
const { SANDBOX_CREDENTIALS } = require('../../scripts/lib/sandbox');
const { allOperations } = require('../e2e/lib/coverage');

const WORKFLOW_IDS = { upCloud: 'uiSweepUpCloud', upzelo: 'uiSweepUpzelo', trigger: 'uiTrigger' };
/** The node of the sweep left without a required value: the check that the issue badge is looked for right. */
const CONTROL_NODE = 'Control: no username';

const byId = (value) => ({ __rl: true, mode: 'id', value });

/** Sandbox records the standalone nodes use, read through the sandbox's own API (nothing of ours in between). */
async function sandboxRecords(sandbox) {
	const upzelo = async (resource) => {
		const res = await fetch(`${sandbox.upzeloUrl}/api/${resource}?limit=5`, {
			headers: { authorization: `Bearer ${sandbox.credentials.upzelo.apiKey}`, 'x-app-id': sandbox.credentials.upzelo.appId },
		});
		if (!res.ok) throw new Error(`sandbox GET /api/${resource}: HTTP ${res.status}`);
		return (await res.json()).data[resource].filter((r) => r.id);
	};
	const out = {};
	for (const r of ['products', 'prices', 'discounts', 'invoices', 'subscriptions', 'customers']) out[r] = await upzelo(r);
	const res = await fetch(`${sandbox.upcloudUrl}/account/tokens`, {
		headers: { authorization: `Bearer ${sandbox.credentials.upcloudToken.token}` },
	});
	if (!res.ok) throw new Error(`sandbox GET /account/tokens: HTTP ${res.status}`);
	const body = await res.json();
	out.tokens = (body.tokens?.token ?? body.tokens ?? body).filter?.((t) => t.id) ?? [];
	return out;
}

/** Parameters per `node:resource:operation` that replace the e2e's chained values with literal ones. */
function literalOverrides(rec, tag) {
	const hourAgo = (h) => new Date(Date.now() - h * 3600_000).toISOString().slice(0, 13) + ':00:00Z';
	return {
		'upCloud:subaccount:create': { username: `ui_sub_${tag}`.slice(0, 32) },
		'upCloud:subaccount:delete': { username: 'ops_team' },
		'upCloud:networkUsage:getTransferStats': { from: hourAgo(48), to: hourAgo(0) },
		'upCloud:networkUsage:getResourceTransferStats': { from: hourAgo(24), to: hourAgo(0) },
		'upCloud:token:create': { name: `ui-${tag}`, expiresAt: new Date(Date.now() + 86400_000).toISOString() },
		'upCloud:token:get': { tokenId: byId(rec.tokens[0]?.id ?? 'missing') },
		'upCloud:token:delete': { tokenId: byId(rec.tokens[0]?.id ?? 'missing') },
		'upCloud:permission:getAll': { filters: { username: 'ops_team' } },
		'upCloud:permission:revoke': { username: 'auditor_ro', targetType: 'server', targetIdentifier: '00798b85-efdc-41ca-8021-f6ef457b8531', additionalFields: {} },
		'upzelo:price:create': { productId: byId(rec.products[0].id) },
		'upzelo:price:get': { priceId: rec.prices[0].id },
		'upzelo:product:get': { productId: rec.products[0].id },
		'upzelo:discount:get': { discountId: rec.discounts[0].id },
		'upzelo:invoice:create': { customerId: rec.subscriptions[0].customer_id, subscriptionId: rec.subscriptions[0].id },
		'upzelo:invoice:get': { invoiceId: rec.invoices[0].id },
		'upzelo:subscription:create': { priceId: byId(rec.prices[0].id) },
		'upzelo:subscription:update': { subscriptionId: rec.subscriptions[0].id },
		'upzelo:subscription:get': { subscriptionId: rec.subscriptions[0].id },
		'upzelo:customer:get': { customerId: rec.customers[0].id },
		'upzelo:customer:anonymize': { customerId: rec.customers[0].id },
	};
}

/** The first parameters the e2e uses for every `node:resource:operation`. */
function e2eParameters() {
	const cases = [...require('../e2e/cases/upcloud').cases, ...require('../e2e/cases/upzelo').cases];
	const found = new Map();
	// Cases that expect a failure, and nodes that continue on one, hold wrong values on purpose.
	for (const c of cases.filter((x) => x.expect !== 'failure')) {
		const wf = c.workflow({ tag: 'ui', yearMonth: new Date().toISOString().slice(0, 7) });
		for (const n of wf.nodes) {
			const name = n.type.slice(n.type.indexOf('.') + 1);
			if (!ACTION_NODES.some((a) => a.name === name) || n.disabled || n.onError) continue;
			const key = `${name}:${n.parameters.resource}:${n.parameters.operation}`;
			if (!found.has(key)) found.set(key, { parameters: n.parameters, credentials: n.credentials });
		}
	}
	return found;
}

/** Does any value (deeply) still start with "=" (an expression)? */
function hasExpression(value) {
	if (typeof value === 'string') return value.startsWith('=');
	if (value && typeof value === 'object') return Object.values(value).some(hasExpression);
	return false;
}

/** Display names of resources and operations, from the built node (what the editor's dropdowns show). */
function displayNames(type) {
	const file = require('node:path').join(__dirname, '..', '..', nodeNamed(type).entry);
	const Cls = Object.values(require(file)).find((v) => typeof v === 'function');
	const props = new Cls().description.properties;
	const names = {};
	const resources = props.find((p) => p.name === 'resource').options;
	for (const p of props.filter((x) => x.name === 'operation' && x.displayOptions?.show?.resource)) {
		for (const r of p.displayOptions.show.resource) {
			for (const o of p.options) {
				names[`${r}:${o.value}`] = { resource: resources.find((x) => x.value === r).name, operation: o.name, action: o.action };
			}
		}
	}
	return names;
}

/**
 * One node per operation of `type` (`upCloud` / `upzelo`), in a grid, each `{ key, name, id, parameters }`.
 * Every operation of the build gets a node; one without e2e values fails here, so the sweep cannot miss one.
 */
function sweepNodes(type, rec, tag) {
	const ops = allOperations()[type];
	if (!Array.isArray(ops)) throw new Error(`cannot read the operations of ${type} from dist/ (build first)`);
	const params = e2eParameters();
	const overrides = literalOverrides(rec, tag);
	const names = displayNames(type);
	return ops.map((op, i) => {
		const key = `${type}:${op}`;
		const found = params.get(key);
		if (!found) throw new Error(`no sample values for ${key}: no e2e case uses it`);
		const parameters = { ...found.parameters, ...(overrides[key] || {}) };
		if (hasExpression(parameters)) throw new Error(`sample values of ${key} still hold an expression: ${JSON.stringify(parameters)}`);
		const [resource, operation] = op.split(':');
		return {
			key,
			resource,
			operation,
			display: names[op],
			name: `${names[op].resource} ${names[op].operation}`,
			// n8n opens a node from its link by id prefix: no id may be the start of another.
			id: `ui-${type}-${resource}-${operation}-node`,
			type: fullType(type),
			typeVersion: 1,
			position: [(i % 6) * 260, Math.floor(i / 6) * 200],
			parameters,
			credentials: found.credentials,
		};
	});
}

function workflowOf(id, name, nodes) {
	return { id, name, active: false, nodes, connections: {}, settings: { executionOrder: 'v1' }, pinData: {}, tags: [] };
}

/** Everything `prepare` imports: the two sweeps (UpCloud's with the control node) and the trigger workflow. */
async function uiWorkflows(sandbox, tag) {
	const rec = await sandboxRecords(sandbox);
	const upCloudNodes = sweepNodes('upCloud', rec, tag);
	const upzeloNodes = sweepNodes('upzelo', rec, tag);
	const control = {
		...upCloudNodes.find((n) => n.key === 'upCloud:account:get'),
		name: CONTROL_NODE,
		id: 'ui-control-no-username-node',
		position: [0, -200],
	};
	control.parameters = { ...control.parameters, username: '' };
	const cred = SANDBOX_CREDENTIALS.upcloud;
	const trigger = {
		id: 'ui-trigger-node',
		name: 'UpCloud Usage Trigger',
		type: fullType('upCloudUsageTrigger'),
		typeVersion: 1,
		position: [0, 0],
		parameters: {
			authentication: 'basicAuth',
			metric: 'credits',
			creditsCurrency: 'auto',
			thresholds: { levels: [{ threshold: 100, name: 'low' }] },
			pollTimes: { item: [{ mode: 'everyHour' }] },
		},
		credentials: { [cred.type]: { id: cred.id, name: cred.name } },
	};
	return {
		records: rec,
		upCloudNodes,
		upzeloNodes,
		workflows: [
			workflowOf(WORKFLOW_IDS.upCloud, 'UI sweep: UpCloud', [control, ...upCloudNodes]),
			workflowOf(WORKFLOW_IDS.upzelo, 'UI sweep: Upzelo', upzeloNodes),
			workflowOf(WORKFLOW_IDS.trigger, 'UI: Usage Trigger', [trigger]),
		],
	};
}

module.exports = { WORKFLOW_IDS, CONTROL_NODE, uiWorkflows, sweepNodes, hasExpression };

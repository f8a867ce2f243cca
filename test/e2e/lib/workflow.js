'use strict';
/**
 * Small builders for the e2e workflows: a Manual Trigger ("Start", what `n8n execute` starts from) followed by
 * our nodes, in a chain or in parallel branches. Node types are the ones users' workflows contain when the
 * packages are installed as community packages: `<package>.<node>` (scripts/lib/registry.js).
 */

const { credentialNamed, fullType, nodeNamed } = require('../../../scripts/lib/registry');
const { SANDBOX_CREDENTIALS } = require('../../../scripts/lib/sandbox');

const START = 'Start';

/** Extra credentials the e2e imports besides the sandbox ones (same ids on every run). */
const E2E_CREDENTIALS = {
	upcloudWrongPassword: { id: 'upcloudWrongPass', name: 'UpCloud (wrong password)', type: 'upCloudApi' },
	upzeloWrongKey: { id: 'upzeloWrongKey', name: 'Upzelo (wrong key)', type: 'upzeloApi' },
};

function credentialRef(which) {
	const c = SANDBOX_CREDENTIALS[which] || E2E_CREDENTIALS[which];
	if (!c) throw new Error(`unknown credential ${which}`);
	return { [c.type]: { id: c.id, name: c.name } };
}

let counter = 0;
function nodeId() {
	counter += 1;
	return `e2e-node-${String(counter).padStart(4, '0')}`;
}

// The UpCloud nodes pick their credential by `authentication`: workflows with a Basic credential say so
// explicitly; with a token credential they leave it at the default (apiToken), unless a case sets it.
const AUTHENTICATION_OF = { upCloudApi: 'basicAuth' };

/**
 * A node of this package. `type` is the node name (`upCloud`, `upzelo`, `upCloudUsageTrigger`); `credential`
 * a key of SANDBOX_CREDENTIALS or E2E_CREDENTIALS (default: the first sandbox credential of the node's package,
 * for UpCloud the Basic one).
 */
function ours(type, name, parameters, { credential, ...extra } = {}) {
	const cred = credential ?? defaultCredential(type);
	const credentials = credentialRef(cred);
	const authentication = AUTHENTICATION_OF[Object.keys(credentials)[0]];
	return {
		id: nodeId(),
		name,
		type: fullType(type),
		typeVersion: 1,
		position: [0, 0],
		parameters: authentication && parameters.authentication === undefined ? { authentication, ...parameters } : parameters,
		credentials,
		...extra,
	};
}

function defaultCredential(type) {
	const pkg = nodeNamed(type).package;
	const key = Object.keys(SANDBOX_CREDENTIALS).find((k) => credentialNamed(SANDBOX_CREDENTIALS[k].type).package === pkg);
	if (!key) throw new Error(`no sandbox credential for ${pkg} (scripts/lib/sandbox.js)`);
	return key;
}

const upCloud = (name, parameters, extra) => ours('upCloud', name, parameters, extra);
const upzelo = (name, parameters, extra) => ours('upzelo', name, parameters, extra);

/** Any other node (n8n-nodes-base.*). */
function base(type, name, parameters, typeVersion, extra = {}) {
	return { id: nodeId(), name, type: `n8n-nodes-base.${type}`, typeVersion, position: [0, 0], parameters, ...extra };
}

/** Set node (v3.4, present in n8n 1.123 and 2.x) assigning `fields` ({name: expressionOrValue}). */
function set(name, fields, { includeOtherFields = false } = {}) {
	return base(
		'set',
		name,
		{
			mode: 'manual',
			assignments: {
				assignments: Object.entries(fields).map(([field, value], i) => ({
					id: `${name}-${i}`,
					name: field,
					value,
					type: typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string',
				})),
			},
			includeOtherFields,
			options: {},
		},
		3.4,
	);
}

function manualTrigger() {
	return base('manualTrigger', START, {}, 1, { id: 'e2e-start' });
}

function workflow(id, name, nodes, connections) {
	if (id.length > 16) throw new Error(`workflow id "${id}" is longer than 16 characters (n8n's limit)`);
	return {
		id,
		name,
		active: false,
		nodes,
		connections,
		settings: { executionOrder: 'v1', timezone: 'UTC' },
		pinData: {},
		tags: [],
	};
}

function link(connections, from, to, outputIndex = 0) {
	connections[from] = connections[from] || { main: [] };
	while (connections[from].main.length <= outputIndex) connections[from].main.push([]);
	connections[from].main[outputIndex].push({ node: to, type: 'main', index: 0 });
}

/** Start → n1 → n2 → … */
function chain(id, name, nodes) {
	const all = [manualTrigger(), ...nodes];
	const connections = {};
	all.forEach((n, i) => {
		n.position = [i * 240, 0];
		if (i > 0) link(connections, all[i - 1].name, n.name);
	});
	return workflow(id, name, all, connections);
}

/**
 * Start → each branch; a branch is one node or an array of nodes run in sequence. With executionOrder v1 n8n
 * runs the branches one after another, top to bottom.
 */
function parallel(id, name, branches) {
	const start = manualTrigger();
	start.position = [0, 0];
	const all = [start];
	const connections = {};
	branches.forEach((branch, row) => {
		const list = Array.isArray(branch) ? branch : [branch];
		list.forEach((n, col) => {
			n.position = [(col + 1) * 240, row * 180];
			all.push(n);
			link(connections, col === 0 ? START : list[col - 1].name, n.name);
		});
	});
	return workflow(id, name, all, connections);
}

module.exports = { START, E2E_CREDENTIALS, credentialRef, ours, upCloud, upzelo, base, set, manualTrigger, workflow, link, chain, parallel };

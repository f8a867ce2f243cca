'use strict';
/** Which resource/operation pairs of our action nodes the e2e workflows exercised, against what the build offers. */

const fs = require('node:fs');
const path = require('node:path');

const { ROOT } = require('../../../scripts/lib/process');
const { ACTION_NODES } = require('../../../scripts/lib/registry');

const NODES = Object.fromEntries(ACTION_NODES.map((n) => [n.name, n.entry]));

/** `{ upCloud: ['account:getCurrent', …], upzelo: [...] | null }` from the built node descriptions. */
function allOperations() {
	const out = {};
	for (const [type, file] of Object.entries(NODES)) {
		const full = path.join(ROOT, file);
		if (!fs.existsSync(full)) {
			out[type] = null;
			continue;
		}
		try {
			const mod = require(full);
			const Cls = Object.values(mod).find((v) => typeof v === 'function');
			const props = new Cls().description.properties;
			out[type] = props
				.filter((p) => p.name === 'operation' && p.displayOptions?.show?.resource)
				.flatMap((p) => p.displayOptions.show.resource.flatMap((r) => p.options.map((o) => `${r}:${o.value}`)));
		} catch (err) {
			out[type] = { error: err.message };
		}
	}
	return out;
}

function exercised(cases, version) {
	const seen = { upCloud: new Set(), upzelo: new Set() };
	for (const c of cases) {
		if (!c.passed?.[version]) continue;
		const wf = c.workflow({ tag: 'x', yearMonth: '2000-01' });
		for (const node of wf.nodes) {
			const type = node.type.slice(node.type.indexOf('.') + 1);
			if (!seen[type] || node.disabled) continue;
			seen[type].add(`${node.parameters.resource}:${node.parameters.operation}`);
		}
	}
	return seen;
}

function coverage(cases, version) {
	const all = allOperations();
	const seen = exercised(cases, version);
	const lines = [];
	const result = {};
	for (const type of Object.keys(NODES)) {
		const ops = all[type];
		if (ops === null) {
			lines.push(`  ${type}: node not built yet (no ${NODES[type]})`);
			result[type] = { built: false };
			continue;
		}
		if (!Array.isArray(ops)) {
			lines.push(`  ${type}: could not read operations (${ops.error})`);
			continue;
		}
		const covered = ops.filter((o) => seen[type].has(o));
		const missing = ops.filter((o) => !seen[type].has(o));
		result[type] = { covered, missing };
		lines.push(`  ${type}: ${covered.length}/${ops.length} operations covered by passing workflows${missing.length ? `; not covered: ${missing.join(', ')}` : ''}`);
	}
	result.text = `${lines.join('\n')}\n`;
	return result;
}

module.exports = { allOperations, coverage };

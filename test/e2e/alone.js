'use strict';
/**
 * Each package on its own: n8n verifies one service per package, so each must load and run without the others
 * (no file of one needed by another). Per package: a user folder of its own with only that tarball installed, only
 * its service's credential, one workflow executed. Which package a check is for follows from its workflow's
 * node (scripts/lib/registry.js); every package needs one.
 */

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { ROOT, freePort } = require('../../scripts/lib/process');
const { PACKAGE_NAMES, isOurType, packageOfType } = require('../../scripts/lib/registry');
const { installPackages } = require('../../scripts/lib/packages');
const { executeWorkflow, n8nCli, n8nEnv } = require('../../scripts/lib/n8n');
const { SANDBOX_CREDENTIALS, sandboxCredentialFile } = require('../../scripts/lib/sandbox');
const { upCloud, upzelo, chain } = require('./lib/workflow');
const { json, runError } = require('./lib/run-data');

/** Per package: the credential it needs, one workflow (of that package's nodes only), and the check of its run. */
const ALONE = [
	{
		credential: 'upcloudToken',
		workflow: () =>
			chain('e2eAloneUpCloud', 'e2e UpCloud package alone', [
				upCloud('Get Current', { resource: 'account', operation: 'getCurrent' }, { credential: 'upcloudToken' }),
			]),
		check(run, requests) {
			const [account] = json(run, 'Get Current');
			assert.equal(account.username, 'sandbox_user');
			assert.deepEqual(
				requests.map((r) => `${r.method} ${r.path} ${r.auth}`),
				['GET /1.3/account bearer:sandbox_user'],
			);
		},
	},
	{
		credential: 'upzelo',
		workflow: () =>
			chain('e2eAloneUpzelo', 'e2e Upzelo package alone', [
				upzelo('List 2', { resource: 'customer', operation: 'getAll', returnAll: false, limit: 2 }),
			]),
		check(run, requests) {
			assert.equal(json(run, 'List 2').length, 2);
			assert.deepEqual(
				requests.map((r) => `${r.method} ${r.path}?limit=${r.query.limit}`),
				['GET /api/customers?limit=2'],
			);
		},
	},
];

/** The check for a package: the one whose workflow is made of that package's nodes. */
function aloneCheckOf(name) {
	const specs = ALONE.filter((spec) => {
		const ours = spec.workflow().nodes.filter((n) => isOurType(n.type));
		return ours.length > 0 && ours.every((n) => packageOfType(n.type).name === name);
	});
	if (specs.length !== 1) throw new Error(`test/e2e/alone.js needs exactly one check for ${name} (found ${specs.length})`);
	return specs[0];
}

/** Installs one packed package alone into a fresh user folder and runs its workflow there. */
async function alonePhase({ rt, pack, sandbox, t, log }) {
	const spec = aloneCheckOf(pack.name);
	const other = PACKAGE_NAMES.filter((name) => name !== pack.name);
	await t(`${pack.name} alone (without ${other.join(', ')}): installs, loads and runs a workflow`, async () => {
		const userFolder = path.join(ROOT, '.e2e-tmp', `alone-${pack.name}-${rt.version}`);
		fs.rmSync(userFolder, { recursive: true, force: true });
		fs.mkdirSync(userFolder, { recursive: true });
		try {
			await installPackages({ userFolder, tarballs: [pack.tarball], n8nDir: rt.dir, log });
			const installed = fs.readdirSync(path.join(userFolder, '.n8n', 'nodes', 'node_modules')).filter((n) => n.startsWith('n8n-nodes-'));
			assert.deepEqual(installed, [pack.name], 'only this package is installed');

			const env = n8nEnv(rt, userFolder, { N8N_RUNNERS_BROKER_PORT: String(await freePort()) });
			const credential = sandboxCredentialFile(sandbox).find((c) => c.id === SANDBOX_CREDENTIALS[spec.credential].id);
			const workflow = spec.workflow();
			const credFile = path.join(userFolder, 'credentials.json');
			const wfFile = path.join(userFolder, 'workflow.json');
			fs.writeFileSync(credFile, JSON.stringify([credential]));
			fs.writeFileSync(wfFile, JSON.stringify(workflow));
			for (const args of [['import:credentials', `--input=${credFile}`], ['import:workflow', `--input=${wfFile}`]]) {
				const r = await n8nCli(rt, env, args);
				if (r.code !== 0) throw new Error(`${args[0]}: exit ${r.code}\n${(r.stdout + r.stderr).slice(-1500)}`);
			}

			const before = sandbox.state.seq;
			const result = await executeWorkflow(rt, env, workflow.id, { timeoutMs: 120000 });
			const output = `${result.stdout}\n${result.stderr}`;
			const loadErrors = output.split('\n').filter((l) => /Cannot find module|Failed to load|Error loading|could not be loaded/i.test(l));
			assert.deepEqual(loadErrors, [], 'no load errors');
			if (!result.run) throw new Error(`no run JSON (exit ${result.code}):\n${output.slice(-1500)}`);
			const err = runError(result.run);
			if (result.code !== 0 || err) throw new Error(`execution failed (exit ${result.code}): ${err?.message ?? output.slice(-1500)}`);
			spec.check(result.run, sandbox.requests().filter((r) => r.seq > before));
		} finally {
			fs.rmSync(userFolder, { recursive: true, force: true });
		}
	});
}

module.exports = { alonePhase, ALONE };

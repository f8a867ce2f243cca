#!/usr/bin/env node
'use strict';
/**
 * End-to-end tests in a real n8n (`npm run test:e2e`): this package built, packed and installed as a community
 * package, driven through n8n's own CLI against the local sandbox of both APIs.
 *
 *   npm run test:e2e                     both n8n versions, one after the other (1.123.81 on this Node, 2.40.7 on Node 24)
 *   npm run test:e2e -- --n8n 1          only n8n 1.123.81        (or E2E_N8N=1; E2E_N8N=1,2 for both)
 *   npm run test:e2e -- --n8n 2          only n8n 2.40.7
 *   options: --no-build (pack the existing dist/), --only <text> (cases whose id/title contain it),
 *            --keep (keep .e2e-tmp/ user folders), --verbose (print the 1.x/2.x comparison notes)
 *
 * Per version: fresh user folder in .e2e-tmp/, package installed from the tarball, sandbox credentials imported,
 * every workflow (test cases, examples, example variants) imported in one go, each executed with
 * `n8n execute --id --rawOutput` and the items it produced checked; then `n8n start` for what needs a running
 * n8n (editor types and icons, the usage trigger in manual mode and activated). Last line: "N passed, M failed".
 */

const fs = require('node:fs');
const path = require('node:path');

const { ensureN8nRuntime, TARGETS } = require('../../scripts/install-n8n');
const { packAll } = require('../../scripts/pack');
const { n8nTargets, parseOptions } = require('../../scripts/lib/cli-options');
const h = require('../../scripts/lib/n8n-harness');
const { startSandbox } = require('../sandbox/server');
const { Reporter, paint } = require('./lib/reporter');
const { E2E_CREDENTIALS } = require('./lib/workflow');
const { loadExamples, e2eVariant, pollCronFor } = require('./lib/examples');
const { runError } = require('./lib/run-data');
const { livePhase } = require('./live');
const trigger = require('./cases/trigger');
const { checks: exampleChecks } = require('./cases/examples');
const { coverage, allOperations } = require('./lib/coverage');

const TMP = path.join(h.ROOT, '.e2e-tmp');

function parseArgs(argv) {
	const given = parseOptions(
		argv,
		{ '--n8n': 'value', '--no-build': 'flag', '--keep': 'flag', '--verbose': 'flag', '-v': '--verbose', '--only': 'value' },
		__filename,
	);
	return {
		targets: n8nTargets(given['--n8n'] ?? process.env.E2E_N8N ?? 'both'),
		build: !given['--no-build'],
		keep: Boolean(given['--keep']),
		verbose: Boolean(given['--verbose']),
		only: given['--only'],
	};
}

/** CLI cases: every workflow that starts with a Manual Trigger, with its check. */
function cliCases() {
	return [
		...require('./cases/upcloud').cases,
		...require('./cases/upzelo').cases,
		...require('./cases/errors').cases,
		...require('./cases/retries').cases,
	];
}

function writeJson(file, value) {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

async function runTarget(target, { reporter, pack, opts, log }) {
	const started = Date.now();
	const spec = TARGETS[target];
	let group = `n8n ${spec.version}`;
	const t = (title, fn) => reporter.test(group, title, fn);
	const timings = { target, version: spec.version };

	let rt;
	const installStart = Date.now();
	const installed = await t(`n8n ${spec.version} available (installed into .n8n-cache on first use)`, async () => {
		rt = await ensureN8nRuntime({ target, log: (m) => log(`  ${m}`) });
	});
	timings.installMs = Date.now() - installStart;
	if (!installed) return timings;
	group = `n8n ${rt.version}`;

	const userFolder = path.join(TMP, `n8n-${rt.version}`);
	fs.rmSync(userFolder, { recursive: true, force: true });
	fs.mkdirSync(userFolder, { recursive: true });

	const sandbox = await startSandbox({ port: 0, upzeloSeedCount: 250 });
	const brokerPort = await h.freePort();
	const env = h.n8nEnv(rt, userFolder, { N8N_RUNNERS_BROKER_PORT: String(brokerPort) });
	const allOutput = [];
	const cli = async (args, opts2) => {
		const r = await h.n8nCli(rt, env, args, opts2);
		allOutput.push(r.stdout, r.stderr);
		return r;
	};

	try {
		if (!(await t('both packages installed like community packages (npm install <tarballs> in .n8n/nodes)', async () => {
			const dirs = await h.installPackages({ userFolder, tarballs: pack.packages.map((p) => p.tarball), n8nDir: rt.dir });
			const missing = dirs.filter((dir) => !fs.existsSync(path.join(dir, 'package.json')));
			if (missing.length) throw new Error(`not installed: ${missing.join(', ')}`);
		}))) return timings;

		const credFile = path.join(userFolder, 'credentials.json');
		writeJson(credFile, [
			...h.sandboxCredentialFile(sandbox),
			{ ...E2E_CREDENTIALS.upcloudWrongPassword, data: { ...sandbox.credentials.upcloud, password: 'Wrong-Pass-999' } },
			{ ...E2E_CREDENTIALS.upzeloWrongKey, data: { ...sandbox.credentials.upzelo, apiKey: 'wrong_key' } },
		]);
		if (!(await t('import:credentials (sandbox credentials for both services)', async () => {
			const r = await cli(['import:credentials', `--input=${credFile}`]);
			if (r.code !== 0 || !/Successfully imported 5 credentials/.test(r.stdout + r.stderr)) {
				throw new Error(`exit ${r.code}:\n${(r.stdout + r.stderr).slice(-2000)}`);
			}
		}))) return timings;

		// Every workflow goes in with one import:workflow call (one n8n start-up instead of one per workflow).
		const ctxBase = { tag: rt.version.replace(/\./g, '_'), yearMonth: new Date().toISOString().slice(0, 7) };
		const cases = cliCases().filter((c) => !opts.only || `${c.id} ${c.title}`.toLowerCase().includes(opts.only.toLowerCase()));
		const examples = loadExamples();
		const pollCron = pollCronFor(rt.version);
		const variants = examples.map((ex) => ({ ...e2eVariant(ex.workflow, { pollCron }), file: ex.file, source: ex.workflow }));
		const workflows = [
			...cases.map((c) => c.workflow(ctxBase)),
			...trigger.manual.map((m) => m.workflow()),
			trigger.active.workflow({ pollCron }),
			trigger.noLevel.workflow({ pollCron }),
			...trigger.projections.map((p) => p.workflow({ pollCron })),
			...examples.map((ex) => ex.workflow),
			...variants.map((v) => v.workflow),
		];
		const wfDir = path.join(userFolder, 'workflows');
		for (const wf of workflows) writeJson(path.join(wfDir, `${wf.id}.json`), wf);
		const imported = await t(`import:workflow of ${workflows.length} workflows (${examples.length} examples as shipped, their e2e variants, test cases)`, async () => {
			const r = await cli(['import:workflow', '--separate', `--input=${wfDir}`]);
			const text = r.stdout + r.stderr;
			if (r.code !== 0 || !new RegExp(`Successfully imported ${workflows.length} workflows?`).test(text)) {
				throw new Error(`exit ${r.code}:\n${text.slice(-2500)}`);
			}
		});
		if (!imported) return timings;

		const executed = [];
		const cliStart = Date.now();
		// A case may prepare the sandbox (setup) and give it back as it was (teardown), e.g. for 10,000 records.
		const runCase = async (id, title, expect, check, setup) =>
			t(title, async () => {
				if (setup) await setup(sandbox);
				const before = sandbox.state.seq;
				const result = await h.executeWorkflow(rt, env, id, { timeoutMs: 120000 });
				allOutput.push(result.stdout, result.stderr);
				const requests = sandbox.requests().filter((r) => r.seq > before);
				if (!result.run) throw new Error(`no run JSON in the output of execute (exit ${result.code}):\n${result.text.slice(-2000)}`);
				if (expect !== 'failure') {
					const err = runError(result.run);
					if (result.code !== 0 || err) {
						throw new Error(`execution failed (exit ${result.code}): ${err ? `${err.message}${err.description ? ` – ${err.description}` : ''}` : result.text.slice(-1500)}`);
					}
				}
				await check(result.run, {
					...ctxBase,
					result,
					requests,
					sandbox,
					version: rt.version,
					record: (key, value) => reporter.record(rt.version, key, value),
					binaryText: (data) => binaryText(data, userFolder),
				});
				executed.push(id);
			});

		for (const c of cases) {
			const ok = await runCase(c.id, c.title, c.expect, c.check, c.setup);
			if (c.teardown) await c.teardown(sandbox);
			c.passed = c.passed || {};
			c.passed[rt.version] = ok;
		}
		for (const v of variants.filter((x) => x.mode === 'execute')) {
			const check = exampleChecks[v.source.id]?.check;
			const disabled = v.disabled.length ? ` with ${v.disabled.join(', ')} disabled` : '';
			await runCase(v.workflow.id, `example ${v.file} executes${disabled}`, 'success', async (run, ctx) => {
				if (!check) throw new Error(`no check defined for example ${v.source.id} in test/e2e/cases/examples.js`);
				await check(run, ctx);
			});
		}
		timings.cliMs = Date.now() - cliStart;
		timings.executes = executed.length;

		const liveStart = Date.now();
		if (!opts.only || 'trigger live'.includes(opts.only.toLowerCase())) {
			await livePhase({
				rt,
				env,
				sandbox,
				reporter,
				group,
				userFolder,
				examples,
				exampleVariants: variants,
				exampleChecks,
				manualWorkflows: trigger.manual,
				activeWorkflow: trigger.active,
				noLevelWorkflow: trigger.noLevel,
				projectionWorkflows: trigger.projections,
				expectedTypes: pack.expectedTypes,
			});
		}
		timings.liveMs = Date.now() - liveStart;

		await t('no package load errors in any n8n CLI output', async () => {
			const lines = allOutput
				.join('\n')
				.split('\n')
				.filter((l) => /Cannot find module|Failed to load|Error loading|could not be loaded/i.test(l) && h.PACKAGE_NAMES.some((p) => l.includes(p)));
			if (lines.length) throw new Error([...new Set(lines)].slice(0, 10).join('\n'));
		});

		const cov = coverage(cases, rt.version);
		timings.coverage = cov;
	} finally {
		await sandbox.close();
		if (!opts.keep) fs.rmSync(path.join(userFolder, 'workflows'), { recursive: true, force: true });
		timings.totalMs = Date.now() - started;
	}
	return timings;
}

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	const started = Date.now();
	const reporter = new Reporter();
	const log = (m) => process.stderr.write(`${paint('2', m)}\n`);
	fs.mkdirSync(TMP, { recursive: true });
	process.stdout.write(`E2E in real n8n: ${opts.targets.map((t) => TARGETS[t].version).join(' and ')}\n`);

	let pack;
	const prepared = await reporter.test('package', 'npm run pack: both tarballs built and packed into packed/', async () => {
		const packages = await packAll({ build: opts.build, log });
		pack = { packages, expectedTypes: expectedTypes(packages) };
	});

	const timings = [];
	if (prepared) {
		for (const target of opts.targets) {
			process.stdout.write(`\n── n8n ${TARGETS[target].version} ──\n`);
			timings.push(await runTarget(target, { reporter, pack, opts, log }));
		}
	}

	process.stdout.write('\n');
	for (const tm of timings) {
		const s = (ms) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(0)} s`);
		process.stdout.write(
			`n8n ${tm.version}: ${s(tm.totalMs)} (install/check ${s(tm.installMs)}, ${tm.executes ?? 0} executes ${s(tm.cliMs)}, live phase ${s(tm.liveMs)})\n`,
		);
		if (tm.coverage) process.stdout.write(tm.coverage.text);
	}
	const notesFile = path.join(TMP, 'version-notes.json');
	writeJson(notesFile, reporter.notes);
	if (opts.verbose) process.stdout.write(`\nNotes per version (${path.relative(h.ROOT, notesFile)}):\n${JSON.stringify(reporter.notes, null, 2)}\n`);
	process.stdout.write(`Total ${(Date.now() - started) / 1000 | 0} s\n`);
	const { passed, failed } = reporter.counts();
	process.stdout.write(`${passed} passed, ${failed} failed\n`);
	process.exitCode = failed ? 1 : 0;
}

/**
 * Contents of a binary property. n8n 1.x keeps binary data inline (base64) by default; 2.x stores it on disk
 * (`filesystem-v2:<path>` ids under <user folder>/.n8n/binaryData) and the run JSON only references it.
 */
function binaryText(data, userFolder) {
	if (data.id && typeof data.id === 'string' && data.id.includes(':')) {
		// `n8n execute` removes the files of its run when it exits; undefined tells the caller to use the metadata.
		const file = path.join(userFolder, '.n8n', 'binaryData', data.id.slice(data.id.indexOf(':') + 1));
		return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
	}
	return Buffer.from(data.data, 'base64').toString('utf8');
}

/** The node and credential names the packed packages register, read from their built files. */
function expectedTypes(packages) {
	const nodes = [];
	const credentials = [];
	for (const p of packages) {
		for (const file of p.nodes) nodes.push(builtClass(file).description.name);
		for (const file of p.credentials) credentials.push(builtClass(file).name);
	}
	return { nodes, credentials, all: allOperations() };
}

function builtClass(file) {
	const exported = require(path.join(h.ROOT, file));
	const Type = Object.values(exported).find((value) => typeof value === 'function');
	return new Type();
}

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
	process.on(sig, () => {
		if (stopping) process.exit(130);
		stopping = true;
		process.stderr.write(`\n${sig}: stopping (child processes are stopped by their process groups)…\n`);
		process.exit(130);
	});
}

main().catch((err) => {
	process.stderr.write(`${err.stack || err}\n`);
	process.stdout.write('0 passed, 1 failed\n');
	process.exit(1);
});

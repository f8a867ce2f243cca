#!/usr/bin/env node
'use strict';
/**
 * End-to-end tests in a real n8n (`npm run test:e2e`): both packages built, packed and installed as community
 * packages, driven through n8n's own CLI and REST API against the local sandbox of both APIs.
 *
 *   npm run test:e2e                     n8n 1.123.81 and 2.41.1, one after the other (both on Node 24)
 *   npm run test:e2e -- --n8n 1          only n8n 1.123.81        (or E2E_N8N=1; E2E_N8N=1,2 for both)
 *   npm run test:e2e -- --n8n 2          only n8n 2.41.1
 *   npm run test:e2e -- --n8n 1vm        n8n 1.123.81 on its default expression engine (vm, isolated-vm)
 *   npm run test:e2e -- --n8n all        1, 2 and 1vm
 *   --suites e2e,ui,agent                the suites to run on each n8n (default e2e; npm run test:ui and
 *                                        test:agent run theirs alone), sharing one install, one sandbox, one
 *                                        import and one `n8n start` per n8n
 *   options: --no-build (pack the existing dist/), --only <text>[,<text>…] (e2e cases whose id/title contain one;
 *            the live checks of the usage and UpCloud triggers with "trigger live", of the Upzelo Trigger with
 *            "upzelo trigger"),
 *            --keep (keep .e2e-tmp/ user folders), --verbose (print the 1.x/2.x comparison notes)
 *
 * Per n8n: fresh user folder in .e2e-tmp/, both packages installed from their tarballs, sandbox credentials
 * imported, every workflow (test cases, examples, example variants, the suites' own) imported in one go, each
 * e2e case executed with `n8n execute --id --rawOutput` and the items it produced checked; each package also
 * installed alone in a user folder of its own and run once; then `n8n start` for what needs a running n8n
 * (editor types and icons, the usage trigger in manual mode and activated, the suites' live checks).
 * Last line: "N passed, M failed".
 *
 * A suite other than e2e is a module `test/<name>/suite.js` exporting
 *   { title, prepare?(ctx) -> { credentials?, workflows? }, cli?(ctx), live?(ctx), close?(ctx) }
 * called in that order on each n8n (close also after a failure). `ctx` is one object per suite and n8n:
 *   { rt, target, version, engine, sandbox, userFolder, tag, yearMonth, log, only, t(title, fn), record(key, value), state }
 * (`only`: the --only text, which a suite may use to run just the checks it names).
 * cli adds { env, execute(workflowId, opts), cli(args) }; live adds { env, url, session, owner, executions }.
 * `t` is a named check: it fails when fn throws, and resolves whether it passed.
 */

const fs = require('node:fs');
const path = require('node:path');

const { ensureN8nRuntime, TARGETS } = require('../../scripts/install-n8n');
const { packAll } = require('../../scripts/pack');
const { n8nTargets, parseOptions } = require('../../scripts/lib/cli-options');
const { ROOT, freePort } = require('../../scripts/lib/process');
const { PACKAGE_NAMES } = require('../../scripts/lib/registry');
const { installPackages } = require('../../scripts/lib/packages');
const { executeWorkflow, n8nCli, n8nEnv } = require('../../scripts/lib/n8n');
const { sandboxCredentialFile } = require('../../scripts/lib/sandbox');
const { startSandbox } = require('../sandbox/server');
const { Reporter, paint } = require('./lib/reporter');
const { E2E_CREDENTIALS } = require('./lib/workflow');
const { loadExamples, e2eVariant, pollCronFor } = require('./lib/examples');
const { runError } = require('./lib/run-data');
const { livePhase } = require('./live');
const { alonePhase } = require('./alone');
const trigger = require('./cases/trigger');
const upzeloTrigger = require('./cases/upzelo-trigger');
const auditTrigger = require('./cases/audit-trigger');
const { checks: exampleChecks } = require('./cases/examples');
const { coverage, allOperations } = require('./lib/coverage');

const TMP = path.join(ROOT, '.e2e-tmp');

function parseArgs(argv) {
	const given = parseOptions(
		argv,
		{ '--n8n': 'value', '--suites': 'value', '--no-build': 'flag', '--keep': 'flag', '--verbose': 'flag', '-v': '--verbose', '--only': 'value' },
		__filename,
	);
	return {
		targets: n8nTargets(given['--n8n'] ?? process.env.E2E_N8N ?? 'both'),
		suites: loadSuites(given['--suites'] ?? 'e2e'),
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
		...require('./cases/servers').cases,
	];
}

/** `--suites e2e,ui,agent`: whether the e2e itself runs, and the other suites' modules (test/<name>/suite.js). */
function loadSuites(value) {
	const names = [...new Set(String(value).split(',').map((s) => s.trim()).filter(Boolean))];
	const others = [];
	for (const name of names.filter((n) => n !== 'e2e')) {
		const file = path.join(ROOT, 'test', name, 'suite.js');
		if (!/^[a-z][a-z0-9-]*$/.test(name) || !fs.existsSync(file)) throw new Error(`--suites ${name}: no ${path.relative(ROOT, file)}`);
		others.push({ name, module: require(file) });
	}
	if (names.length === 0) throw new Error('--suites: name at least one suite (e2e, ui, agent)');
	return { e2e: names.includes('e2e'), others, names };
}

function writeJson(file, value) {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Everything on one n8n target, as named steps; each returns whether the run goes on. A step's checks are the
 * reporter's (`run.t`): a failed one is reported and ends the target, the next target still runs.
 */
async function runTarget(target, { reporter, pack, opts, log }) {
	const started = Date.now();
	const spec = TARGETS[target];
	const run = { target, spec, reporter, pack, opts, log, timings: { target, version: spec.version } };
	run.group = groupLabel(spec, spec.version);
	run.t = (title, fn) => reporter.test(run.group, title, fn);

	if (!(await installRuntime(run))) return run.timings;
	await openTarget(run);
	try {
		if (!(await installOurPackages(run))) return run.timings;
		const prepared = await prepareSuites(run);
		if (!prepared) return run.timings;
		if (!(await importCredentials(run, prepared))) return run.timings;
		const plan = planWorkflows(run, prepared);
		if (!(await importWorkflows(run, plan))) return run.timings;
		await runCliPhase(run, plan);
		await runLivePhase(run, plan);
		await checkNoLoadErrors(run);
		if (opts.suites.e2e) run.timings.coverage = coverage(plan.cases, run.rt.version);
	} finally {
		await closeTarget(run);
		run.timings.totalMs = Date.now() - started;
	}
	return run.timings;
}

const groupLabel = (spec, version) => `n8n ${version}${spec.engine === 'vm' ? ' (vm engine)' : ''}`;

/** The target's n8n and Node 24, from the committed lock into .n8n-cache on first use. */
async function installRuntime(run) {
	const installStart = Date.now();
	const installed = await run.t(`n8n ${run.spec.version} available (installed into .n8n-cache on first use)`, async () => {
		run.rt = await ensureN8nRuntime({ target: run.target, log: (m) => run.log(`  ${m}`) });
	});
	run.timings.installMs = Date.now() - installStart;
	if (installed) run.group = groupLabel(run.spec, run.rt.version);
	return installed;
}

/** A fresh user folder, the sandbox, n8n's environment, the CLI runners, and one context per other suite. */
async function openTarget(run) {
	const { rt, target, reporter, log } = run;
	run.userFolder = path.join(TMP, `n8n-${target}`);
	fs.rmSync(run.userFolder, { recursive: true, force: true });
	fs.mkdirSync(run.userFolder, { recursive: true });

	run.sandbox = await startSandbox({ port: 0, upzeloSeedCount: 250 });
	const brokerPort = await freePort();
	run.env = n8nEnv(rt, run.userFolder, { N8N_RUNNERS_BROKER_PORT: String(brokerPort) });
	run.allOutput = [];
	run.cli = async (args, opts2) => {
		const r = await n8nCli(rt, run.env, args, opts2);
		run.allOutput.push(r.stdout, r.stderr);
		return r;
	};
	run.ctxBase = { tag: rt.version.replace(/\./g, '_'), yearMonth: new Date().toISOString().slice(0, 7) };
	run.execute = async (id, opts2 = {}) => {
		const result = await executeWorkflow(rt, run.env, id, { timeoutMs: 120000, ...opts2 });
		run.allOutput.push(result.stdout, result.stderr);
		return result;
	};
	// One context per suite on this n8n, kept across its phases.
	run.suites = run.opts.suites.others.map(({ name, module }) => ({
		name,
		module,
		ctx: {
			...run.ctxBase,
			rt,
			target,
			version: rt.version,
			engine: rt.engine,
			sandbox: run.sandbox,
			userFolder: run.userFolder,
			log,
			only: run.opts.only,
			t: run.t,
			record: (key, value) => reporter.record(`${run.group} ${name}`, key, value),
			state: {},
		},
	}));
}

/** Every packed tarball into .n8n/nodes, as users install community packages. */
function installOurPackages(run) {
	return run.t('both packages installed like community packages (npm install <tarballs> in .n8n/nodes)', async () => {
		const dirs = await installPackages({ userFolder: run.userFolder, tarballs: run.pack.packages.map((p) => p.tarball), n8nDir: run.rt.dir });
		const missing = dirs.filter((dir) => !fs.existsSync(path.join(dir, 'package.json')));
		if (missing.length) throw new Error(`not installed: ${missing.join(', ')}`);
	});
}

/** Each other suite's `prepare`: the credentials and workflows it wants imported. Resolves them, or undefined. */
async function prepareSuites(run) {
	const prepared = { credentials: [], workflows: [] };
	for (const s of run.suites) {
		if (!s.module.prepare) continue;
		if (!(await run.t(`${s.module.title}: prepared`, async () => {
			const got = (await s.module.prepare(s.ctx)) ?? {};
			prepared.credentials.push(...(got.credentials ?? []));
			prepared.workflows.push(...(got.workflows ?? []));
		}))) return undefined;
	}
	return prepared;
}

/** The sandbox credentials, two wrong ones for the error cases, and the suites' own, in one import:credentials. */
function importCredentials(run, prepared) {
	const { sandbox } = run;
	const credFile = path.join(run.userFolder, 'credentials.json');
	const credentials = [
		...sandboxCredentialFile(sandbox),
		{ ...E2E_CREDENTIALS.upcloudWrongPassword, data: { ...sandbox.credentials.upcloud, password: 'Wrong-Pass-999' } },
		{ ...E2E_CREDENTIALS.upzeloWrongKey, data: { ...sandbox.credentials.upzelo, apiKey: 'wrong_key' } },
		...prepared.credentials,
	];
	writeJson(credFile, credentials);
	return run.t(`import:credentials (${credentials.length}: sandbox credentials for both services${prepared.credentials.length ? ', the suites\' own' : ''})`, async () => {
		const r = await run.cli(['import:credentials', `--input=${credFile}`]);
		if (r.code !== 0 || !new RegExp(`Successfully imported ${credentials.length} credentials`).test(r.stdout + r.stderr)) {
			throw new Error(`exit ${r.code}:\n${(r.stdout + r.stderr).slice(-2000)}`);
		}
	});
}

/** The --only terms, lower-cased (comma-separated: any of them selects a case). */
const onlyTerms = (opts) => opts.only.toLowerCase().split(',').map((term) => term.trim()).filter(Boolean);
/** Whether a case's id and title pass --only. */
const onlyMatches = (opts, text) => !opts.only || onlyTerms(opts).some((term) => text.toLowerCase().includes(term));

/** What this target runs: the CLI cases (--only filters them), the examples and their e2e variants, all workflows. */
function planWorkflows(run, prepared) {
	const { opts } = run;
	const e2e = opts.suites.e2e;
	const cases = e2e ? cliCases().filter((c) => onlyMatches(opts, `${c.id} ${c.title}`)) : [];
	const examples = loadExamples();
	const pollCron = pollCronFor(run.rt.version);
	const variants = e2e ? examples.map((ex) => ({ ...e2eVariant(ex.workflow, { pollCron }), file: ex.file, source: ex.workflow })) : [];
	const workflows = [
		...cases.map((c) => c.workflow(run.ctxBase)),
		...(e2e
			? [
					...trigger.manual.map((m) => m.workflow()),
					trigger.active.workflow({ pollCron }),
					trigger.noLevel.workflow({ pollCron }),
					...trigger.projections.map((p) => p.workflow({ pollCron })),
					...upzeloTrigger.workflows(),
					...auditTrigger.workflows({ pollCron }),
					...examples.map((ex) => ex.workflow),
				]
			: []),
		...variants.map((v) => v.workflow),
		...prepared.workflows,
	];
	return { e2e, cases, examples, variants, workflows, preparedWorkflows: prepared.workflows.length };
}

/** Every workflow in one import:workflow call (one n8n start-up instead of one per workflow). */
function importWorkflows(run, plan) {
	const { e2e, examples, workflows } = plan;
	const wfDir = path.join(run.userFolder, 'workflows');
	for (const wf of workflows) writeJson(path.join(wfDir, `${wf.id}.json`), wf);
	const what = e2e ? `${examples.length} examples as shipped, their e2e variants, test cases${plan.preparedWorkflows ? ', the suites\' own' : ''}` : 'the suites\' own';
	return run.t(`import:workflow of ${workflows.length} workflows (${what})`, async () => {
		const r = await run.cli(['import:workflow', '--separate', `--input=${wfDir}`]);
		const text = r.stdout + r.stderr;
		if (r.code !== 0 || !new RegExp(`Successfully imported ${workflows.length} workflows?`).test(text)) {
			throw new Error(`exit ${r.code}:\n${text.slice(-2500)}`);
		}
	});
}

/**
 * One case by `n8n execute`: its setup, the run, then its check with the run and the sandbox requests it caused.
 * A case may prepare the sandbox (setup) and give it back as it was (teardown), e.g. for 10,000 records.
 */
function runCase(run, executed, { id, title, expect, check, setup }) {
	const { sandbox, rt, reporter, group, userFolder } = run;
	return run.t(title, async () => {
		if (setup) await setup(sandbox);
		const before = sandbox.state.seq;
		const result = await run.execute(id);
		const requests = sandbox.requests().filter((r) => r.seq > before);
		if (!result.run) throw new Error(`no run JSON in the output of execute (exit ${result.code}):\n${result.text.slice(-2000)}`);
		if (expect !== 'failure') {
			const err = runError(result.run);
			if (result.code !== 0 || err) {
				throw new Error(`execution failed (exit ${result.code}): ${err ? `${err.message}${err.description ? ` – ${err.description}` : ''}` : result.text.slice(-1500)}`);
			}
		}
		await check(result.run, {
			...run.ctxBase,
			result,
			requests,
			sandbox,
			version: rt.version,
			record: (key, value) => reporter.record(group, key, value),
			binaryText: (data) => binaryText(data, userFolder),
		});
		executed.push(id);
	});
}

/** The CLI phase: every case, every example variant run by execute, each package alone, the suites' cli(). */
async function runCliPhase(run, { e2e, cases, variants }) {
	const { rt, target, opts, sandbox, log } = run;
	const executed = [];
	const cliStart = Date.now();
	for (const c of cases) {
		const ok = await runCase(run, executed, c);
		if (c.teardown) await c.teardown(sandbox);
		c.passed = c.passed || {};
		c.passed[rt.version] = ok;
	}
	for (const v of variants.filter((x) => x.mode === 'execute')) {
		const check = exampleChecks[v.source.id]?.check;
		const disabled = v.disabled.length ? ` with ${v.disabled.join(', ')} disabled` : '';
		await runCase(run, executed, {
			id: v.workflow.id,
			title: `example ${v.file} executes${disabled}`,
			expect: 'success',
			check: async (result, ctx) => {
				if (!check) throw new Error(`no check defined for example ${v.source.id} in test/e2e/cases/examples.js`);
				await check(result, ctx);
			},
		});
	}
	if (e2e && !opts.only && target !== '1vm') {
		// 1vm shares its install with 1, where this already ran.
		for (const p of run.pack.packages) await alonePhase({ rt, pack: p, sandbox, t: run.t, log });
	}
	run.timings.cliMs = Date.now() - cliStart;
	run.timings.executes = executed.length;

	for (const s of run.suites) {
		if (s.module.cli) await s.module.cli(Object.assign(s.ctx, { env: run.env, execute: run.execute, cli: run.cli }));
	}
}

/** The live phase (test/e2e/live.js): `n8n start` for the editor types, the trigger and the suites' live(). */
async function runLivePhase(run, { e2e, examples, variants }) {
	const { opts } = run;
	const liveStart = Date.now();
	const liveSuites = run.suites.filter((s) => s.module.live);
	// --only picks live checks by name too: "trigger live" the usage trigger's and the UpCloud Trigger's (with the
	// editor types), "upzelo trigger" the Upzelo Trigger's; a word both contain ("trigger") runs both.
	const wants = (name) => !opts.only || onlyTerms(opts).some((term) => name.includes(term));
	const liveChecks = { usageTrigger: wants('trigger live'), upzeloTrigger: wants('upzelo trigger') };
	if ((e2e && (liveChecks.usageTrigger || liveChecks.upzeloTrigger)) || liveSuites.length) {
		await livePhase({
			e2e,
			liveChecks,
			suites: liveSuites,
			rt: run.rt,
			env: run.env,
			sandbox: run.sandbox,
			reporter: run.reporter,
			group: run.group,
			userFolder: run.userFolder,
			examples,
			exampleVariants: variants,
			exampleChecks,
			manualWorkflows: trigger.manual,
			activeWorkflow: trigger.active,
			noLevelWorkflow: trigger.noLevel,
			projectionWorkflows: trigger.projections,
			expectedTypes: run.pack.expectedTypes,
		});
	}
	run.timings.liveMs = Date.now() - liveStart;
}

/** Across all CLI output of this target: no line about one of our packages failing to load. */
function checkNoLoadErrors(run) {
	return run.t('no package load errors in any n8n CLI output', async () => {
		const lines = run.allOutput
			.join('\n')
			.split('\n')
			.filter((l) => /Cannot find module|Failed to load|Error loading|could not be loaded/i.test(l) && PACKAGE_NAMES.some((p) => l.includes(p)));
		if (lines.length) throw new Error([...new Set(lines)].slice(0, 10).join('\n'));
	});
}

/** Also after a failure: each suite's close(), the sandbox, and the workflow files unless --keep. */
async function closeTarget(run) {
	for (const s of run.suites) {
		try {
			await s.module.close?.(s.ctx);
		} catch (err) {
			run.log(`  ${s.name}: close failed: ${err.message}`);
		}
	}
	await run.sandbox.close();
	if (!run.opts.keep) fs.rmSync(path.join(run.userFolder, 'workflows'), { recursive: true, force: true });
}

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	const started = Date.now();
	const reporter = new Reporter();
	const log = (m) => process.stderr.write(`${paint('2', m)}\n`);
	fs.mkdirSync(TMP, { recursive: true });
	const names = opts.targets.map((t) => `${TARGETS[t].version}${TARGETS[t].engine === 'vm' ? ' (vm engine)' : ''}`);
	process.stdout.write(`Suites ${opts.suites.names.join(', ')} in real n8n: ${names.join(', ')}\n`);

	let pack;
	const prepared = await reporter.test('package', 'npm run pack: both tarballs built and packed into packed/', async () => {
		const packages = await packAll({ build: opts.build, log });
		pack = { packages, expectedTypes: expectedTypes(packages) };
	});

	const timings = [];
	if (prepared) {
		for (const target of opts.targets) {
			process.stdout.write(`\n── n8n ${TARGETS[target].version}${TARGETS[target].engine === 'vm' ? ' (vm engine)' : ''} ──\n`);
			timings.push(await runTarget(target, { reporter, pack, opts, log }));
		}
	}

	process.stdout.write('\n');
	for (const tm of timings) {
		const s = (ms) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(0)} s`);
		process.stdout.write(
			`n8n ${tm.version}${TARGETS[tm.target].engine === 'vm' ? ' (vm engine)' : ''}: ${s(tm.totalMs)} (install/check ${s(tm.installMs)}, ${tm.executes ?? 0} executes ${s(tm.cliMs)}, live phase ${s(tm.liveMs)})\n`,
		);
		if (tm.coverage) process.stdout.write(tm.coverage.text);
	}
	const notesFile = path.join(TMP, 'version-notes.json');
	writeJson(notesFile, reporter.notes);
	if (opts.verbose) process.stdout.write(`\nNotes per version (${path.relative(ROOT, notesFile)}):\n${JSON.stringify(reporter.notes, null, 2)}\n`);
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
	const exported = require(path.join(ROOT, file));
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

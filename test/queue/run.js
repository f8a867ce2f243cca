#!/usr/bin/env node
'use strict';
/**
 * Both packages in n8n queue mode (`npm run test:queue`): a real Postgres and Redis, an n8n main and two workers
 * with the same settings, each instance with both packages installed from packed/, against the local sandbox.
 *
 *   npm run test:queue                    both n8n lines, one after the other (1.123.81 and 2.41.1, on Node 24)
 *   npm run test:queue -- --n8n 1|2       one line only
 *   options: --no-build (pack the existing dist/), --only a,b,e,c,d,env (phases), --executions <n> (load, 500),
 *            --rounds <n> (load runs of each build, in ABBA order, 2), --kill-executions <n> (worker-kill run,
 *            300), --concurrency <n> (per worker, 5), --keep (keep the Postgres data in .queue-tmp/)
 *
 * Phases (see test/queue/cases/): env. the env-managed install (2.x only); a. every node runs on a worker;
 * b. the Usage Trigger in the cluster; e. the UpCloud Trigger (audit log) in the cluster, across a main restart;
 * c. load, ours next to the same job built with HTTP Request nodes;
 * d. a worker killed with SIGKILL during a load run. Logs of every process are kept in .queue-tmp/n8n-<version>/.
 * Last line: "N passed, M failed"; the measured figures are written to .queue-tmp/results.json.
 */

const fs = require('node:fs');
const path = require('node:path');

const { ensureN8nRuntime, TARGETS } = require('../../scripts/install-n8n');
const { packAll } = require('../../scripts/pack');
const { n8nTargets, parseOptions } = require('../../scripts/lib/cli-options');
const { ROOT } = require('../../scripts/lib/process');
const { NODES, fullType } = require('../../scripts/lib/registry');
const { RestSession } = require('../../scripts/lib/n8n');
const { sandboxCredentialFile } = require('../../scripts/lib/sandbox');
const { startCluster, redisAvailable } = require('../../scripts/lib/queue-cluster');
const { startSandbox } = require('../sandbox/server');
const { Reporter, paint } = require('../e2e/lib/reporter');
const { clientIdentifier } = require('./lib/clients');
const wfs = require('./lib/workflows');
const { workersPhase } = require('./cases/workers');
const { triggerPhase } = require('./cases/trigger');
const { auditWorkflow, auditTriggerPhase } = require('./cases/audit-trigger');
const { loadPhase, workerDiesPhase } = require('./cases/load');
const { envManagedPhase } = require('./cases/env-managed');

const TMP = path.join(ROOT, '.queue-tmp');
const OWNER = { email: 'queue@example.com', password: 'Queue-Owner-Pass-1', firstName: 'Queue', lastName: 'Owner' };
const PHASES = ['env', 'a', 'b', 'e', 'c', 'd'];

/**
 * Bull's stalled-job settings, shortened so that a dead worker's jobs are noticed within the suite's time: the lock
 * a worker renews on each active job lasts 10 s (default 60 s) and is renewed every 2 s (10 s), and every 5 s
 * (30 s) a worker looks for jobs whose lock expired. With the defaults n8n notices 30–90 s after a worker died.
 */
const STALL_SETTINGS = { QUEUE_WORKER_LOCK_DURATION: '10000', QUEUE_WORKER_LOCK_RENEW_TIME: '2000', QUEUE_WORKER_STALLED_INTERVAL: '5000' };

function parseArgs(argv) {
	const given = parseOptions(
		argv,
		{ '--n8n': 'value', '--no-build': 'flag', '--keep': 'flag', '--only': 'value', '--executions': 'value', '--kill-executions': 'value', '--concurrency': 'value', '--rounds': 'value' },
		__filename,
	);
	const only = given['--only'] ? given['--only'].split(',').map((s) => s.trim()) : PHASES;
	for (const p of only) if (!PHASES.includes(p)) throw new Error(`--only ${p}: use ${PHASES.join(', ')}`);
	const int = (name, fallback) => {
		const v = Number(given[name] ?? fallback);
		if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
		return v;
	};
	return {
		targets: n8nTargets(given['--n8n'] ?? process.env.QUEUE_N8N ?? 'both'),
		build: !given['--no-build'],
		keep: Boolean(given['--keep']),
		only,
		executions: int('--executions', 500),
		killExecutions: int('--kill-executions', 300),
		concurrency: int('--concurrency', 5),
		rounds: int('--rounds', 2),
	};
}

function writeJson(file, value) {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

async function runTarget(target, { reporter, packages, opts, log }) {
	const started = Date.now();
	const spec = TARGETS[target];
	let group = `n8n ${spec.version}`;
	const t = (title, fn) => reporter.test(group, title, fn);
	const timing = { version: spec.version };
	let rt;
	if (!(await t(`n8n ${spec.version} available`, async () => {
		rt = await ensureN8nRuntime({ target, log: (m) => log(`  ${m}`) });
	}))) return timing;
	group = `n8n ${rt.version} queue`;
	const record = (key, value) => reporter.record(rt.version, key, value);

	const root = path.join(TMP, `n8n-${rt.version}`);
	fs.rmSync(root, { recursive: true, force: true });
	let cluster;
	const sandbox = await startSandbox({ port: 0, upzeloCounts: { customers: 1000 }, identifyClient: clientIdentifier(() => cluster?.processes() ?? []) });
	const ctx = { t, record, rt, sandbox, opts, packages, tag: `q${rt.version.replace(/\./g, '_')}`, yearMonth: new Date().toISOString().slice(0, 7) };
	try {
		if (!(await t('Postgres and Redis on their own ports; main, worker1, worker2 each with both packages installed from packed/', async () => {
			cluster = await startCluster({ rt, root, tarballs: packages.map((p) => p.tarball), concurrency: opts.concurrency, settings: STALL_SETTINGS, log: (m) => log(`  ${m}`) });
			ctx.cluster = cluster;
		}))) return timing;

		const credFile = path.join(root, 'credentials.json');
		writeJson(credFile, [
			...sandboxCredentialFile(sandbox),
			{ ...wfs.HTTP_BASIC, data: { user: sandbox.credentials.upcloud.username, password: sandbox.credentials.upcloud.password } },
		]);
		const workflows = [
			wfs.upcloudWorkflow(ctx),
			wfs.upzeloWorkflow(ctx),
			wfs.triggerWorkflow(rt.version),
			wfs.triggerWorkflow(rt.version, { id: 'queueTrigQuiet', notifyOnRecovery: false }),
			auditWorkflow(rt.version),
			wfs.loadOursWorkflow(),
			wfs.loadHttpWorkflow(sandbox),
		];
		const wfDir = path.join(root, 'workflows');
		for (const wf of workflows) writeJson(path.join(wfDir, `${wf.id}.json`), wf);
		if (!(await t(`credentials and ${workflows.length} workflows imported into Postgres (n8n CLI)`, async () => {
			for (const args of [['import:credentials', `--input=${credFile}`], ['import:workflow', '--separate', `--input=${wfDir}`]]) {
				const r = await cluster.cli(args);
				if (r.code !== 0 || !/Successfully imported/.test(r.stdout + r.stderr)) throw new Error(`${args[0]}: exit ${r.code}\n${(r.stdout + r.stderr).slice(-2000)}`);
			}
		}))) return timing;

		if (opts.only.includes('env') && Number(rt.version.split('.')[0]) >= 2) await envManagedPhase(ctx);

		if (!(await t('main (n8n start) and two workers (n8n worker) running, same settings', async () => {
			await cluster.startMain();
			await cluster.startWorkers();
		}))) return timing;
		ctx.login = async () => {
			ctx.session = new RestSession(cluster.main.url);
			await ctx.session.ensureOwner(OWNER);
		};
		if (!(await t('owner logged in; webhook workflows activated on main; main lists our node types', async () => {
			await ctx.login();
			for (const wf of workflows.filter((w) => w.webhookPath)) await ctx.session.setActive(wf.id, true);
			const types = (await ctx.session.get('/types/nodes.json')).json.map((n) => n.name);
			for (const { name } of NODES) {
				if (!types.includes(fullType(name))) throw new Error(`main does not list ${fullType(name)}`);
			}
		}))) return timing;

		const phaseTimes = {};
		const phase = async (key, fn) => {
			if (!opts.only.includes(key)) return;
			const t0 = Date.now();
			await fn(ctx);
			phaseTimes[key] = `${((Date.now() - t0) / 1000).toFixed(0)} s`;
		};
		await phase('a', workersPhase);
		await phase('b', triggerPhase);
		await phase('e', auditTriggerPhase);
		await phase('c', loadPhase);
		await phase('d', workerDiesPhase);
		record('phaseTimes', phaseTimes);

		await t('no "Unrecognized node type" and no package load errors in any process log', async () => {
			const bad = [cluster.main, ...cluster.workers]
				.flatMap((p) => p.lines.map((l) => `${p.role}: ${l}`))
				.filter((l) => /Unrecognized node type|Cannot find module|Failed to load|could not be loaded/i.test(l));
			if (bad.length) throw new Error([...new Set(bad)].slice(0, 10).join('\n'));
		});
	} finally {
		if (cluster) await cluster.stop();
		await sandbox.close();
		if (!opts.keep && cluster) fs.rmSync(path.join(root, 'postgres', 'data'), { recursive: true, force: true });
		timing.totalMs = Date.now() - started;
		record('wallTime', `${(timing.totalMs / 1000).toFixed(0)} s`);
	}
	return timing;
}

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	const started = Date.now();
	const reporter = new Reporter();
	const log = (m) => process.stderr.write(`${paint('2', m)}\n`);
	process.stdout.write(`Queue mode in real n8n: ${opts.targets.map((x) => TARGETS[x].version).join(' and ')}\n`);
	if (!redisAvailable()) {
		await reporter.fail('setup', 'redis-server installed', 'redis-server is not installed: apt-get install -y redis-server');
		process.stdout.write('0 passed, 1 failed\n');
		process.exitCode = 1;
		return;
	}
	let packages;
	const packed = await reporter.test('package', 'npm run pack: both tarballs built and packed into packed/', async () => {
		packages = await packAll({ build: opts.build, log });
	});
	const timings = [];
	if (packed) {
		for (const target of opts.targets) {
			process.stdout.write(`\n── n8n ${TARGETS[target].version} in queue mode ──\n`);
			timings.push(await runTarget(target, { reporter, packages, opts, log }));
		}
	}
	writeJson(path.join(TMP, 'results.json'), { machine: `${require('node:os').cpus().length} cores`, settings: { concurrency: opts.concurrency, ...STALL_SETTINGS }, results: reporter.notes });
	process.stdout.write('\n');
	for (const tm of timings) process.stdout.write(`n8n ${tm.version}: ${tm.totalMs ? `${(tm.totalMs / 1000).toFixed(0)} s` : '-'}\n`);
	process.stdout.write(`Figures: ${path.relative(ROOT, path.join(TMP, 'results.json'))}\nTotal ${((Date.now() - started) / 1000) | 0} s\n`);
	const { passed, failed } = reporter.counts();
	process.stdout.write(`${passed} passed, ${failed} failed\n`);
	process.exitCode = failed ? 1 : 0;
}

for (const sig of ['SIGINT', 'SIGTERM']) {
	process.on(sig, () => {
		process.stderr.write(`\n${sig}: stopping (every process of the cluster is stopped by its process group)…\n`);
		process.exit(130);
	});
}

main().catch((err) => {
	process.stderr.write(`${err.stack || err}\n`);
	process.stdout.write('0 passed, 1 failed\n');
	process.exit(1);
});

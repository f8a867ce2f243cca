#!/usr/bin/env node
'use strict';
/**
 * `npm run dev`: a local n8n with both packages loaded, talking to the local sandbox of both APIs.
 *
 *   1. builds and packs every package (`npm run pack`: packed/<package>-<version>.tgz per folder of packages/);
 *   2. installs the tarballs into .dev-data/n8n-<version>/.n8n/nodes the way users install community nodes
 *      (node types are `<package>.<node>`, as in the example workflows);
 *   3. starts the sandbox in a process of its own (127.0.0.1:8787, or a free port; scripts/lib/sandbox.js) and
 *      imports credentials for it, "UpCloud (sandbox)",
 *      "UpCloud Token (sandbox)" and "Upzelo (sandbox)", plus the example workflows (again whenever an example
 *      file changes);
 *   4. starts n8n (2.41.1 when this Node is 24 or newer, else 1.123.81, both on Node 24; installed with npm ci from
 *      its committed lock in test/n8n/ into .n8n-cache/ on first use,
 *      which takes a few minutes), creates the owner login if there is none, and prints the editor URL;
 *   5. Ctrl-C stops n8n and the sandbox.
 *
 * Options: --n8n 1|2 (override the version), --port <n8n port> (default 5678), --sandbox-port <port> (default
 * 8787), --no-build (pack the existing dist/), --fresh (delete this version's .dev-data folder first).
 *
 * `npm run dev -- --queue`: the same in queue mode, as `npm run test:queue` runs it: Postgres (its data kept in
 * .dev-data/queue-n8n-<version>/), Redis, an n8n main and two workers (`--workers <n>`), each with both packages
 * installed. Executions started by webhooks, triggers and the editor (OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS) run on
 * the workers; their logs are in that folder.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { ensureN8nRuntime, installNeeded, TARGETS } = require('./install-n8n');
const { parseOptions } = require('./lib/cli-options');
const { packAll } = require('./pack');
const { ROOT, freePort, portIsFree, stopAllChildren } = require('./lib/process');
const { PACKAGE_NAMES } = require('./lib/registry');
const { installPackages } = require('./lib/packages');
const { RestSession, n8nCli, n8nEnv, startN8n } = require('./lib/n8n');
const { sandboxCredentialFile, startSandboxProcess } = require('./lib/sandbox');
const { startCluster } = require('./lib/queue-cluster');

const DEV_DATA = path.join(ROOT, '.dev-data');
const OWNER = { email: 'dev@example.com', password: 'Sandbox-Dev-123', firstName: 'Local', lastName: 'Developer' };

const say = (msg = '') => process.stdout.write(`${msg}\n`);
const info = (msg) => process.stderr.write(`[dev] ${msg}\n`);

function parseArgs(argv) {
	const given = parseOptions(
		argv,
		{ '--n8n': 'value', '--port': 'value', '--sandbox-port': 'value', '--no-build': 'flag', '--fresh': 'flag', '--queue': 'flag', '--workers': 'value' },
		__filename,
	);
	const nodeMajor = Number(process.versions.node.split('.')[0]);
	const opts = {
		target: String(given['--n8n'] ?? (nodeMajor >= 24 ? '2' : '1')),
		port: Number(given['--port'] ?? 5678),
		sandboxPort: Number(given['--sandbox-port'] ?? 8787),
		build: !given['--no-build'],
		fresh: Boolean(given['--fresh']),
		queue: Boolean(given['--queue']),
		workers: Number(given['--workers'] ?? 2),
	};
	if (!Number.isInteger(opts.workers) || opts.workers < 1) throw new Error('--workers must be a positive integer');
	if (!TARGETS[opts.target]) throw new Error(`--n8n ${opts.target}: use 1 or 2`);
	return opts;
}

async function pickPort(preferred, what) {
	if (preferred && (await portIsFree(preferred))) return preferred;
	const port = await freePort();
	if (preferred) info(`Port ${preferred} is in use; ${what} uses ${port} instead.`);
	return port;
}

const sha = (text) => crypto.createHash('sha256').update(text).digest('hex').slice(0, 16);

/** Imports the examples that are new or changed since the last run (unchanged ones keep the user's edits). */
async function importExamples(rt, env, userFolder, cli = (args) => n8nCli(rt, env, args)) {
	const dir = path.join(ROOT, 'examples');
	const stateFile = path.join(userFolder, 'examples-imported.json');
	const state = fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, 'utf8')) : {};
	const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
	const hashes = Object.fromEntries(files.map((f) => [f, sha(fs.readFileSync(path.join(dir, f), 'utf8'))]));
	const changed = files.filter((f) => state[f] !== hashes[f]);
	if (changed.length === 0) return { total: files.length, imported: [] };
	const staging = path.join(userFolder, 'examples-to-import');
	fs.rmSync(staging, { recursive: true, force: true });
	fs.mkdirSync(staging, { recursive: true });
	for (const f of changed) fs.copyFileSync(path.join(dir, f), path.join(staging, f));
	const r = await cli(['import:workflow', '--separate', `--input=${staging}`]);
	fs.rmSync(staging, { recursive: true, force: true });
	if (r.code !== 0) throw new Error(`importing the examples failed:\n${(r.stdout + r.stderr).slice(-2000)}`);
	for (const f of changed) state[f] = hashes[f];
	fs.writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);
	return { total: files.length, imported: changed };
}

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	const spec = TARGETS[opts.target];
	const started = Date.now();
	let sandbox;
	let running;
	let stopping = false;

	const shutdown = async (code) => {
		if (stopping) return;
		stopping = true;
		say(`\nStopping ${opts.queue ? 'the cluster' : 'n8n'} and the sandbox…`);
		if (running) await running.stop();
		if (sandbox) await sandbox.close().catch(() => {});
		say('Stopped.');
		process.exit(code);
	};
	process.on('SIGINT', () => shutdown(0));
	process.on('SIGTERM', () => shutdown(0));

	say(`${PACKAGE_NAMES.join(' + ')} dev: n8n ${spec.version} on Node 24${opts.queue ? ', queue mode' : ''}`);
	const cold = installNeeded(spec.version);
	if (cold) {
		say(
			`Installing n8n ${spec.version} and Node 24 into .n8n-cache/ from the lock in test/n8n/ (${cold}; ≈2 GB, ` +
				'usually 3–5 minutes). This happens once per lock; progress follows.',
		);
	}
	const rt = await ensureN8nRuntime({ target: opts.target, quiet: !cold });

	const packages = await packAll({ build: opts.build, log: info });
	const sandboxPort = await pickPort(opts.sandboxPort, 'the sandbox');
	sandbox = await startSandboxProcess({ port: sandboxPort });
	info(`Sandbox listening on ${sandbox.url}`);

	const onExit = (what, log) => (code) => {
		if (!stopping) {
			process.stderr.write(`${what} exited unexpectedly (code ${code}); see ${log}\n`);
			shutdown(1);
		}
	};
	running = await (opts.queue ? startQueue : startSingle)({ rt, opts, packages, sandbox, onExit });
	const session = new RestSession(running.url);
	const { created } = await session.ensureOwner(OWNER).catch((err) => {
		info(`Could not prepare the owner login (${err.message}); the editor will ask you to create one.`);
		return { created: false };
	});

	const c = sandbox.credentials;
	say('');
	say('──────────────────────────────────────────────────────────────────────────');
	say(`  n8n ${rt.version} editor:  ${running.url}`);
	say(`  Log in with ${OWNER.email} / ${OWNER.password}${created ? ' (created now)' : ''}`);
	say(`  (if you changed it in n8n, use yours; "npm run dev -- --fresh${opts.queue ? ' --queue' : ''}" starts over)`);
	for (const line of running.about ?? []) say(`  ${line}`);
	say('');
	say(`  Sandbox APIs:  UpCloud ${c.upcloud.baseUrl}  ·  Upzelo ${c.upzelo.baseUrl}`);
	say(`  Credentials:   "UpCloud Token (sandbox)", "UpCloud (sandbox)" (Basic) and "Upzelo (sandbox)" are ready to pick`);
	say(`  Examples:      ${running.examples.total} workflows under Overview (see examples/ for what each does)`);
	say(`  Drive alerts:  curl -X POST ${sandbox.url}/__control/state -H 'Content-Type: application/json' -d '{"credits": 4210}'`);
	say(`  Requests seen: curl ${sandbox.url}/__control/requests`);
	say('');
	say(`  Ready in ${((Date.now() - started) / 1000).toFixed(0)} s. Ctrl-C stops ${opts.queue ? 'the cluster' : 'n8n'} and the sandbox.`);
	say('──────────────────────────────────────────────────────────────────────────');
}

/**
 * Before the split both services were one package, named as the repo root is now; a user folder from then must not
 * load its nodes twice.
 */
const OLD_COMBINED_PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).name;
function removeOldInstalls(userFolder) {
	for (const name of [...PACKAGE_NAMES, OLD_COMBINED_PACKAGE]) {
		fs.rmSync(path.join(userFolder, '.n8n', 'nodes', 'node_modules', name), { recursive: true, force: true });
	}
}

/** Sandbox credentials (again on every start: the sandbox port may differ; same ids, so they are updated) and examples. */
async function importSandboxData(rt, cli, sandbox, userFolder, env) {
	const credFile = path.join(userFolder, 'sandbox-credentials.json');
	fs.writeFileSync(credFile, `${JSON.stringify(sandboxCredentialFile(sandbox), null, 2)}\n`);
	const cr = await cli(['import:credentials', `--input=${credFile}`]);
	if (cr.code !== 0) throw new Error(`importing the sandbox credentials failed:\n${(cr.stdout + cr.stderr).slice(-2000)}`);
	info(`Credentials ${sandboxCredentialFile(sandbox).map((c) => `"${c.name}"`).join(', ')} imported`);
	const ex = await importExamples(rt, env, userFolder, cli);
	info(ex.imported.length ? `Imported example workflows: ${ex.imported.join(', ')}` : `Example workflows up to date (${ex.total})`);
	return ex;
}

const showPackageLines = (prefix) => (line) => {
	if (PACKAGE_NAMES.some((p) => line.includes(p)) || /problem activating|Error executing|Unrecognized node type/i.test(line)) {
		process.stderr.write(`[${prefix}] ${line}\n`);
	}
};

/** One n8n, SQLite, user folder .dev-data/n8n-<version>. */
async function startSingle({ rt, opts, packages, sandbox, onExit }) {
	const userFolder = path.join(DEV_DATA, `n8n-${rt.version}`);
	if (opts.fresh) fs.rmSync(userFolder, { recursive: true, force: true });
	fs.mkdirSync(userFolder, { recursive: true });
	removeOldInstalls(userFolder);
	await installPackages({ userFolder, tarballs: packages.map((p) => p.tarball), n8nDir: rt.dir, log: info });
	const env = n8nEnv(rt, userFolder, { N8N_RUNNERS_BROKER_PORT: String(await freePort()) });
	const examples = await importSandboxData(rt, (args) => n8nCli(rt, env, args), sandbox, userFolder, env);
	const port = await pickPort(opts.port, 'n8n');
	const log = path.join(userFolder, 'n8n.log');
	info(`Starting n8n ${rt.version}… (log: ${path.relative(ROOT, log)})`);
	const n8n = await startN8n(rt, env, { port, logFile: log, onLine: showPackageLines('n8n') });
	n8n.child.on('exit', onExit('n8n', log));
	return { url: n8n.url, examples, stop: () => n8n.stop() };
}

/** Queue mode: Postgres, Redis, a main and workers, in .dev-data/queue-n8n-<version> (Postgres data kept). */
async function startQueue({ rt, opts, packages, sandbox, onExit }) {
	const root = path.join(DEV_DATA, `queue-n8n-${rt.version}`);
	if (opts.fresh) fs.rmSync(root, { recursive: true, force: true });
	const roles = ['main', ...Array.from({ length: opts.workers }, (_, i) => `worker${i + 1}`)];
	for (const role of roles) removeOldInstalls(path.join(root, role));
	const cluster = await startCluster({
		rt,
		root,
		tarballs: packages.map((p) => p.tarball),
		workers: opts.workers,
		mainPort: await pickPort(opts.port, 'n8n'),
		log: info,
		onLine: (role, line) => showPackageLines(role)(line),
	});
	try {
		const examples = await importSandboxData(rt, cluster.cli, sandbox, cluster.userFolder('main'), cluster.env('main'));
		info(`Starting n8n ${rt.version}: main and ${opts.workers} worker(s)… (logs in ${path.relative(ROOT, root)})`);
		await cluster.startMain();
		await cluster.startWorkers();
		for (const p of [cluster.main, ...cluster.workers]) p.child.on('exit', onExit(`n8n ${p.role}`, path.join(root, `${p.role}.log`)));
		return {
			url: cluster.main.url,
			examples,
			stop: () => cluster.stop(),
			about: [
				'',
				`Queue mode:    main pid ${cluster.main.pid}, ${cluster.workers.map((w) => `${w.role} pid ${w.pid}`).join(', ')} (concurrency ${cluster.concurrency})`,
				`Postgres:      127.0.0.1:${cluster.pg.port}, database ${cluster.pg.database}, user ${cluster.pg.user}`,
				`Redis:         127.0.0.1:${cluster.redis.port}`,
				`Logs:          ${path.relative(ROOT, root)}/{${roles.join(',')}}.log`,
			],
		};
	} catch (err) {
		await cluster.stop();
		throw err;
	}
}

main().catch(async (err) => {
	process.stderr.write(`\nnpm run dev failed: ${err.stack || err}\n`);
	stopAllChildren();
	process.exit(1);
});

#!/usr/bin/env node
'use strict';
/**
 * `npm run dev`: a local n8n with both packages loaded, talking to the local sandbox of both APIs.
 *
 *   1. builds and packs both packages (`npm run pack`: packed/n8n-nodes-upcloud-*.tgz, packed/n8n-nodes-upzelo-*.tgz);
 *   2. installs both tarballs into .dev-data/n8n-<version>/.n8n/nodes the way users install community nodes
 *      (node types are `n8n-nodes-upcloud.<node>` and `n8n-nodes-upzelo.<node>`, as in the example workflows);
 *   3. starts the sandbox (127.0.0.1:8787, or a free port) and imports credentials for it, "UpCloud (sandbox)",
 *      "UpCloud Token (sandbox)" and "Upzelo (sandbox)", plus the example workflows (again whenever an example
 *      file changes);
 *   4. starts n8n (2.40.7 when this Node is 24 or newer, else 1.123.81; installed into .n8n-cache/ on first use,
 *      which takes a few minutes), creates the owner login if there is none, and prints the editor URL;
 *   5. Ctrl-C stops n8n and the sandbox.
 *
 * Options: --n8n 1|2 (override the version), --port <n8n port> (default 5678), --sandbox-port <port> (default
 * 8787), --no-build (pack the existing dist/), --fresh (delete this version's .dev-data folder first).
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { ensureN8nRuntime, n8nDir, TARGETS } = require('./install-n8n');
const { parseOptions } = require('./lib/cli-options');
const { packAll } = require('./pack');
const h = require('./lib/n8n-harness');
const { startSandbox } = require('../test/sandbox/server');

const DEV_DATA = path.join(h.ROOT, '.dev-data');
const OWNER = { email: 'dev@example.com', password: 'Sandbox-Dev-123', firstName: 'Local', lastName: 'Developer' };

const say = (msg = '') => process.stdout.write(`${msg}\n`);
const info = (msg) => process.stderr.write(`[dev] ${msg}\n`);

function parseArgs(argv) {
	const given = parseOptions(
		argv,
		{ '--n8n': 'value', '--port': 'value', '--sandbox-port': 'value', '--no-build': 'flag', '--fresh': 'flag' },
		__filename,
	);
	const nodeMajor = Number(process.versions.node.split('.')[0]);
	const opts = {
		target: String(given['--n8n'] ?? (nodeMajor >= 24 ? '2' : '1')),
		port: Number(given['--port'] ?? 5678),
		sandboxPort: Number(given['--sandbox-port'] ?? 8787),
		build: !given['--no-build'],
		fresh: Boolean(given['--fresh']),
	};
	if (!TARGETS[opts.target]) throw new Error(`--n8n ${opts.target}: use 1 or 2`);
	return opts;
}

async function pickPort(preferred, what) {
	if (preferred && (await h.portIsFree(preferred))) return preferred;
	const port = await h.freePort();
	if (preferred) info(`Port ${preferred} is in use; ${what} uses ${port} instead.`);
	return port;
}

const sha = (text) => crypto.createHash('sha256').update(text).digest('hex').slice(0, 16);

/** Imports the examples that are new or changed since the last run (unchanged ones keep the user's edits). */
async function importExamples(rt, env, userFolder) {
	const dir = path.join(h.ROOT, 'examples');
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
	const r = await h.n8nCli(rt, env, ['import:workflow', '--separate', `--input=${staging}`]);
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
	let n8n;
	let stopping = false;

	const shutdown = async (code) => {
		if (stopping) return;
		stopping = true;
		say('\nStopping n8n and the sandbox…');
		if (n8n) await n8n.stop();
		if (sandbox) await sandbox.close().catch(() => {});
		say('Stopped.');
		process.exit(code);
	};
	process.on('SIGINT', () => shutdown(0));
	process.on('SIGTERM', () => shutdown(0));

	say(`n8n-nodes-upcloud + n8n-nodes-upzelo dev: n8n ${spec.version} on Node ${spec.node === '24' ? '24' : process.versions.node}`);
	const cold = !fs.existsSync(path.join(n8nDir(spec.version), '.install-ok.json'));
	if (cold) {
		say(
			`First run: installing n8n ${spec.version}${spec.node === '24' ? ' and Node 24' : ''} into .n8n-cache/ ` +
				'(≈2 GB, usually 3–4 minutes). This happens once; progress follows.',
		);
	}
	const rt = await ensureN8nRuntime({ target: opts.target, quiet: !cold });

	const packages = await packAll({ build: opts.build, log: info });

	const userFolder = path.join(DEV_DATA, `n8n-${rt.version}`);
	if (opts.fresh) fs.rmSync(userFolder, { recursive: true, force: true });
	fs.mkdirSync(userFolder, { recursive: true });
	// Before the split both services were one package; a dev folder from then must not load its nodes twice.
	for (const name of [...h.PACKAGE_NAMES, 'n8n-nodes-upcloud-upzelo']) {
		fs.rmSync(path.join(userFolder, '.n8n', 'nodes', 'node_modules', name), { recursive: true, force: true });
	}
	await h.installPackages({ userFolder, tarballs: packages.map((p) => p.tarball), n8nDir: rt.dir, log: info });

	const sandboxPort = await pickPort(opts.sandboxPort, 'the sandbox');
	sandbox = await startSandbox({ port: sandboxPort });
	info(`Sandbox listening on ${sandbox.url}`);

	const env = h.n8nEnv(rt, userFolder, { N8N_RUNNERS_BROKER_PORT: String(await h.freePort()) });
	const credFile = path.join(userFolder, 'sandbox-credentials.json');
	// Re-imported on every start: the sandbox port may differ from last time (same ids, so they are updated).
	fs.writeFileSync(credFile, `${JSON.stringify(h.sandboxCredentialFile(sandbox), null, 2)}\n`);
	const cr = await h.n8nCli(rt, env, ['import:credentials', `--input=${credFile}`]);
	if (cr.code !== 0) throw new Error(`importing the sandbox credentials failed:\n${(cr.stdout + cr.stderr).slice(-2000)}`);
	info(`Credentials ${h.sandboxCredentialFile(sandbox).map((c) => `"${c.name}"`).join(', ')} imported`);
	const ex = await importExamples(rt, env, userFolder);
	info(ex.imported.length ? `Imported example workflows: ${ex.imported.join(', ')}` : `Example workflows up to date (${ex.total})`);

	const port = await pickPort(opts.port, 'n8n');
	info(`Starting n8n ${rt.version}… (log: ${path.relative(h.ROOT, path.join(userFolder, 'n8n.log'))})`);
	n8n = await h.startN8n(rt, env, {
		port,
		logFile: path.join(userFolder, 'n8n.log'),
		onLine: (line) => {
			if (h.PACKAGE_NAMES.some((p) => line.includes(p)) || /problem activating|Error executing|Unrecognized node type/i.test(line)) {
				process.stderr.write(`[n8n] ${line}\n`);
			}
		},
	});
	n8n.child.on('exit', (code) => {
		if (!stopping) {
			process.stderr.write(`n8n exited unexpectedly (code ${code}); see ${path.join(userFolder, 'n8n.log')}\n`);
			shutdown(1);
		}
	});
	const session = new h.RestSession(n8n.url);
	const { created } = await session.ensureOwner(OWNER).catch((err) => {
		info(`Could not prepare the owner login (${err.message}); the editor will ask you to create one.`);
		return { created: false };
	});

	const c = sandbox.credentials;
	say('');
	say('──────────────────────────────────────────────────────────────────────────');
	say(`  n8n ${rt.version} editor:  ${n8n.url}`);
	say(`  Log in with ${OWNER.email} / ${OWNER.password}${created ? ' (created now)' : ''}`);
	say(`  (if you changed it in n8n, use yours; "npm run dev -- --fresh" starts over)`);
	say('');
	say(`  Sandbox APIs:  UpCloud ${c.upcloud.baseUrl}  ·  Upzelo ${c.upzelo.baseUrl}`);
	say(`  Credentials:   "UpCloud Token (sandbox)", "UpCloud (sandbox)" (Basic) and "Upzelo (sandbox)" are ready to pick`);
	say(`  Examples:      ${ex.total} workflows under Overview (see examples/ for what each does)`);
	say(`  Drive alerts:  curl -X POST ${sandbox.url}/__control/state -H 'Content-Type: application/json' -d '{"credits": 4210}'`);
	say(`  Requests seen: curl ${sandbox.url}/__control/requests`);
	say('');
	say(`  Ready in ${((Date.now() - started) / 1000).toFixed(0)} s. Ctrl-C stops n8n and the sandbox.`);
	say('──────────────────────────────────────────────────────────────────────────');
}

main().catch(async (err) => {
	process.stderr.write(`\nnpm run dev failed: ${err.stack || err}\n`);
	h.stopAllChildren();
	process.exit(1);
});

#!/usr/bin/env node
'use strict';
/**
 * Installs a pinned n8n into the git-ignored cache `.n8n-cache/n8n-<version>/`, the way it is known to work on
 * these machines (see README / running-n8n-here notes):
 *
 *   1. a throw-away package.json with `"overrides": {"xlsx": "npm:xlsx@0.18.5"}` (n8n-nodes-base pulls xlsx from
 *      a CDN tarball that cannot be reached);
 *   2. `npm install --ignore-scripts` (isolated-vm does not compile, and one failed native build rolls back the
 *      whole install);
 *   3. `npm rebuild sqlite3` (n8n's default database needs the native module).
 *
 * n8n 1.123.x runs on the Node that runs this script (Node 20+). n8n 2.x needs Node 24, which is installed from
 * the npm `node` package into `.n8n-cache/node-24/` (its preinstall script is run explicitly, since scripts are
 * ignored), and then used for the n8n install, the sqlite3 rebuild and every later n8n command.
 *
 * Idempotent: an existing install whose `n8n --version` answers the pinned version is reused as is.
 *
 * CLI:   node scripts/install-n8n.js [--n8n 1|2|<version>] [--force] [--check]
 *        (1 = n8n 1.123.81 on the current Node, 2 = n8n 2.40.7 on Node 24; --check only reports whether the target
 *        is installed and working, exit 0/1)
 * API:   const { ensureN8n, ensureN8nRuntime } = require('./scripts/install-n8n');
 *        const bin = await ensureN8n();                         // path of the n8n binary (1.123.81)
 *        const rt = await ensureN8nRuntime({ target: '2' });    // { bin, node, env, version, dir, nodeVersion }
 *        spawn(rt.node, [rt.bin, 'execute', ...], { env: { ...process.env, ...rt.env } })
 */

const fs = require('node:fs');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const CACHE_DIR = path.join(ROOT, '.n8n-cache');

/** Known-good targets. `node: 'current'` means the Node running this script; `'24'` the npm `node@24` package. */
const TARGETS = {
	1: { version: '1.123.81', node: '24', engine: 'legacy' },
	2: { version: '2.40.7', node: '24', engine: 'legacy' },
	// The same install as 1, run with n8n 1.x's default expression engine (`vm`, isolated-vm), as its Docker
	// image does: isolated-vm 6.2.0 ships a prebuild for Node 24 (ABI 137), so nothing compiles.
	'1vm': { version: '1.123.81', node: '24', engine: 'vm' },
};
const DEFAULT_TARGET = '1';
const XLSX_OVERRIDE = 'npm:xlsx@0.18.5';
const NODE24_SPEC = '24';

function resolveTarget(target) {
	const key = String(target ?? process.env.N8N_TARGET ?? DEFAULT_TARGET).replace(/^v/, '');
	if (TARGETS[key]) return { ...TARGETS[key] };
	if (/^\d+\.\d+\.\d+$/.test(key)) {
		// An explicit version: 2.x and later need Node 24 here, 1.x runs on the current Node.
		return { version: key, node: Number(key.split('.')[0]) >= 2 ? '24' : 'current' };
	}
	throw new Error(`Unknown n8n target "${target}": use 1, 2, 1vm or an exact version such as 1.123.81`);
}

function n8nDir(version) {
	return path.join(CACHE_DIR, `n8n-${version}`);
}

function n8nBinPath(version) {
	// The package's own entry point; run it with the right node (`node <bin> ...`) so the shebang does not matter.
	return path.join(n8nDir(version), 'node_modules', 'n8n', 'bin', 'n8n');
}

function node24Dir() {
	return path.join(CACHE_DIR, `node-${NODE24_SPEC}`);
}

function node24Paths() {
	const pkgDir = path.join(node24Dir(), 'node_modules', 'node', 'node_modules', `node-linux-${process.arch}`);
	return { pkgDir, bin: path.join(pkgDir, 'bin', 'node') };
}

/** PATH with the given node binary's folder first, so child processes that spawn `node` get that one. */
function pathWithNodeFirst(nodeBin) {
	return `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH || ''}`;
}

/** Environment for child npm/n8n processes: drop what an outer `npm run` exports, which would leak into them. */
function cleanEnv(extra = {}) {
	const env = { ...process.env };
	for (const key of Object.keys(env)) {
		const k = key.toLowerCase();
		if (
			k.startsWith('npm_package_') ||
			k.startsWith('npm_lifecycle_') ||
			k === 'npm_config_ignore_scripts' ||
			k === 'npm_config_local_prefix' ||
			k === 'npm_config_prefix' ||
			k === 'npm_config_global' ||
			k === 'init_cwd'
		) {
			delete env[key];
		}
	}
	return { ...env, ...extra };
}

function createLogger(quiet) {
	const t0 = Date.now();
	return (msg) => {
		if (quiet) return;
		const s = ((Date.now() - t0) / 1000).toFixed(0).padStart(4);
		process.stderr.write(`[install-n8n ${s}s] ${msg}\n`);
	};
}

/** Runs a command, echoing its output prefixed, with a heartbeat every 20 s so a long npm step does not look stuck. */
function run(cmd, args, { cwd, env, log, label }) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		log(`${label}: ${[path.basename(cmd), ...args].join(' ')}  (in ${path.relative(ROOT, cwd) || '.'})`);
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		const tail = [];
		const onData = (buf) => {
			for (const line of buf.toString().split(/\r?\n/)) {
				if (!line.trim()) continue;
				tail.push(line);
				if (tail.length > 40) tail.shift();
				if (/\b(ERR!|error|added \d+|changed \d+|rebuilt)\b/i.test(line)) log(`  ${line.slice(0, 300)}`);
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		const beat = setInterval(() => {
			log(`  …${label} still running (${Math.round((Date.now() - started) / 1000)} s)`);
		}, 20000);
		child.on('error', (err) => {
			clearInterval(beat);
			reject(err);
		});
		child.on('close', (code) => {
			clearInterval(beat);
			const secs = ((Date.now() - started) / 1000).toFixed(1);
			if (code === 0) {
				log(`${label}: done in ${secs} s`);
				resolve();
			} else {
				reject(new Error(`${label} failed (exit ${code}) after ${secs} s:\n${tail.join('\n')}`));
			}
		});
	});
}

function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

function npmCommand(nodeBin) {
	// Use the npm that ships with the running Node, executed by the chosen node binary.
	const npmCli = path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
	if (fs.existsSync(npmCli)) return { cmd: nodeBin, pre: [npmCli] };
	return { cmd: process.platform === 'win32' ? 'npm.cmd' : 'npm', pre: [] };
}

/** Node 24 from the npm registry (package `node@24`, which brings `node-linux-<arch>`). Returns the binary path. */
async function ensureNode24({ force = false, log = createLogger(false) } = {}) {
	const { bin, pkgDir } = node24Paths();
	if (!force && fs.existsSync(bin)) {
		const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
		if (r.status === 0 && /^v24\./.test(r.stdout.trim())) {
			log(`Node ${r.stdout.trim()} already in ${path.relative(ROOT, node24Dir())}`);
			return bin;
		}
	}
	const dir = node24Dir();
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify({ name: 'n8n-cache-node-24', private: true, dependencies: { node: NODE24_SPEC } }, null, 2),
	);
	const env = cleanEnv();
	const npm = npmCommand(process.execPath);
	await run(npm.cmd, [...npm.pre, 'install', '--ignore-scripts', '--no-audit', '--no-fund'], {
		cwd: dir,
		env,
		log,
		label: 'npm install node@24',
	});
	// Scripts were ignored, so run the `node` package's preinstall (it installs the platform package) ourselves.
	const nodePkgDir = path.join(dir, 'node_modules', 'node');
	const nodePkg = readJson(path.join(nodePkgDir, 'package.json')) || {};
	const pre = nodePkg.scripts && nodePkg.scripts.preinstall;
	if (pre) {
		await run('/bin/sh', ['-c', pre], {
			cwd: nodePkgDir,
			env: { ...env, npm_config_ignore_scripts: 'true' },
			log,
			label: 'node@24 preinstall',
		});
	}
	if (!fs.existsSync(bin)) throw new Error(`Node 24 binary not found at ${bin} (package dir ${pkgDir})`);
	const v = spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim();
	log(`Node ${v} ready: ${path.relative(ROOT, bin)}`);
	return bin;
}

function checkN8n(nodeBin, version, env) {
	const bin = n8nBinPath(version);
	if (!fs.existsSync(bin)) return { ok: false, reason: 'not installed' };
	const marker = readJson(path.join(n8nDir(version), '.install-ok.json'));
	if (!marker || marker.version !== version) return { ok: false, reason: 'previous install did not finish' };
	const r = spawnSync(nodeBin, [bin, '--version'], { encoding: 'utf8', env, timeout: 60000 });
	const out = `${r.stdout || ''}`.trim().split(/\r?\n/).pop();
	if (r.status !== 0 || out !== version) {
		return { ok: false, reason: `n8n --version answered ${JSON.stringify(out)} (exit ${r.status})` };
	}
	return { ok: true };
}

function dirSizeBytes(dir) {
	const r = spawnSync('du', ['-sk', dir], { encoding: 'utf8' });
	return r.status === 0 ? Number(r.stdout.split(/\s+/)[0]) * 1024 : undefined;
}

/**
 * Makes sure the target n8n is installed and working. Resolves to
 * `{ version, dir, bin, node, nodeVersion, env }`: run n8n as `spawn(node, [bin, ...args], { env: {...process.env, ...env} })`.
 */
async function ensureN8nRuntime({ target, version, force = false, quiet = false, log } = {}) {
	log = log || createLogger(quiet);
	const t = version ? resolveTarget(version) : resolveTarget(target);
	let nodeBin = process.execPath;
	const envExtra = {};
	if (t.node === '24') {
		nodeBin = await ensureNode24({ log });
		const { pkgDir } = node24Paths();
		// Node 24 first on PATH (npm lifecycle scripts and n8n child processes spawn `node`), and its headers for
		// native rebuilds (~/.npmrc may point nodedir at Node 20's headers).
		envExtra.PATH = pathWithNodeFirst(nodeBin);
		envExtra.npm_config_nodedir = pkgDir;
	} else if (Number(process.versions.node.split('.')[0]) < 20) {
		throw new Error(`n8n ${t.version} needs Node 20 or newer; this is Node ${process.versions.node}`);
	}
	const env = cleanEnv(envExtra);
	const dir = n8nDir(t.version);
	const nodeVersion = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
	const result = () => ({ version: t.version, engine: t.engine ?? 'legacy', dir, bin: n8nBinPath(t.version), node: nodeBin, nodeVersion, env: envExtra });

	if (!force) {
		const check = checkN8n(nodeBin, t.version, env);
		if (check.ok) {
			log(`n8n ${t.version} already installed in ${path.relative(ROOT, dir)} (Node ${nodeVersion})`);
			return result();
		}
		if (fs.existsSync(dir)) log(`Existing ${path.relative(ROOT, dir)} is not usable (${check.reason}); reinstalling`);
	}

	const unlock = await acquireLock(`${dir}.lock`, log);
	try {
		// Another process may have finished the same install while we waited for the lock.
		if (!force && checkN8n(nodeBin, t.version, env).ok) {
			log(`n8n ${t.version} was installed by another process meanwhile`);
			return result();
		}
		await install(t, dir, nodeBin, nodeVersion, env, log);
	} finally {
		unlock();
	}
	return result();
}

/** One installer per target at a time (e.g. `npm run dev` and `npm run test:e2e` started together). */
async function acquireLock(file, log) {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	let waited = false;
	for (;;) {
		try {
			fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
			return () => fs.rmSync(file, { force: true });
		} catch (err) {
			if (err.code !== 'EEXIST') throw err;
			const pid = Number(fs.readFileSync(file, 'utf8'));
			let alive = false;
			try {
				process.kill(pid, 0);
				alive = pid > 0;
			} catch {
				alive = false;
			}
			if (!alive) {
				fs.rmSync(file, { force: true });
				continue;
			}
			if (!waited) log(`Another installer (pid ${pid}) is installing this n8n; waiting for it…`);
			waited = true;
			await new Promise((r) => setTimeout(r, 2000));
		}
	}
}

async function install(t, dir, nodeBin, nodeVersion, env, log) {
	log(
		`Installing n8n ${t.version} for Node ${nodeVersion} into ${path.relative(ROOT, dir)}. ` +
			'This takes a few minutes (≈2 GB download) and happens only once.',
	);
	const started = Date.now();
	fs.mkdirSync(dir, { recursive: true });
	fs.rmSync(path.join(dir, '.install-ok.json'), { force: true });
	fs.writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify(
			{
				name: `n8n-cache-${t.version.replace(/\./g, '-')}`,
				private: true,
				description: 'Local n8n for development and end-to-end tests (generated by scripts/install-n8n.js)',
				dependencies: { n8n: t.version },
				overrides: { xlsx: XLSX_OVERRIDE },
			},
			null,
			2,
		) + '\n',
	);
	const npm = npmCommand(nodeBin);
	await run(
		npm.cmd,
		[...npm.pre, 'install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=warn'],
		{ cwd: dir, env, log, label: `npm install n8n@${t.version}` },
	);
	await run(npm.cmd, [...npm.pre, 'rebuild', 'sqlite3', '--ignore-scripts=false', '--foreground-scripts'], {
		cwd: dir,
		env,
		log,
		label: 'npm rebuild sqlite3',
	});
	// The marker says "this install finished"; a run interrupted earlier has none and is redone.
	fs.writeFileSync(
		path.join(dir, '.install-ok.json'),
		JSON.stringify({ version: t.version, node: nodeVersion, installedAt: new Date().toISOString() }, null, 2),
	);
	const final = checkN8n(nodeBin, t.version, env);
	if (!final.ok) {
		fs.rmSync(path.join(dir, '.install-ok.json'), { force: true });
		throw new Error(`n8n ${t.version} installed but does not run: ${final.reason}`);
	}
	const secs = ((Date.now() - started) / 1000).toFixed(0);
	const size = dirSizeBytes(dir);
	log(
		`n8n ${t.version} ready in ${secs} s` +
			(size ? `, ${(size / 1024 ** 3).toFixed(2)} GB on disk` : '') +
			`: ${path.relative(ROOT, n8nBinPath(t.version))}`,
	);
}

/** Path of the n8n binary for the target (installing it first if needed). */
async function ensureN8n(options = {}) {
	return (await ensureN8nRuntime(options)).bin;
}

module.exports = {
	TARGETS,
	DEFAULT_TARGET,
	CACHE_DIR,
	resolveTarget,
	n8nDir,
	n8nBinPath,
	node24Paths,
	ensureNode24,
	ensureN8n,
	ensureN8nRuntime,
	cleanEnv,
	npmCommand,
};

if (require.main === module) {
	// Required here, not at the top: cli-options reads TARGETS from this module.
	const { parseOptions } = require('./lib/cli-options');
	const given = parseOptions(
		process.argv.slice(2),
		{ '--n8n': 'value', '--target': '--n8n', '--force': 'flag', '--check': 'flag' },
		__filename,
	);
	const target = given['--n8n'];
	if (given['--check']) {
		const t = resolveTarget(target);
		const nodeBin = t.node === '24' ? node24Paths().bin : process.execPath;
		const env = t.node === '24' ? cleanEnv({ PATH: pathWithNodeFirst(nodeBin) }) : cleanEnv();
		const r = fs.existsSync(nodeBin) ? checkN8n(nodeBin, t.version, env) : { ok: false, reason: 'no Node 24' };
		process.stdout.write(r.ok ? `n8n ${t.version}: ok\n` : `n8n ${t.version}: ${r.reason}\n`);
		process.exit(r.ok ? 0 : 1);
	}
	ensureN8nRuntime({ target, force: Boolean(given['--force']) })
		.then((rt) => {
			process.stdout.write(`${JSON.stringify({ version: rt.version, bin: rt.bin, node: rt.node, nodeVersion: rt.nodeVersion }, null, 2)}\n`);
		})
		.catch((err) => {
			process.stderr.write(`${err.stack || err}\n`);
			process.exit(1);
		});
}

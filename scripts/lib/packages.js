'use strict';
/**
 * Our packages inside an n8n: build them (`npm run build`) and install the tarballs `npm run pack` makes into an n8n
 * user folder the way users install community nodes (`$N8N_USER_FOLDER/.n8n/nodes`,
 * `npm install --ignore-scripts --omit=peer <tarball>...`), so node types are `<package>.<node>` exactly as in
 * users' workflows. Which packages there are, and their nodes, is scripts/lib/registry.js.
 */

const fs = require('node:fs');
const path = require('node:path');

const { ROOT, cleanEnv, npmCommand, runCommand } = require('./process');

/** `npm run build` of this package (tsc + icons into dist/). */
async function buildPackage({ log = () => {} } = {}) {
	const npm = npmCommand(process.execPath);
	log('Building the package (npm run build)…');
	const r = await runCommand(npm.cmd, [...npm.pre, 'run', 'build'], { cwd: ROOT, env: cleanEnv(), timeoutMs: 300000 });
	if (r.code !== 0) throw new Error(`npm run build failed (exit ${r.code}):\n${(r.stdout + r.stderr).slice(-4000)}`);
	log(`Built in ${(r.ms / 1000).toFixed(1)} s`);
	return r;
}

/**
 * Installs tarballs the way users install community packages by hand:
 * `cd $N8N_USER_FOLDER/.n8n/nodes && npm install --ignore-scripts --omit=peer <tarball>...`. Resolves the
 * installed package folders.
 */
async function installPackages({ userFolder, tarballs, n8nDir, log = () => {} }) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const manifest = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(manifest)) {
		fs.writeFileSync(manifest, `${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2)}\n`);
	}
	const npm = npmCommand(process.execPath);
	const base = [...npm.pre, 'install', '--ignore-scripts', '--omit=peer', '--no-audit', '--no-fund', '--loglevel=error'];
	// The packages have no dependencies, so nothing needs the registry: try offline first (2 s instead of 7 s).
	let r = await runCommand(npm.cmd, [...base, '--offline', ...tarballs], { cwd: nodesDir, env: cleanEnv(), timeoutMs: 120000 });
	if (r.code !== 0) r = await runCommand(npm.cmd, [...base, ...tarballs], { cwd: nodesDir, env: cleanEnv(), timeoutMs: 300000 });
	if (r.code !== 0) throw new Error(`npm install of ${tarballs.map((t) => path.basename(t)).join(', ')} failed:\n${r.stderr.slice(-3000)}`);
	const names = tarballs.map((t) => path.basename(t).replace(/-\d+\.\d+\.\d+.*\.tgz$/, ''));
	log(`Installed ${names.join(' and ')} into ${path.relative(ROOT, nodesDir) || nodesDir}`);
	if (n8nDir) linkN8nWorkflow(nodesDir, n8nDir, log);
	return names.map((name) => path.join(nodesDir, 'node_modules', name));
}

/**
 * n8n strips a community package's peer dependencies and lets `require('n8n-workflow')` fall through to its own
 * copy (it adds its module paths to NODE_PATH). NODE_PATH is only the last resort, though: a user folder inside
 * this project would find the project's dev dependency first (node_modules/n8n-workflow up the tree), a second
 * copy whose error classes fail n8n's `instanceof` checks. When that shadowing exists, a link
 * `.n8n/nodes/node_modules/n8n-workflow` → n8n's own copy restores what users get.
 */
function linkN8nWorkflow(nodesDir, n8nDir, log = () => {}) {
	const own = path.join(n8nDir, 'node_modules', 'n8n-workflow');
	const link = path.join(nodesDir, 'node_modules', 'n8n-workflow');
	let shadow;
	for (let dir = path.dirname(nodesDir); ; dir = path.dirname(dir)) {
		const candidate = path.join(dir, 'node_modules', 'n8n-workflow');
		if (fs.existsSync(candidate)) {
			shadow = candidate;
			break;
		}
		if (path.dirname(dir) === dir) break;
	}
	if (!shadow || !fs.existsSync(own)) return false;
	fs.rmSync(link, { recursive: true, force: true });
	fs.symlinkSync(own, link, 'dir');
	log(`Linked n8n-workflow to n8n's own copy (the project's ${path.relative(ROOT, shadow)} would shadow it)`);
	return true;
}

module.exports = { buildPackage, installPackages, linkN8nWorkflow };

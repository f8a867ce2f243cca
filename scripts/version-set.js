#!/usr/bin/env node
'use strict';
/**
 * `npm run version:set -- 0.2.0`: sets one version in package.json, package-lock.json and every
 * packages/<name>/package.json (the two published manifests), which .github/workflows/publish.yml requires to equal
 * the pushed tag `v<version>`. Changes nothing else; prints the commands that release it.
 *
 * API: const { setVersion } = require('./scripts/version-set');  setVersion('0.2.0', { root })  → changed files
 */

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
// A release version, MAJOR.MINOR.PATCH: publish.yml publishes to the `latest` dist-tag, which a pre-release must
// never take, so pre-releases are refused here and in scripts/publish.js.
const RELEASE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

function setVersion(version, { root = ROOT } = {}) {
	if (!RELEASE.test(version)) throw new Error(`"${version}" is not a release version like 0.2.0`);
	const packagesDir = path.join(root, 'packages');
	const files = [
		'package.json',
		'package-lock.json',
		...fs
			.readdirSync(packagesDir)
			.filter((dir) => fs.existsSync(path.join(packagesDir, dir, 'package.json')))
			.sort()
			.map((dir) => path.join('packages', dir, 'package.json')),
	];
	for (const file of files) {
		const full = path.join(root, file);
		const json = JSON.parse(fs.readFileSync(full, 'utf8'));
		json.version = version;
		// The lockfile repeats the root package's version.
		if (file === 'package-lock.json' && json.packages?.['']) json.packages[''].version = version;
		fs.writeFileSync(full, `${JSON.stringify(json, null, 2)}\n`);
	}
	return files;
}

module.exports = { setVersion, RELEASE };

if (require.main === module) {
	const version = process.argv[2];
	try {
		if (!version || process.argv.length > 3) throw new Error('usage: npm run version:set -- <version>');
		for (const file of setVersion(version)) process.stdout.write(`${file}: ${version}\n`);
		process.stdout.write(
			`\nNext: git commit -am "Release ${version}" && git tag v${version} && git push origin HEAD v${version}\n`,
		);
	} catch (err) {
		process.stderr.write(`[version:set] ${err.message}\n`);
		process.exit(1);
	}
}

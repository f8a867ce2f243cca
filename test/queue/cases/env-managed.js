'use strict';
/**
 * The env-managed community-package install of n8n 2.x (`N8N_COMMUNITY_PACKAGES_MANAGED_BY_ENV=true` plus
 * `N8N_COMMUNITY_PACKAGES='[{"name": "...", "version": "..."}]'`), tried on this cluster's main before the real main
 * starts, from a user folder with nothing installed. What n8n 2.40.7 does (dist/instance-settings-loader/loaders/
 * community-packages.instance-settings-loader.js and modules/community-packages/community-packages.service.js):
 *
 *   - only `n8n start` (main) reconciles; it installs what is missing with `npm pack <name>@<version>
 *     --registry=<registry>` after a registry lookup of that version, then tells the workers over Redis to install the
 *     same from the same registry. A name must be an npm package name (`n8n-nodes-…`); a path or tarball is refused.
 *   - the registry is registry.npmjs.org unless N8N_COMMUNITY_PACKAGES_REGISTRY says otherwise, and any other
 *     registry needs a license with the custom-registry feature (`getNpmRegistry` throws FeatureNotLicensedError).
 *
 * So packages that are not published cannot be installed this way without an enterprise license. The suite proves
 * both halves: against npmjs.org our (unpublished) names fail with the registry's answer, and a local registry that
 * serves our tarballs correctly is refused for the license, without a single request reaching it. n8n keeps
 * running either way; installing by hand on every instance (the rest of this suite) is what works.
 */

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const { freePort, startProcess } = require('../../../scripts/lib/process');

/** A minimal npm registry serving the packed tarballs (packument, version manifest, tarball), counting requests. */
function startLocalRegistry(packages) {
	const seen = [];
	const server = http.createServer((req, res) => {
		seen.push(`${req.method} ${req.url}`);
		const url = `http://127.0.0.1:${server.address().port}`;
		const manifest = (p) => {
			const data = fs.readFileSync(p.tarball);
			return {
				name: p.name,
				version: p.version,
				dist: {
					tarball: `${url}/${p.name}/-/${path.basename(p.tarball)}`,
					shasum: crypto.createHash('sha1').update(data).digest('hex'),
					integrity: `sha512-${crypto.createHash('sha512').update(data).digest('base64')}`,
				},
			};
		};
		const parts = decodeURIComponent(req.url.split('?')[0]).split('/').filter(Boolean);
		const p = packages.find((x) => x.name === parts[0]);
		if (!p) return res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
		if (parts[1] === '-') return res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(fs.readFileSync(p.tarball));
		const body = parts[1] ? manifest(p) : { name: p.name, 'dist-tags': { latest: p.version }, versions: { [p.version]: manifest(p) } };
		return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
	});
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () =>
			resolve({ url: `http://127.0.0.1:${server.address().port}`, seen, close: () => new Promise((r) => server.close(r)) }),
		);
	});
}

/** Starts a main with the env-managed install, waits for its verdict on every package, stops it. */
async function probe(ctx, { label, registry }) {
	const { cluster, rt, packages } = ctx;
	const folder = path.join(cluster.root, `env-managed-${label}`);
	fs.rmSync(folder, { recursive: true, force: true });
	fs.mkdirSync(folder, { recursive: true });
	const wanted = packages.map((p) => ({ name: p.name, version: p.version }));
	const env = cluster.env('main', {
		N8N_USER_FOLDER: folder,
		N8N_PORT: String(await freePort()),
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_COMMUNITY_PACKAGES_MANAGED_BY_ENV: 'true',
		N8N_COMMUNITY_PACKAGES: JSON.stringify(wanted),
		...(registry ? { N8N_COMMUNITY_PACKAGES_REGISTRY: registry } : {}),
	});
	const proc = startProcess(rt.node, [rt.bin, 'start'], { cwd: folder, env, logFile: path.join(cluster.root, `env-managed-${label}.log`) });
	try {
		await proc.waitForLine(/reconciling installed community packages from env vars/, { timeoutMs: 120000 });
		const verdicts = {};
		for (const p of wanted) {
			const line = await proc.waitForLine(new RegExp(`(Installed|Failed to install) community package '${p.name}@`), { timeoutMs: 120000 });
			verdicts[p.name] = line.replace(/^.*?((Installed|Failed to install) community package)/, '$1').trim();
		}
		return verdicts;
	} finally {
		await proc.stop();
	}
}

async function envManagedPhase(ctx) {
	const { t, record, rt } = ctx;
	await t(`env-managed install (${rt.version}): from registry.npmjs.org our unpublished packages fail with the registry's answer`, async () => {
		const verdicts = await probe(ctx, { label: 'npmjs' });
		record('envManaged.npmjs', verdicts);
		for (const [name, v] of Object.entries(verdicts)) {
			assert.match(v, /^Failed to install/, `${name}: ${v}`);
			assert.match(v, /does not exist|not found|404/i, `${name} fails on the registry lookup: ${v}`);
		}
	});
	await t(`env-managed install (${rt.version}): a local registry serving our tarballs is refused without a license, and never asked`, async () => {
		const registry = await startLocalRegistry(ctx.packages);
		try {
			const verdicts = await probe(ctx, { label: 'local-registry', registry: registry.url });
			record('envManaged.localRegistry', { verdicts, requestsToLocalRegistry: registry.seen.length });
			for (const [name, v] of Object.entries(verdicts)) assert.match(v, /license does not allow/i, `${name}: ${v}`);
			assert.deepEqual(registry.seen, [], 'n8n sent nothing to the local registry');
		} finally {
			await registry.close();
		}
	});
}

module.exports = { envManagedPhase, startLocalRegistry };

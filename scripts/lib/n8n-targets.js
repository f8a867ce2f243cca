'use strict';
/**
 * The n8n versions the project runs, and where each one's committed lock lives.
 *
 * Every install is `npm ci` from a lock under test/n8n/ (never resolved from version ranges at install time):
 *   test/n8n/<n8n version>/package.json + package-lock.json   one n8n, with its overrides
 *   test/n8n/node-24/package.json + package-lock.json         the Node 24 runtime (node-linux-<arch> from npm)
 * They are test fixtures: nothing under test/ goes into a published tarball. `npm run n8n:lock` regenerates them.
 */

const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const LOCKS_DIR = path.join(ROOT, 'test', 'n8n');
const RUNTIME_LOCK = 'node-24';

/** Known-good targets; every one runs on the Node 24 runtime of test/n8n/node-24 (installed before any n8n). */
const TARGETS = {
	1: { version: '1.123.81', engine: 'legacy' },
	// 2.41.3 (the registry's latest 2.x) cannot install: @n8n/agents@0.26.2 is missing from the registry.
	2: { version: '2.41.1', engine: 'legacy' },
	// The same install as 1, run with n8n 1.x's default expression engine (`vm`, isolated-vm), as its Docker
	// image does: isolated-vm 6.2.0 ships a prebuild for Node 24 (ABI 137), so nothing compiles.
	'1vm': { version: '1.123.81', engine: 'vm' },
};
const DEFAULT_TARGET = '1';

function resolveTarget(target) {
	const key = String(target ?? process.env.N8N_TARGET ?? DEFAULT_TARGET).replace(/^v/, '');
	if (TARGETS[key]) return { ...TARGETS[key] };
	// An explicit version runs only where a lock for it is committed (see `npm run n8n:lock`).
	if (/^\d+\.\d+\.\d+$/.test(key)) return { version: key, engine: 'legacy' };
	throw new Error(`Unknown n8n target "${target}": use 1, 2, 1vm or an exact version such as 1.123.81`);
}

/** Folder of a committed lock: an n8n version, or RUNTIME_LOCK. */
function lockDir(name) {
	return path.join(LOCKS_DIR, name);
}

module.exports = { ROOT, LOCKS_DIR, RUNTIME_LOCK, TARGETS, DEFAULT_TARGET, resolveTarget, lockDir };

'use strict';
/**
 * The local sandbox of both APIs as the scripts use it: in a process of its own, started through its command line,
 * `node test/sandbox/server.js --port <port> --json` (the same entry as `npm run sandbox`). scripts/ never
 * `require`s anything under test/: the sandbox is a test fixture, and this file only knows its command line and
 * the one JSON line it prints when it listens (`{ url, upcloudUrl, upzeloUrl, controlUrl, credentials }`).
 *
 * Also the sandbox credentials as n8n imports them (`npm run dev`, the suites and bench use the same ids).
 */

const path = require('node:path');

const { ROOT, cleanEnv, startProcess } = require('./process');
const { credentialNamed } = require('./registry');

const SANDBOX_ENTRY = path.join(ROOT, 'test', 'sandbox', 'server.js');

/** Credential ids the example workflows refer to; `npm run dev` and the e2e import them with sandbox values. */
const SANDBOX_CREDENTIALS = {
	upcloud: { id: 'upcloudSandbox', name: 'UpCloud (sandbox)', type: credentialNamed('upCloudApi').name },
	upcloudToken: { id: 'upcloudTokenSbx', name: 'UpCloud Token (sandbox)', type: credentialNamed('upCloudTokenApi').name },
	upzelo: { id: 'upzeloSandbox', name: 'Upzelo (sandbox)', type: credentialNamed('upzeloApi').name },
};

/** The sandbox credentials as `n8n import:credentials` takes them: UpCloud with Basic and with a token, Upzelo. */
function sandboxCredentialFile(sandbox) {
	const c = sandbox.credentials;
	return Object.entries(SANDBOX_CREDENTIALS).map(([key, credential]) => ({ ...credential, data: { ...c[key] } }));
}

/**
 * Starts the sandbox in a child process (its own process group, stopped when this process exits) and resolves
 * once it listens: `{ url, upcloudUrl, upzeloUrl, controlUrl, credentials, child, close() }`. `args` are more of
 * its options (`--customers 10000`, `--now <ISO>`; see `npm run sandbox -- --help`).
 */
async function startSandboxProcess({ port = 0, args = [], logFile, timeoutMs = 60000 } = {}) {
	const proc = startProcess(process.execPath, [SANDBOX_ENTRY, '--port', String(port), '--json', ...args], { cwd: ROOT, env: cleanEnv(), logFile });
	let line;
	try {
		line = await proc.waitForLine(/^\{"url":/, { timeoutMs });
	} catch (err) {
		await proc.stop(2000);
		throw err;
	}
	return { ...JSON.parse(line), child: proc.child, pid: proc.pid, close: () => proc.stop(5000) };
}

module.exports = { SANDBOX_ENTRY, SANDBOX_CREDENTIALS, sandboxCredentialFile, startSandboxProcess };

'use strict';
/**
 * Driving a real n8n (an installed runtime `rt` from scripts/install-n8n.js): its environment, its CLI
 * (`import:credentials`, `import:workflow`, `execute`), `n8n start` and `n8n worker`, and its REST API (owner
 * setup, manual runs, executions) with a cookie session. Shared by `npm run dev`, the e2e/ui/agent/queue suites
 * and `npm run bench`.
 */

const path = require('node:path');

const { cleanEnv, runCommand, startProcess, freePort } = require('./process');

/** Environment for n8n commands: the runtime's PATH/nodedir, a private user folder and headless settings. */
function n8nEnv(rt, userFolder, extra = {}) {
	return cleanEnv({
		...rt.env,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: extra.N8N_ENCRYPTION_KEY || 'n8n-nodes-upcloud-upzelo-local-key',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		// The legacy engine unless the target runs n8n 1.x's default (`vm`, isolated-vm): then n8n picks it itself.
		...(rt.engine === 'vm' ? {} : { N8N_EXPRESSION_ENGINE: 'legacy' }),
		// 1.x: no task runners (the Code node runs in-process); 2.x always runs them and warns about the variable.
		...(rt.version.startsWith('1.') ? { N8N_RUNNERS_ENABLED: 'false' } : {}),
		N8N_LOG_LEVEL: 'info',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_SECURE_COOKIE: 'false',
		DB_SQLITE_POOL_SIZE: '2',
		N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
		N8N_GIT_NODE_DISABLE_BARE_REPOS: 'true',
		...extra,
	});
}

/** Runs `n8n <args>` with the runtime's node binary. */
function n8nCli(rt, env, args, opts = {}) {
	return runCommand(rt.node, [rt.bin, ...args], { cwd: opts.cwd || env.N8N_USER_FOLDER, env, timeoutMs: opts.timeoutMs ?? 180000 });
}

/**
 * The run JSON that `n8n execute --rawOutput` prints. 2.x writes a few log lines first, and a failed run prints
 * it through the logger after "Execution was NOT successful": take the first line that is exactly `{` (the
 * pretty-printed object), falling back to the first `{`, up to the matching last `}`.
 */
function parseRunJson(text) {
	const lineStart = text.search(/^\{\s*$/m);
	const start = lineStart >= 0 ? lineStart : text.indexOf('{');
	if (start < 0) return undefined;
	// Log lines may follow the object: try the last few closing braces only (each try parses up to megabytes).
	let end = text.lastIndexOf('}');
	for (let tries = 0; end > start && tries < 20; tries++) {
		try {
			return JSON.parse(text.slice(start, end + 1));
		} catch {
			end = text.lastIndexOf('}', end - 1);
		}
	}
	return undefined;
}

/**
 * Starts `n8n start` and waits until its REST API answers. Resolves `{ child, url, port, output(), stop() }`
 * (and the rest of `startProcess`'s handle). Output goes to `logFile` (and to `onLine`, line by line);
 * `onSpawn(handle)` is called as soon as the process exists, before it is ready.
 */
async function startN8n(rt, env, options = {}) {
	try {
		return await startN8nOnce(rt, env, options);
	} catch (err) {
		// n8n 1.x swallows the error of loading its command module and says only 'Command "start" not found' (seen
		// once in CI on a fresh machine, never reproduced): load the module the same way to show why, then retry once.
		if (!/Command "start" not found/.test(err.message)) throw err;
		const why = await commandLoadError(rt, env, 'start');
		process.stderr.write(`n8n could not load its start command; loading it directly says:\n${why}\nRetrying once.\n`);
		try {
			return await startN8nOnce(rt, env, options);
		} catch (again) {
			again.message += `\nLoading n8n's start command directly: ${why}`;
			throw again;
		}
	}
}

/** What `require`-ing n8n's command module prints (as n8n's CommandRegistry loads it), for a diagnosis. */
async function commandLoadError(rt, env, command) {
	const dist = path.join(rt.dir, 'node_modules', 'n8n', 'dist');
	const script = `require(require.resolve('reflect-metadata', { paths: [${JSON.stringify(dist)}] })); require(${JSON.stringify(path.join(dist, 'zod-alias-support'))}); require(${JSON.stringify(path.join(dist, 'commands', `${command}.js`))}); console.log('loads fine now');`;
	const r = await runCommand(rt.node, ['-e', script], { cwd: env.N8N_USER_FOLDER, env, timeoutMs: 60000 });
	return `${r.stdout}\n${r.stderr}`.trim().slice(-3000);
}

async function startN8nOnce(rt, env, { port, logFile, onLine, onSpawn, readyTimeoutMs = 180000 } = {}) {
	port = port || (await freePort());
	const url = `http://127.0.0.1:${port}`;
	const childEnv = { ...env, N8N_PORT: String(port), N8N_HOST: '127.0.0.1', N8N_EDITOR_BASE_URL: `${url}/` };
	const proc = startProcess(rt.node, [rt.bin, 'start'], { cwd: env.N8N_USER_FOLDER, env: childEnv, logFile, onLine });
	onSpawn?.(proc);
	const handle = { ...proc, url, port, stop: () => proc.stop() };
	const started = Date.now();
	for (;;) {
		if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
			throw new Error(`n8n exited during startup (code ${proc.child.exitCode}):\n${proc.lines.slice(-40).join('\n')}`);
		}
		if (Date.now() - started > readyTimeoutMs) {
			await handle.stop();
			throw new Error(`n8n did not become ready within ${readyTimeoutMs / 1000} s:\n${proc.lines.slice(-40).join('\n')}`);
		}
		try {
			// /healthz answers before the REST routes are mounted; /rest/settings answers JSON only once they are.
			const res = await fetch(`${url}/rest/settings`, { signal: AbortSignal.timeout(2000) });
			if (res.ok && (res.headers.get('content-type') || '').includes('json')) break;
		} catch {
			/* not listening yet */
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	handle.readyMs = Date.now() - started;
	return handle;
}

/**
 * Starts `n8n worker --concurrency=<n>` (queue mode) and waits until it logs "n8n worker is now ready".
 * Resolves `startProcess`'s handle plus `readyMs`; `onSpawn(handle)` as for startN8n.
 */
async function startN8nWorker(rt, env, { concurrency = 5, logFile, onLine, onSpawn, readyTimeoutMs = 180000 } = {}) {
	const started = Date.now();
	const proc = startProcess(rt.node, [rt.bin, 'worker', `--concurrency=${concurrency}`], { cwd: env.N8N_USER_FOLDER, env, logFile, onLine });
	onSpawn?.(proc);
	try {
		await proc.waitForLine(/n8n worker is now ready/, { timeoutMs: readyTimeoutMs });
	} catch (err) {
		await proc.stop();
		throw err;
	}
	return { ...proc, readyMs: Date.now() - started };
}

/**
 * A logged-in session against n8n's internal REST API (what the editor uses). n8n binds the auth cookie to a
 * `browser-id` header, so every request sends the same one.
 */
class RestSession {
	constructor(url) {
		this.url = url;
		this.cookie = '';
		this.browserId = `upcloud-upzelo-${process.pid}`;
	}

	async request(method, route, body) {
		const res = await fetch(`${this.url}${route}`, {
			method,
			headers: {
				'browser-id': this.browserId,
				...(this.cookie ? { cookie: this.cookie } : {}),
				...(body !== undefined ? { 'content-type': 'application/json' } : {}),
			},
			body: body !== undefined ? JSON.stringify(body) : undefined,
			signal: AbortSignal.timeout(60000),
		});
		const setCookies = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [];
		const auth = setCookies.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth;
		const text = await res.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: res.status, json, text };
	}

	async get(route) {
		return this.request('GET', route);
	}

	async post(route, body) {
		return this.request('POST', route, body ?? {});
	}

	/** Activates a workflow (with its current versionId, as the editor does) or deactivates it; any answer but 200 throws. */
	async setActive(id, active) {
		if (active) {
			const wf = await this.get(`/rest/workflows/${id}`);
			const r = await this.post(`/rest/workflows/${id}/activate`, { versionId: wf.json.data.versionId });
			if (r.status !== 200) throw new Error(`activate ${id}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
		} else {
			const r = await this.post(`/rest/workflows/${id}/deactivate`, {});
			if (r.status !== 200) throw new Error(`deactivate ${id}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
		}
	}

	/** Whether n8n still shows "set up owner account" (no owner yet). */
	async needsOwnerSetup() {
		const r = await this.get('/rest/settings');
		return r.json?.data?.userManagement?.showSetupOnFirstLoad === true;
	}

	/** Creates the instance owner when there is none, then logs in. */
	async ensureOwner({ email, password, firstName = 'Local', lastName = 'Developer' }) {
		let created = false;
		if (await this.needsOwnerSetup()) {
			const r = await this.post('/rest/owner/setup', { email, password, firstName, lastName });
			if (r.status !== 200) throw new Error(`owner setup failed: HTTP ${r.status} ${r.text.slice(0, 300)}`);
			created = true;
		}
		const login = await this.post('/rest/login', { emailOrLdapLoginId: email, email, password });
		if (login.status !== 200) throw new Error(`login failed: HTTP ${login.status} ${login.text.slice(0, 300)}`);
		return { created };
	}
}

/** `execute --id` output and exit status, with the parsed run. */
async function executeWorkflow(rt, env, id, opts = {}) {
	const r = await n8nCli(rt, env, ['execute', `--id=${id}`, '--rawOutput'], opts);
	const text = `${r.stdout}\n${r.stderr}`;
	return { ...r, run: parseRunJson(r.stdout) ?? parseRunJson(text), text };
}

module.exports = {
	n8nEnv,
	n8nCli,
	parseRunJson,
	executeWorkflow,
	startN8n,
	commandLoadError,
	startN8nWorker,
	RestSession,
};

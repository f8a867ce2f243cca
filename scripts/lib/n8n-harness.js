'use strict';
/**
 * Running this package inside a real n8n, shared by `npm run dev`, `npm run test:e2e` and `npm run bench`:
 *
 *   - install the tarballs `npm run pack` makes into an n8n user folder the way users install community nodes
 *     (`$N8N_USER_FOLDER/.n8n/nodes`, `npm install --ignore-scripts --omit=peer <tarball>...`), so node types
 *     are `n8n-nodes-upcloud.<node>` and `n8n-nodes-upzelo.<node>` exactly as in users' workflows;
 *   - run n8n CLI commands (`import:credentials`, `import:workflow`, `execute`) and `n8n start`;
 *   - talk to a running n8n's REST API (owner setup, manual runs, executions) with a cookie session.
 *
 * Every child process is started in its own process group and stopped by its id (never by name).
 */

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');

const { cleanEnv, npmCommand } = require('../install-n8n');

const ROOT = path.resolve(__dirname, '..', '..');

/** The published packages and the nodes each ships (node name → package), as users' workflows name them. */
const PACKAGE_NAMES = ['n8n-nodes-upcloud', 'n8n-nodes-upzelo'];
const PACKAGE_OF = { upCloud: 'n8n-nodes-upcloud', upCloudUsageTrigger: 'n8n-nodes-upcloud', upCloudTrigger: 'n8n-nodes-upcloud', upzelo: 'n8n-nodes-upzelo' };

/** `upCloud` → `n8n-nodes-upcloud.upCloud`; `upCloudTool` is n8n's tool variant of the same package's node. */
function fullType(name) {
	const pkg = PACKAGE_OF[name] ?? PACKAGE_OF[name.replace(/Tool$/, '')];
	if (!pkg) throw new Error(`no package of ours ships a node named ${name}`);
	return `${pkg}.${name}`;
}

/** Whether a full node type (`n8n-nodes-upzelo.upzelo`) is one of ours. */
function isOurType(type) {
	return PACKAGE_NAMES.some((pkg) => type.startsWith(`${pkg}.`));
}

/** Credential ids the example workflows refer to; `npm run dev` and the e2e import them with sandbox values. */
const SANDBOX_CREDENTIALS = {
	upcloud: { id: 'upcloudSandbox', name: 'UpCloud (sandbox)', type: 'upCloudApi' },
	upcloudToken: { id: 'upcloudTokenSbx', name: 'UpCloud Token (sandbox)', type: 'upCloudTokenApi' },
	upzelo: { id: 'upzeloSandbox', name: 'Upzelo (sandbox)', type: 'upzeloApi' },
};

/** The sandbox credentials as `n8n import:credentials` takes them: UpCloud with Basic and with a token, Upzelo. */
function sandboxCredentialFile(sandbox) {
	const c = sandbox.credentials;
	return [
		{ ...SANDBOX_CREDENTIALS.upcloud, data: { ...c.upcloud } },
		{ ...SANDBOX_CREDENTIALS.upcloudToken, data: { ...c.upcloudToken } },
		{ ...SANDBOX_CREDENTIALS.upzelo, data: { ...c.upzelo } },
	];
}

/** Children started here, so an interrupted run can stop them (by their process group id) on the way out. */
const live = new Set();
function track(child) {
	live.add(child);
	child.once('exit', () => live.delete(child));
	return child;
}
function stopAllChildren() {
	for (const child of live) killGroup(child, 'SIGKILL');
}
process.once('exit', stopAllChildren);

/**
 * Runs a command to completion. Resolves `{ code, signal, stdout, stderr, ms, timedOut }`; never rejects on a
 * non-zero exit (callers decide). The child gets its own process group so a timeout can stop all of it.
 * `uid`/`gid` run it as another user.
 */
function runCommand(cmd, args, { cwd = ROOT, env = cleanEnv(), timeoutMs = 0, input, uid, gid } = {}) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = track(spawn(cmd, args, { cwd, env, uid, gid, detached: true, stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] }));
		const out = [];
		const err = [];
		child.stdout.on('data', (b) => out.push(b));
		child.stderr.on('data', (b) => err.push(b));
		if (input) child.stdin.end(input);
		let timedOut = false;
		const timer = timeoutMs
			? setTimeout(() => {
					timedOut = true;
					killGroup(child, 'SIGKILL');
				}, timeoutMs)
			: undefined;
		child.on('error', (e) => {
			if (timer) clearTimeout(timer);
			reject(e);
		});
		child.on('close', (code, signal) => {
			if (timer) clearTimeout(timer);
			resolve({
				code,
				signal,
				timedOut,
				stdout: Buffer.concat(out).toString('utf8'),
				stderr: Buffer.concat(err).toString('utf8'),
				ms: Date.now() - started,
			});
		});
	});
}

/** Signals a child started with `detached: true` and everything it spawned (its process group, by its id). */
function killGroup(child, signal = 'SIGTERM') {
	if (!child || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* already gone */
		}
	}
}

/** `signal` (SIGTERM unless told), then SIGKILL after `graceMs`; resolves when the child has exited. */
function stopChild(child, graceMs = 10000, signal = 'SIGTERM') {
	if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
		child.once('exit', () => {
			clearTimeout(timer);
			// n8n 2.x task runners live in the same group; make sure none outlives its parent.
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				/* group already empty */
			}
			resolve();
		});
		killGroup(child, signal);
	});
}

/**
 * Starts a long-running process (n8n, a worker, Postgres, Redis) in its own process group, tracked so that it is
 * stopped when this process exits, also on failure. Output goes to `logFile` and to `onLine`, line by line.
 * Returns at once: `{ child, pid, lines, output(), waitForLine(regex, opts), stop(graceMs, signal), exited }`.
 * `uid`/`gid` run it as another user (Postgres refuses to run as root).
 */
function startProcess(cmd, args, { cwd, env, uid, gid, logFile, onLine, keepLines = 50000 } = {}) {
	const child = track(spawn(cmd, args, { cwd, env, uid, gid, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }));
	const lines = [];
	let dropped = 0;
	const waiters = new Set();
	const stream = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : undefined;
	let partial = '';
	const onData = (buf) => {
		stream?.write(buf);
		const parts = (partial + buf.toString('utf8')).split(/\r?\n/);
		partial = parts.pop();
		for (const line of parts) {
			lines.push(line);
			if (lines.length > keepLines) {
				lines.shift();
				dropped += 1;
			}
			onLine?.(line);
			for (const w of waiters) w.check(line);
		}
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	const exited = new Promise((resolve) => {
		child.once('exit', (code, signal) => {
			stream?.end();
			for (const w of waiters) w.fail(new Error(`${path.basename(cmd)} exited (code ${code}, signal ${signal}) before logging ${w.re}:\n${lines.slice(-30).join('\n')}`));
			resolve({ code, signal });
		});
	});
	const handle = {
		child,
		pid: child.pid,
		lines,
		/** Number of lines seen so far, for `waitForLine(re, { since })`. */
		lineCount: () => dropped + lines.length,
		output: () => lines.join('\n'),
		exited,
		/** Resolves the first line matching `re` (from line number `since` on, default: any line seen). */
		waitForLine(re, { timeoutMs = 120000, since = 0 } = {}) {
			const seen = lines.slice(Math.max(0, since - dropped)).find((l) => re.test(l));
			if (seen !== undefined) return Promise.resolve(seen);
			if (child.exitCode !== null || child.signalCode !== null) {
				return Promise.reject(new Error(`${path.basename(cmd)} is not running; it never logged ${re}`));
			}
			return new Promise((resolve, reject) => {
				const w = {
					re,
					check: (line) => {
						if (!re.test(line)) return;
						done();
						resolve(line);
					},
					fail: (err) => {
						done();
						reject(err);
					},
				};
				const timer = setTimeout(() => w.fail(new Error(`${path.basename(cmd)} did not log ${re} within ${timeoutMs / 1000} s:\n${lines.slice(-30).join('\n')}`)), timeoutMs);
				const done = () => {
					clearTimeout(timer);
					waiters.delete(w);
				};
				waiters.add(w);
			});
		},
		stop: (graceMs, signal) => stopChild(child, graceMs, signal),
	};
	return handle;
}

function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

function portIsFree(port) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}

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
	ROOT,
	PACKAGE_NAMES,
	fullType,
	isOurType,
	SANDBOX_CREDENTIALS,
	sandboxCredentialFile,
	runCommand,
	killGroup,
	stopChild,
	stopAllChildren,
	startProcess,
	freePort,
	portIsFree,
	buildPackage,
	installPackages,
	linkN8nWorkflow,
	n8nEnv,
	n8nCli,
	parseRunJson,
	executeWorkflow,
	startN8n,
	commandLoadError,
	startN8nWorker,
	RestSession,
};

'use strict';
/**
 * Child processes for the scripts and the suites: run a command to completion, start a long-running one (n8n, a
 * worker, Postgres, Redis, the sandbox), stop it, find a free 127.0.0.1 port, and the environment and npm they run
 * with.
 *
 * Every child is started in its own process group, tracked, and stopped by its id (never by name), also when this
 * process exits on a failure.
 */

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * This process's environment without what an outer `npm run` adds (npm_package_*, npm_config_legacy_peer_deps,
 * the prefix, …), which would change what an inner npm or n8n does; `extra` on top.
 */
function cleanEnv(extra = {}) {
	const env = { ...process.env };
	for (const key of Object.keys(env)) {
		const k = key.toLowerCase();
		if (
			k.startsWith('npm_package_') ||
			k.startsWith('npm_lifecycle_') ||
			k === 'npm_config_ignore_scripts' ||
			k === 'npm_config_legacy_peer_deps' ||
			k === 'npm_config_local_prefix' ||
			k === 'npm_config_prefix' ||
			k === 'npm_config_global' ||
			k === 'init_cwd'
		) {
			delete env[key];
		}
	}
	return { ...env, ...extra };
}

/** The npm that ships with the running Node, to be run by `nodeBin` (`{ cmd, pre }`: `cmd ...pre <npm args>`). */
function npmCommand(nodeBin) {
	const npmCli = path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
	if (fs.existsSync(npmCli)) return { cmd: nodeBin, pre: [npmCli] };
	return { cmd: process.platform === 'win32' ? 'npm.cmd' : 'npm', pre: [] };
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

/** A port nothing listens on at 127.0.0.1 right now. */
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

/** Whether `port` on 127.0.0.1 can be listened on. */
function portIsFree(port) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}

module.exports = {
	ROOT,
	cleanEnv,
	npmCommand,
	runCommand,
	killGroup,
	stopChild,
	stopAllChildren,
	startProcess,
	freePort,
	portIsFree,
};

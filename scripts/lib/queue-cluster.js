'use strict';
/**
 * n8n in queue mode on this machine, shared by `npm run test:queue` and `npm run dev -- --queue`: a real Postgres
 * (the machine's postgresql 15, in a data folder of our own, on its own port), a real Redis (no persistence, own
 * port), one n8n main (`n8n start`) and N workers (`n8n worker`), all with the same settings. Each instance has its
 * own user folder, and both packages are installed into each one from packed/, as a user must do on every machine.
 *
 * Everything listens on 127.0.0.1 and is started in its own process group through the harness, so it is stopped on
 * exit, also on failure.
 *
 * API:  const cluster = await startCluster({ rt, root, tarballs, workers: 2, concurrency: 5 });
 *       await cluster.cli(['import:workflow', ...]);  await cluster.startMain();  await cluster.startWorkers();
 *       cluster.main.url, cluster.workers[0].pid, await cluster.query('SELECT ...'), await cluster.stop();
 */

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const { ROOT, cleanEnv, freePort, killGroup, runCommand, startProcess } = require('./process');
const { installPackages } = require('./packages');
const { n8nCli, n8nEnv, startN8n, startN8nWorker } = require('./n8n');

const ENCRYPTION_KEY = 'n8n-nodes-upcloud-upzelo-queue-key';
const DB = { user: 'n8n', database: 'n8n' };

/** The newest `/usr/lib/postgresql/<major>/bin` (15 on these machines), or `$PG_BIN`. */
function postgresBin() {
	if (process.env.PG_BIN) return process.env.PG_BIN;
	const base = '/usr/lib/postgresql';
	const majors = fs.existsSync(base) ? fs.readdirSync(base).filter((d) => /^\d+$/.test(d)).sort((a, b) => b - a) : [];
	for (const major of majors) {
		const bin = path.join(base, major, 'bin');
		if (fs.existsSync(path.join(bin, 'postgres'))) return bin;
	}
	throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql/<major>/bin (apt-get install -y postgresql, or set PG_BIN)');
}

/** Postgres refuses to run as root: as root, run its programs as the `postgres` user. */
function postgresUser() {
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
	const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
	const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
	if (!Number.isInteger(uid) || !Number.isInteger(gid) || uid === 0) {
		throw new Error('running as root, but there is no "postgres" user to run Postgres as');
	}
	return { uid, gid };
}

function chownTree(dir, { uid, gid }) {
	if (uid === undefined) return;
	fs.chownSync(dir, uid, gid);
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, entry.name);
		if (entry.isDirectory()) chownTree(p, { uid, gid });
		else fs.chownSync(p, uid, gid);
	}
}

/**
 * Starts Postgres on 127.0.0.1:`port` with its data in `dir` (created with `initdb` when it has none yet, so
 * `npm run dev -- --queue` keeps its data between runs) and makes sure database `n8n` (owner `n8n`, trust auth)
 * exists. Resolves `{ host, port, user, database, dir, stop() }`.
 */
async function startPostgres({ dir, port, log = () => {} }) {
	const bin = postgresBin();
	const user = postgresUser();
	const data = path.join(dir, 'data');
	fs.mkdirSync(dir, { recursive: true });
	// The postgres user must be able to reach its folder (parents are root's, mode 755 here).
	fs.chmodSync(dir, 0o755);
	const env = cleanEnv({ LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' });
	if (!fs.existsSync(path.join(data, 'PG_VERSION'))) {
		fs.rmSync(data, { recursive: true, force: true });
		fs.mkdirSync(data, { mode: 0o700 });
		chownTree(dir, user);
		const r = await runAs(user, path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', DB.user, '-E', 'UTF8', '--no-sync'], { env, cwd: dir });
		if (r.code !== 0) throw new Error(`initdb failed (exit ${r.code}):\n${(r.stdout + r.stderr).slice(-2000)}`);
	}
	const proc = startProcess(
		path.join(bin, 'postgres'),
		['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=100'],
		{ cwd: dir, env, ...user, logFile: path.join(dir, 'postgres.log') },
	);
	await proc.waitForLine(/database system is ready to accept connections/, { timeoutMs: 60000 });
	const exists = await runAs(user, path.join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', DB.user, '-d', 'postgres', '-tAc', `SELECT 1 FROM pg_database WHERE datname = '${DB.database}'`], { env, cwd: dir });
	if (exists.stdout.trim() !== '1') {
		const r = await runAs(user, path.join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', DB.user, DB.database], { env, cwd: dir });
		if (r.code !== 0) throw new Error(`createdb failed (exit ${r.code}):\n${r.stderr.slice(-2000)}`);
	}
	log(`Postgres ${path.basename(path.dirname(bin))} on 127.0.0.1:${port} (data in ${path.relative(ROOT, data)})`);
	return {
		host: '127.0.0.1',
		port,
		...DB,
		dir,
		process: proc,
		// SIGINT is Postgres' "fast" shutdown: no waiting for clients to disconnect.
		stop: () => proc.stop(15000, 'SIGINT'),
	};
}

function runAs(user, cmd, args, opts) {
	return runCommand(cmd, args, { ...opts, ...user, timeoutMs: 120000 });
}

/** Whether `redis-server` is installed (`apt-get install -y redis-server` when it is not). */
function redisAvailable() {
	return spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** Starts Redis on 127.0.0.1:`port`, in the foreground, without persistence. Resolves `{ host, port, stop() }`. */
async function startRedis({ dir, port, log = () => {} }) {
	if (!redisAvailable()) throw new Error('redis-server is not installed: apt-get install -y redis-server');
	fs.mkdirSync(dir, { recursive: true });
	const proc = startProcess(
		'redis-server',
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'yes'],
		{ cwd: dir, env: cleanEnv(), logFile: path.join(dir, 'redis.log') },
	);
	await proc.waitForLine(/Ready to accept connections/, { timeoutMs: 30000 });
	log(`Redis on 127.0.0.1:${port} (no persistence)`);
	return { host: '127.0.0.1', port, process: proc, stop: () => proc.stop(10000, 'SIGTERM') };
}

/**
 * The settings every instance of the cluster shares: Postgres, Redis (Bull), queue mode, one encryption key, and a
 * binary-data mode that works in queue mode. `database` keeps binary data in Postgres, where every instance reads
 * it; `filesystem` (2.x's default outside queue mode) would leave a worker's files on the worker. 2.x picks
 * `database` itself in queue mode; n8n 1.123.81 has the same `database` manager but offers it only when
 * N8N_AVAILABLE_BINARY_DATA_MODES lists it (2.x warns that the variable is no longer needed). Manual executions
 * from the editor go to the workers too, as n8n recommends (it warns about running them on main in queue mode).
 */
function sharedSettings({ rt, pg, redis, extra = {} }) {
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: pg.host,
		DB_POSTGRESDB_PORT: String(pg.port),
		DB_POSTGRESDB_USER: pg.user,
		DB_POSTGRESDB_DATABASE: pg.database,
		DB_POSTGRESDB_PASSWORD: '',
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_DEFAULT_BINARY_DATA_MODE: 'database',
		...(rt.version.startsWith('1.') ? { N8N_AVAILABLE_BINARY_DATA_MODES: 'filesystem,database' } : {}),
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		...extra,
	};
}

/**
 * Prepares a cluster: Postgres, Redis, and one user folder per instance (`main`, `worker1`, …) with both packages
 * installed from `tarballs`. Nothing of n8n runs yet: import what you need with `cli`, then `startMain()` and
 * `startWorkers()`.
 *
 * Options: rt (ensureN8nRuntime), root (folder for everything), tarballs, workers (2), concurrency (5: n8n warns
 * that less is unstable), settings (extra environment for every instance), pgPort/redisPort/mainPort (free ports
 * unless given), log, onLine(role, line).
 */
async function startCluster({ rt, root, tarballs, workers = 2, concurrency = 5, settings = {}, pgPort, redisPort, mainPort, log = () => {}, onLine }) {
	fs.mkdirSync(root, { recursive: true });
	const cluster = {
		rt,
		root,
		concurrency,
		main: undefined,
		workers: Array.from({ length: workers }, () => undefined),
		roles: ['main', ...Array.from({ length: workers }, (_, i) => `worker${i + 1}`)],
	};
	const stoppers = [];
	cluster.stop = async () => {
		await Promise.all([cluster.main?.stop(), ...cluster.workers.map((w) => w?.stop())]);
		await cluster.db?.end().catch(() => {});
		for (const stop of stoppers.reverse()) await stop().catch(() => {});
	};
	try {
		cluster.pg = await startPostgres({ dir: path.join(root, 'postgres'), port: pgPort || (await freePort()), log });
		stoppers.push(() => cluster.pg.stop());
		cluster.redis = await startRedis({ dir: path.join(root, 'redis'), port: redisPort || (await freePort()), log });
		stoppers.push(() => cluster.redis.stop());
	} catch (err) {
		await cluster.stop();
		throw err;
	}
	const shared = sharedSettings({ rt, pg: cluster.pg, redis: cluster.redis, extra: settings });
	cluster.shared = shared;
	cluster.mainPort = mainPort || (await freePort());
	// Per instance only what cannot be shared on one machine: the user folder and the ports.
	const own = {};
	for (const role of cluster.roles) {
		const userFolder = path.join(root, role);
		fs.mkdirSync(userFolder, { recursive: true });
		own[role] = { userFolder, brokerPort: await freePort() };
	}
	cluster.userFolder = (role) => own[role].userFolder;
	cluster.env = (role, extra = {}) =>
		n8nEnv(rt, own[role].userFolder, {
			...shared,
			N8N_RUNNERS_BROKER_PORT: String(own[role].brokerPort),
			...(role === 'main' ? { N8N_PORT: String(cluster.mainPort) } : {}),
			...extra,
		});
	cluster.install = async (roles = cluster.roles) => {
		await Promise.all(roles.map((role) => installPackages({ userFolder: own[role].userFolder, tarballs, n8nDir: rt.dir })));
		log(`Both packages installed from packed/ into the user folder of ${roles.join(', ')}`);
	};
	if (tarballs) await cluster.install();

	/** `n8n <args>` with main's settings (the CLI writes to the shared Postgres). */
	cluster.cli = (args, opts) => n8nCli(rt, cluster.env('main'), args, opts);

	// Every process by role from the moment it exists (a starting main polls before it is ready).
	const spawned = new Map();
	cluster.startMain = async (extra = {}) => {
		const role = 'main';
		cluster.main = await startN8n(rt, cluster.env(role, extra), {
			port: cluster.mainPort,
			logFile: path.join(root, `${role}.log`),
			onLine: onLine && ((line) => onLine(role, line)),
			onSpawn: (p) => spawned.set(role, p),
		});
		cluster.main.role = role;
		log(`n8n ${rt.version} main ready on ${cluster.main.url} in ${(cluster.main.readyMs / 1000).toFixed(1)} s (pid ${cluster.main.pid})`);
		return cluster.main;
	};
	cluster.stopMain = async () => {
		await cluster.main?.stop();
		cluster.main = undefined;
	};
	cluster.startWorker = async (i, extra = {}) => {
		const role = `worker${i + 1}`;
		const w = await startN8nWorker(rt, cluster.env(role, extra), {
			concurrency,
			logFile: path.join(root, `${role}.log`),
			onLine: onLine && ((line) => onLine(role, line)),
			onSpawn: (p) => spawned.set(role, p),
		});
		w.role = role;
		cluster.workers[i] = w;
		log(`n8n ${rt.version} ${role} ready in ${(w.readyMs / 1000).toFixed(1)} s (pid ${w.pid}, concurrency ${concurrency})`);
		return w;
	};
	cluster.startWorkers = () => Promise.all(cluster.workers.map((_, i) => cluster.startWorker(i)));
	/** SIGKILL to a worker's whole process group, as when its machine or container dies. Resolves when it is gone. */
	cluster.killWorker = async (i) => {
		const w = cluster.workers[i];
		killGroup(w.child, 'SIGKILL');
		await w.exited;
	};
	/** The running processes by role, for telling which one sent a request. */
	cluster.processes = () =>
		[...spawned].filter(([, p]) => p.child.exitCode === null && p.child.signalCode === null).map(([role, p]) => ({ role, pid: p.pid }));

	/** A query on the cluster's Postgres through the `pg` client n8n itself ships. */
	cluster.query = async (sql, params) => {
		if (!cluster.db) {
			const { Client } = require(path.join(rt.dir, 'node_modules', 'pg'));
			cluster.db = new Client({ host: cluster.pg.host, port: cluster.pg.port, user: cluster.pg.user, database: cluster.pg.database });
			await cluster.db.connect();
		}
		return (await cluster.db.query(sql, params)).rows;
	};
	return cluster;
}

module.exports = { startCluster, startPostgres, startRedis, redisAvailable, sharedSettings, postgresBin, ENCRYPTION_KEY };

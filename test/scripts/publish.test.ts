import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * .github/workflows/publish.yml's publish step, run as the workflow runs it (its `run:` under GitHub's bash, its
 * `env:` with the tag and the NPM_TOKEN secret), after a real `npm run pack` into packed/, with a stub `npm` first on
 * PATH that records each call.
 */

const ROOT = resolve(__dirname, '../..');
const yaml: { load(text: string): unknown } = require('js-yaml');
const { packAll } = require('../../scripts/pack') as {
	packAll(o: { build: boolean; outDir?: string }): Promise<Array<{ name: string; version: string; tarball: string }>>;
};
const { plan } = require('../../scripts/publish') as { plan(o: { tag: string; dir: string }): string[] };

type Step = { name?: string; uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, unknown> };
type Job = { needs?: string; permissions?: Record<string, string>; steps?: Step[]; uses?: string };
type Workflow = { on: { push: { tags: string[] } }; jobs: Record<string, Job> };

const workflow = yaml.load(readFileSync(join(ROOT, '.github/workflows/publish.yml'), 'utf8')) as Workflow;
const publishJob = workflow.jobs.publish;
const publishStep = publishJob.steps!.find((s) => s.run?.includes('scripts/publish.js'))!;
const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;

/** The step's env as GitHub would set it: only the expressions the step uses, each with a known value. */
function stepEnv(step: Step, context: { tag: string; npmToken: string }): Record<string, string> {
	const values: Record<string, string> = { 'github.ref_name': context.tag, 'secrets.NPM_TOKEN': context.npmToken };
	return Object.fromEntries(
		Object.entries(step.env ?? {}).map(([key, value]) => [
			key,
			String(value).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
				if (!(expr in values)) throw new Error(`publish.yml uses \${{ ${expr} }}, which this test does not set`);
				return values[expr];
			}),
		]),
	);
}

type NpmCall = { args: string[]; authToken: string | null };

/** Runs the publish step with a stub npm (exit code `npmExit`); returns the exit code, stderr and npm's calls. */
function runPublishStep(context: { tag: string; npmToken?: string; npmExit?: number; run?: string }) {
	const dir = mkdtempSync(join(tmpdir(), 'publish-step-'));
	const log = join(dir, 'npm-calls.jsonl');
	const stub = join(dir, 'npm');
	writeFileSync(
		stub,
		`#!${process.execPath}\n` +
			`require('fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify({ args: process.argv.slice(2), ` +
			`authToken: process.env['npm_config_//registry.npmjs.org/:_authToken'] ?? null }) + '\\n');\n` +
			`process.exit(${context.npmExit ?? 0});\n`,
	);
	chmodSync(stub, 0o755);
	try {
		const env: Record<string, string> = { ...(process.env as Record<string, string>) };
		delete env.NPM_TOKEN;
		for (const key of Object.keys(env)) if (/^npm_/i.test(key)) delete env[key];
		// GitHub runs a `run:` with `bash --noprofile --norc -eo pipefail {0}` from the checkout.
		const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', context.run ?? publishStep.run!], {
			cwd: ROOT,
			env: { ...env, ...stepEnv(publishStep, { tag: context.tag, npmToken: context.npmToken ?? '' }), PATH: `${dir}:${env.PATH}` },
			encoding: 'utf8',
		});
		const calls: NpmCall[] = existsSync(log)
			? readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as NpmCall)
			: [];
		return { status: r.status, stderr: r.stderr, calls };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/** Whether dist/ was built after the last change to the sources it is built from. */
function distIsFresh(): boolean {
	const newest = (dir: string): number =>
		readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
			const p = join(dir, e.name);
			return Math.max(max, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
		}, 0);
	// Only tsc's output: gulp copies the icons with their sources' times.
	const oldestJs = (dir: string): number =>
		readdirSync(dir, { withFileTypes: true }).reduce((min, e) => {
			const p = join(dir, e.name);
			if (e.isDirectory()) return Math.min(min, oldestJs(p));
			return e.name.endsWith('.js') ? Math.min(min, statSync(p).mtimeMs) : min;
		}, Infinity);
	const dist = join(ROOT, 'dist');
	if (!existsSync(dist)) return false;
	const sources = Math.max(newest(join(ROOT, 'nodes')), newest(join(ROOT, 'credentials')), statSync(join(ROOT, 'tsconfig.json')).mtimeMs);
	return oldestJs(dist) > sources;
}

let packed: Array<{ name: string; version: string; tarball: string }>;

beforeAll(async () => {
	// `npm run pack` as the workflow runs it; reusing a dist/ that is newer than every source saves the ~10 s build.
	packed = await packAll({ build: !distIsFresh() });
}, 120000);

describe('publish.yml', () => {
	it('runs on version tags, with id-token: write and contents: read, after the CI workflow', () => {
		expect(workflow.on.push.tags).toEqual(['v*.*.*']);
		expect(publishJob.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
		expect(publishJob.needs).toBe('ci');
		expect(workflow.jobs.ci.uses).toBe('./.github/workflows/ci.yml');
	});

	it('installs with npm ci and packs with npm run pack before the publish step, on an npm that can do OIDC', () => {
		const steps = publishJob.steps!;
		const runs = steps.map((s) => s.run ?? s.uses);
		expect(runs.indexOf('npm ci')).toBeGreaterThan(-1);
		expect(runs.indexOf('npm run pack')).toBeGreaterThan(runs.indexOf('npm ci'));
		expect(steps.indexOf(publishStep)).toBeGreaterThan(runs.indexOf('npm run pack'));
		// Trusted publishing needs npm >= 11.5.1, which Node 24 ships.
		expect(steps.find((s) => s.uses?.startsWith('actions/setup-node'))?.with?.['node-version']).toBe(24);
	});
});

describe('the publish step', () => {
	it('publishes exactly the two tarballs npm run pack made, each with --provenance --access public', () => {
		expect(packed.map((p) => p.name)).toEqual(['n8n-nodes-upcloud', 'n8n-nodes-upzelo']);
		expect(readdirSync(join(ROOT, 'packed')).filter((f) => f.endsWith('.tgz')).sort()).toEqual([
			`n8n-nodes-upcloud-${version}.tgz`,
			`n8n-nodes-upzelo-${version}.tgz`,
		]);

		const { status, calls } = runPublishStep({ tag: `v${version}` });

		expect(status).toBe(0);
		expect(calls).toEqual(
			packed.map((p) => ({ args: ['publish', p.tarball, '--provenance', '--access', 'public'], authToken: null })),
		);
		// npm would read a relative packed/<name>.tgz as a GitHub repository.
		for (const call of calls) expect(isAbsolute(call.args[1])).toBe(true);
	});

	it('hands the NPM_TOKEN secret to npm in its environment, never on the command line', () => {
		const { status, calls } = runPublishStep({ tag: `v${version}`, npmToken: 'npm_secret-token' });

		expect(status).toBe(0);
		expect(calls).toEqual(
			packed.map((p) => ({
				args: ['publish', p.tarball, '--provenance', '--access', 'public'],
				authToken: 'npm_secret-token',
			})),
		);
	});

	it('refuses a tag that is not v<version>, before calling npm', () => {
		const { status, stderr, calls } = runPublishStep({ tag: version });

		expect(status).toBe(1);
		expect(stderr).toContain(`tag "${version}" is not v${version}, the version in package.json`);
		expect(calls).toEqual([]);
	});

	it.each(['v9.9.9', `v${version}-rc.1`, `v${version}.1`, `refs/tags/v${version}`])('refuses the tag %s', (tag) => {
		expect(() => plan({ tag, dir: join(ROOT, 'packed') })).toThrow(`tag "${tag}" is not v${version}, the version in package.json`);
	});

	it('refuses a packed directory with a tarball too many or one missing, before calling npm', () => {
		const dir = mkdtempSync(join(tmpdir(), 'packed-'));
		try {
			copyFileSync(packed[0].tarball, join(dir, `n8n-nodes-upcloud-${version}.tgz`));
			writeFileSync(join(dir, 'n8n-nodes-other-1.0.0.tgz'), '');
			const run = `node scripts/publish.js --tag "$TAG" --dir ${JSON.stringify(dir)}`;

			const { status, stderr, calls } = runPublishStep({ tag: `v${version}`, run });

			expect(status).toBe(1);
			expect(stderr).toContain(`missing n8n-nodes-upzelo-${version}.tgz; unexpected n8n-nodes-other-1.0.0.tgz`);
			expect(calls).toEqual([]);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('still publishes the second tarball when the first fails, then fails the step', () => {
		const { status, stderr, calls } = runPublishStep({ tag: `v${version}`, npmExit: 1 });

		expect(status).toBe(1);
		expect(calls.map((c) => c.args[1])).toEqual(packed.map((p) => p.tarball));
		expect(stderr).toContain(`npm publish failed for n8n-nodes-upcloud-${version}.tgz (exit 1), n8n-nodes-upzelo-${version}.tgz (exit 1)`);
	});
});

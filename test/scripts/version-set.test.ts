import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const { setVersion } = require('../../scripts/version-set') as {
	setVersion(version: string, options: { root: string }): string[];
};

const ROOT = resolve(__dirname, '../..');
const FILES = ['package.json', 'package-lock.json', 'packages/n8n-nodes-upcloud/package.json', 'packages/n8n-nodes-upzelo/package.json'];

let root: string;

beforeEach(() => {
	root = mkdtempSync(join(tmpdir(), 'version-set-'));
	for (const file of FILES) {
		mkdirSync(join(root, file, '..'), { recursive: true });
		cpSync(join(ROOT, file), join(root, file));
	}
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

const text = (base: string, file: string) => readFileSync(join(base, file), 'utf8');

it('sets the version in the root manifest, the lockfile and both package manifests, and changes nothing else', () => {
	expect(setVersion('0.2.0', { root })).toEqual(FILES);

	for (const file of FILES) {
		const before = JSON.parse(text(ROOT, file));
		const after = JSON.parse(text(root, file));
		expect(after.version).toBe('0.2.0');
		if (file === 'package-lock.json') {
			expect(after.packages[''].version).toBe('0.2.0');
			after.packages[''].version = before.packages[''].version;
		}
		after.version = before.version;
		// Same content, same formatting: only the version lines differ.
		expect(`${JSON.stringify(after, null, 2)}\n`).toBe(text(ROOT, file));
	}
});

it.each(['v0.2.0', '0.2', '0.2.0+build.1', '01.2.0', '1.0.0-rc.1', ''])('refuses "%s" and writes nothing', (version) => {
	expect(() => setVersion(version, { root })).toThrow(`"${version}" is not a release version like 0.2.0`);
	for (const file of FILES) expect(text(root, file)).toBe(text(ROOT, file));
});

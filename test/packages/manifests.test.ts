import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ICredentialType, INodeType } from 'n8n-workflow';

/**
 * The two published manifests, packages/<name>/package.json: what n8n's verification guidelines and the scanner
 * require of a community package, and that each registers only its own service.
 */

const ROOT = resolve(__dirname, '../..');
const readJson = (file: string) => JSON.parse(readFileSync(join(ROOT, file), 'utf8'));

type Manifest = {
	name: string;
	version: string;
	description: string;
	keywords: string[];
	license: string;
	author: { name: string; email: string };
	homepage: string;
	repository: { type: string; url: string; directory: string };
	files: string[];
	n8n: { n8nNodesApiVersion: number; strict: boolean; nodes: string[]; credentials: string[] };
	peerDependencies: Record<string, string>;
	[key: string]: unknown;
};

const root = readJson('package.json') as Manifest & { private: boolean };

/** Each package and the one service folder its nodes and credentials come from. */
const PACKAGES = [
	{ name: 'n8n-nodes-upcloud', service: 'UpCloud', nodes: ['upCloud', 'upCloudUsageTrigger', 'upCloudTrigger'], credentials: ['upCloudApi', 'upCloudTokenApi'] },
	{ name: 'n8n-nodes-upzelo', service: 'Upzelo', nodes: ['upzelo'], credentials: ['upzeloApi'] },
];

/** The class a built entry (dist/….js) is compiled from, loaded from its .ts source. */
function load<T>(entry: string): T {
	const source = join(ROOT, entry.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
	const classes = Object.values(require(source) as Record<string, unknown>).filter((v) => typeof v === 'function');
	expect(classes).toHaveLength(1);
	return new (classes[0] as new () => T)();
}

it('the repo root is private, so only packages/* can be published, and registers every node of both', () => {
	expect(root.private).toBe(true);
	const all = (key: 'nodes' | 'credentials') =>
		PACKAGES.flatMap((p) => (readJson(`packages/${p.name}/package.json`) as Manifest).n8n[key]).sort();
	expect([...root.n8n.nodes].sort()).toEqual(all('nodes'));
	expect([...root.n8n.credentials].sort()).toEqual(all('credentials'));
});

describe.each(PACKAGES)('packages/$name/package.json', ({ name, service, nodes, credentials }) => {
	const manifest = readJson(`packages/${name}/package.json`) as Manifest;

	it('names the package, with the version of the repo root', () => {
		expect(manifest.name).toBe(name);
		expect(manifest.version).toBe(root.version);
		expect(manifest.description.length).toBeGreaterThan(20);
	});

	it('is findable as an n8n community node package', () => {
		expect(manifest.keywords).toContain('n8n-community-node-package');
		expect(manifest.keywords).toContain(service.toLowerCase());
	});

	it('has an MIT licence, an author with an email, a homepage and the repository folder', () => {
		expect(manifest.license).toBe('MIT');
		expect(manifest.author.name).toBeTruthy();
		expect(manifest.author.email).toMatch(/^[^\s@]+@[^\s@]+\.[a-z]+$/);
		expect(new URL(manifest.homepage).protocol).toBe('https:');
		expect(manifest.homepage).toContain(`/packages/${name}`);
		expect(manifest.repository.type).toBe('git');
		expect(manifest.repository.url).toMatch(/^git\+https:\/\/github\.com\/[^/]+\/[^/]+\.git$/);
		expect(manifest.repository.directory).toBe(`packages/${name}`);
	});

	it('ships dist/ only, has no runtime dependencies, and n8n-workflow "*" as its only peer', () => {
		expect(manifest.files).toEqual(['dist']);
		expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		for (const key of ['dependencies', 'optionalDependencies', 'bundleDependencies', 'bundledDependencies', 'scripts', 'overrides']) {
			expect(manifest).not.toHaveProperty([key]);
		}
	});

	it(`registers exactly the ${service} nodes and credentials, each with a source file`, () => {
		expect(manifest.n8n.n8nNodesApiVersion).toBe(1);
		expect(manifest.n8n.strict).toBe(true);
		for (const entry of manifest.n8n.nodes) expect(entry).toMatch(new RegExp(`^dist/nodes/${service}/\\w+\\.node\\.js$`));
		for (const entry of manifest.n8n.credentials) expect(entry).toMatch(new RegExp(`^dist/credentials/${service}\\w*\\.credentials\\.js$`));
		for (const entry of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
			expect(existsSync(join(ROOT, entry.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
		}
		expect(manifest.n8n.nodes.map((e) => load<INodeType>(e).description.name).sort()).toEqual([...nodes].sort());
		expect(manifest.n8n.credentials.map((e) => load<ICredentialType>(e).name)).toEqual(credentials);
	});

	it('each node uses only credentials of this package', () => {
		for (const entry of manifest.n8n.nodes) {
			for (const credential of load<INodeType>(entry).description.credentials ?? []) {
				expect(credentials).toContain(credential.name);
			}
		}
	});

	it('each node codex names the node by its full type, <package>.<node name>', () => {
		for (const entry of manifest.n8n.nodes) {
			const codex = JSON.parse(readFileSync(join(ROOT, `${entry.replace(/^dist\//, '').replace(/\.js$/, '')}.json`), 'utf8'));
			expect(codex.node).toBe(`${name}.${load<INodeType>(entry).description.name}`);
		}
	});
});

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ICredentialType, INodeType } from 'n8n-workflow';

/**
 * The published manifests, packages/<name>/package.json: what n8n's verification guidelines and the scanner
 * require of a community package, and that each registers only its own service. The package registry
 * (scripts/lib/registry.js) derives every package, node and credential name from these manifests; this file also
 * proves the names it derives are the ones the classes declare, and that the root package.json agrees with it.
 */

type RegistryEntry = { name: string; entry: string; source: string; folder: string; package: string; type?: string; trigger?: boolean };
type RegistryPackage = { name: string; dir: string; folder: string; service: string; nodes: RegistryEntry[]; credentials: RegistryEntry[] };
const registry = require('../../scripts/lib/registry') as {
	ROOT: string;
	PACKAGES: RegistryPackage[];
	PACKAGE_NAMES: string[];
	rootN8n(): { n8nNodesApiVersion: number; strict: boolean; nodes: string[]; credentials: string[] };
};

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

/** Each package and the one service folder its nodes and credentials come from, as the registry reads them. */
const PACKAGES = registry.PACKAGES.map((p) => ({
	name: p.name,
	service: p.service,
	nodes: p.nodes.map((n) => n.name),
	credentials: p.credentials.map((c) => c.name),
}));

/** The class a built entry (dist/….js) is compiled from, loaded from its .ts source. */
function load<T>(entry: string): T {
	const source = join(ROOT, entry.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
	const classes = Object.values(require(source) as Record<string, unknown>).filter((v) => typeof v === 'function');
	expect(classes).toHaveLength(1);
	return new (classes[0] as new () => T)();
}

it('the repo root is private, so only packages/* can be published, and registers every node of every package', () => {
	expect(root.private).toBe(true);
	const all = (key: 'nodes' | 'credentials') =>
		PACKAGES.flatMap((p) => (readJson(`packages/${p.name}/package.json`) as Manifest).n8n[key]).sort();
	expect([...root.n8n.nodes].sort()).toEqual(all('nodes'));
	expect([...root.n8n.credentials].sort()).toEqual(all('credentials'));
	// What the registry says the root must hold, in its order: edit a package's manifest, then this section.
	expect(root.n8n).toEqual(registry.rootN8n());
});

it('the registry finds every package folder, each with a service folder of its own and at least one node', () => {
	const folders = readdirSync(join(ROOT, 'packages'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
	expect(registry.PACKAGE_NAMES).toEqual([...folders].sort());
	expect(registry.ROOT).toBe(ROOT);
	for (const p of registry.PACKAGES) {
		expect(p.nodes.length).toBeGreaterThan(0);
		expect(p.folder).toBe(`nodes/${p.service}`);
		expect(existsSync(join(ROOT, p.folder))).toBe(true);
	}
	expect(new Set(registry.PACKAGES.map((p) => p.folder)).size).toBe(registry.PACKAGES.length);
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
		// The registry names a node or credential after its file; the class must declare that same name.
		expect(manifest.n8n.nodes.map((e) => load<INodeType>(e).description.name)).toEqual(nodes);
		expect(manifest.n8n.credentials.map((e) => load<ICredentialType>(e).name)).toEqual(credentials);
	});

	it('the registry tells trigger nodes (named …Trigger) from action nodes by what each node is', () => {
		for (const node of registry.PACKAGES.find((p) => p.name === name)!.nodes) {
			const description = load<INodeType>(node.entry).description;
			expect({ node: node.name, trigger: node.trigger }).toEqual({ node: node.name, trigger: description.group.includes('trigger') });
			expect(node.type).toBe(`${name}.${description.name}`);
		}
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

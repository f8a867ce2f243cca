'use strict';
/**
 * The package registry: which packages this tree publishes, the nodes and credentials each ships, and the folder
 * they come from, all read from the manifests `packages/<name>/package.json` (their `n8n.nodes` and
 * `n8n.credentials`). Nothing else in scripts/, bench/ or test/ lists package or node names: adding a node to a
 * package is one line in its manifest, plus its files and tests.
 *
 * Names follow n8n's convention, checked against the classes by test/packages/manifests.test.ts:
 *   dist/nodes/UpCloud/UpCloudUsageTrigger.node.js  → node `upCloudUsageTrigger` (the file name, first letter
 *                                                      lower-cased), full type `<package>.upCloudUsageTrigger`
 *   dist/credentials/UpCloudApi.credentials.js       → credential type `upCloudApi`
 * A package's nodes all live in one folder under nodes/ (n8n verifies one service per package); its name is the
 * package's `service` (`nodes/UpCloud` → `UpCloud`).
 *
 * The root package.json registers every node and credential too (n8n's loader and the scanner read it when the repo
 * itself is linked); `rootN8n()` is what it must hold, and the manifests test proves that it does.
 *
 * Pure data, no side effects: jest (test/helpers, test/packages) requires it as well as the scripts.
 */

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const PACKAGES_DIR = path.join(ROOT, 'packages');

const lowerFirst = (s) => s.charAt(0).toLowerCase() + s.slice(1);

/** `dist/nodes/UpCloud/UpCloud.node.js` → its name, source file (`nodes/UpCloud/UpCloud.node.ts`) and folder. */
function entryOf(entry, suffix) {
	const file = path.posix.basename(entry);
	if (!file.endsWith(suffix)) throw new Error(`${entry}: expected a file ending in ${suffix}`);
	const source = entry.replace(/^dist\//, '').replace(/\.js$/, '.ts');
	return { name: lowerFirst(file.slice(0, -suffix.length)), entry, source, folder: path.posix.dirname(source) };
}

function readPackage(dirName) {
	const dir = path.posix.join('packages', dirName);
	const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8'));
	if (manifest.name !== dirName) throw new Error(`${dir}/package.json is named ${manifest.name}; the folder must carry the package name`);
	const nodes = (manifest.n8n?.nodes ?? []).map((e) => {
		const node = entryOf(e, '.node.js');
		// n8n names trigger nodes …Trigger (the manifests test checks this against each node's group).
		return { ...node, package: manifest.name, type: `${manifest.name}.${node.name}`, trigger: node.name.endsWith('Trigger') };
	});
	const credentials = (manifest.n8n?.credentials ?? []).map((e) => ({ ...entryOf(e, '.credentials.js'), package: manifest.name }));
	const folders = [...new Set(nodes.map((n) => n.folder))];
	if (folders.length !== 1) throw new Error(`${dir}/package.json: the nodes of one package live in one folder under nodes/ (found ${folders.join(', ') || 'none'})`);
	return { name: manifest.name, dir, manifest, folder: folders[0], service: path.posix.basename(folders[0]), nodes, credentials };
}

/** Every published package, in folder order. */
const PACKAGES = fs
	.readdirSync(PACKAGES_DIR, { withFileTypes: true })
	.filter((d) => d.isDirectory() && fs.existsSync(path.join(PACKAGES_DIR, d.name, 'package.json')))
	.map((d) => d.name)
	.sort()
	.map(readPackage);

const PACKAGE_NAMES = PACKAGES.map((p) => p.name);
const NODES = PACKAGES.flatMap((p) => p.nodes);
/** The nodes that are not triggers: the ones with resources and operations, usable as AI tools. */
const ACTION_NODES = NODES.filter((n) => !n.trigger);
const CREDENTIALS = PACKAGES.flatMap((p) => p.credentials);

function packageNamed(name) {
	const pkg = PACKAGES.find((p) => p.name === name);
	if (!pkg) throw new Error(`${name} is not one of our packages (${PACKAGE_NAMES.join(', ')})`);
	return pkg;
}

/** A node by its name (`upCloud`); `upCloudTool`, n8n's tool variant of a node, is that node. */
function nodeNamed(name) {
	const node = NODES.find((n) => n.name === name) ?? NODES.find((n) => `${n.name}Tool` === name);
	if (!node) throw new Error(`no package of ours ships a node named ${name} (${NODES.map((n) => n.name).join(', ')})`);
	return node;
}

/** `upCloud` → `n8n-nodes-upcloud.upCloud`, as users' workflows name it (`upCloudTool` keeps its suffix). */
function fullType(name) {
	return `${nodeNamed(name).package}.${name}`;
}

/** Whether a full node type (`<package>.<node>`) belongs to one of our packages. */
function isOurType(type) {
	return PACKAGE_NAMES.some((pkg) => String(type).startsWith(`${pkg}.`));
}

/** The package that ships a full node type (`<package>.<node>`, also its `…Tool` variant). */
function packageOfType(type) {
	const pkg = PACKAGE_NAMES.find((p) => String(type).startsWith(`${p}.`));
	if (!pkg) throw new Error(`${type} is not a node type of ours`);
	return packageNamed(pkg);
}

/** A credential type by its name (`upCloudApi`); throws for a type no package ships. */
function credentialNamed(name) {
	const credential = CREDENTIALS.find((c) => c.name === name);
	if (!credential) throw new Error(`no package of ours ships a credential type ${name} (${CREDENTIALS.map((c) => c.name).join(', ')})`);
	return credential;
}

/** What the root package.json's `n8n` section must be: every package's nodes and credentials. */
function rootN8n() {
	return {
		n8nNodesApiVersion: 1,
		strict: true,
		credentials: CREDENTIALS.map((c) => c.entry),
		nodes: NODES.map((n) => n.entry),
	};
}

module.exports = {
	ROOT,
	PACKAGES,
	PACKAGE_NAMES,
	NODES,
	ACTION_NODES,
	CREDENTIALS,
	packageNamed,
	nodeNamed,
	fullType,
	isOurType,
	packageOfType,
	credentialNamed,
	rootN8n,
};

/**
 * As an AI agent tool, each operation is described to the model by n8n as "<action> in <node name>" (n8n-workflow's
 * NodeHelpers.getToolDescriptionForNode), and the node's default name as a tool is the same text, which becomes the
 * tool's name. So every `action` must say what the operation does and which input matters, in the user's words.
 */
import { NodeHelpers } from 'n8n-workflow';
import type { INode, INodeProperties, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';

import { UpCloud } from '../../nodes/UpCloud/UpCloud.node';
import { Upzelo } from '../../nodes/Upzelo/Upzelo.node';

interface Operation {
	node: string;
	resource: string;
	operation: string;
	action: string;
}

function operationsOf(description: INodeTypeDescription): Operation[] {
	return description.properties
		.filter((p: INodeProperties) => p.name === 'operation' && p.displayOptions?.show?.resource)
		.flatMap((p) =>
			(p.displayOptions!.show!.resource as string[]).flatMap((resource) =>
				(p.options as INodePropertyOptions[]).map((o) => ({
					node: description.defaults.name as string,
					resource,
					operation: String(o.value),
					action: String(o.action ?? ''),
				})),
			),
		);
}

const descriptions = [new UpCloud().description, new Upzelo().description];
const operations = descriptions.flatMap(operationsOf);

// Option values and parameter names of both nodes, and n8n's type names: none of them means anything to a model.
const internalNames = new Set<string>([
	...operations.flatMap((o) => [o.resource, o.operation]),
	...descriptions.flatMap((d) => d.properties.map((p) => p.name)),
	'upCloud',
	'upzelo',
]);
const isInternal = (word: string) => internalNames.has(word) && word !== word.toLowerCase();

// OpenAI's limit for a function name is 64 characters; " in UpCloud" takes 11 of them.
const MAX_ACTION = 53;

describe('tool descriptions: the action of every operation of both nodes', () => {
	it('covers every operation (56 of UpCloud, 20 of Upzelo)', () => {
		expect(operations.map((o) => o.node).join(' ')).toBe(`${'UpCloud '.repeat(56)}${'Upzelo '.repeat(20)}`.trim());
	});

	it('servers, storages, IP addresses and firewall rules: what deletes, stops, restarts or overwrites says so to the model (#22)', () => {
		const description = (resource: string, operation: string) => {
			const property = new UpCloud().description.properties.find(
				(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource),
			)!;
			return String((property.options as INodePropertyOptions[]).find((o) => o.value === operation)!.description);
		};
		const cases: Array<[string, string, RegExp]> = [
			['server', 'delete', /^DESTRUCTIVE: .*storages and backups are kept/],
			['server', 'stop', /^DISRUPTIVE: /],
			['server', 'restart', /^DISRUPTIVE: /],
			['storage', 'delete', /^DESTRUCTIVE: /],
			['storage', 'restoreBackup', /^DESTRUCTIVE: overwrite/],
			['ipAddress', 'delete', /^DESTRUCTIVE: /],
			['firewallRule', 'delete', /^DESTRUCTIVE: /],
		];
		for (const [resource, operation, pattern] of cases) expect(description(resource, operation)).toMatch(pattern);
		expect(description('server', 'start')).not.toMatch(/DESTRUCTIVE|DISRUPTIVE/);
	});

	it.each(operations.map((o) => [`${o.node} ${o.resource} → ${o.operation}`, o]))('%s: a sentence of at most 53 characters, no internal names', (_, o) => {
		const { action } = o as Operation;
		expect(action.length).toBeGreaterThan(0);
		expect(action.length).toBeLessThanOrEqual(MAX_ACTION);
		expect(action).toMatch(/^[A-Z]/);
		expect(action).not.toMatch(/[.]$/);
		const words = action.split(/[^A-Za-z_]+/).filter(Boolean);
		expect(words.filter(isInternal)).toEqual([]);
		expect(action).not.toMatch(/_|n8n/);
	});

	it('no two operations share a description', () => {
		const seen = new Map<string, string>();
		const duplicates: string[] = [];
		for (const o of operations) {
			const key = `${o.node}: ${o.action.toLowerCase()}`;
			if (seen.has(key)) duplicates.push(`${key} (${seen.get(key)} and ${o.resource}.${o.operation})`);
			seen.set(key, `${o.resource}.${o.operation}`);
		}
		expect(duplicates).toEqual([]);
	});

	it('operations that read or change one record by its ID or username say so', () => {
		const byId = operations.filter((o) => ['get', 'delete', 'update', 'anonymize'].includes(o.operation));
		expect(byId.filter((o) => !/\bby (its )?(ID|username)\b/.test(o.action)).map((o) => `${o.node} ${o.resource}.${o.operation}: ${o.action}`)).toEqual([]);
	});

	it('n8n describes the tool as "<action> in <node>" (what the model reads), e.g. Get Current and Customer → Get', () => {
		const tool = (type: string, parameters: INode['parameters']) => ({ id: 't', name: 't', type, typeVersion: 1, position: [0, 0], parameters }) as INode;
		const upCloud = new UpCloud();
		const upzelo = new Upzelo();
		expect(NodeHelpers.getToolDescriptionForNode(tool('n8n-nodes-upcloud.upCloudTool', { resource: 'account', operation: 'getCurrent' }), upCloud)).toBe(
			'Get credits and resource limits of the account in UpCloud',
		);
		expect(NodeHelpers.getToolDescriptionForNode(tool('n8n-nodes-upzelo.upzeloTool', { resource: 'customer', operation: 'get' }), upzelo)).toBe(
			'Get a customer by ID in Upzelo',
		);
	});

	it('Get Current tells the unit of credits and the added credits_in_currency field', () => {
		const op = (new UpCloud().description.properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes('account'))!
			.options as INodePropertyOptions[]).find((o) => o.value === 'getCurrent')!;
		expect(op.description).toMatch(/hundredths of the account currency; credits_in_currency/);
	});
});

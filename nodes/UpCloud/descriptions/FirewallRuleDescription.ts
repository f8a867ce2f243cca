import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { toText } from '../../shared/coercion';
import { validatedBy } from '../../shared/declarative';
import { InputRuleError } from '../../shared/rules';
import { operationParameter } from '../../shared/operations';
import {
	assertAddressRange,
	assertPortRange,
	assertPosition,
	assertWhole,
	given,
	ICMP_TYPE,
	type IpFamily,
} from '../infrastructureRules';
import { answerIn, collection, familyProperty, uuidLocator, uuidParameter } from './infrastructureFields';

/**
 * Firewall rules of a server (API 1.3 chapter 11), numbered by position 1–1000. They apply only while the
 * server's firewall is on (Server → Update → Firewall). The firewall is stateless: allow replies too. Numbers go
 * as strings, as UpCloud answers them.
 */

const show = (operation: string[]) => ({ show: { resource: ['firewallRule'], operation } });

const rulesPath = (withPosition: boolean) =>
	validatedBy(function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		const server = encodeURIComponent(uuidParameter.call(this, 'serverId', 'Server'));
		const position = withPosition ? `/${assertPosition('Position', this.getNodeParameter('position'))}` : '';
		requestOptions.url = `/server/${server}/firewall_rule${position}`;
	});

const buildCreate = validatedBy(function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	const extra = collection.call(this, 'additionalFields');
	const family: IpFamily = this.getNodeParameter('family', 'IPv4') === 'IPv6' ? 'IPv6' : 'IPv4';
	const rule: IDataObject = {
		direction: this.getNodeParameter('direction') === 'out' ? 'out' : 'in',
		action: String(this.getNodeParameter('action')),
		family,
	};
	const protocol = given(extra, 'protocol') ? String(extra.protocol) : undefined;
	if (protocol) rule.protocol = protocol;
	if (given(extra, 'icmpType')) {
		if (protocol !== 'icmp') throw new InputRuleError('ICMP Type', 'applies only with Protocol ICMP (UpCloud: ICMP_TYPE_PROTOCOL_MISMATCH)');
		rule.icmp_type = String(assertWhole('ICMP Type', extra.icmpType, ICMP_TYPE.min, ICMP_TYPE.max));
	}
	for (const side of ['source', 'destination'] as const) {
		const Side = side === 'source' ? 'Source' : 'Destination';
		const addresses = assertAddressRange(
			`${Side} Address Start`,
			extra[`${side}AddressStart`],
			`${Side} Address End`,
			extra[`${side}AddressEnd`],
			family,
		);
		if (addresses) [rule[`${side}_address_start`], rule[`${side}_address_end`]] = addresses;
		const ports = assertPortRange(`${Side} Port Start`, extra[`${side}PortStart`], `${Side} Port End`, extra[`${side}PortEnd`]);
		if (ports) {
			if (protocol !== 'tcp' && protocol !== 'udp') {
				throw new InputRuleError(`${Side} Port Start`, 'applies only with Protocol TCP or UDP (UpCloud: PORT_PROTOCOL_MISMATCH)');
			}
			rule[`${side}_port_start`] = String(ports[0]);
			rule[`${side}_port_end`] = String(ports[1]);
		}
	}
	if (given(extra, 'position')) rule.position = String(assertPosition('Position', extra.position));
	if (given(extra, 'comment')) {
		const comment = toText('Comment', extra.comment, { required: true });
		if (comment.length > 250) throw new InputRuleError('Comment', `must be at most 250 characters (got ${comment.length})`);
		rule.comment = comment;
	}
	requestOptions.body = { firewall_rule: rule };
});

async function deleted(this: IExecuteSingleFunctions): Promise<INodeExecutionData[]> {
	return [
		{
			json: {
				success: true,
				server: uuidParameter.call(this, 'serverId', 'Server'),
				position: assertPosition('Position', this.getNodeParameter('position')),
			},
		},
	];
}

export const firewallRuleOperations: INodeProperties[] = [
	operationParameter('firewallRule', 'getAll', [
		{
			name: 'Create',
			value: 'create',
			action: 'Add a firewall rule to a server',
			description: 'Add a rule to a server\'s firewall (appended, or inserted at a position); rules apply only with the firewall on',
			routing: {
				request: { method: 'POST' },
				send: { preSend: [rulesPath(false), buildCreate] },
				output: { postReceive: [answerIn('firewall_rule')] },
			},
		},
		{
			name: 'Delete',
			value: 'delete',
			action: 'Delete a firewall rule by its ID',
			description: 'DESTRUCTIVE: remove the rule at a position (its ID) from a server\'s firewall; the rules after it move up one position',
			routing: {
				request: { method: 'DELETE' },
				send: { preSend: [rulesPath(true)] },
				output: { postReceive: [deleted] },
			},
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get a firewall rule by its ID',
			description: 'Get the rule at a position (its ID, 1–1000) of a server\'s firewall',
			routing: {
				request: { method: 'GET' },
				send: { preSend: [rulesPath(true)] },
				output: { postReceive: [answerIn('firewall_rule')] },
			},
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get the firewall rules of a server',
			description: 'List a server\'s firewall rules in order of position',
			routing: {
				request: { method: 'GET' },
				send: { preSend: [rulesPath(false)] },
				output: { postReceive: [answerIn('firewall_rules.firewall_rule')] },
			},
		},
	]),
];

const port = (displayName: string, name: string): INodeProperties => ({
	displayName,
	name,
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 65535, numberPrecision: 0 },
	default: 443,
	description: '1–65535; TCP and UDP only. Start alone means that one port.',
});

const address = (displayName: string, name: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	placeholder: '203.0.113.10',
	description: 'An address of the rule\'s family; give Start alone for one address',
});

export const firewallRuleFields: INodeProperties[] = [
	uuidLocator('Server', 'serverId', 'searchServers', show(['getAll', 'get', 'create', 'delete']), 'The server whose firewall this is'),
	{
		displayName: 'Position',
		name: 'position',
		type: 'number',
		required: true,
		typeOptions: { minValue: 1, maxValue: 1000, numberPrecision: 0 },
		default: 1,
		displayOptions: show(['get', 'delete']),
		description: 'The rule\'s position, 1–1000',
	},
	{
		displayName: 'Direction',
		name: 'direction',
		type: 'options',
		required: true,
		default: 'in',
		displayOptions: show(['create']),
		options: [
			{ name: 'In', value: 'in', description: 'Traffic to the server' },
			{ name: 'Out', value: 'out', description: 'Traffic from the server' },
		],
	},
	{
		displayName: 'Action',
		name: 'action',
		type: 'options',
		required: true,
		default: 'accept',
		displayOptions: show(['create']),
		description: 'What happens to matching traffic: accept it, drop it silently, or reject it with an answer',
		options: [
			{ name: 'Accept', value: 'accept' },
			{ name: 'Drop', value: 'drop' },
			{ name: 'Reject', value: 'reject' },
		],
	},
	familyProperty(show(['create'])),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(['create']),
		options: [
			{
				displayName: 'Comment',
				name: 'comment',
				type: 'string',
				default: '',
				description: 'A note on the rule, up to 250 characters',
			},
			address('Destination Address End', 'destinationAddressEnd'),
			address('Destination Address Start', 'destinationAddressStart'),
			port('Destination Port End', 'destinationPortEnd'),
			port('Destination Port Start', 'destinationPortStart'),
			{
				displayName: 'ICMP Type',
				name: 'icmpType',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 255, numberPrecision: 0 },
				default: 8,
				description: '0–255, with Protocol ICMP only (8 is echo request)',
			},
			{
				displayName: 'Position',
				name: 'position',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1000, numberPrecision: 0 },
				default: 1,
				description: 'Insert at this position, 1–1000 (default: append after the last rule)',
			},
			{
				displayName: 'Protocol',
				name: 'protocol',
				type: 'options',
				default: 'tcp',
				options: [
					{ name: 'ICMP', value: 'icmp' },
					{ name: 'TCP', value: 'tcp' },
					{ name: 'UDP', value: 'udp' },
				],
			},
			address('Source Address End', 'sourceAddressEnd'),
			address('Source Address Start', 'sourceAddressStart'),
			port('Source Port End', 'sourcePortEnd'),
			port('Source Port Start', 'sourcePortStart'),
		],
	},
];

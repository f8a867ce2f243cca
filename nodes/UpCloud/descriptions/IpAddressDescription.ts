import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { toText } from '../../shared/coercion';
import { validatedBy } from '../../shared/declarative';
import { assertUpdateFields, InputRuleError } from '../../shared/rules';
import { operationParameter } from '../../shared/operations';
import { assertHostname, assertIpAddress, assertMac, assertUuid, assertZone, given } from '../infrastructureRules';
import { answerIn, collection, familyProperty, uuidLocator } from './infrastructureFields';

/**
 * IP addresses (API 1.3 chapter 10): {"ip_address":{…}}, lists {"ip_addresses":{"ip_address":[…]}}. Modify is a
 * PATCH (recorded). Floating addresses are IPv4 only and belong to a zone.
 */

const show = (operation: string[]) => ({ show: { resource: ['ipAddress'], operation } });

function addressOf(this: IExecuteSingleFunctions): string {
	return assertIpAddress('Address', this.getNodeParameter('address'));
}

// Encoded like every URL value (an IPv6 address's colons become %3A; UpCloud's recording sent them raw, and an
// HTTP server decodes both alike).
const addressPath = validatedBy(function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	requestOptions.url = `/ip_address/${encodeURIComponent(addressOf.call(this))}`;
});

const buildCreate = validatedBy(function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	const extra = collection.call(this, 'additionalFields');
	const family = this.getNodeParameter('family', 'IPv4') === 'IPv6' ? 'IPv6' : 'IPv4';
	const floating = extra.floating === true;
	const body: IDataObject = { family };
	const serverValue = this.getNodeParameter('serverId', '', { extractValue: true });
	const hasServer = serverValue !== undefined && serverValue !== null && String(serverValue).trim() !== '';
	if (floating) {
		if (family !== 'IPv4') throw new InputRuleError('Family', 'must be IPv4 for a floating IP address (UpCloud has no floating IPv6)');
		body.floating = 'yes';
		if (!given(extra, 'mac') && !given(extra, 'zone')) {
			throw new InputRuleError('Zone', 'or MAC is required for a floating IP address: the MAC picks the server, the zone leaves it unattached');
		}
		if (given(extra, 'mac')) body.mac = assertMac('MAC', extra.mac);
		if (given(extra, 'zone')) body.zone = assertZone('Zone', extra.zone);
	} else {
		if (!hasServer) throw new InputRuleError('Server', 'is required unless Floating is on');
		body.access = extra.access === 'utility' ? 'utility' : 'public';
		if (given(extra, 'mac')) body.mac = assertMac('MAC', extra.mac);
		if (given(extra, 'zone')) body.zone = assertZone('Zone', extra.zone);
	}
	if (hasServer) body.server = assertUuid('Server', serverValue);
	requestOptions.body = { ip_address: body };
});

const buildUpdate = validatedBy(function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	const fields = collection.call(this, 'updateFields');
	assertUpdateFields(fields);
	const body: IDataObject = {};
	if (given(fields, 'ptrRecord')) body.ptr_record = assertHostname('PTR Record', fields.ptrRecord);
	if (given(fields, 'mac')) {
		// "none" detaches a floating address ({"mac":null}, recorded).
		const text = toText('MAC', fields.mac, { required: true });
		body.mac = text.toLowerCase() === 'none' ? null : assertMac('MAC', text);
	}
	if (Object.keys(body).length === 0) throw new InputRuleError('Update Fields', 'must contain at least one field to change');
	requestOptions.body = { ip_address: body };
});

async function deleted(this: IExecuteSingleFunctions): Promise<INodeExecutionData[]> {
	return [{ json: { success: true, address: addressOf.call(this) } }];
}

const unwrapOne = { type: 'rootProperty' as const, properties: { property: 'ip_address' } };

export const ipAddressOperations: INodeProperties[] = [
	operationParameter('ipAddress', 'getAll', [
		{
			name: 'Create',
			value: 'create',
			action: 'Add an IP address to a server or as floating',
			description: 'Assign a new public or utility IPv4/IPv6 address to a server, or a floating IPv4 address in a zone',
			routing: {
				request: { method: 'POST', url: '/ip_address' },
				send: { preSend: [buildCreate] },
				output: { postReceive: [unwrapOne] },
			},
		},
		{
			name: 'Delete',
			value: 'delete',
			action: 'Delete an IP address by its ID',
			description: 'DESTRUCTIVE: release an IP address (the address is its ID) from the account; it may not come back',
			routing: {
				request: { method: 'DELETE' },
				send: { preSend: [addressPath] },
				output: { postReceive: [deleted] },
			},
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get an IP address by its ID',
			description: 'Get the details of an IP address (the address is its ID): server, access, family, PTR record, floating',
			routing: {
				request: { method: 'GET' },
				send: { preSend: [addressPath] },
				output: { postReceive: [unwrapOne] },
			},
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many IP addresses of the account',
			description: 'List every IP address of the account with its server, access, family and PTR record',
			routing: {
				request: { method: 'GET', url: '/ip_address' },
				output: { postReceive: [answerIn('ip_addresses.ip_address')] },
			},
		},
		{
			name: 'Update',
			value: 'update',
			action: 'Update an IP address by its ID',
			description: 'Set the PTR record of an IP address (the address is its ID), or move a floating one to another server by MAC',
			routing: {
				request: { method: 'PATCH' },
				send: { preSend: [addressPath, buildUpdate] },
				output: { postReceive: [unwrapOne] },
			},
		},
	]),
];

const serverLocator = uuidLocator('Server', 'serverId', 'searchServers', show(['create']), 'The server the address is added to; required unless Floating is on');
serverLocator.required = false;

export const ipAddressFields: INodeProperties[] = [
	{
		displayName: 'Address',
		name: 'address',
		type: 'string',
		required: true,
		default: '',
		placeholder: '94.237.104.102',
		displayOptions: show(['get', 'update', 'delete']),
		description: 'The IPv4 or IPv6 address',
	},
	familyProperty(show(['create'])),
	serverLocator,
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(['create']),
		options: [
			{
				displayName: 'Access',
				name: 'access',
				type: 'options',
				default: 'public',
				options: [
					{ name: 'Public', value: 'public' },
					{ name: 'Utility', value: 'utility' },
				],
			},
			{
				displayName: 'Floating',
				name: 'floating',
				type: 'boolean',
				default: false,
				description: 'Whether the address is a floating IPv4 address that can move between servers of a zone',
			},
			{
				displayName: 'MAC',
				name: 'mac',
				type: 'string',
				default: '',
				placeholder: 'ee:1b:db:ca:56:4a',
				description: 'MAC of the server\'s network interface that gets the floating address',
			},
			{
				displayName: 'Zone',
				name: 'zone',
				type: 'string',
				default: '',
				placeholder: 'fi-hel2',
				description: 'Zone of a floating address that is not attached to a server yet',
			},
		],
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(['update']),
		options: [
			{
				displayName: 'MAC',
				name: 'mac',
				type: 'string',
				default: '',
				placeholder: 'ee:1b:db:ca:56:4a',
				description: 'Floating addresses only: the MAC of the interface to move it to, or "none" to detach it',
			},
			{
				displayName: 'PTR Record',
				name: 'ptrRecord',
				type: 'string',
				default: '',
				placeholder: 'web-1.example.com',
				description: 'The reverse DNS name of the address',
			},
		],
	},
];

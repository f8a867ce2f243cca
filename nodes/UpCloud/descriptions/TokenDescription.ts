import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { splitArrayBody, validatedBy } from '../../shared/declarative';
import { toRfc3339Utc } from '../../shared/dates';
import { operationParameter } from '../../shared/operations';
import { MAX_PAGE_SIZE } from '../pagination';
import { returnAllAndLimit } from './fields';
import {
	assertDateTime,
	assertExpiry,
	assertIpRanges,
	assertPageSize,
	assertTokenId,
	assertTokenName,
} from '../validation';

/**
 * API tokens (`/account/tokens`). Unlike most of API 1.3 this service sends bodies without an envelope, lists
 * as a bare array paged by limit/offset, and errors as RFC 7807 problem+json. A token cannot be modified:
 * rotating one is Create a new one, then Delete the old one.
 */

const show = (operation: string[]) => ({ show: { resource: ['token'], operation } });

/** The token ID of Get and Delete, picked from the list or given (a resource locator, or a plain string). */
function tokenIdOf(this: IExecuteSingleFunctions): string {
	return assertTokenId('Token', this.getNodeParameter('tokenId', '', { extractValue: true }));
}

const tokenPath = validatedBy(function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	requestOptions.url = `/account/tokens/${encodeURIComponent(tokenIdOf.call(this))}`;
});

/** Delete answers 204 with no body. */
async function deletedToken(this: IExecuteSingleFunctions): Promise<INodeExecutionData[]> {
	return [{ json: { success: true, id: tokenIdOf.call(this) } }];
}

/**
 * Checks Create's documented rules and sends the expiry as RFC 3339 in UTC, as the docs' example does; the
 * date-time picker gives wall-clock time in the workflow's time zone. `expires_in` (a duration) is never sent:
 * the docs leave its syntax and its combination with expires_at unclear, and UpCloud's own CLI turns durations
 * into expires_at too.
 */
const checkCreate = validatedBy(function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	assertTokenName('Name', this.getNodeParameter('name'));
	const expiresAt = assertDateTime('Expires At', this.getNodeParameter('expiresAt'), this.getTimezone());
	assertExpiry('Expires At', expiresAt, new Date());
	const additionalFields = this.getNodeParameter('additionalFields', {}) as IDataObject;
	if (additionalFields.allowedIpRanges !== undefined) {
		assertIpRanges('Allowed IP Ranges', additionalFields.allowedIpRanges);
	}
	requestOptions.body = { ...(requestOptions.body as IDataObject), expires_at: toRfc3339Utc(expiresAt) };
});

export const tokenOperations: INodeProperties[] = [
	operationParameter('token', 'create', [
		{
			name: 'Create',
			value: 'create',
			action: 'Create an API token with a name and expiry date',
			description:
				'Create a Bearer API token with an expiry date and optional IP allow-list; the output holds its secret (token, ucat_…), which UpCloud shows only this once',
			routing: {
				request: { method: 'POST', url: '/account/tokens' },
				send: { preSend: [checkCreate] },
			},
		},
		{
			name: 'Delete',
			value: 'delete',
			action: 'Delete an API token by its ID to revoke it',
			description: 'Delete (revoke) an API token by its ID; UpCloud may accept it for up to about a minute after',
			routing: {
				request: { method: 'DELETE' },
				send: { preSend: [tokenPath] },
				output: { postReceive: [deletedToken] },
			},
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get the details of an API token by its ID',
			description: 'Get the details of an API token by its ID (name, expiry, last use, IP allow-list), never its secret',
			routing: {
				request: { method: 'GET' },
				send: { preSend: [tokenPath] },
			},
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many API tokens of the account without secrets',
			description:
				'List the API tokens of the credential\'s account with their IDs, expiry and last use, never their secrets',
			routing: {
				request: { method: 'GET', url: '/account/tokens' },
				send: {
					preSend: [
						validatedBy(function () {
							if (!this.getNodeParameter('returnAll', false)) {
								assertPageSize('Limit', this.getNodeParameter('limit', 50), MAX_PAGE_SIZE);
							}
						}),
					],
				},
				// A bare array, one item per token; paged by paginateByOffset (see UpCloud.node.ts).
				output: { postReceive: [splitArrayBody] },
			},
		},
	]),
];

export const tokenFields: INodeProperties[] = [
	{
		displayName:
			'The output contains the new token\'s secret ("token", starting with ucat_). This is the only operation that ever outputs it, and UpCloud shows it only this once: store it right away (e.g. in an UpCloud Token API credential or a secrets manager) and do not pass it on to nodes that log or post their input.',
		name: 'secretNotice',
		type: 'notice',
		default: '',
		displayOptions: show(['create']),
	},
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. n8n-billing-reports',
		displayOptions: show(['create']),
		description: '1–1024 characters; need not be unique. Name it after what uses it.',
		routing: { send: { type: 'body', property: 'name', value: '={{ String($value).trim() }}' } },
	},
	{
		displayName: 'Expires At',
		name: 'expiresAt',
		type: 'dateTime',
		required: true,
		default: '',
		displayOptions: show(['create']),
		description:
			'When the token stops working: in the future and at most 8760 hours (365 days) away; sent as RFC 3339 UTC',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(['create']),
		options: [
			{
				displayName: 'Allowed IP Ranges',
				name: 'allowedIpRanges',
				type: 'string',
				typeOptions: { multipleValues: true, multipleValueButtonText: 'Add IP Range' },
				default: [],
				placeholder: '203.0.113.0/24',
				description:
					'Addresses the token is accepted from: up to 100 IPv4/IPv6 addresses or CIDR blocks (0.0.0.0/0 and ::/0 allow all). Leave out to use the account\'s IP filters (or allow all when it has none).',
				// Sent only when a range is given: an empty list would make a token that works from nowhere.
				routing: {
					send: {
						type: 'body',
						property: 'allowed_ip_ranges',
						value: '={{ Array.isArray($value) && $value.length > 0 ? $value.map(range => String(range).trim()) : undefined }}',
					},
				},
			},
			{
				displayName: 'Can Create Tokens',
				name: 'canCreateTokens',
				type: 'boolean',
				default: false,
				description: 'Whether the new token may itself create tokens (UpCloud\'s default is no)',
				routing: { send: { type: 'body', property: 'can_create_tokens' } },
			},
		],
	},
	{
		displayName: 'Token',
		name: 'tokenId',
		type: 'resourceLocator',
		required: true,
		default: { mode: 'list', value: '' },
		displayOptions: show(['get', 'delete']),
		description: 'The API token: picked by name, or its ID (a UUID from Create or Get Many), never its ucat_ secret',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchTokens', searchable: true },
			},
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: '0c8bc50b-968e-4dc3-b9c2-1a4a5298b652' },
		],
	},
	...returnAllAndLimit('token', 'getAll', { pageSize: MAX_PAGE_SIZE }),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(['getAll']),
		options: [
			{
				displayName: 'GUI Tokens',
				name: 'gui',
				type: 'options',
				default: 'all',
				description: 'Tokens of Control Panel sessions, which cannot be used outside it',
				options: [
					{ name: 'All Tokens', value: 'all', description: 'API and GUI session tokens alike' },
					{ name: 'Exclude GUI Tokens', value: 'exclude', description: 'Only API tokens (gui=false)' },
					{ name: 'Only GUI Tokens', value: 'only', description: 'Only GUI session tokens (gui=true)' },
				],
				routing: {
					send: { type: 'query', property: 'gui', value: '={{ { "only": true, "exclude": false }[$value] }}' },
				},
			},
			{
				displayName: 'Sort',
				name: 'sort',
				type: 'options',
				default: '-created_at',
				description: 'Order of the tokens',
				options: [
					{ name: 'Created (Newest First)', value: '-created_at' },
					{ name: 'Created (Oldest First)', value: '+created_at' },
					{ name: 'Expires (Latest First)', value: '-expires_at' },
					{ name: 'Expires (Soonest First)', value: '+expires_at' },
					{ name: 'Last Used (Least Recently First)', value: '+last_used_at' },
					{ name: 'Last Used (Most Recently First)', value: '-last_used_at' },
					{ name: 'Name (A to Z)', value: '+name' },
					{ name: 'Name (Z to A)', value: '-name' },
				],
				// The "+" of ascending orders must arrive as %2B, not as a space; the request encodes it.
				routing: { send: { type: 'query', property: 'sort' } },
			},
		],
	},
];

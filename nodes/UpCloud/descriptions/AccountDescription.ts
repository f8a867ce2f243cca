import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { toText } from '../../shared/coercion';
import { failingItemOnApiError, validatedBy } from '../../shared/declarative';
import { operationParameter } from '../../shared/operations';
import { apiUsername } from '../apiUser';
import { readBackAccount } from '../transport';
import { assertPathSegment, assertUpdateFields } from '../../shared/rules';
import { accountAttributeOptions, assertAccountAttributes } from './accountAttributes';
import { returnAllAndLimit } from './fields';
import { addCreditsInCurrency } from '../output';

const show = (operation: string[]) => ({ show: { resource: ['account'], operation } });

/**
 * Update targets the named account, or the credential's own API user when Username is empty (with an API
 * token, the username GET /account gives).
 */
async function usernameToUpdate(this: IExecuteSingleFunctions): Promise<string> {
	const username = toText('Username', this.getNodeParameter('username', ''));
	if (username) return username;
	return await apiUsername.call(this);
}

export const accountOperations: INodeProperties[] = [
	operationParameter('account', 'getCurrent', [
		{
			name: 'Get Current',
			value: 'getCurrent',
			action: 'Get credits and resource limits of the account',
			description:
				'Get the credits and resource limits of the account the credential belongs to. Credits are in hundredths of the account currency; credits_in_currency is the same amount in the currency.',
			routing: {
				request: { method: 'GET', url: '/account' },
				output: { postReceive: [{ type: 'rootProperty', properties: { property: 'account' } }, addCreditsInCurrency] },
			},
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many accounts including subaccounts',
			description: 'List the main account and its subaccounts (main account only)',
			routing: {
				request: { method: 'GET', url: '/account/list' },
				output: { postReceive: [{ type: 'rootProperty', properties: { property: 'accounts.account' } }] },
			},
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get the details of an account by username',
			description: 'Get the details of an account',
			routing: {
				request: { method: 'GET', url: '=/account/details/{{ encodeURIComponent(String($parameter.username ?? "").trim()) }}' },
				send: {
					preSend: [
						validatedBy(function () {
							assertPathSegment('Username', this.getNodeParameter('username'));
						}),
					],
				},
				output: { postReceive: [{ type: 'rootProperty', properties: { property: 'account' } }] },
			},
		},
		{
			name: 'Update',
			value: 'update',
			action: 'Update the details of an account by username',
			description: 'Modify the details of an account (yours, or a subaccount\'s)',
			routing: {
				request: { method: 'PUT' },
				send: {
					preSend: [
						validatedBy(async function () {
							const username = toText('Username', this.getNodeParameter('username', ''));
							if (username) assertPathSegment('Username', username);
							const updateFields = this.getNodeParameter('updateFields', {}) as IDataObject;
							assertUpdateFields(updateFields);
							assertAccountAttributes(updateFields);
						}),
						// $credentials is not available in an operation's routing, so the default is applied here;
						// with a token it takes a GET /account, whose failure fails only this item.
						failingItemOnApiError(async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
							requestOptions.url = `/account/details/${encodeURIComponent(await usernameToUpdate.call(this))}`;
							return requestOptions;
						}),
					],
				},
				output: { postReceive: [readBackAccount(usernameToUpdate)] },
			},
		},
	]),
];

export const accountFields: INodeProperties[] = [
	{
		displayName: 'Username',
		name: 'username',
		type: 'string',
		required: true,
		default: '',
		displayOptions: show(['get']),
		description: 'The account to read; a subaccount may read only its own details',
	},
	{
		displayName: 'Username',
		name: 'username',
		type: 'string',
		default: '',
		displayOptions: show(['update']),
		description:
			'The account to modify; leave empty to modify the credential\'s own account (with an API token, the account that owns the token)',
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(['update']),
		options: accountAttributeOptions('account'),
	},
	...returnAllAndLimit('account', 'getAll'),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show(['getAll']),
		options: [
			{
				displayName: 'Labels',
				name: 'labels',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Label',
				default: {},
				description: 'Only accounts that have all of these labels; keys match case-insensitively',
				options: [
					{
						displayName: 'Label',
						name: 'label',
						values: [
							{ displayName: 'Key', name: 'key', type: 'string', default: '' },
							{
								displayName: 'Value',
								name: 'value',
								type: 'string',
								default: '',
								description: 'Leave empty to match any account that has the key',
							},
						],
					},
				],
				routing: {
					send: {
						type: 'query',
						property: 'label',
						value: '={{ ($value.label || []).filter(l => l.key).map(l => l.value ? l.key + "=" + l.value : l.key) }}',
					},
				},
			},
		],
	},
];

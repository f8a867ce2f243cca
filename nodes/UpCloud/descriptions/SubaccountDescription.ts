import type { IDataObject, IExecuteSingleFunctions, INodeProperties } from 'n8n-workflow';

import { toText } from '../../shared/coercion';
import { validatedBy } from '../../shared/declarative';
import { operationParameter } from '../../shared/operations';
import { readBackAccount } from '../transport';
import { assertUsername } from '../validation';
import { assertPathSegment } from '../../shared/rules';
import { accountAttribute, accountAttributeOptions, assertAccountAttributes } from './accountAttributes';
import { newUsernameField } from './fields';

const show = (operation: string[]) => ({ show: { resource: ['subaccount'], operation } });

// Required by UpCloud's "Add subaccount" table besides username; the rest go in Additional Fields.
const REQUIRED_ON_CREATE = ['email', 'phone', 'currency', 'language', 'timezone'];

export const subaccountOperations: INodeProperties[] = [
	operationParameter('subaccount', 'create', [
		{
			name: 'Create',
			value: 'create',
			action: 'Create a subaccount with username and contact details',
			description: 'Add a subaccount under the main account',
			routing: {
				request: { method: 'POST', url: '/account/sub' },
				send: {
					preSend: [
						validatedBy(function () {
							assertUsername('Username', this.getNodeParameter('username'));
							const values: IDataObject = {
								...(this.getNodeParameter('additionalFields', {}) as IDataObject),
							};
							for (const name of REQUIRED_ON_CREATE) values[name] = this.getNodeParameter(name);
							assertAccountAttributes(values);
						}),
					],
				},
				// 204 with no body: read the new subaccount back.
				output: {
					postReceive: [
						readBackAccount(function (this: IExecuteSingleFunctions) {
							return toText('Username', this.getNodeParameter('username'), { required: true });
						}),
					],
				},
			},
		},
		{
			name: 'Delete',
			value: 'delete',
			action: 'Delete a subaccount by username',
			routing: {
				request: { method: 'DELETE', url: '=/account/sub/{{ encodeURIComponent(String($parameter.username ?? "").trim()) }}' },
				send: {
					preSend: [
						validatedBy(function () {
							assertPathSegment('Username', this.getNodeParameter('username'));
						}),
					],
				},
				output: {
					postReceive: [
						{
							type: 'set',
							properties: { value: '={{ { "success": true, "username": String($parameter.username ?? "").trim() } }}' },
						},
					],
				},
			},
		},
	]),
];

export const subaccountFields: INodeProperties[] = [
	newUsernameField('sub_account.username', show(['create'])),
	{
		displayName: 'Password',
		name: 'password',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		displayOptions: show(['create']),
		// The docs mark the password optional for subaccounts; sent only when given.
		description: 'Password of the new subaccount (optional per UpCloud\'s docs)',
		routing: { send: { type: 'body', property: 'sub_account.password', value: '={{ $value === "" || $value == null ? undefined : String($value) }}' } },
	},
	...REQUIRED_ON_CREATE.map((name) =>
		accountAttribute(name, 'sub_account', { required: true, displayOptions: show(['create']) }),
	),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(['create']),
		options: accountAttributeOptions('sub_account', REQUIRED_ON_CREATE),
	},
	{
		displayName: 'Username',
		name: 'username',
		type: 'string',
		required: true,
		default: '',
		displayOptions: show(['delete']),
		description: 'The subaccount to delete',
	},
];

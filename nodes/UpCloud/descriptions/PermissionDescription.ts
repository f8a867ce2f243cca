import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { validatedBy } from '../../shared/declarative';
import { operationParameter } from '../../shared/operations';
import { assertPresent, InputRuleError } from '../../shared/rules';
import { assertUsername } from '../validation';
import { returnAllAndLimit } from './fields';

/**
 * Permissions (`/permission`): which resources a subaccount may use. Grant and Revoke take the same
 * {"permission":{target_identifier,target_type,user,options?}} body; errors use the legacy {"error":{…}} format.
 */

const show = (operation: string[]) => ({ show: { resource: ['permission'], operation } });

// "options" ({"storage":"yes"}) applies to these target types only.
const WITH_STORAGE = ['server', 'tag_access'];

/** The permission the Grant or Revoke parameters describe, as UpCloud's body names its fields. */
function permissionOf(this: IExecuteSingleFunctions): IDataObject {
	const additionalFields = this.getNodeParameter('additionalFields', {}) as IDataObject;
	return {
		target_identifier: String(this.getNodeParameter('targetIdentifier')).trim(),
		target_type: this.getNodeParameter('targetType') as string,
		user: String(this.getNodeParameter('username')).trim(),
		...(additionalFields.storage === true ? { options: { storage: 'yes' } } : {}),
	};
}

const sendPermission = validatedBy(function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	assertUsername('Username', this.getNodeParameter('username'));
	assertPresent('Target Identifier', this.getNodeParameter('targetIdentifier'));
	const additionalFields = this.getNodeParameter('additionalFields', {}) as IDataObject;
	const targetType = this.getNodeParameter('targetType') as string;
	if (additionalFields.storage === true && !WITH_STORAGE.includes(targetType)) {
		throw new InputRuleError('Storage', 'applies only to the Server and Tag Access target types');
	}
	requestOptions.body = { permission: permissionOf.call(this) };
});

/** Revoke answers 204 with no body: output what was revoked. */
async function revokedPermission(this: IExecuteSingleFunctions): Promise<INodeExecutionData[]> {
	return [{ json: { success: true, ...permissionOf.call(this) } }];
}

export const permissionOperations: INodeProperties[] = [
	operationParameter('permission', 'getAll', [
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many permissions of subaccounts',
			description:
				'List which resources subaccounts may use (a subaccount sees only its own), optionally for one username',
			routing: {
				request: { method: 'GET', url: '/permission' },
				output: { postReceive: [{ type: 'rootProperty', properties: { property: 'permissions.permission' } }] },
			},
		},
		{
			name: 'Grant',
			value: 'grant',
			action: 'Grant a subaccount access to resources',
			description:
				'Let a subaccount use one resource, a tag\'s resources, or every resource of a type (main account only)',
			routing: {
				request: { method: 'POST', url: '/permission/grant' },
				send: { preSend: [sendPermission] },
				output: { postReceive: [{ type: 'rootProperty', properties: { property: 'permission' } }] },
			},
		},
		{
			name: 'Revoke',
			value: 'revoke',
			action: 'Revoke access to resources from a subaccount',
			description: 'Take back a permission from a subaccount; give exactly what was granted (main account only)',
			routing: {
				request: { method: 'POST', url: '/permission/revoke' },
				send: { preSend: [sendPermission] },
				output: { postReceive: [revokedPermission] },
			},
		},
	]),
];

const grantOrRevoke = show(['grant', 'revoke']);

export const permissionFields: INodeProperties[] = [
	{
		displayName: 'Username',
		name: 'username',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. ops_team',
		displayOptions: grantOrRevoke,
		description: 'The subaccount: 4–64 lowercase letters and digits, with single underscores between them',
	},
	{
		displayName: 'Target Type',
		name: 'targetType',
		type: 'options',
		default: 'server',
		displayOptions: grantOrRevoke,
		description: 'The kind of resource the permission is for',
		// The Go SDK's list plus managed_object_storage, which the docs' example shows.
		options: [
			{ name: 'Managed Database', value: 'managed_database' },
			{ name: 'Managed Load Balancer', value: 'managed_loadbalancer' },
			{ name: 'Managed Object Storage', value: 'managed_object_storage' },
			{ name: 'Network', value: 'network' },
			{ name: 'Object Storage', value: 'object_storage' },
			{ name: 'Router', value: 'router' },
			{ name: 'Server', value: 'server' },
			{ name: 'Storage', value: 'storage' },
			{ name: 'Tag Access', value: 'tag_access', description: 'The resources carrying a tag' },
		],
	},
	{
		displayName: 'Target Identifier',
		name: 'targetIdentifier',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 0ad9408c-8563-4abf-b862-dbde5b581123',
		displayOptions: grantOrRevoke,
		description: 'The resource\'s UUID, the tag name for Tag Access, or * for every resource of the type',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(['grant']),
		options: [
			{
				displayName: 'Skip Target Check',
				name: 'skipTargetCheck',
				type: 'boolean',
				default: false,
				description: 'Whether to grant without UpCloud checking that the target exists',
				routing: { send: { type: 'query', property: 'skip_target_check' } },
			},
			{
				displayName: 'Storage',
				name: 'storage',
				type: 'boolean',
				default: false,
				description: 'Whether the permission also covers the storage attached to the servers (Server and Tag Access only)',
			},
		],
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(['revoke']),
		options: [
			{
				displayName: 'Storage',
				name: 'storage',
				type: 'boolean',
				default: false,
				description: 'Whether the permission was granted with Storage: UpCloud\'s revoke takes the same body as the grant',
			},
		],
	},
	...returnAllAndLimit('permission', 'getAll'),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show(['getAll']),
		options: [
			{
				displayName: 'Username',
				name: 'username',
				type: 'string',
				default: '',
				description: 'Only the permissions of this account (UpCloud has no such query; the list is filtered here, as its CLI does)',
				routing: {
					output: {
						postReceive: [
							{
								type: 'filter',
								properties: { pass: '={{ !String($value).trim() || $responseItem.user === String($value).trim() }}' },
							},
						],
					},
				},
			},
		],
	},
];

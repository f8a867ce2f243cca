import type { INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { accountFields, accountOperations } from './descriptions/AccountDescription';
import { auditLogFields, auditLogOperations } from './descriptions/AuditLogDescription';
import { billingFields, billingOperations } from './descriptions/BillingDescription';
import { networkUsageFields, networkUsageOperations } from './descriptions/NetworkUsageDescription';
import { partnerAccountFields, partnerAccountOperations } from './descriptions/PartnerAccountDescription';
import { permissionFields, permissionOperations } from './descriptions/PermissionDescription';
import { subaccountFields, subaccountOperations } from './descriptions/SubaccountDescription';
import { tokenFields, tokenOperations } from './descriptions/TokenDescription';
import { baseUrlExpression } from '../shared/baseUrl';
import { responsePipeline } from '../shared/declarative';
import { requestOptionsProperty } from '../shared/properties';
import { UPCLOUD_URL } from './baseUrl';
import { searchTokens } from './listSearch';
import { paginateAuditLogs, paginateByOffset } from './pagination';
import { throwOnUpCloudError } from './transport';
import { authenticationProperty, credentialsByAuthentication } from './descriptions/authentication';

// Every parameter, in order; the first step of each request normalises them to their declared kinds.
const properties: INodeProperties[] = [
	authenticationProperty,
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Account', value: 'account' },
			{ name: 'API Token', value: 'token' },
			{ name: 'Audit Log', value: 'auditLog' },
			{ name: 'Billing', value: 'billing' },
			{ name: 'Network Usage', value: 'networkUsage' },
			{ name: 'Partner Account', value: 'partnerAccount' },
			{ name: 'Permission', value: 'permission' },
			{ name: 'Subaccount', value: 'subaccount' },
		],
		default: 'account',
	},
	...accountOperations,
	...accountFields,
	...subaccountOperations,
	...subaccountFields,
	...billingOperations,
	...billingFields,
	...networkUsageOperations,
	...networkUsageFields,
	...partnerAccountOperations,
	...partnerAccountFields,
	...tokenOperations,
	...tokenFields,
	...permissionOperations,
	...permissionFields,
	...auditLogOperations,
	...auditLogFields,
	// Settings → Request Options → Retry Transient Errors (n8n adds Batching, Proxy and Timeout to it).
	requestOptionsProperty,
];

export class UpCloud implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'UpCloud',
		name: 'upCloud',
		icon: { light: 'file:upcloud.svg', dark: 'file:upcloud.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Read and manage UpCloud accounts, subaccounts and their permissions, API tokens, billing, network usage and partner accounts, and read the audit log',
		defaults: { name: 'UpCloud' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialsByAuthentication,
		requestDefaults: {
			// The same URL upCloudGet asks for the read-backs, dropdowns and the trigger's readings.
			baseURL: baseUrlExpression(UPCLOUD_URL),
			headers: { Accept: 'application/json' },
			// Errors are turned into UpCloud's own code and message by the first postReceive step.
			ignoreHttpStatusErrors: true,
			// UpCloud repeats list parameters (label=a&label=b, zone=x&zone=y), never label[0]=a.
			arrayFormat: 'repeat',
		},
		properties: [
			// The API token and audit-log lists are paged with limit/offset; the others answer whole.
			responsePipeline([throwOnUpCloudError], {
				applies: (operation, resource) => (resource === 'token' || resource === 'auditLog') && operation === 'getAll',
				run: async function (requestData) {
					const auditLog = this.getNodeParameter('resource', '') === 'auditLog';
					return await (auditLog ? paginateAuditLogs : paginateByOffset).call(this, requestData);
				},
			}, { service: 'UpCloud', inputs: properties }),
			...properties,
		],
	};

	methods = {
		listSearch: { searchTokens },
	};
}

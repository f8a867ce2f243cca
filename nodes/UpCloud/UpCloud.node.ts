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
import { serverFields, serverOperations } from './descriptions/ServerDescription';
import { storageFields, storageOperations } from './descriptions/StorageDescription';
import { ipAddressFields, ipAddressOperations } from './descriptions/IpAddressDescription';
import { firewallRuleFields, firewallRuleOperations } from './descriptions/FirewallRuleDescription';
import { planOperations, zoneOperations } from './descriptions/ZonePlanDescription';
import { baseUrlExpression } from '../shared/baseUrl';
import { responsePipeline } from '../shared/declarative';
import { requestOptionsProperty } from '../shared/properties';
import { UPCLOUD_URL } from './baseUrl';
import { getPlans, getZones, searchBackups, searchServers, searchStorages, searchTemplates, searchTokens } from './listSearch';
import { paginateAuditLogs, paginateByOffset, paginateByUuid } from './pagination';
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
			{ name: 'Firewall Rule', value: 'firewallRule' },
			{ name: 'IP Address', value: 'ipAddress' },
			{ name: 'Network Usage', value: 'networkUsage' },
			{ name: 'Partner Account', value: 'partnerAccount' },
			{ name: 'Permission', value: 'permission' },
			{ name: 'Plan', value: 'plan' },
			{ name: 'Server', value: 'server' },
			{ name: 'Storage', value: 'storage' },
			{ name: 'Subaccount', value: 'subaccount' },
			{ name: 'Zone', value: 'zone' },
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
	...serverOperations,
	...serverFields,
	...storageOperations,
	...storageFields,
	...ipAddressOperations,
	...ipAddressFields,
	...firewallRuleOperations,
	...firewallRuleFields,
	...zoneOperations,
	...planOperations,
	...auditLogOperations,
	...auditLogFields,
	// Settings → Request Options → Retry Transient Errors (n8n adds Batching, Proxy and Timeout to it).
	requestOptionsProperty,
];

/** The lists UpCloud pages with limit/offset, and how each is paged. */
const PAGED_LISTS = { token: paginateByOffset, auditLog: paginateAuditLogs, server: paginateByUuid, storage: paginateByUuid };

export class UpCloud implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'UpCloud',
		name: 'upCloud',
		icon: { light: 'file:upcloud.svg', dark: 'file:upcloud.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Manage UpCloud servers, storages and backups, IP addresses and firewall rules, read and manage accounts, subaccounts, permissions, API tokens, billing, network usage and partner accounts, and read the audit log',
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
			// The API token, audit-log, server and storage lists are paged with limit/offset; the others answer whole.
			responsePipeline([throwOnUpCloudError], {
				applies: (operation, resource) => operation === 'getAll' && Object.prototype.hasOwnProperty.call(PAGED_LISTS, resource),
				run: async function (requestData) {
					const resource = this.getNodeParameter('resource', '') as keyof typeof PAGED_LISTS;
					return await PAGED_LISTS[resource].call(this, requestData);
				},
			}, { service: 'UpCloud', inputs: properties }),
			...properties,
		],
	};

	methods = {
		listSearch: { searchTokens, searchServers, searchStorages, searchBackups, searchTemplates },
		loadOptions: { getZones, getPlans },
	};
}

import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INode,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { parseBody, validatedBy } from '../../shared/declarative';
import type { AuditFilters } from '../auditLog';
import {
	actionOptions,
	AUDIT_PAGE_SIZE,
	auditQuery,
	auditTimestamp,
	originOptions,
	resourceTypeOptions,
} from '../auditLog';
import { InputRuleError } from '../../shared/rules';
import { operationParameter } from '../../shared/operations';
import { assertDateTime, assertPageSize } from '../validation';
import { returnAllAndLimit } from './fields';

/**
 * The audit log (`/audit-logs`, API 1.3 chapter 22): a security record of the account's events, kept 180 days.
 * The list is paged by limit (at most 200) and offset, with the matching total in the Upcloud-Total-Count header.
 */

const show = (operation: string[]) => ({ show: { resource: ['auditLog'], operation } });

/** UpCloud keeps audit logs for 180 days (the older copy of the page said 90). */
const RETENTION_MS = 180 * 24 * 3600 * 1000;

/** The filters as the user set them, checked: dates are instants, the window is not reversed. */
export function auditFiltersOf(filters: IDataObject, timeZone: string): AuditFilters {
	const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
	const date = (label: string, value: unknown) =>
		value === undefined || value === '' || value === null ? undefined : assertDateTime(label, value, timeZone);
	const createdAfter = date('Created After', filters.createdAfter);
	const createdBefore = date('Created Before', filters.createdBefore);
	if (createdAfter && createdBefore && createdAfter.getTime() > createdBefore.getTime()) {
		throw new InputRuleError(
			'Created Before',
			`must not be earlier than Created After (got ${auditTimestamp(createdBefore)}, before ${auditTimestamp(createdAfter)})`,
		);
	}
	const search = typeof filters.search === 'string' ? filters.search.trim() : '';
	return {
		actions: list(filters.actions),
		origins: list(filters.origins),
		resourceTypes: list(filters.resourceTypes),
		createdAfter,
		createdBefore,
		search: search || undefined,
	};
}

const filtersOf = (context: IExecuteSingleFunctions) =>
	auditFiltersOf(context.getNodeParameter('filters', {}) as IDataObject, context.getTimezone());

/** Get Many's query from its filters; Limit is checked here and sent by paginateAuditLogs. */
const listQuery = validatedBy(function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	if (!this.getNodeParameter('returnAll', false)) {
		assertPageSize('Limit', this.getNodeParameter('limit', 50), AUDIT_PAGE_SIZE);
	}
	requestOptions.qs = { ...(requestOptions.qs as IDataObject | undefined), ...auditQuery(filtersOf(this)) };
});

/** Export's query: the format and the time window (the page documents only `format`; see the README). */
const exportQuery = validatedBy(function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	const { createdAfter, createdBefore } = filtersOf(this);
	const format = this.getNodeParameter('format', 'csv') as string;
	requestOptions.qs = { ...(requestOptions.qs as IDataObject | undefined), format, ...auditQuery({ createdAfter, createdBefore }) };
	requestOptions.headers = { ...(requestOptions.headers ?? {}), Accept: format === 'json' ? 'application/json' : 'text/csv' };
	const binaryPropertyName = String(this.getNodeParameter('binaryPropertyName', 'data')).trim();
	if (binaryPropertyName === '') throw new InputRuleError('Put Output File in Field', 'is required');
});

/** The audit rows of a list answer, or one clear error when the answer is not the documented {"audit_logs": […]}. */
export function auditRows(node: INode, body: unknown, statusCode: number): IDataObject[] {
	const parsed = parseBody(body) as { audit_logs?: unknown } | undefined;
	const rows = parsed && typeof parsed === 'object' ? parsed.audit_logs : undefined;
	if (!Array.isArray(rows) || !rows.every((row) => row && typeof row === 'object' && !Array.isArray(row))) {
		throw new NodeApiError(node, { httpCode: String(statusCode) } as JsonObject, {
			message: 'UpCloud answered the audit-log list without its "audit_logs" list',
			description: `HTTP ${statusCode}. The answer is not what the API documents, so no item was made from it.`,
			httpCode: String(statusCode),
		});
	}
	return rows as IDataObject[];
}

/** postReceive of Get Many: one item per audit row. */
async function splitAuditRows(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	return auditRows(this.getNode(), response.body, response.statusCode).map((json) => ({ json }));
}

/** postReceive of Export: the file as a binary property named after its window, e.g. upcloud-audit-log-20260610T000000Z-20261207T120000Z.csv. */
async function exportToBinary(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const format = this.getNodeParameter('format', 'csv') as string;
	const { createdAfter, createdBefore } = filtersOf(this);
	const now = new Date();
	const from = createdAfter ?? new Date(now.getTime() - RETENTION_MS);
	const to = createdBefore ?? now;
	const compact = (date: Date) => auditTimestamp(date).replace(/[-:]/g, '');
	const fileName = `upcloud-audit-log-${compact(from)}-${compact(to)}.${format}`;
	const buffer = Buffer.isBuffer(response.body) ? response.body : Buffer.from(
		typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? ''),
		'utf8',
	);
	const content = buffer.toString('utf8');
	let rows: number;
	if (format === 'json') {
		const parsed = parseBody(content);
		if (!Array.isArray(parsed)) {
			throw new NodeApiError(this.getNode(), { httpCode: String(response.statusCode) } as JsonObject, {
				message: 'UpCloud answered the JSON export without a list of events',
				description: `HTTP ${response.statusCode}. The JSON export is documented as one JSON array; no file was made.`,
				httpCode: String(response.statusCode),
				itemIndex: this.getItemIndex(),
			});
		}
		rows = parsed.length;
	} else {
		rows = Math.max(content.split(/\r?\n/).filter((line) => line.trim() !== '').length - 1, 0);
	}
	const mimeType = format === 'json' ? 'application/json' : 'text/csv';
	const binaryPropertyName = String(this.getNodeParameter('binaryPropertyName', 'data')).trim();
	const binary = await this.helpers.prepareBinaryData(buffer, fileName, mimeType);
	return [
		{
			json: { fileName, format, from: auditTimestamp(from), to: auditTimestamp(to), rows },
			binary: { [binaryPropertyName]: binary },
		},
	];
}

export const auditLogOperations: INodeProperties[] = [
	operationParameter('auditLog', 'getAll', [
		{
			name: 'Export',
			value: 'export',
			action: 'Export the audit log as a CSV or JSON file',
			description: 'Download up to 180 days of audit log as one CSV or JSON file (a binary property), without parsing it into items',
			routing: {
				request: { method: 'GET', url: '/audit-logs/export', encoding: 'arraybuffer' },
				send: { preSend: [exportQuery] },
				output: { postReceive: [exportToBinary] },
			},
		},
		{
			name: 'Get Filter Options',
			value: 'getFilterOptions',
			action: 'Get the values the audit log filters accept',
			description: 'The resource types, actions and origins UpCloud accepts as audit-log filters, as it returns them',
			routing: { request: { method: 'GET', url: '/audit-logs/filter-options' } },
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many audit log events',
			description:
				'List audit-log events (logins, account, token, server, storage and managed-service changes) with who, what, when, IP and origin; filter by action, origin, resource type, time or a UUID, username or IP',
			routing: {
				request: { method: 'GET', url: '/audit-logs' },
				send: { preSend: [listQuery] },
				// {"audit_logs": […]}: one item per event; paged by paginateAuditLogs (pagination.ts, chosen in UpCloud.node.ts).
				output: { postReceive: [splitAuditRows] },
			},
		},
	]),
];

const timeFilters: INodeProperties[] = [
	{
		displayName: 'Created After',
		name: 'createdAfter',
		type: 'dateTime',
		default: '',
		description: 'Only events at or after this time (inclusive, sent in UTC to the second); UpCloud defaults to 180 days ago',
	},
	{
		displayName: 'Created Before',
		name: 'createdBefore',
		type: 'dateTime',
		default: '',
		description: 'Only events at or before this time (inclusive, sent in UTC to the second); UpCloud defaults to now',
	},
];

export const auditLogFields: INodeProperties[] = [
	// "limit: 0-200"; 0 would ask for the count alone, which is no item: Limit is 1–200.
	...returnAllAndLimit('auditLog', 'getAll', { pageSize: AUDIT_PAGE_SIZE }),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show(['getAll']),
		options: [
			{
				displayName: 'Actions',
				name: 'actions',
				type: 'multiOptions',
				options: actionOptions,
				default: [],
				description: 'Only events of these actions; none chosen means every action',
			},
			...timeFilters,
			{
				displayName: 'Origins',
				name: 'origins',
				type: 'multiOptions',
				options: originOptions,
				default: [],
				description: 'Only events that came from these origins: the API, the Hub (GUI) or UpCloud itself',
			},
			{
				displayName: 'Resource Types',
				name: 'resourceTypes',
				type: 'multiOptions',
				options: resourceTypeOptions,
				default: [],
				description: 'Only events on these kinds of resource',
			},
			{
				displayName: 'Search',
				name: 'search',
				type: 'string',
				default: '',
				placeholder: 'e.g. 00798b85-efdc-41ca-8021-f6ef457b8531, my_account or 203.0.113.7',
				description: 'Only events matching this keyword: a resource UUID, an account username or an IP address (sent as q)',
			},
		],
	},
	{
		displayName: 'Format',
		name: 'format',
		type: 'options',
		default: 'csv',
		displayOptions: show(['export']),
		options: [
			{ name: 'CSV', value: 'csv', description: 'A CSV file (text/csv)' },
			{ name: 'JSON', value: 'json', description: 'A JSON file holding one array of events' },
		],
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		displayOptions: show(['export']),
		hint: 'The name of the output binary field to put the file in',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show(['export']),
		options: timeFilters,
	},
];

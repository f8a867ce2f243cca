import type {
	IDataObject,
	IN8nHttpFullResponse,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { deepCopy, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { normaliseParameters } from '../shared/coercion';
import { noteHttpAnswer, requestOptionsProperty, startPollRetryBudget, withRetries } from '../shared/retry';
import type { AuditPage, PageReader } from './auditLog';
import {
	actionOptions,
	advance,
	AUDIT_PAGE_SIZE,
	auditQuery,
	auditTimestamp,
	eventItem,
	MANUAL_EVENTS,
	originOptions,
	readNewest,
	readRows,
	resourceTypeOptions,
	startingCursor,
	storedCursor,
	triggerActions,
} from './auditLog';
import { auditRows } from './descriptions/AuditLogDescription';
import {
	authenticationProperty,
	chosenCredentials,
	credentialName,
	credentialsByAuthentication,
	upCloudApiError,
	upCloudBaseUrl,
} from './transport';

// Every parameter, in order; each poll first normalises them to their declared kinds (shared/coercion.ts).
const triggerProperties: INodeProperties[] = [
	authenticationProperty,
	{
		displayName: 'Actions',
		name: 'actions',
		type: 'multiOptions',
		options: actionOptions,
		default: [],
		description:
			'Start on events of these actions. None chosen means every action except Read: every API read is logged, which would start the workflow on each GET (turn on Include Reads to get them too).',
	},
	{
		displayName: 'Resource Types',
		name: 'resourceTypes',
		type: 'multiOptions',
		options: resourceTypeOptions,
		default: [],
		description: 'Only events on these kinds of resource; none chosen means every type',
	},
	{
		displayName: 'Origins',
		name: 'origins',
		type: 'multiOptions',
		options: originOptions,
		default: [],
		description: 'Only events that came from these origins (the API, the Hub or UpCloud itself); none chosen means every origin',
	},
	{
		displayName: 'Search',
		name: 'search',
		type: 'string',
		default: '',
		placeholder: 'e.g. 00798b85-efdc-41ca-8021-f6ef457b8531, my_account or 203.0.113.7',
		description: 'Only events matching this keyword: a resource UUID, an account username or an IP address',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Reads',
				name: 'includeReads',
				type: 'boolean',
				default: false,
				description:
					'Whether read events start the workflow too. With no action chosen nothing is filtered by action then, so also actions UpCloud logs but does not offer as a filter arrive.',
			},
		],
	},
	// Settings → Request Options → Retry Transient Errors, as on the UpCloud node.
	requestOptionsProperty,
];

export class UpCloudTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'UpCloud Trigger',
		name: 'upCloudTrigger',
		icon: { light: 'file:upcloud.svg', dark: 'file:upcloud.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["actions"] || []).length ? "On " + $parameter["actions"].join(", ") : "On account events" }}',
		description:
			"Starts the workflow on UpCloud account events from its audit log: logins, new API tokens, servers or storage created or deleted, permission changes",
		defaults: { name: 'UpCloud Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialsByAuthentication,
		properties: triggerProperties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		startPollRetryBudget(this);
		const manual = this.getMode() === 'manual';
		const now = new Date();
		normaliseTriggerParameters.call(this);
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const chosen = this.getNodeParameter('actions', []) as string[];
		const search = String(this.getNodeParameter('search', '')).trim();
		const filters = auditQuery({
			actions: triggerActions(chosen, options.includeReads === true),
			resourceTypes: this.getNodeParameter('resourceTypes', []) as string[],
			origins: this.getNodeParameter('origins', []) as string[],
			search: search || undefined,
		});
		const reader = await pageReader.call(this);
		const staticData = this.getWorkflowStaticData('node');

		if (manual) {
			// "Fetch Test Event": the latest matching events, never touching the cursor.
			const latest = await readNewest(reader(filters), MANUAL_EVENTS);
			if (latest.length === 0) return [[{ json: noneMatched(filters) }]];
			return [latest.map((event) => ({ json: deepCopy(eventItem(event)) }))];
		}

		const cursor = storedCursor(staticData.cursor);
		const until = auditTimestamp(now);
		if (!cursor) {
			// First activation (or the state lost): start at the newest matching event, replaying no history; one page
			// of the newest, so that every event sharing the newest one's second is known as already there.
			const newest = await readNewest(reader({ ...filters, created_before: until }), AUDIT_PAGE_SIZE);
			staticData.cursor = startingCursor(newest, now) as unknown as IDataObject;
			return null;
		}

		// The window's end is fixed for the whole poll, so events arriving while paging do not shift the pages.
		const end = Date.parse(cursor.second) > now.getTime() ? cursor.second : until;
		const { rows } = await readRows(reader({ ...filters, created_after: cursor.second, created_before: end }));
		const { events, cursor: next } = advance(cursor, rows);
		// Written only now, after every page was read: a failed poll throws above and keeps the cursor.
		if (events.length === 0) return null;
		staticData.cursor = next as unknown as IDataObject;
		return [events.map((event) => ({ json: deepCopy(eventItem(event)) }))];
	}
}

/** The one item of a test run that found nothing, saying what was asked. */
function noneMatched(filters: IDataObject): IDataObject {
	const parts = [
		filters.actions ? `actions ${(filters.actions as string[]).join(', ')}` : 'any action',
		filters.resource_types ? `resource types ${(filters.resource_types as string[]).join(', ')}` : undefined,
		filters.origins ? `origins ${(filters.origins as string[]).join(', ')}` : undefined,
		filters.q ? `matching "${String(filters.q)}"` : undefined,
	].filter(Boolean);
	return {
		message: `No audit-log event matched: UpCloud's log of the last 180 days has none with ${parts.join(', ')}. Change the filters, or cause such an event (e.g. log in to the Hub) and fetch again.`,
		matched: 0,
		filters: deepCopy(filters),
	};
}

/**
 * Reads pages of GET /audit-logs under the retry policy, with the Upcloud-Total-Count header; an error answer
 * becomes UpCloud's own code and message, and an answer without `audit_logs` one clear error.
 */
async function pageReader(this: IPollFunctions): Promise<(query: IDataObject) => PageReader> {
	const credential = credentialName.call(this);
	const url = `${upCloudBaseUrl(await chosenCredentials.call(this))}/audit-logs`;
	return (query) => async (offset, limit): Promise<AuditPage> =>
		await withRetries(this, 'GET', async () => {
			const response = (await this.helpers.httpRequestWithAuthentication.call(this, credential, {
				method: 'GET',
				url,
				qs: { ...query, limit, offset },
				// actions=create&actions=delete, as the UpCloud node sends lists.
				arrayFormat: 'repeat',
				headers: { Accept: 'application/json' },
				ignoreHttpStatusErrors: true,
				returnFullResponse: true,
			})) as IN8nHttpFullResponse;
			if (response.statusCode >= 400) {
				throw noteHttpAnswer(upCloudApiError(this.getNode(), response.statusCode, response.body), response);
			}
			const header = Object.entries(response.headers ?? {}).find(([name]) => name.toLowerCase() === 'upcloud-total-count')?.[1];
			const total = Number(Array.isArray(header) ? header[0] : header);
			return {
				rows: auditRows(this.getNode(), response.body, response.statusCode),
				total: header !== undefined && Number.isInteger(total) && total >= 0 ? total : undefined,
			};
		});
}

/** Option values must be their values (not display names), text text: checked before anything is sent. */
function normaliseTriggerParameters(this: IPollFunctions): void {
	try {
		normaliseParameters(triggerProperties, (name) => this.getNodeParameter(name, undefined));
	} catch (error) {
		const { message } = error as Error;
		throw new NodeOperationError(this.getNode(), error as Error, {
			message,
			description: `${message}. Nothing was sent to UpCloud.`,
		});
	}
}

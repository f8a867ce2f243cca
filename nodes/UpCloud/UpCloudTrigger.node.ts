import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { deepCopy, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { normaliseParameters } from '../shared/coercion';
import { startPollRetryBudget } from '../shared/retry';
import type { AuditPage, PageReader } from './auditLog';
import {
	advance,
	AUDIT_PAGE_SIZE,
	auditQuery,
	auditTimestamp,
	eventItem,
	MANUAL_EVENTS,
	readNewest,
	readRows,
	startingCursor,
	storedCursor,
	triggerActions,
} from './auditLog';
import { auditRows } from './descriptions/AuditLogDescription';
import { auditTriggerProperties } from './descriptions/AuditTriggerDescription';
import { credentialsByAuthentication } from './descriptions/authentication';
import { upCloudRead } from './transport';

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
		properties: auditTriggerProperties,
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
		const reader = pageReader.call(this);
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
		const { rows, complete } = await readRows(reader({ ...filters, created_after: cursor.second, created_before: end }));
		// A complete read covered every second up to `end`: those before it are over (see advance).
		const { events, cursor: next } = advance(cursor, rows, complete ? end : undefined);
		// Written only now, after every page was read: a failed poll throws above and keeps the cursor. An idle poll
		// may move it past a second that is over; n8n does not save that, and the saved cursor reads the same events.
		if (JSON.stringify(next) !== JSON.stringify(cursor)) staticData.cursor = next as unknown as IDataObject;
		if (events.length === 0) return null;
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
 * Reads pages of GET /audit-logs under the retry policy (upCloudRead), with the Upcloud-Total-Count header; an
 * error answer becomes UpCloud's own code and message, and an answer without `audit_logs` one clear error.
 */
function pageReader(this: IPollFunctions): (query: IDataObject) => PageReader {
	return (query) => async (offset, limit): Promise<AuditPage> => {
		const { statusCode, body, headers } = await upCloudRead.call(this, '/audit-logs', { ...query, limit, offset });
		const header = Object.entries(headers).find(([name]) => name.toLowerCase() === 'upcloud-total-count')?.[1];
		const total = Number(Array.isArray(header) ? header[0] : header);
		return {
			rows: auditRows(this.getNode(), body, statusCode),
			total: header !== undefined && Number.isInteger(total) && total >= 0 ? total : undefined,
		};
	};
}

/** Option values must be their values (not display names), text text: checked before anything is sent. */
function normaliseTriggerParameters(this: IPollFunctions): void {
	try {
		normaliseParameters(auditTriggerProperties, (name) => this.getNodeParameter(name, undefined));
	} catch (error) {
		const { message } = error as Error;
		throw new NodeOperationError(this.getNode(), error as Error, {
			message,
			description: `${message}. Nothing was sent to UpCloud.`,
		});
	}
}

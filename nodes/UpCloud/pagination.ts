import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { sendRoutedRequest } from '../shared/declarative';

import { AUDIT_PAGE_SIZE, eventKey } from './auditLog';

/** UpCloud's limit/offset paging (the API token list, the audit log, the server and storage lists), and the page sizes they allow. */

/** "The maximum page size is 100" (API token list). */
export const MAX_PAGE_SIZE = 100;

interface OffsetPaging {
	/** The largest `limit` the list takes: Return All asks for pages of this size. */
	pageSize: number;
	/** What identifies a record, to keep each once when pages shift. */
	keyOf: (item: INodeExecutionData) => string;
	/** How the "same page again" error names a page and the records: "page", "records". */
	pageName: string;
	recordsName: string;
	/** Whether a single request (Return All off) sends offset=0 too. */
	offsetWithLimit?: boolean;
}

/**
 * Paging for the server and storage lists. Only UpCloud's generated API spec documents `limit` (default 25) and
 * `offset` there; the readable pages mention labels only, and the SDK and CLI never page (one answer = the whole
 * list). Taken literally, a list of more than 25 could come back cut at 25, so this pages defensively as the notes
 * advise (upcloud-servers-storage.md §1.2): limit=100&offset=0, the next offset while a page holds exactly `limit`
 * records. A first page longer than `limit` means the API ignored paging, and a page of nothing but UUIDs already
 * seen means it ignored offset: either ends the list, never an error. A page that repeats only some UUIDs (a
 * record created meanwhile shifted the list) keeps its new records once and paging goes on, so a shift never cuts
 * the list short. Without Return All, pages of min(100, Limit) until Limit records are in hand.
 */
function guardedOffsetPaging(pageSize: number, keyOf: (item: INodeExecutionData) => string) {
	return async function (
		this: IExecutePaginationFunctions,
		requestData: DeclarativeRestApiSettings.ResultOptions,
	): Promise<INodeExecutionData[]> {
		const wanted = this.getNodeParameter('returnAll', false) ? Infinity : Number(this.getNodeParameter('limit', 50));
		const limit = Math.min(pageSize, wanted);
		const results: INodeExecutionData[] = [];
		const seen = new Set<string>();
		for (let offset = 0; ; offset += limit) {
			// Each page under the retry policy; the label filters of the routing stay on every page.
			const page = await sendRoutedRequest.call(this, {
				...requestData,
				options: { ...requestData.options, qs: { ...(requestData.options.qs as IDataObject | undefined), limit, offset } },
			});
			let fresh = 0;
			for (const item of page) {
				const key = keyOf(item);
				if (seen.has(key)) continue;
				seen.add(key);
				results.push(item);
				fresh++;
			}
			if (fresh === 0 || page.length !== limit || results.length >= wanted) return results;
		}
	};
}

/**
 * Paging for lists that take `limit` and `offset` (a row offset). Return All asks for pages of `pageSize` at
 * offset 0, pageSize, 2 × pageSize, … until a page comes back shorter than that (the token list documents no
 * end-of-list signal, so this is the usual practice; the audit log's Upcloud-Total-Count agrees with it);
 * otherwise one request with limit=<Limit>. Each page has already been checked and split into items by the
 * postReceive steps.
 */
function offsetPaging({ pageSize, keyOf, pageName, recordsName, offsetWithLimit }: OffsetPaging) {
	return async function (
		this: IExecutePaginationFunctions,
		requestData: DeclarativeRestApiSettings.ResultOptions,
	): Promise<INodeExecutionData[]> {
		// Each page under the retry policy, the same limit and offset again on each attempt.
		const fetchPage = async (pageQuery: IDataObject) =>
			await sendRoutedRequest.call(this, {
				...requestData,
				options: { ...requestData.options, qs: { ...(requestData.options.qs as IDataObject | undefined), ...pageQuery } },
			});
		if (!this.getNodeParameter('returnAll', false)) {
			return await fetchPage({ limit: Number(this.getNodeParameter('limit', 50)), ...(offsetWithLimit ? { offset: 0 } : {}) });
		}
		const results: INodeExecutionData[] = [];
		const seen = new Set<string>();
		for (let offset = 0; ; offset += pageSize) {
			const page = await fetchPage({ limit: pageSize, offset });
			// A server that ignored offset would send the first page forever: stop at a page of nothing new.
			const keys = page.map(keyOf);
			if (page.length > 0 && keys.every((key) => seen.has(key))) {
				throw new NodeOperationError(this.getNode(), `UpCloud sent the same ${pageName} again at offset ${offset}`, {
					itemIndex: this.getItemIndex(),
					description: `Stopped after ${results.length} ${recordsName} instead of requesting pages forever.`,
				});
			}
			// A record created or deleted between two requests shifts the pages: keep each once.
			results.push(...page.filter((_, i) => !seen.has(keys[i])));
			keys.forEach((key) => seen.add(key));
			if (page.length < pageSize) return results;
		}
	};
}

/** The API token list: a bare array, pages of at most 100, each token once by its id. */
export const paginateByOffset = offsetPaging({ pageSize: MAX_PAGE_SIZE, keyOf: (item) => String(item.json.id), pageName: 'page', recordsName: 'records' });

/** The audit log: pages of at most 200, each event once by its cloud_event_id (a row read twice when new events shift the pages). */
export const paginateAuditLogs = offsetPaging({ pageSize: AUDIT_PAGE_SIZE, keyOf: (item) => eventKey(item.json), pageName: 'audit-log page', recordsName: 'events', offsetWithLimit: true });

/** The server and storage lists: pages of at most 100 (as the token list allows), each record once by its UUID. */
export const paginateByUuid = guardedOffsetPaging(MAX_PAGE_SIZE, (item) => String(item.json.uuid));

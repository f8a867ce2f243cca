import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { sendRoutedRequest } from '../shared/declarative';

import { AUDIT_PAGE_SIZE, eventKey } from './auditLog';

/** UpCloud's limit/offset paging (the API token list, the audit log), and the page sizes they allow. */

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

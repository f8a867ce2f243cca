import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { sendRoutedRequest } from '../shared/declarative';

/** UpCloud's limit/offset paging (the API token list), and the page size it allows. */

/** "The maximum page size is 100" (API token list). */
export const MAX_PAGE_SIZE = 100;

/**
 * Paging for lists that take `limit` and `offset` and answer a bare array with no total (the API token list).
 * Return All asks for pages of MAX_PAGE_SIZE at offset 0, 100, 200, … until a page comes back shorter than
 * that (UNCONFIRMED end-of-list signal: the docs give none, this is the usual practice); otherwise one request
 * with limit=<Limit>. Each page has already been checked and split into items by the postReceive steps.
 */
export async function paginateByOffset(
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
		return await fetchPage({ limit: Number(this.getNodeParameter('limit', 50)) });
	}
	const results: INodeExecutionData[] = [];
	const seen = new Set<string>();
	for (let offset = 0; ; offset += MAX_PAGE_SIZE) {
		const page = await fetchPage({ limit: MAX_PAGE_SIZE, offset });
		// A server that ignored offset would send the first page forever: stop at a page of nothing new.
		const ids = page.map((item) => String(item.json.id));
		if (page.length > 0 && ids.every((id) => seen.has(id))) {
			throw new NodeOperationError(this.getNode(), `UpCloud sent the same page again at offset ${offset}`, {
				itemIndex: this.getItemIndex(),
				description: `Stopped after ${results.length} records instead of requesting pages forever.`,
			});
		}
		// A token created or deleted between two requests shifts the pages: keep each token once.
		results.push(...page.filter((_, i) => !seen.has(ids[i])));
		ids.forEach((id) => seen.add(id));
		if (page.length < MAX_PAGE_SIZE) return results;
	}
}

import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { sendRoutedRequest } from '../shared/declarative';
import { envelopeOf } from './output';

/** Upzelo's cursor pagination: the page size it allows, reading a page, and the Get Many paginator. */

/** "How many results to fetch. (max 100)" */
export const MAX_PAGE_SIZE = 100;

export function pageOf(
	node: INode,
	body: unknown,
	itemIndex?: number,
): { records: IDataObject[]; hasMore: boolean; nextCursor?: string } {
	const { data, pagination } = envelopeOf(node, body, itemIndex);
	const records = (Object.values(data).find(Array.isArray) ?? []) as IDataObject[];
	const next = pagination?.next_cursor;
	return {
		records,
		hasMore: pagination?.has_more === true,
		nextCursor: typeof next === 'string' && next !== '' ? next : undefined,
	};
}

function cursorLoopError(this: IExecuteSingleFunctions, message: string, fetched: number): NodeOperationError {
	return new NodeOperationError(this.getNode(), message, {
		itemIndex: this.getItemIndex(),
		description: `Stopped after ${fetched} records so the node does not request the same page forever. Turn off Return All and use Limit, or contact Upzelo.`,
	});
}

/**
 * The one paginator of every Get Many operation (declared node-wide in requestOperations). Return All
 * follows pagination.next_cursor while has_more, MAX_PAGE_SIZE per page, keeping every other query
 * parameter (include) on each page; otherwise one request with limit=<Limit>.
 */
export async function paginateByCursor(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const fetchPage = async (pageQuery: IDataObject) => {
		// A page that fails transiently is asked for again with the same cursor: no record twice, none missed.
		const items = await sendRoutedRequest.call(this, {
			...requestData,
			options: { ...requestData.options, qs: { ...(requestData.options.qs as IDataObject | undefined), ...pageQuery } },
		});
		// Each page arrives as one envelope item, already checked for errors; requestRunner links the records.
		return items.map((item) => pageOf(this.getNode(), item.json, this.getItemIndex()));
	};
	const asItems = (page: { records: IDataObject[] }) => page.records.map((json) => ({ json }));

	if (!this.getNodeParameter('returnAll', false)) {
		const pages = await fetchPage({ limit: this.getNodeParameter('limit', 50) });
		return pages.flatMap(asItems);
	}
	const results: INodeExecutionData[] = [];
	const seen = new Set<string>();
	let cursor: string | undefined;
	for (;;) {
		const [page] = await fetchPage(cursor === undefined ? { limit: MAX_PAGE_SIZE } : { limit: MAX_PAGE_SIZE, cursor });
		results.push(...asItems(page));
		if (!page.hasMore) return results;
		if (!page.nextCursor) {
			throw cursorLoopError.call(this, 'Upzelo said more records follow but sent no cursor to fetch them', results.length);
		}
		if (seen.has(page.nextCursor)) {
			throw cursorLoopError.call(
				this,
				`Upzelo sent the same page cursor twice (${page.nextCursor.slice(0, 40)})`,
				results.length,
			);
		}
		seen.add(page.nextCursor);
		cursor = page.nextCursor;
	}
}

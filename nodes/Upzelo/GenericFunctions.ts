import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	INode,
	INodeExecutionData,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { sendRoutedRequest } from '../shared/declarative';
import { isObject, upzeloGet } from './transport';
import { MAX_PAGE_SIZE } from './validation';

/** Upzelo's envelope and cursor pagination, and the dropdown searches built on them. */

interface Pagination {
	has_more?: unknown;
	next_cursor?: unknown;
}

/** Upzelo wraps every answer as {"data":{"<name>": record | records[]}, "pagination"?: {…}}. */
function envelopeOf(
	node: INode,
	body: unknown,
	itemIndex?: number,
): { data: IDataObject; pagination?: Pagination } {
	if (!isObject(body) || !isObject(body.data)) {
		throw new NodeOperationError(node, 'Upzelo answered without the documented "data" envelope', {
			itemIndex,
			description: 'Check the Base URL in the Upzelo credential: it should be https://upzelo.com or your proxy.',
		});
	}
	return { data: body.data, pagination: isObject(body.pagination) ? body.pagination : undefined };
}

/**
 * Second postReceive of every operation: single records leave their envelope here. Lists keep it,
 * because the paginator needs their "pagination" block; it unwraps them itself.
 */
export async function unwrapRecord(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const { data } = envelopeOf(this.getNode(), response.body, this.getItemIndex());
	const values = Object.values(data);
	if (values.some(Array.isArray)) return items;
	return values.length === 1 && isObject(values[0]) ? [{ json: values[0] }] : [{ json: data }];
}

function pageOf(
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

/** One page of a list for a dropdown; the dropdown asks for the next page with the cursor as token. */
async function searchList(
	this: ILoadOptionsFunctions,
	url: string,
	toOption: (record: IDataObject) => INodeListSearchItems,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const body = await upzeloGet.call(this, url, {
		limit: MAX_PAGE_SIZE,
		...(paginationToken ? { cursor: paginationToken } : {}),
	});
	const page = pageOf(this.getNode(), body);
	const needle = (filter ?? '').trim().toLowerCase();
	const results = page.records
		.map(toOption)
		.filter((option) => !needle || `${option.name} ${option.value}`.toLowerCase().includes(needle));
	const more = page.hasMore && page.nextCursor !== undefined && page.nextCursor !== paginationToken;
	return { results, paginationToken: more ? page.nextCursor : undefined };
}

/** "49.00 GBP / month", "10.00 GBP every 3 months", "5.00 USD one time", from a price record. */
export function describePrice(price: IDataObject): string {
	const amount =
		typeof price.price === 'number'
			? `${(price.price / 100).toFixed(2)} ${String(price.currency ?? '').toUpperCase()}`.trim()
			: 'Tiered';
	if (price.type !== 'recurring') return `${amount} one time`;
	const count = Number(price.interval_count ?? 1);
	return count > 1 ? `${amount} every ${count} ${String(price.interval)}s` : `${amount} / ${String(price.interval)}`;
}

export async function searchProducts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchList.call(
		this,
		'/api/products',
		(product) => ({ name: String(product.name || product.id), value: String(product.id) }),
		filter,
		paginationToken,
	);
}

export async function searchPrices(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchList.call(
		this,
		'/api/prices',
		(price) => ({
			name: `${String(price.title || 'Untitled price')} (${describePrice(price)})`,
			value: String(price.id),
		}),
		filter,
		paginationToken,
	);
}

import type {
	DeclarativeRestApiSettings,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	INode,
	INodeExecutionData,
	INodeListSearchItems,
	INodeListSearchResult,
	JsonObject,
} from 'n8n-workflow';
import { jsonParse, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { failOnHttpError, parseBody } from '../shared/declarative';
import { authenticatedGet, credentialBaseUrl } from '../shared/http';
import { MAX_PAGE_SIZE } from './validation';

export const CREDENTIAL = 'upzeloApi';
/** Where Upzelo's API is when the credential names no other Base URL. */
const UPZELO_URL = 'https://upzelo.com';

// Shown under the message; Upzelo's docs only document 404, the rest is what each status means here.
const STATUS_MEANINGS: Record<number, string> = {
	400: 'Upzelo could not read the request.',
	401: 'Upzelo did not accept the credential: check the API key and App ID, both in the Developer section of Upzelo.',
	403: 'The API key may not do this: check that the App ID belongs to the same Upzelo app as the API key.',
	404: 'Nothing with this ID exists in this Upzelo app (or the Base URL in the credential is wrong).',
	405: 'Upzelo does not allow this method on this path.',
	409: 'The request conflicts with existing data, e.g. the ID is already used.',
	422: 'Upzelo rejected the input; the message names the field.',
	429: 'Too many requests: wait a moment and try again, or send fewer items at once.',
};

interface UpzeloErrorEntry {
	code?: unknown;
	title?: unknown;
	detail?: unknown;
}

const isObject = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** Upzelo's documented {"errors":[{code,title,detail}]}; Laravel's own {message, errors:{field:[…]}} too. */
function messageOf(body: unknown, statusCode: number): string {
	const fallback = `Upzelo answered HTTP ${statusCode}`;
	if (typeof body === 'string') {
		const text = body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
		return text ? `${fallback}: ${text.slice(0, 200)}` : fallback;
	}
	if (!isObject(body)) return fallback;
	if (Array.isArray(body.errors)) {
		// A validation answer repeats one title with a detail per field: group the details under it.
		const byTitle = new Map<string, string[]>();
		for (const entry of body.errors as UpzeloErrorEntry[]) {
			if (!isObject(entry)) continue;
			const title = String(entry.title ?? fallback);
			const details = byTitle.get(title) ?? [];
			if (entry.detail !== undefined && entry.detail !== null) details.push(String(entry.detail));
			byTitle.set(title, details);
		}
		if (byTitle.size) {
			return [...byTitle].map(([title, details]) => [title, details.join(' ')].filter(Boolean).join(': ')).join('; ');
		}
	}
	const message = typeof body.message === 'string' ? body.message : undefined;
	if (isObject(body.errors)) {
		const details = Object.values(body.errors).flat().map(String);
		return [message ?? 'Validation error', details.join(' ')].filter(Boolean).join(': ');
	}
	return message ?? fallback;
}

/**
 * An Upzelo error answer as a NodeApiError showing Upzelo's title and detail, e.g. "Entity not found:
 * We cannot find an entity with an id matching upz_prc_doesntexist". Only the response body is kept,
 * never the request with its Authorization header, and any secret echoed back is masked.
 */
function upzeloApiError(
	node: INode,
	statusCode: number,
	rawBody: unknown,
	secrets: string[] = [],
): NodeApiError {
	const mask = (text: string) =>
		secrets.filter((secret) => secret.length >= 4).reduce((out, secret) => out.split(secret).join('***'), text);
	const body = parseBody(rawBody);
	const response = jsonParse<JsonObject>(mask(JSON.stringify(isObject(body) ? body : { body: body ?? null })));
	return new NodeApiError(node, { ...response, httpCode: String(statusCode) } as JsonObject, {
		message: mask(messageOf(body, statusCode)),
		description:
			STATUS_MEANINGS[statusCode] ?? (statusCode >= 500 ? 'Upzelo had a problem answering; try again later.' : undefined),
		httpCode: String(statusCode),
	});
}

/** What must never be shown back to the user from a credential: the API key. */
const secretsFrom = (credentials: ICredentialDataDecryptedObject) => [String(credentials.apiKey ?? '')];

/** First postReceive of every operation: Upzelo's error answers as NodeApiErrors, the key masked. */
export const throwOnUpzeloError = failOnHttpError(async function (statusCode, body) {
	const secrets = await this.getCredentials(CREDENTIAL).then(secretsFrom, () => []);
	return upzeloApiError(this.getNode(), statusCode, body, secrets);
});

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
		const items = await this.makeRoutingRequest({
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

/** A GET outside the declarative routing (dropdowns, reading a subscription before it is updated). */
export async function upzeloGet(
	this: IExecuteSingleFunctions | ILoadOptionsFunctions,
	url: string,
	qs: IDataObject = {},
): Promise<unknown> {
	const credentials = await this.getCredentials(CREDENTIAL);
	const { body } = await authenticatedGet.call(this, CREDENTIAL, `${credentialBaseUrl(credentials, UPZELO_URL)}${url}`, qs, (status, raw) =>
		upzeloApiError(this.getNode(), status, raw, secretsFrom(credentials)),
	);
	return body;
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

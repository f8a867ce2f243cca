import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	INodeListSearchResult,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { sendRoutedRequest } from '../shared/declarative';
import { chosenCredentials, upCloudBaseUrl, upCloudGet } from './transport';

/**
 * Output steps of UpCloud operations that routing cannot express (per-resource billing rows, CSV files,
 * limit/offset paging) and the dropdown of API tokens.
 */

/** RFC 3339 in UTC without milliseconds, as UpCloud's examples show: 2020-09-30T22:00:00Z. */
export function toRfc3339Utc(date: Date): string {
	return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The current month in the workflow's time zone, as YYYY-MM: the default for every month field. */
/**
 * UpCloud reports credits in hundredths of the account currency (its CLI divides by 100); this is the amount in
 * the currency itself, rounded to 6 decimals so 84215.3127 gives 842.153127, not a float artefact.
 */
export function creditsInCurrency(credits: number): number {
	return Math.round((credits / 100) * 1e6) / 1e6;
}

/**
 * Get Current adds `credits_in_currency` after `credits`, leaving UpCloud's fields as they are: a reader (or a model
 * using the node as a tool) would otherwise take 84215.3127 credits for eighty-four thousand.
 */
export async function addCreditsInCurrency(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return items.map((item) => {
		// An answer without the account envelope is refused by the request runner, with its shape.
		if (!item.json || typeof item.json !== 'object') return item;
		const { credits } = item.json;
		if (typeof credits !== 'number') return item;
		const json: IDataObject = {};
		for (const [key, value] of Object.entries(item.json)) {
			json[key] = value;
			if (key === 'credits') json.credits_in_currency = creditsInCurrency(credits);
		}
		return { ...item, json };
	});
}

export const CURRENT_YEAR_MONTH = '={{$now.toFormat("yyyy-MM")}}';

const SUMMARY_SCALARS = new Set(['currency', 'total_amount']);

/**
 * Billing summaries nest charges as category → group → resources, e.g. servers.server.resources[]
 * or, in the deprecated detailed format, storages.storage.{resources,template,backup}[]. Report and
 * spreadsheet flows want one row per billed resource, so this flattens them, keeping the path.
 */
function billedResources(summary: IDataObject): IDataObject[] {
	const rows: IDataObject[] = [];
	const currency = summary.currency;
	for (const [category, categoryValue] of Object.entries(summary)) {
		if (SUMMARY_SCALARS.has(category) || !categoryValue || typeof categoryValue !== 'object') continue;
		for (const [group, groupValue] of Object.entries(categoryValue as IDataObject)) {
			if (SUMMARY_SCALARS.has(group) || !groupValue || typeof groupValue !== 'object') continue;
			for (const [listName, list] of Object.entries(groupValue as IDataObject)) {
				if (!Array.isArray(list)) continue;
				for (const resource of list as IDataObject[]) {
					rows.push({
						currency,
						category,
						group: listName === 'resources' ? group : listName,
						...resource,
					});
				}
			}
		}
	}
	return rows;
}

/** postReceive for the "One Item per Billed Resource" output of billing summaries. */
export async function splitBillingByResource(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	// The deprecated endpoint's "billing" envelope is already gone: its operation's unwrapBilling runs first.
	return items.flatMap((item) => billedResources(item.json).map((json) => ({ json })));
}

/** postReceive for "CSV File" output: UpCloud's CSV becomes a binary file item named after the window. */
export async function csvToBinary(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const buffer = Buffer.isBuffer(response.body) ? response.body : Buffer.from(String(response.body ?? ''), 'utf8');
	const operation = this.getNodeParameter('operation') as string;
	const fileName = `${operation === 'getResourceTransferStats' ? 'resource-transfer' : 'network-transfer'}.csv`;
	const binary = await this.helpers.prepareBinaryData(buffer, fileName, 'text/csv');
	const lines = buffer.toString('utf8').split(/\r?\n/).filter((line) => line.trim() !== '');
	return [{ json: { fileName, rows: Math.max(lines.length - 1, 0) }, binary: { data: binary } }];
}

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

/** The Token dropdown of Get and Delete: the account's tokens, newest first, one page of 100 per request. */
export async function searchTokens(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const offset = Number(paginationToken ?? 0) || 0;
	const baseUrl = upCloudBaseUrl(await chosenCredentials.call(this));
	const body: unknown = await upCloudGet.call(this, baseUrl, '/account/tokens', {
		limit: MAX_PAGE_SIZE,
		offset,
		sort: '-created_at',
	});
	const page = (Array.isArray(body) ? body : []) as IDataObject[];
	const needle = (filter ?? '').trim().toLowerCase();
	const results = page
		.map((token) => {
			const expires = String(token.expires_at ?? '').slice(0, 10);
			const kind = token.gui === true ? 'GUI session, ' : '';
			return { name: `${String(token.name ?? token.id)} (${kind}expires ${expires})`, value: String(token.id) };
		})
		.filter((option) => !needle || `${option.name} ${option.value}`.toLowerCase().includes(needle));
	return { results, paginationToken: page.length === MAX_PAGE_SIZE ? String(offset + MAX_PAGE_SIZE) : undefined };
}

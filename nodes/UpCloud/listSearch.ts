import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { MAX_PAGE_SIZE } from './pagination';
import { upCloudGet } from './transport';

/** The UpCloud node's list searches (resource locator dropdowns). */

/** The Token dropdown of Get and Delete: the account's tokens, newest first, one page of 100 per request. */
export async function searchTokens(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const offset = Number(paginationToken ?? 0) || 0;
	const body: unknown = await upCloudGet.call(this, '/account/tokens', {
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

import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { MAX_PAGE_SIZE, pageOf } from './pagination';
import { upzeloGet } from './transport';

/** The Upzelo node's list searches (resource locator dropdowns), one page of a list at a time. */

/**
 * The list search of one Upzelo list, its records shown as `toOption` makes them: one page per call, and the
 * dropdown asks for the next page with the cursor as token.
 */
function searchOf(url: string, toOption: (record: IDataObject) => INodeListSearchItems) {
	return async function (
		this: ILoadOptionsFunctions,
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
	};
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

export const searchProducts = searchOf('/api/products', (product) => ({
	name: String(product.name || product.id),
	value: String(product.id),
}));

export const searchPrices = searchOf('/api/prices', (price) => ({
	name: `${String(price.title || 'Untitled price')} (${describePrice(price)})`,
	value: String(price.id),
}));

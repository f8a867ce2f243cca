import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';

import { MAX_PAGE_SIZE } from './pagination';
import { upCloudGet } from './transport';

/** The UpCloud node's list searches (resource locator dropdowns) and the options it loads (zones, plans). */

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

/**
 * Dropdowns of the server, storage, IP address and firewall resources: the account's servers, storages, templates
 * and backups (resource locators), and the zone and plan lists. The server and storage lists are read a page of
 * 100 at a time (limit/offset, as Get Many pages them: only the generated API reference documents paging there,
 * with a default of 25), the next page when the user scrolls; zones and plans are answered whole.
 */

async function list(this: ILoadOptionsFunctions, path: string, outer: string, inner: string, qs?: IDataObject): Promise<IDataObject[]> {
	const body = await upCloudGet.call(this, path, qs);
	const wrapper = body[outer] as IDataObject | undefined;
	const entries = wrapper?.[inner];
	return Array.isArray(entries) ? (entries as IDataObject[]) : [];
}

/** One page of a server or storage list, and the token of the next while this one is full. */
async function page(
	this: ILoadOptionsFunctions,
	path: string,
	outer: string,
	inner: string,
	paginationToken?: string,
): Promise<{ entries: IDataObject[]; paginationToken?: string }> {
	const offset = Number(paginationToken ?? 0) || 0;
	const entries = await list.call(this, path, outer, inner, { limit: MAX_PAGE_SIZE, offset });
	return { entries, paginationToken: entries.length === MAX_PAGE_SIZE ? String(offset + MAX_PAGE_SIZE) : undefined };
}

function filtered(results: INodeListSearchItems[], filter?: string, paginationToken?: string): INodeListSearchResult {
	const needle = (filter ?? '').trim().toLowerCase();
	return { results: results.filter((r) => !needle || `${r.name} ${r.value}`.toLowerCase().includes(needle)), paginationToken };
}

/** Servers shown as title, hostname, zone and state. */
export async function searchServers(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const servers = await page.call(this, '/server', 'servers', 'server', paginationToken);
	return filtered(
		servers.entries.map((s) => ({
			name: `${String(s.title ?? s.uuid)} (${String(s.hostname ?? '')}, ${String(s.zone ?? '')}, ${String(s.state ?? '')})`,
			value: String(s.uuid),
		})),
		filter,
		servers.paginationToken,
	);
}

function storageItems(storages: IDataObject[]): INodeListSearchItems[] {
	return storages.map((s) => ({
		name: `${String(s.title ?? s.uuid)} (${String(s.type ?? '')}, ${String(s.size ?? '?')} GiB, ${String(s.zone ?? '')}, ${String(s.state ?? '')})`,
		value: String(s.uuid),
	}));
}

/** The account's own storages (disks, backups, templates), not UpCloud's public templates and CD-ROMs. */
export async function searchStorages(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const storages = await page.call(this, '/storage/private', 'storages', 'storage', paginationToken);
	return filtered(storageItems(storages.entries), filter, storages.paginationToken);
}

export async function searchBackups(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const backups = await page.call(this, '/storage/backup', 'storages', 'storage', paginationToken);
	return filtered(storageItems(backups.entries), filter, backups.paginationToken);
}

/** Public (UpCloud's OS images) and private templates: GET /storage/template lists both. */
export async function searchTemplates(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const templates = await page.call(this, '/storage/template', 'storages', 'storage', paginationToken);
	return filtered(
		templates.entries.map((t) => ({
			name: `${String(t.title ?? t.uuid)} (${String(t.access ?? '')}${t.template_type ? `, ${String(t.template_type)}` : ''})`,
			value: String(t.uuid),
		})),
		filter,
		templates.paginationToken,
	);
}

export async function getZones(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const zones = await list.call(this, '/zone', 'zones', 'zone');
	return zones
		.map((z) => ({ name: `${String(z.description ?? z.id)} (${String(z.id)})`, value: String(z.id) }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** UpCloud's plans, plus Custom (cores and memory given), which UpCloud reports as plan "custom". */
export async function getPlans(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const plans = await list.call(this, '/plan', 'plans', 'plan');
	return [
		...plans.map((p) => ({
			name: String(p.name),
			value: String(p.name),
			description: `${String(p.core_number)} cores, ${String(p.memory_amount)} MiB memory, ${String(p.storage_size)} GiB ${String(p.storage_tier ?? '')} storage`,
		})),
		{ name: 'Custom', value: 'custom', description: 'Choose cores and memory yourself (Core Number and Memory Amount)' },
	];
}

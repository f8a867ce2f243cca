import type { IDataObject, IExecuteSingleFunctions, IN8nHttpFullResponse, INodeExecutionData } from 'n8n-workflow';

import { creditsInCurrency } from './amounts';

/**
 * postReceive steps that shape UpCloud answers where routing cannot say it: credits in currency, one item per
 * billed resource, and CSV answers as binary files.
 */

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

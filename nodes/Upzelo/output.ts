import type { IDataObject, IExecuteSingleFunctions, IN8nHttpFullResponse, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { UPZELO_URL } from './baseUrl';
import { isObject } from './transport';

/** Upzelo's answer envelope: reading it, and unwrapping single records from it (lists are unwrapped by the paginator). */

interface Pagination {
	has_more?: unknown;
	next_cursor?: unknown;
}

/** Upzelo wraps every answer as {"data":{"<name>": record | records[]}, "pagination"?: {…}}. */
export function envelopeOf(
	node: INode,
	body: unknown,
	itemIndex?: number,
): { data: IDataObject; pagination?: Pagination } {
	if (!isObject(body) || !isObject(body.data)) {
		throw new NodeOperationError(node, 'Upzelo answered without the documented "data" envelope', {
			itemIndex,
			description: `Check the Base URL in the Upzelo credential: it should be ${UPZELO_URL} or your proxy.`,
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

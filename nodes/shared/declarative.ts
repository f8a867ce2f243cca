import type {
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * Pieces every declarative node of this package shares: the response pipeline (service error check
 * first, pairedItem last) and input validation that runs before a request is sent.
 */

/** A broken input rule; the message names the field as the editor shows it, then the rule. */
export class InputRuleError extends Error {
	constructor(
		readonly field: string,
		rule: string,
	) {
		super(`${field} ${rule}`);
		this.name = 'InputRuleError';
	}
}

type PostReceiveFunction = (
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
) => Promise<INodeExecutionData[]>;

/**
 * Last postReceive of every operation. n8n only infers pairedItem when each input item gives one
 * output item; list operations give many, so every item is linked to its input explicitly.
 */
export async function attachPairedItem(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const item = this.getItemIndex();
	return items.map((entry) => ({ ...entry, pairedItem: { item } }));
}

/**
 * Properties that apply to every operation of a node: the error check must run before any other
 * postReceive, the pairedItem link after all of them, so they sit first and last in `properties`.
 */
export function responsePipeline(
	errorCheck: PostReceiveFunction,
): { first: INodeProperties; last: INodeProperties } {
	return {
		first: {
			displayName: 'Error Handling',
			name: 'errorHandling',
			type: 'hidden',
			default: '',
			routing: { output: { postReceive: [errorCheck] } },
		},
		last: {
			displayName: 'Item Linking',
			name: 'itemLinking',
			type: 'hidden',
			default: '',
			routing: { output: { postReceive: [attachPairedItem] } },
		},
	};
}

/** Wraps a validation step as a preSend: a broken input rule fails the item before its request. */
export function validatedBy(
	check: (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) => void | Promise<void>,
) {
	return async function (
		this: IExecuteSingleFunctions,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		try {
			await check.call(this, requestOptions);
		} catch (error) {
			if (error instanceof InputRuleError) {
				throw new NodeOperationError(this.getNode(), error.message, {
					itemIndex: this.getItemIndex(),
					description: `Fix "${error.field}" and run again. Nothing was sent.`,
				});
			}
			throw error;
		}
		return requestOptions;
	};
}

/** postReceive for endpoints that answer a bare JSON array: one item per element. */
export async function splitArrayBody(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return items.flatMap((item) =>
		Array.isArray(item.json)
			? (item.json as unknown as INodeExecutionData['json'][]).map((json) => ({ json }))
			: [item],
	);
}

/** Response bodies may arrive as Buffer (CSV requests) or text; JSON is parsed when it parses. */
export function parseBody(body: unknown): unknown {
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body === 'string') {
		try {
			return JSON.parse(body);
		} catch {
			return body;
		}
	}
	return body;
}

import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INode,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { isPlainObject, normaliseParameters, showValue } from './coercion';
import { InputRuleError } from './rules';
import { noteHttpAnswer, withRetries } from './retry';

/**
 * Pieces every declarative node of this package shares: the response pipeline (service error check
 * first, pairedItem last) and input validation that runs before a request is sent.
 */

type PaginationFunction = (
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
) => Promise<INodeExecutionData[]>;

type PostReceiveFunction = (
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
) => Promise<INodeExecutionData[]>;

/**
 * Errors leave our code as n8n's own error classes, which the editor shows with their context; anything
 * else (a bug, a failure inside n8n's helpers) is wrapped, not re-thrown raw.
 */
function asNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/**
 * Whether a failure becomes the item's error item instead of failing the node: under Continue On Fail, and
 * whenever the node runs as an AI agent's tool (n8n's `<node>Tool` variant of a `usableAsTool` node). There the
 * error item is the tool's answer, so the model reads the service's message and can react to it. A thrown error
 * reaches the model as an empty answer (AI Agent 2.2), ends the run (AI Agent 3 on n8n 1.123.81), or only on
 * n8n 2.x (AI Agent 3.1) becomes the same {error} answer.
 */
export function failureIsAnswer(context: { continueOnFail(): boolean; getNode(): INode }): boolean {
	return context.continueOnFail() || context.getNode().type.endsWith('Tool');
}

/** preSend failures held back as error items (see failureIsAnswer), keyed by the request they stopped. */
const heldErrors = new WeakMap<object, NodeApiError | NodeOperationError>();

/**
 * Runs every request of a node (n8n calls it because `paginate` is always on): the operation's own
 * paginator for list operations, otherwise the one routed request. Here, and only here, each output
 * item is linked to its input item, and under Continue On Fail (or as a tool, see failureIsAnswer) a
 * failure becomes an error item linked to its input item: n8n's routing node would emit {json:{}, error}
 * without pairedItem, which n8n cannot pair once it has split the error output off.
 */
export function requestRunner(
	paginator?: {
		applies: (operation: string, resource: string) => boolean;
		run: PaginationFunction;
	},
	service = 'The service',
) {
	return async function runRequest(
		this: IExecutePaginationFunctions,
		requestData: DeclarativeRestApiSettings.ResultOptions,
	): Promise<INodeExecutionData[]> {
		const item = this.getItemIndex();
		try {
			const ruleError = heldErrors.get(requestData.options);
			if (ruleError) throw ruleError;
			assertNoEmptySegment.call(this, requestData.options.url);
			const operation = this.getNodeParameter('operation', '') as string;
			const resource = this.getNodeParameter('resource', '') as string;
			const items =
				paginator && paginator.applies(operation, resource)
					? await paginator.run.call(this, requestData)
					: await sendRoutedRequest.call(this, requestData);
			for (const entry of items) {
				if (!isPlainObject(entry?.json)) {
					throw new NodeApiError(this.getNode(), {} as JsonObject, {
						message: `${service} answered without what the API documents (an item would be ${showValue(entry?.json)})`,
						description: 'The answer is not what the API documents, so no item was made from it.',
						itemIndex: item,
					});
				}
			}
			return items.map((entry) => ({ ...entry, pairedItem: { item } }));
		} catch (caught) {
			const error = asNodeError(this.getNode(), caught, item);
			if (!failureIsAnswer(this)) throw error;
			// As n8n's routing node does, plus the message in json and the link to the input item.
			return [
				{
					json: { error: error.message },
					error,
					pairedItem: { item },
				},
			];
		}
	};
}

/**
 * Sends one routed request (or one page of a paginator: the options it is given, cursor included, are
 * sent again unchanged on each attempt) under the retry policy, postReceive steps and all.
 */
export async function sendRoutedRequest(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	return await withRetries(this, requestData.options.method, async () => await this.makeRoutingRequest(requestData));
}

/**
 * The first postReceive step of every operation: requests run with ignoreHttpStatusErrors, so an answer of
 * 400 or more arrives here and is thrown as `toError` builds it, marked with its item, and with its status
 * and Retry-After for the retry policy.
 */
export function failOnHttpError(
	toError: (this: IExecuteSingleFunctions, statusCode: number, body: unknown) => NodeApiError | Promise<NodeApiError>,
): PostReceiveFunction {
	return async function (this: IExecuteSingleFunctions, items: INodeExecutionData[], response: IN8nHttpFullResponse) {
		if (response.statusCode < 400) return items;
		const error = await toError.call(this, response.statusCode, response.body);
		(error.context as IDataObject).itemIndex = this.getItemIndex();
		throw noteHttpAnswer(error, response);
	};
}

/**
 * The routing every operation of a node shares, as a hidden property placed first in `properties`: its
 * postReceive steps (the service's error check first) run before any operation's own, and `requestRunner`
 * sends the request.
 */
export function responsePipeline(
	postReceive: PostReceiveFunction[],
	paginator?: Parameters<typeof requestRunner>[0],
	declared?: { service: string; inputs: readonly INodeProperties[]; domains?: boolean },
): INodeProperties {
	const [checkErrors, ...rest] = postReceive;
	const steps = declared && checkErrors ? [checkErrors, answerIsJson(declared.service), ...rest] : postReceive;
	return {
		displayName: 'Request Handling',
		name: 'requestHandling',
		type: 'hidden',
		default: '',
		routing: {
			send: { paginate: true, ...(declared ? { preSend: [normalisedInputs(declared.inputs, declared.domains ?? true)] } : {}) },
			operations: { pagination: requestRunner(paginator, declared?.service) },
			output: { postReceive: steps },
		},
	};
}

/** How an answer that is not a JSON object looks, for the error that refuses it. */
function shapeOf(body: unknown): string {
	if (body === undefined || body === '') return 'an empty body';
	if (body === null) return 'null';
	if (Array.isArray(body)) return 'a list of non-objects';
	if (typeof body === 'string') {
		const text = body.trim();
		if (/^<(!doctype|html|\?xml|head|body)/i.test(text) || /<html/i.test(text.slice(0, 500))) return 'an HTML page';
		if (/^[[{]/.test(text)) return 'truncated or invalid JSON';
		return 'text';
	}
	return `${showValue(body)} (${typeof body})`;
}

/**
 * The second postReceive step (after the service's error check): a 2xx answer must be the JSON the API documents,
 * an object or a list of objects. An HTML page from a proxy, an empty or null body, truncated JSON or a list of
 * non-objects is one NodeApiError naming the content type and the HTTP status, never an item. 204 (no content)
 * and CSV answers are what their operations ask for and pass.
 */
export function answerIsJson(service: string): PostReceiveFunction {
	return async function (this: IExecuteSingleFunctions, items: INodeExecutionData[], response: IN8nHttpFullResponse) {
		if (response.statusCode === 204) return items;
		const contentType = String((response.headers ?? {})['content-type'] ?? '').split(';')[0].trim().toLowerCase();
		if (contentType === 'text/csv') return items;
		let body = response.body as unknown;
		if (Buffer.isBuffer(body)) body = body.toString('utf8');
		if (typeof body === 'string' && body.trim() !== '') {
			try {
				body = JSON.parse(body);
			} catch {
				// stays text: refused below
			}
		}
		const ok = isPlainObject(body) || (Array.isArray(body) && body.every((entry) => isPlainObject(entry)));
		if (ok) return items;
		const shown = contentType ? `${shapeOf(body)} (${contentType})` : shapeOf(body);
		throw new NodeApiError(this.getNode(), { httpCode: String(response.statusCode) } as JsonObject, {
			message: `${service} answered with ${shown} where JSON was expected`,
			description: `HTTP ${response.statusCode}. Check the Base URL of the credential: a proxy, captive portal or wrong host may be answering instead of ${service}.`,
			httpCode: String(response.statusCode),
			itemIndex: this.getItemIndex(),
		});
	};
}

function setPath(target: IDataObject, path: string, value: unknown): void {
	const keys = path.split('.');
	let node = target;
	for (const key of keys.slice(0, -1)) {
		if (!isPlainObject(node[key])) return;
		node = node[key] as IDataObject;
	}
	const last = keys[keys.length - 1];
	if (last in node) node[last] = value as IDataObject[string];
}

/** Where a property with a plain `send` (no value expression) put its value, so the normalised value replaces it. */
function applyNormalised(property: INodeProperties, value: unknown, requestOptions: IHttpRequestOptions): void {
	const send = property.routing?.send;
	if (send?.property && send.value === undefined && (send.type === 'body' || send.type === 'query')) {
		const container = (send.type === 'body' ? requestOptions.body : requestOptions.qs) as IDataObject | undefined;
		if (isPlainObject(container)) setPath(container, send.property, value);
	}
	if (property.type === 'collection' && isPlainObject(value)) {
		for (const option of (property.options ?? []) as INodeProperties[]) {
			if ('type' in option && option.name in value) applyNormalised(option, value[option.name], requestOptions);
		}
	}
}

/**
 * The first preSend of every operation: every parameter that applies is normalised to its declared kind (see
 * coercion.ts) before any rule reads it; what cannot be is an input error and nothing is sent. Values that plain
 * routing sent as they came ({{ $json.id }} as the number 12345) are replaced by their normalised form ("12345").
 */
function normalisedInputs(inputs: readonly INodeProperties[], domains: boolean): PreSendStep {
	return validatedBy(function (requestOptions) {
		const normalised = normaliseParameters(inputs, (name) => this.getNodeParameter(name, undefined), { domains });
		for (const property of inputs) {
			if (property.name in normalised) applyNormalised(property, normalised[property.name], requestOptions);
		}
	});
}

/**
 * Last line of defence, after every preSend: a path with an empty segment ("/account/details/",
 * "…/resource_billing_summary//2019-12") would reach another endpoint or the collection, so it is never sent.
 */
function assertNoEmptySegment(this: IExecutePaginationFunctions, url: string | undefined): void {
	const path = (url ?? '').split(/[?#]/)[0];
	if (/^https?:\/\//i.test(path)) return;
	if (path.includes('//') || (path.length > 1 && path.endsWith('/'))) {
		throw new NodeOperationError(this.getNode(), `The request path ${path} has an empty segment`, {
			itemIndex: this.getItemIndex(),
			description: 'A value that goes into the URL is empty. Nothing was sent.',
		});
	}
}

type PreSendStep = (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) => Promise<IHttpRequestOptions>;

/**
 * Runs a preSend step unless an earlier one already failed the item. A failure that `asItemError` accepts
 * fails only this item: thrown as that error, or held back (see failureIsAnswer), so no request is sent
 * and requestRunner turns it into the item's linked error item. Anything else is thrown as it is.
 */
function failingTheItem(
	step: PreSendStep,
	asItemError: (this: IExecuteSingleFunctions, error: unknown) => NodeApiError | NodeOperationError | undefined,
): PreSendStep {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		if (heldErrors.has(requestOptions)) return requestOptions;
		try {
			return await step.call(this, requestOptions);
		} catch (error) {
			const itemError = asItemError.call(this, error);
			if (!itemError) throw asNodeError(this.getNode(), error, this.getItemIndex());
			if (!failureIsAnswer(this)) throw itemError;
			heldErrors.set(requestOptions, itemError);
			return requestOptions;
		}
	};
}

/** Wraps a validation step as a preSend: a broken input rule fails the item before its request. */
export function validatedBy(
	check: (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) => void | Promise<void>,
): PreSendStep {
	return failingTheItem(
		async function (requestOptions) {
			await check.call(this, requestOptions);
			return requestOptions;
		},
		function (error) {
			if (!(error instanceof InputRuleError)) return undefined;
			return new NodeOperationError(this.getNode(), error.message, {
				itemIndex: this.getItemIndex(),
				description: `Fix "${error.field}" and run again. Nothing was sent.`,
			});
		},
	);
}

/**
 * Wraps a preSend that calls the API itself (e.g. reads a record before updating it): its API error fails
 * only this item, and under Continue On Fail the main request is not sent.
 */
export function failingItemOnApiError(step: PreSendStep): PreSendStep {
	return failingTheItem(step, (error) => (error instanceof NodeApiError ? error : undefined));
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

import type { IDataObject, IHttpRequestOptions, INode, IPollFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

export const CREDENTIAL = 'upCloudApi';
const DEFAULT_BASE_URL = 'https://api.upcloud.com/1.3';

// Meanings from UpCloud's "Errors" section, shown under the message.
const STATUS_MEANINGS: Record<number, string> = {
	400: 'UpCloud rejected the request: an attribute is invalid, unknown or missing.',
	401: 'Authentication failed: check the API user name and password, and that API access is allowed for the user.',
	402: 'The account has insufficient credits.',
	403: 'This API user lacks the permission (e.g. the billing role, or Partner API access for a customer username).',
	404: 'UpCloud did not find what was asked for (check the resource ID or username).',
	429: 'Too many requests: poll less often.',
};

function parseBody(body: unknown): unknown {
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

/**
 * UpCloud answers errors as {"error":{"error_code","error_message"}} (newer services as RFC 7807
 * problem+json). The message shows UpCloud's own code and text. Only the response body is kept:
 * the request, with its Authorization header, never reaches the error shown in executions.
 * TODO: use nodes/UpCloud/GenericFunctions' mapping once it is committed, so the mapping exists once.
 */
export function upCloudApiError(node: INode, statusCode: number, rawBody: unknown): NodeApiError {
	const body = parseBody(rawBody);
	let message = `UpCloud answered HTTP ${statusCode}`;
	let details: JsonObject = {};
	if (body && typeof body === 'object') {
		const { error } = body as { error?: { error_code?: string; error_message?: string } };
		const problem = body as { title?: string; detail?: string };
		if (error && (error.error_code || error.error_message)) {
			message = [error.error_code, error.error_message].filter(Boolean).join(': ');
			details = { error_code: error.error_code ?? null, error_message: error.error_message ?? null };
		} else if (problem.title) {
			message = [problem.title, problem.detail].filter(Boolean).join(' – ');
			details = body as JsonObject;
		}
	} else if (typeof body === 'string' && body.trim() !== '') {
		message = `${message}: ${body.trim().slice(0, 200)}`;
	}
	return new NodeApiError(node, { ...details, httpCode: String(statusCode) } as JsonObject, {
		message,
		description:
			STATUS_MEANINGS[statusCode] ??
			(statusCode >= 500 ? 'UpCloud had a service problem; the next poll will try again.' : undefined),
		httpCode: String(statusCode),
	});
}

export async function upCloudBaseUrl(this: IPollFunctions): Promise<string> {
	const credentials = await this.getCredentials(CREDENTIAL);
	return String(credentials.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '');
}

/** One authenticated GET; a non-2xx answer becomes a NodeApiError with UpCloud's code and message. */
export async function upCloudGet(
	this: IPollFunctions,
	baseUrl: string,
	path: string,
	qs?: IDataObject,
): Promise<IDataObject> {
	const options: IHttpRequestOptions = {
		method: 'GET',
		url: `${baseUrl}${path}`,
		headers: { Accept: 'application/json' },
		json: true,
		ignoreHttpStatusErrors: true,
		returnFullResponse: true,
		...(qs ? { qs } : {}),
	};
	const response = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL, options)) as {
		statusCode: number;
		body: unknown;
	};
	if (response.statusCode >= 400) throw upCloudApiError(this.getNode(), response.statusCode, response.body);
	const body = parseBody(response.body);
	if (!body || typeof body !== 'object') {
		throw upCloudApiError(this.getNode(), response.statusCode, `Unexpected answer: ${String(body)}`);
	}
	return body as IDataObject;
}

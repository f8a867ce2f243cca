import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteSingleFunctions,
	INode,
	INodeExecutionData,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { failOnHttpError, parseBody } from '../shared/declarative';
import { authenticatedGet, credentialBaseUrl } from '../shared/http';

/** UpCloud as a service, once: its URL, the credential, its error format and its GETs outside the routing. */

export const CREDENTIAL = 'upCloudApi';
/** Where UpCloud's API is when the credential names no other Base URL. */
const UPCLOUD_URL = 'https://api.upcloud.com/1.3';

// Meanings from UpCloud's "Errors" section, shown under the message.
const STATUS_MEANINGS: Record<number, string> = {
	400: 'UpCloud rejected the request: an attribute is invalid, unknown or missing.',
	401: 'Authentication failed: check the API user name and password, and that API access is allowed for the user.',
	402: 'The account has insufficient credits.',
	403: 'The resource belongs to another account, or this API user lacks the permission (e.g. billing role, main account or Partner API access).',
	404: 'The resource was not found.',
	405: 'UpCloud does not allow this method on this path.',
	406: 'UpCloud cannot answer in the requested format (Accept header).',
	409: 'The request conflicts with the current state, e.g. the username is already taken.',
	429: 'Too many requests: wait and try again.',
};

/**
 * UpCloud answers errors as {"error":{"error_code","error_message"}}; newer services use RFC 7807
 * problem+json ({type,title,status,invalid_params}). Both become a NodeApiError whose message shows
 * UpCloud's own code and text. Only the response body is kept: the request (with its Authorization
 * header) never reaches the error.
 */
export function upCloudApiError(node: INode, statusCode: number, rawBody: unknown): NodeApiError {
	const body = parseBody(rawBody);
	let message = `UpCloud answered HTTP ${statusCode}`;
	let details: JsonObject = {};
	if (body && typeof body === 'object') {
		const { error } = body as { error?: { error_code?: string; error_message?: string } };
		const problem = body as { title?: string; detail?: string; invalid_params?: Array<{ name: string; reason: string }> };
		if (error && (error.error_code || error.error_message)) {
			message = [error.error_code, error.error_message].filter(Boolean).join(': ');
			details = { error_code: error.error_code ?? null, error_message: error.error_message ?? null };
		} else if (problem.title) {
			const params = (problem.invalid_params ?? []).map((p) => `${p.name}: ${p.reason}`).join('; ');
			message = [problem.title, problem.detail, params].filter(Boolean).join(' – ');
			details = body as JsonObject;
		}
	} else if (typeof body === 'string' && body.trim() !== '') {
		message = `${message}: ${body.trim().slice(0, 200)}`;
	}
	return new NodeApiError(node, { ...details, httpCode: String(statusCode) } as JsonObject, {
		message,
		description: STATUS_MEANINGS[statusCode] ?? (statusCode >= 500 ? 'UpCloud had a service problem; try again later.' : undefined),
		httpCode: String(statusCode),
	});
}

/** First postReceive of every operation: UpCloud's error answers as NodeApiErrors. */
export const throwOnUpCloudError = failOnHttpError(function (statusCode, body) {
	return upCloudApiError(this.getNode(), statusCode, body);
});

/** The credential's base URL without a trailing slash; empty means UpCloud's own. */
export function upCloudBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	return credentialBaseUrl(credentials, UPCLOUD_URL);
}

/**
 * One authenticated GET outside the declarative routing (the trigger's readings, the read-back below);
 * a non-2xx answer becomes a NodeApiError with UpCloud's code and message, as in the action node.
 */
export async function upCloudGet(
	this: IExecuteSingleFunctions | IPollFunctions,
	baseUrl: string,
	path: string,
	qs?: IDataObject,
): Promise<IDataObject> {
	const { statusCode, body } = await authenticatedGet.call(this, CREDENTIAL, `${baseUrl}${path}`, qs, (status, raw) =>
		upCloudApiError(this.getNode(), status, raw),
	);
	if (!body || typeof body !== 'object') {
		throw upCloudApiError(this.getNode(), statusCode, `Unexpected answer: ${String(body)}`);
	}
	return body as IDataObject;
}

/**
 * UpCloud answers 204 with no body to subaccount create and account modify; like UpCloud's Go SDK,
 * read the account back so the workflow gets its details as they now stand.
 */
export function readBackAccount(
	usernameOf: (this: IExecuteSingleFunctions) => string | Promise<string>,
) {
	return async function (this: IExecuteSingleFunctions): Promise<INodeExecutionData[]> {
		const username = await usernameOf.call(this);
		const baseUrl = upCloudBaseUrl(await this.getCredentials(CREDENTIAL));
		const body = await upCloudGet.call(this, baseUrl, `/account/details/${encodeURIComponent(username)}`);
		return [{ json: (body.account ?? body) as IDataObject }];
	};
}

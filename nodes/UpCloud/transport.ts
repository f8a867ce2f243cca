import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteSingleFunctions,
	ILoadOptionsFunctions,
	INode,
	INodeExecutionData,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { failOnHttpError, parseBody } from '../shared/declarative';
import { credentialBaseUrl } from '../shared/baseUrl';
import { authenticatedGet } from '../shared/http';
import { UPCLOUD_URL } from './baseUrl';
import { BASIC_CREDENTIAL, TOKEN_CREDENTIAL } from './descriptions/authentication';

/** UpCloud as a service, once: the credential chosen, its error format and its GETs outside the routing. */

export type UpCloudContext = IExecuteSingleFunctions | IPollFunctions | ILoadOptionsFunctions;

/**
 * The credential the node's `authentication` parameter chose: n8n's routing picks it the same way, and every
 * request outside the routing (read-backs, trigger readings, dropdowns) goes through here so both agree.
 */
export function credentialName(this: UpCloudContext): string {
	// A dropdown sees the parameters being edited, which may not be saved yet.
	const editing = 'getCurrentNodeParameter' in this ? this.getCurrentNodeParameter('authentication') : undefined;
	const authentication = editing ?? (this as IExecuteSingleFunctions).getNodeParameter('authentication', 'apiToken');
	return authentication === 'basicAuth' ? BASIC_CREDENTIAL : TOKEN_CREDENTIAL;
}

/** The decrypted data of the chosen credential. */
export async function chosenCredentials(this: UpCloudContext): Promise<ICredentialDataDecryptedObject> {
	return await this.getCredentials(credentialName.call(this));
}

// Meanings from UpCloud's "Errors" section, shown under the message.
const STATUS_MEANINGS: Record<number, string> = {
	400: 'UpCloud rejected the request: an attribute is invalid, unknown or missing.',
	401: 'Authentication failed: check the credential. An API token must exist, be unexpired and allow the IP address n8n calls from; an API user needs its password and API access allowed.',
	402: 'The account has insufficient credits.',
	403: 'The resource belongs to another account, or this API user or token lacks the permission (e.g. billing role, main account, Partner API access, or a token allowed to create tokens).',
	404: 'The resource was not found.',
	405: 'UpCloud does not allow this method on this path.',
	406: 'UpCloud cannot answer in the requested format (Accept header).',
	409: 'The request conflicts with the current state, e.g. the username is already taken.',
	429: 'Too many requests: wait and try again.',
};

// Hints for codes whose remedy is one step away, shown instead of the status's meaning.
const CODE_HINTS: Record<string, string> = {
	SERVER_STATE_ILLEGAL:
		'The server is not in a state that allows this. A running server cannot be deleted: stop it first (Server → Stop), then delete it. Start needs it stopped, Stop and Restart need it started, and nothing is possible while it is in maintenance.',
	STORAGE_STATE_ILLEGAL:
		'The storage is not online (it may be cloning, backing up or in maintenance): wait until it is online, e.g. with Wait for Completion, and try again.',
};

/**
 * UpCloud answers errors as {"error":{"error_code","error_message"}}; newer services (API tokens) use RFC 7807
 * problem+json ({type,title,status,detail,invalid_params}), whose code is the fragment of `type`
 * (…/errors#ERROR_NOT_FOUND). Both become a NodeApiError whose message shows UpCloud's own code and text.
 * Only the response body is kept: the request (with its Authorization header) never reaches the error.
 */
export function upCloudApiError(node: INode, statusCode: number, rawBody: unknown): NodeApiError {
	const body = parseBody(rawBody);
	let message = `UpCloud answered HTTP ${statusCode}`;
	let details: JsonObject = {};
	if (body && typeof body === 'object') {
		const { error } = body as { error?: { error_code?: string; error_message?: string } };
		const problem = body as {
			type?: string;
			title?: string;
			detail?: string;
			invalid_params?: Array<{ name: string; reason: string }>;
		};
		if (error && (error.error_code || error.error_message)) {
			message = [error.error_code, error.error_message].filter(Boolean).join(': ');
			details = { error_code: error.error_code ?? null, error_message: error.error_message ?? null };
		} else if (problem.title) {
			const params = (problem.invalid_params ?? []).map((p) => `${p.name}: ${p.reason}`).join('; ');
			// The Go SDK strips "ERROR_" from the fragment; shown as sent, it is what UpCloud's error list names.
			const code = typeof problem.type === 'string' ? problem.type.split('#')[1] : undefined;
			message = [problem.title, problem.detail, params].filter(Boolean).join(' – ');
			if (code) message = `${code}: ${message}`;
			details = { ...(body as JsonObject), ...(code ? { error_code: code } : {}) };
		}
	} else if (typeof body === 'string' && body.trim() !== '') {
		message = `${message}: ${body.trim().slice(0, 200)}`;
	}
	return new NodeApiError(node, { ...details, httpCode: String(statusCode) } as JsonObject, {
		message,
		description:
			CODE_HINTS[String(details.error_code ?? '')] ??
			STATUS_MEANINGS[statusCode] ??
			(statusCode >= 500 ? 'UpCloud had a service problem; try again later.' : undefined),
		httpCode: String(statusCode),
	});
}

/** First postReceive of every operation: UpCloud's error answers as NodeApiErrors. */
export const throwOnUpCloudError = failOnHttpError(function (statusCode, body) {
	return upCloudApiError(this.getNode(), statusCode, body);
});

/**
 * One authenticated GET outside the declarative routing (the trigger's readings, the read-back below, dropdowns);
 * a non-2xx answer becomes a NodeApiError with UpCloud's code and message, as in the action node.
 */
export async function upCloudGet(this: UpCloudContext, path: string, qs?: IDataObject): Promise<IDataObject> {
	const { statusCode, body } = await upCloudRead.call(this, path, qs);
	if (!body || typeof body !== 'object') {
		throw upCloudApiError(this.getNode(), statusCode, `Unexpected answer: ${String(body)}`);
	}
	return body as IDataObject;
}

/**
 * The same GET with its status and headers (the audit log's Upcloud-Total-Count), the body parsed but unchecked;
 * list values in `qs` are repeated (actions=create&actions=delete), as the node's routing sends them.
 */
export async function upCloudRead(
	this: UpCloudContext,
	path: string,
	qs?: IDataObject,
): Promise<{ statusCode: number; body: unknown; headers: IDataObject }> {
	const baseUrl = credentialBaseUrl(await chosenCredentials.call(this), UPCLOUD_URL);
	return await authenticatedGet.call(
		this,
		credentialName.call(this),
		`${baseUrl}${path}`,
		qs,
		(status, raw) => upCloudApiError(this.getNode(), status, raw),
		'repeat',
	);
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
		const body = await upCloudGet.call(this, `/account/details/${encodeURIComponent(username)}`);
		return [{ json: (body.account ?? body) as IDataObject }];
	};
}

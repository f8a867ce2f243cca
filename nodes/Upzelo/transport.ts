import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteSingleFunctions,
	ILoadOptionsFunctions,
	INode,
	JsonObject,
} from 'n8n-workflow';
import { jsonParse, NodeApiError } from 'n8n-workflow';

import { failOnHttpError, parseBody } from '../shared/declarative';
import { credentialBaseUrl } from '../shared/baseUrl';
import { authenticatedGet } from '../shared/http';
import { UPZELO_URL } from './baseUrl';

/** Upzelo as a service, once: the credential, its error format and its GETs outside the routing. */

export const CREDENTIAL = 'upzeloApi';

// Shown under the message; Upzelo's docs only document 404, the rest is what each status means here.
const STATUS_MEANINGS: Record<number, string> = {
	400: 'Upzelo could not read the request.',
	401: 'Upzelo did not accept the credential: check the API key and App ID, both in the Developer section of Upzelo.',
	403: 'The API key may not do this: check that the App ID belongs to the same Upzelo app as the API key.',
	404: 'Nothing with this ID exists in this Upzelo app (or the Base URL in the credential is wrong).',
	405: 'Upzelo does not allow this method on this path.',
	409: 'The request conflicts with existing data, e.g. the ID is already used.',
	422: 'Upzelo rejected the input; the message names the field.',
	429: 'Too many requests: wait a moment and try again, or send fewer items at once.',
};

interface UpzeloErrorEntry {
	code?: unknown;
	title?: unknown;
	detail?: unknown;
}

export const isObject = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** Upzelo's documented {"errors":[{code,title,detail}]}; Laravel's own {message, errors:{field:[…]}} too. */
function messageOf(body: unknown, statusCode: number): string {
	const fallback = `Upzelo answered HTTP ${statusCode}`;
	if (typeof body === 'string') {
		const text = body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
		return text ? `${fallback}: ${text.slice(0, 200)}` : fallback;
	}
	if (!isObject(body)) return fallback;
	if (Array.isArray(body.errors)) {
		// A validation answer repeats one title with a detail per field: group the details under it.
		const byTitle = new Map<string, string[]>();
		for (const entry of body.errors as UpzeloErrorEntry[]) {
			if (!isObject(entry)) continue;
			const title = String(entry.title ?? fallback);
			const details = byTitle.get(title) ?? [];
			if (entry.detail !== undefined && entry.detail !== null) details.push(String(entry.detail));
			byTitle.set(title, details);
		}
		if (byTitle.size) {
			return [...byTitle].map(([title, details]) => [title, details.join(' ')].filter(Boolean).join(': ')).join('; ');
		}
	}
	const message = typeof body.message === 'string' ? body.message : undefined;
	if (isObject(body.errors)) {
		const details = Object.values(body.errors).flat().map(String);
		return [message ?? 'Validation error', details.join(' ')].filter(Boolean).join(': ');
	}
	return message ?? fallback;
}

/**
 * An Upzelo error answer as a NodeApiError showing Upzelo's title and detail, e.g. "Entity not found:
 * We cannot find an entity with an id matching upz_prc_doesntexist". Only the response body is kept,
 * never the request with its Authorization header, and any secret echoed back is masked.
 */
function upzeloApiError(
	node: INode,
	statusCode: number,
	rawBody: unknown,
	secrets: string[] = [],
): NodeApiError {
	const mask = (text: string) =>
		secrets.filter((secret) => secret.length >= 4).reduce((out, secret) => out.split(secret).join('***'), text);
	const body = parseBody(rawBody);
	const response = jsonParse<JsonObject>(mask(JSON.stringify(isObject(body) ? body : { body: body ?? null })));
	return new NodeApiError(node, { ...response, httpCode: String(statusCode) } as JsonObject, {
		message: mask(messageOf(body, statusCode)),
		description:
			STATUS_MEANINGS[statusCode] ?? (statusCode >= 500 ? 'Upzelo had a problem answering; try again later.' : undefined),
		httpCode: String(statusCode),
	});
}

/** What must never be shown back to the user from a credential: the API key. */
const secretsFrom = (credentials: ICredentialDataDecryptedObject) => [String(credentials.apiKey ?? '')];

/** First postReceive of every operation: Upzelo's error answers as NodeApiErrors, the key masked. */
export const throwOnUpzeloError = failOnHttpError(async function (statusCode, body) {
	const secrets = await this.getCredentials(CREDENTIAL).then(secretsFrom, () => []);
	return upzeloApiError(this.getNode(), statusCode, body, secrets);
});

/** A GET outside the declarative routing (dropdowns, reading a subscription before it is updated). */
export async function upzeloGet(
	this: IExecuteSingleFunctions | ILoadOptionsFunctions,
	url: string,
	qs: IDataObject = {},
): Promise<unknown> {
	const credentials = await this.getCredentials(CREDENTIAL);
	const { body } = await authenticatedGet.call(this, CREDENTIAL, `${credentialBaseUrl(credentials, UPZELO_URL)}${url}`, qs, (status, raw) =>
		upzeloApiError(this.getNode(), status, raw, secretsFrom(credentials)),
	);
	return body;
}

import type {
	IDataObject,
	IHttpRequestOptions,
	IExecuteSingleFunctions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
	NodeApiError,
} from 'n8n-workflow';

import { parseBody } from './declarative';
import { noteHttpAnswer, withRetries } from './retry';

/** Requests both service nodes make outside the declarative routing (dropdowns, reads, the trigger). */

/**
 * One authenticated GET of `url` (absolute), under the retry policy. An answer of 400 or more is thrown as
 * `toError` builds it from the status and body; otherwise the status, the parsed body and the headers are returned.
 * `arrayFormat` says how list values in `qs` are sent (UpCloud repeats them: actions=a&actions=b).
 */
export async function authenticatedGet(
	this: IExecuteSingleFunctions | ILoadOptionsFunctions | IPollFunctions,
	credential: string,
	url: string,
	qs: IDataObject | undefined,
	toError: (statusCode: number, body: unknown) => NodeApiError,
	arrayFormat?: IHttpRequestOptions['arrayFormat'],
): Promise<{ statusCode: number; body: unknown; headers: IN8nHttpFullResponse['headers'] }> {
	return await withRetries(this, 'GET', async () => {
		const response = (await this.helpers.httpRequestWithAuthentication.call(this, credential, {
			method: 'GET',
			url,
			headers: { Accept: 'application/json' },
			ignoreHttpStatusErrors: true,
			returnFullResponse: true,
			...(qs ? { qs } : {}),
			...(arrayFormat ? { arrayFormat } : {}),
		})) as IN8nHttpFullResponse;
		if (response.statusCode >= 400) throw noteHttpAnswer(toError(response.statusCode, response.body), response);
		return { statusCode: response.statusCode, body: parseBody(response.body), headers: response.headers ?? {} };
	});
}

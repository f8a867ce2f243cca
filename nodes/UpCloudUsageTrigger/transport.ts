import type { IDataObject, IHttpRequestOptions, IPollFunctions } from 'n8n-workflow';

// The action node's error mapping, so UpCloud errors read the same in both nodes.
import { parseBody } from '../shared/declarative';
import { CREDENTIAL, upCloudApiError, upCloudBaseUrl } from '../UpCloud/GenericFunctions';

export { CREDENTIAL, upCloudBaseUrl };

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

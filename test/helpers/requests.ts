import type nock from 'nock';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

export interface RecordedRequest {
	method: string;
	/** Path including the query string, exactly as sent. */
	path: string;
	headers: IncomingHttpHeaders;
	/** Parsed JSON body, raw text for other bodies, undefined when there was none. */
	body: unknown;
}

interface InterceptedRequest {
	method: string;
	path: string;
	headers?: IncomingHttpHeaders;
	getHeaders?: () => OutgoingHttpHeaders;
}

/**
 * Records every request the given nock scopes answer, so a test can assert the exact method, path,
 * query, headers and body the node sent, not just that some interceptor matched.
 */
export function recordRequests(...scopes: nock.Scope[]): RecordedRequest[] {
	const recorded: RecordedRequest[] = [];
	for (const scope of scopes) {
		scope.on('request', (req: InterceptedRequest, _interceptor: unknown, body?: string) => {
			let parsed: unknown = body === undefined || body === '' ? undefined : body;
			if (typeof parsed === 'string') {
				try {
					parsed = JSON.parse(parsed);
				} catch {
					// not JSON: keep the text
				}
			}
			const headers = (req.getHeaders ? req.getHeaders() : req.headers) as IncomingHttpHeaders;
			recorded.push({ method: req.method, path: req.path, headers: { ...headers }, body: parsed });
		});
	}
	return recorded;
}

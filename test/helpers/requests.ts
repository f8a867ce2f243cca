import nock from 'nock';
import type { IncomingHttpHeaders } from 'node:http';

export interface RecordedRequest {
	method: string;
	/** Path including the query string, exactly as sent. */
	path: string;
	headers: IncomingHttpHeaders;
	/** Parsed JSON body, raw text for other bodies, undefined when there was none. */
	body: unknown;
}

/**
 * Records every request nock intercepts, so a test can assert the exact method, path, query,
 * headers and body the node sent, not just that some interceptor matched.
 */
export function recordRequests(): RecordedRequest[] {
	const recorded: RecordedRequest[] = [];
	const listener = (req: { method: string; path: string; headers: IncomingHttpHeaders }, _i: unknown, body?: string) => {
		let parsed: unknown = body === undefined || body === '' ? undefined : body;
		if (typeof parsed === 'string') {
			try {
				parsed = JSON.parse(parsed);
			} catch {
				// not JSON: keep the text
			}
		}
		recorded.push({ method: req.method, path: req.path, headers: req.headers, body: parsed });
	};
	nock.emitter.on('no match', () => {});
	nock.emitter.on('request', listener);
	afterRequestRecording.push(() => nock.emitter.removeListener('request', listener));
	return recorded;
}

export const afterRequestRecording: Array<() => void> = [];

import nock from 'nock';

import { afterRequestRecording } from './requests';

beforeAll(() => {
	nock.disableNetConnect();
});

afterEach(() => {
	// Every test must consume every interceptor it declared: an unused mock is a request we failed to send.
	const pending = nock.pendingMocks();
	nock.cleanAll();
	while (afterRequestRecording.length) afterRequestRecording.pop()!();
	expect(pending).toEqual([]);
});

afterAll(() => {
	nock.enableNetConnect();
});

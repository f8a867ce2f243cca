import nock from 'nock';

beforeAll(() => {
	nock.disableNetConnect();
});

afterEach(() => {
	// Every test must consume every interceptor it declared: an unused mock is a request we failed to send.
	const pending = nock.pendingMocks();
	nock.cleanAll();
	expect(pending).toEqual([]);
});

afterAll(() => {
	nock.enableNetConnect();
});

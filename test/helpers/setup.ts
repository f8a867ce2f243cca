import { Container } from '@n8n/di';
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';
import nock from 'nock';

import { fakeRetryTiming } from './retry';

beforeAll(() => {
	nock.disableNetConnect();
});

beforeEach(() => {
	fakeRetryTiming();
});

afterEach(() => {
	jest.restoreAllMocks();
	// Every test must consume every interceptor it declared: an unused mock is a request we failed to send.
	const pending = nock.pendingMocks();
	nock.cleanAll();
	expect(pending).toEqual([]);
});

afterAll(() => {
	nock.enableNetConnect();
	// Jest reuses a worker for the next test file, whose own nock would otherwise sit on top of this one's
	// interception of node:http; stacked, a replyWithError (a connection reset) escapes as an unhandled error.
	nock.restore();
	// n8n-core creates this service for every node context; its cleanup timer would keep jest alive.
	if (Container.has(SSHClientsManager)) Container.get(SSHClientsManager).onShutdown();
});

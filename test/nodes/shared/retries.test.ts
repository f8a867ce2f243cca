import nock from 'nock';
import type { INodeParameters } from 'n8n-workflow';

import { UpCloud } from '../../../nodes/UpCloud/UpCloud.node';
import { UpCloudUsageTrigger } from '../../../nodes/UpCloud/UpCloudUsageTrigger.node';
import { Upzelo } from '../../../nodes/Upzelo/Upzelo.node';
import { backoffMs, RETRY_POLICY, retryAfterMs, retryTiming } from '../../../nodes/shared/retry';
import { nodeTypesFor } from '../../helpers/engine';
import { runListSearch } from '../../helpers/load-options';
import { Poller } from '../../helpers/poll';
import { waits } from '../../helpers/retry';
import { api as upcloud, run as runUpCloud, subaccountCreateParameters, upCloudError } from '../UpCloud/fixtures';
import { list, nodeTypes as upzeloTypes, run as runUpzelo, sent, upzelo } from '../Upzelo/harness';

/**
 * The retry policy (nodes/shared/retry.ts) through the real engine. Sleeps are recorded, never waited
 * (test/helpers/retry.ts), with the jitter at its middle: backoff waits are exactly 1, 2, 4 and 8 s.
 */

const ACCOUNT = { account: { username: 'api_user', credits: 4210 } };
const getCurrent = { resource: 'account', operation: 'getCurrent' };
const UNAVAILABLE = upCloudError('SERVICE_UNAVAILABLE', 'Try again later.');
const socketError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('retry policy: what is retried', () => {
	it.each([429, 502, 503, 504])('a GET answered %s is sent again after about 1 s, and its answer is the output', async (status) => {
		const { scope, requests } = upcloud();
		scope.get('/1.3/account').reply(status, UNAVAILABLE);
		scope.get('/1.3/account').reply(200, ACCOUNT);
		const { items, error } = await runUpCloud(getCurrent);
		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([
			['GET', '/1.3/account'],
			['GET', '/1.3/account'],
		]);
		expect(waits).toEqual([1000]);
		expect(items).toEqual([{ json: { username: 'api_user', credits: 4210, credits_in_currency: 42.1 }, pairedItem: { item: 0 } }]);
	});

	it.each([
		['ECONNRESET', 'socket hang up'],
		['ECONNRESET', 'read ECONNRESET'],
		['ETIMEDOUT', 'connect ETIMEDOUT 192.0.2.1:443'],
	])('a connection error (%s, "%s") is retried', async (code, message) => {
		const { api, requests } = upzelo();
		api.get('/api/products/upz_prod_1').replyWithError(socketError(code, message));
		api.get('/api/products/upz_prod_1').reply(200, { data: { product: { id: 'upz_prod_1' } } });
		const { items, error } = await runUpzelo({ resource: 'product', operation: 'get', productId: 'upz_prod_1' });
		expect(error).toBeUndefined();
		expect(requests).toHaveLength(2);
		expect(waits).toEqual([1000]);
		expect(items.map((i) => i.json)).toEqual([{ id: 'upz_prod_1' }]);
	});

	it('a refused connection fails at once on the first attempt (a wrong Base URL), but is retried on a retry', async () => {
		const first = upcloud();
		first.scope.get('/1.3/account').replyWithError(socketError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:443'));
		const refused = await runUpCloud(getCurrent);
		expect(first.requests).toHaveLength(1);
		expect(refused.error?.httpCode).toBe('ECONNREFUSED');
		expect(waits).toEqual([]);

		const { scope, requests } = upcloud();
		scope.get('/1.3/account').reply(503, UNAVAILABLE);
		scope.get('/1.3/account').replyWithError(socketError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:443'));
		scope.get('/1.3/account').reply(200, ACCOUNT);
		const { error } = await runUpCloud(getCurrent);
		expect(error).toBeUndefined();
		expect(requests).toHaveLength(3);
		expect(waits).toEqual([1000, 2000]);
	});

	it('a read-back after a write is retried; the write itself is sent once', async () => {
		const { scope, requests } = upcloud();
		scope.post('/1.3/account/sub').reply(204);
		scope.get('/1.3/account/details/myusername').reply(503, UNAVAILABLE);
		scope.get('/1.3/account/details/myusername').reply(200, { account: { username: 'myusername' } });
		const { items, error } = await runUpCloud(subaccountCreateParameters());
		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([
			['POST', '/1.3/account/sub'],
			['GET', '/1.3/account/details/myusername'],
			['GET', '/1.3/account/details/myusername'],
		]);
		expect(items.map((i) => i.json)).toEqual([{ username: 'myusername' }]);
	});

	it('a read-back that keeps failing is not repeated by the write around it', async () => {
		const { scope, requests } = upcloud();
		scope.put('/1.3/account/details/ops_team').reply(204);
		scope.get('/1.3/account/details/ops_team').times(5).reply(503, UNAVAILABLE);
		const { error } = await runUpCloud({ resource: 'account', operation: 'update', username: 'ops_team', updateFields: { firstName: 'Ada' } });
		expect(requests.map((r) => r.method)).toEqual(['PUT', 'GET', 'GET', 'GET', 'GET', 'GET']);
		expect(error?.message).toBe('SERVICE_UNAVAILABLE: Try again later.');
		expect(error?.description).toMatch(/^Tried 5 times \(4 retries, 15 s of waiting\); the service kept failing\./);
	});

	it('a dropdown search is retried, honouring Retry-After', async () => {
		const { api, requests } = upzelo();
		api.get('/api/products').query({ limit: '100' }).reply(429, { message: 'Too Many Attempts.' }, { 'Retry-After': '2' });
		api.get('/api/products').query({ limit: '100' }).reply(200, list('products', [{ id: 'upz_prod_1', name: 'Box' }]));
		const result = await runListSearch({ type: 'upzelo', nodeTypes: upzeloTypes, method: 'searchProducts', parameter: 'productId' });
		expect(requests).toHaveLength(2);
		expect(waits).toEqual([2000]);
		expect(result.results).toEqual([{ name: 'Box', value: 'upz_prod_1' }]);
	});
});

describe('retry policy: Retry-After', () => {
	it('in seconds: waits exactly as long', async () => {
		const { scope } = upcloud();
		scope.get('/1.3/account').reply(429, upCloudError('TOO_MANY_REQUESTS', 'Slow down.'), { 'Retry-After': '7' });
		scope.get('/1.3/account').reply(200, ACCOUNT);
		const { error } = await runUpCloud(getCurrent);
		expect(error).toBeUndefined();
		expect(waits).toEqual([7000]);
	});

	it('as an HTTP date: waits until then', async () => {
		const now = Date.parse('2024-05-10T12:00:00Z');
		jest.spyOn(retryTiming, 'now').mockReturnValue(now);
		const { scope } = upcloud();
		scope.get('/1.3/account').reply(503, UNAVAILABLE, { 'Retry-After': 'Fri, 10 May 2024 12:00:12 GMT' });
		scope.get('/1.3/account').reply(200, ACCOUNT);
		const { error } = await runUpCloud(getCurrent);
		expect(error).toBeUndefined();
		expect(waits).toEqual([12000]);
	});

	it('longer than 30 s: not retried, and the error says what the service asked for', async () => {
		const { scope, requests } = upcloud();
		scope.get('/1.3/account').reply(503, UNAVAILABLE, { 'Retry-After': '120' });
		const { error } = await runUpCloud(getCurrent);
		expect(requests).toHaveLength(1);
		expect(waits).toEqual([]);
		expect(error?.message).toBe('SERVICE_UNAVAILABLE: Try again later.');
		expect(error?.description).toBe(
			'Tried 1 time; not retried: the service asked to wait 120 s (Retry-After), more than the 30 s this node waits. UpCloud had a service problem; try again later.',
		);
	});

	it.each([
		['5', 5000],
		['0', 0],
		['1.5', 1500],
		['Fri, 10 May 2024 12:00:30 GMT', 30000],
		['Fri, 10 May 2024 11:59:00 GMT', 0],
		['soon', undefined],
		['', undefined],
	])('parses "%s" as %s ms', (value, expected) => {
		expect(retryAfterMs(value, Date.parse('2024-05-10T12:00:00Z'))).toBe(expected);
	});
});

describe('retry policy: limits', () => {
	it('at most 4 retries: 5 attempts, then the service\'s last code and message with the attempt count', async () => {
		const { scope, requests } = upcloud();
		scope.get('/1.3/account').times(4).reply(503, UNAVAILABLE);
		scope.get('/1.3/account').reply(502, upCloudError('BAD_GATEWAY', 'Upstream closed.'));
		const { error, items } = await runUpCloud(getCurrent);
		expect(requests).toHaveLength(5);
		expect(waits).toEqual([1000, 2000, 4000, 8000]);
		expect(items).toEqual([]);
		expect(error?.message).toBe('BAD_GATEWAY: Upstream closed.');
		expect(error?.httpCode).toBe('502');
		expect(error?.description).toBe(
			'Tried 5 times (4 retries, 15 s of waiting); the service kept failing. UpCloud had a service problem; try again later.',
		);
		expect(error?.context?.attempts).toBe(5);
	});

	it('backoff doubles from about 1 s with ±50 % jitter, and no wait passes 30 s', () => {
		const random = jest.spyOn(retryTiming, 'random');
		random.mockReturnValue(0);
		expect([1, 2, 3, 4].map(backoffMs)).toEqual([500, 1000, 2000, 4000]);
		random.mockReturnValue(0.999999);
		expect([1, 2, 3, 4].map(backoffMs)).toEqual([1500, 3000, 6000, 12000]);
		expect(backoffMs(6)).toBe(RETRY_POLICY.maxWaitMs);
	});

	it('all waits of one node run share a 60 s budget: a wait that would pass it is not made', async () => {
		const { scope, requests } = upcloud();
		scope.get('/1.3/account').times(3).reply(429, upCloudError('TOO_MANY_REQUESTS', 'Slow down.'), { 'Retry-After': '25' });
		const { error } = await runUpCloud(getCurrent);
		expect(requests).toHaveLength(3);
		expect(waits).toEqual([25000, 25000]);
		expect(error?.message).toBe('TOO_MANY_REQUESTS: Slow down.');
		expect(error?.description).toBe(
			"Tried 3 times (2 retries, 50 s of waiting); stopped: another wait would pass this run's retry budget of 60 s. Too many requests: wait and try again.",
		);
	});

	it('the budget is shared by the items of a run, and the next run starts with a new one', async () => {
		const { scope, requests } = upcloud();
		for (const username of ['a_user', 'b_user', 'c_user']) {
			scope.get(`/1.3/account/details/${username}`).reply(503, UNAVAILABLE, { 'Retry-After': '25' });
		}
		for (const username of ['a_user', 'b_user']) {
			scope.get(`/1.3/account/details/${username}`).reply(200, { account: { username } });
		}
		const { items } = await runUpCloud(
			{ resource: 'account', operation: 'get', username: '={{ $json.u }}' },
			{ items: [{ u: 'a_user' }, { u: 'b_user' }, { u: 'c_user' }], continueOnFail: true },
		);
		expect(requests).toHaveLength(5);
		expect(waits).toEqual([25000, 25000]);
		expect(items.map((i) => i.json.username ?? i.json.error)).toEqual(['a_user', 'b_user', 'SERVICE_UNAVAILABLE: Try again later.']);
		expect(items[2].error?.description).toMatch(/^Tried 1 time; stopped: another wait would pass this run's retry budget of 60 s\./);

		scope.get('/1.3/account/details/c_user').reply(503, UNAVAILABLE, { 'Retry-After': '25' });
		scope.get('/1.3/account/details/c_user').reply(200, { account: { username: 'c_user' } });
		const again = await runUpCloud({ resource: 'account', operation: 'get', username: 'c_user' });
		expect(again.error).toBeUndefined();
		expect(waits).toEqual([25000, 25000, 25000]);
	});
});

describe('retry policy: what is never retried', () => {
	it.each([
		['POST (Upzelo customer create)', 'post', '/api/customers', { resource: 'customer', operation: 'create', externalId: 'c-1', additionalFields: {} }],
		['PUT (Upzelo customer anonymize)', 'put', '/api/customers/c-1', { resource: 'customer', operation: 'anonymize', customerId: 'c-1' }],
	] as const)('%s answered 503 is sent once: it may have been carried out', async (_, method, path, parameters) => {
		const { api, requests } = upzelo();
		api[method](path).reply(503, { errors: [{ code: 503, title: 'Service Unavailable', detail: 'Try again later.' }] });
		const { error } = await runUpzelo(parameters);
		expect(requests).toHaveLength(1);
		expect(waits).toEqual([]);
		expect(error?.message).toBe('Service Unavailable: Try again later.');
		expect(error?.description).toBe('Upzelo had a problem answering; try again later.');
	});

	it.each([
		['PUT (UpCloud account update)', 'put', '/1.3/account/details/ops_team', { resource: 'account', operation: 'update', username: 'ops_team', updateFields: { firstName: 'Ada' } }],
		['DELETE (UpCloud subaccount delete)', 'delete', '/1.3/account/sub/ops_team', { resource: 'subaccount', operation: 'delete', username: 'ops_team' }],
		['POST (UpCloud subaccount create)', 'post', '/1.3/account/sub', subaccountCreateParameters()],
	] as const)('%s answered 502 or reset is sent once', async (_, method, path, parameters) => {
		const { scope, requests } = upcloud();
		scope[method](path).reply(502, upCloudError('BAD_GATEWAY', 'Upstream closed.'));
		const answered = await runUpCloud(parameters);
		expect(answered.error?.message).toBe('BAD_GATEWAY: Upstream closed.');
		scope[method](path).replyWithError(socketError('ECONNRESET', 'socket hang up'));
		const reset = await runUpCloud(parameters);
		expect(reset.error?.httpCode).toBe('ECONNRESET');
		expect(requests).toHaveLength(2);
		expect(waits).toEqual([]);
	});

	it.each([400, 401, 403, 404, 409, 422, 500])('a GET answered %s is sent once, its error as it was', async (status) => {
		const { scope, requests } = upcloud();
		scope.get('/1.3/account').reply(status, upCloudError('SOME_ERROR', 'Nope.'));
		const { error } = await runUpCloud(getCurrent);
		expect(requests).toHaveLength(1);
		expect(waits).toEqual([]);
		expect(error?.message).toBe('SOME_ERROR: Nope.');
		expect(error?.httpCode).toBe(String(status));
		expect(String(error?.description ?? '')).not.toContain('Tried');
	});

	it('a 503 followed by a 404 stops at the 404 and says it came on the second attempt', async () => {
		const { scope, requests } = upcloud();
		scope.get('/1.3/account').reply(503, UNAVAILABLE);
		scope.get('/1.3/account').reply(404, upCloudError('NOT_FOUND', 'Gone.'));
		const { error } = await runUpCloud(getCurrent);
		expect(requests).toHaveLength(2);
		expect(error?.message).toBe('NOT_FOUND: Gone.');
		expect(error?.description).toBe('Tried 2 times (1 retry, 1 s of waiting); the last attempt failed as shown. The resource was not found.');
	});
});

describe('Retry Transient Errors off', () => {
	const off = { requestOptions: { retryTransientErrors: false } };

	it('a routed GET answered 503 is sent once, its error as it was', async () => {
		const { scope, requests } = upcloud();
		scope.get('/1.3/account').reply(503, UNAVAILABLE);
		const { error } = await runUpCloud({ ...getCurrent, ...off });
		expect(requests).toHaveLength(1);
		expect(waits).toEqual([]);
		expect(error?.message).toBe('SERVICE_UNAVAILABLE: Try again later.');
		expect(error?.description).toBe('UpCloud had a service problem; try again later.');
	});

	it('a Return All page answered 429 ends the run at once', async () => {
		const { api, requests } = upzelo();
		api.get('/api/customers').query({ limit: '100' }).reply(200, list('customers', [{ id: 'c_1' }], true, 'p2'));
		api.get('/api/customers').query({ limit: '100', cursor: 'p2' }).reply(429, { message: 'Too Many Attempts.' });
		const { error } = await runUpzelo({ resource: 'customer', operation: 'getAll', returnAll: true, ...off });
		expect(requests).toHaveLength(2);
		expect(error?.message).toBe('Too Many Attempts.');
	});

	it('a dropdown search, with the option off in the editor, is sent once', async () => {
		const { api, requests } = upzelo();
		api.get('/api/prices').query({ limit: '100' }).replyWithError(socketError('ECONNRESET', 'socket hang up'));
		await expect(
			runListSearch({ type: 'upzelo', nodeTypes: upzeloTypes, method: 'searchPrices', parameter: 'priceId', currentNodeParameters: off }),
		).rejects.toMatchObject({ httpCode: 'ECONNRESET' });
		expect(requests).toHaveLength(1);
	});

	it('the option is a node setting, on by default, on both action nodes', () => {
		for (const node of [new UpCloud(), new Upzelo()]) {
			const requestOptions = node.description.properties.find((p) => p.name === 'requestOptions');
			expect(requestOptions).toMatchObject({ type: 'collection', isNodeSetting: true, default: {} });
			expect(requestOptions?.options).toEqual([
				expect.objectContaining({ displayName: 'Retry Transient Errors', name: 'retryTransientErrors', type: 'boolean', default: true }),
			]);
		}
	});
});

/** mulberry32: the same "random" pages on every run. */
function seeded(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

describe('Return All resumes, never restarts', () => {
	it('10,000 Upzelo customers with 5 transient failures on random pages: 10,000 unique items in 100 + 5 requests', async () => {
		const random = seeded(20240912);
		const failing = new Set<number>();
		while (failing.size < 5) failing.add(Math.floor(random() * 100));
		const faults = [
			(scope: nock.Interceptor) => scope.reply(503, { errors: [{ code: 503, title: 'Service Unavailable', detail: 'Down.' }] }),
			(scope: nock.Interceptor) => scope.reply(429, { message: 'Too Many Attempts.' }, { 'Retry-After': '1' }),
			(scope: nock.Interceptor) => scope.reply(502, '<html>Bad Gateway</html>'),
			(scope: nock.Interceptor) => scope.replyWithError(socketError('ECONNRESET', 'socket hang up')),
			(scope: nock.Interceptor) => scope.reply(504, ''),
		];
		const { api, requests } = upzelo();
		const cursor = (page: number) => `page-${page}==`;
		let fault = 0;
		for (let page = 0; page < 100; page++) {
			const query = page === 0 ? { limit: '100' } : { limit: '100', cursor: cursor(page) };
			if (failing.has(page)) faults[fault++](api.get('/api/customers').query(query));
			const records = Array.from({ length: 100 }, (_, i) => ({ id: `upz_cus_${page * 100 + i}` }));
			api.get('/api/customers').query(query).reply(200, list('customers', records, page < 99, page < 99 ? cursor(page + 1) : null));
		}

		const { items, error } = await runUpzelo({ resource: 'customer', operation: 'getAll', returnAll: true });

		expect(error).toBeUndefined();
		expect(requests).toHaveLength(105);
		const expected: string[] = [];
		for (let page = 0; page < 100; page++) {
			const path = page === 0 ? '/api/customers?limit=100' : `/api/customers?limit=100&cursor=page-${page}%3D%3D`;
			expected.push(path);
			if (failing.has(page)) expected.push(path);
		}
		expect(sent(requests).map(([, path]) => path)).toEqual(expected);
		expect(items).toHaveLength(10000);
		const ids = items.map((item) => item.json.id);
		expect(new Set(ids).size).toBe(10000);
		expect(ids).toEqual(Array.from({ length: 10000 }, (_, i) => `upz_cus_${i}`));
		expect(waits).toEqual([1000, 1000, 1000, 1000, 1000]);
	});
});

describe('the usage trigger meets a blip', () => {
	const triggerTypes = nodeTypesFor({ upCloudUsageTrigger: new UpCloudUsageTrigger() });
	const watchCredits = (options: INodeParameters = {}, requestOptions: INodeParameters = {}) =>
		new Poller({
			type: 'upCloudUsageTrigger',
			nodeTypes: triggerTypes,
			parameters: {
				metric: 'credits',
				creditsCurrency: 'EUR',
				thresholds: { levels: [{ threshold: 50, name: 'low' }] },
				options,
				requestOptions,
			},
		});

	it('a poll that meets one 503 still evaluates once and fires once; the next poll does not fire again', async () => {
		const { scope, requests } = upcloud();
		scope.get('/1.3/account').reply(503, UNAVAILABLE);
		scope.get('/1.3/account').times(2).reply(200, ACCOUNT);
		const trigger = watchCredits();

		const first = await trigger.poll();
		expect(first.error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual(['/1.3/account', '/1.3/account']);
		expect(waits).toEqual([1000]);
		expect(first.items).toHaveLength(1);
		expect(first.items[0]).toMatchObject({ state: 'alerting', level: 'low', value: 42.1 });

		const second = await trigger.poll();
		expect(second.result).toBeNull();
		expect(requests).toHaveLength(3);
	});

	it('with Consecutive Polls 2, a retried poll counts once: it fires on the next poll, not on the retry', async () => {
		const { scope, requests } = upcloud();
		scope.get('/1.3/account').reply(503, UNAVAILABLE);
		scope.get('/1.3/account').times(3).reply(200, ACCOUNT);
		const trigger = watchCredits({ consecutivePolls: 2 });

		expect((await trigger.poll()).result).toBeNull();
		expect(trigger.staticData()).toMatchObject({ state: { levels: { 'below:50': { status: 'ok', pending: 1 } } } });
		const second = await trigger.poll();
		expect(second.items).toHaveLength(1);
		expect((await trigger.poll()).result).toBeNull();
		expect(requests).toHaveLength(4);
	});

	it('with Retry Transient Errors off, the 503 fails the poll at once and leaves the state as it was', async () => {
		const { scope, requests } = upcloud();
		scope.get('/1.3/account').reply(503, UNAVAILABLE);
		const trigger = watchCredits({}, { retryTransientErrors: false });

		const { error } = await trigger.poll();
		expect(requests).toHaveLength(1);
		expect(waits).toEqual([]);
		expect(error?.message).toBe('SERVICE_UNAVAILABLE: Try again later.');
		expect(trigger.staticData()).toEqual({});
	});

	it('offers the option in its settings too', () => {
		const requestOptions = new UpCloudUsageTrigger().description.properties.find((p) => p.name === 'requestOptions');
		expect(requestOptions).toMatchObject({ isNodeSetting: true, options: [expect.objectContaining({ name: 'retryTransientErrors', default: true })] });
	});
});

describe('each poll of an activation has its own retry budget', () => {
	const triggerTypes = nodeTypesFor({ upCloudUsageTrigger: new UpCloudUsageTrigger() });

	it('three polls on one poll context (as n8n runs them) each wait 50 s and each end with a success', async () => {
		const { scope, requests } = upcloud();
		const trigger = new Poller({
			type: 'upCloudUsageTrigger',
			nodeTypes: triggerTypes,
			parameters: { metric: 'credits', creditsCurrency: 'EUR', thresholds: { levels: [{ threshold: 50, name: 'low' }] } },
		});
		for (let poll = 1; poll <= 3; poll++) {
			scope.get('/1.3/account').times(2).reply(503, UNAVAILABLE, { 'Retry-After': '25' });
			scope.get('/1.3/account').reply(200, ACCOUNT);
			const { error, items } = await trigger.poll();
			// Each poll spends 50 of its 60 s; with one budget per activation the second poll could not wait at all.
			expect(error).toBeUndefined();
			expect(items).toHaveLength(poll === 1 ? 1 : 0);
			expect(requests).toHaveLength(3 * poll);
			expect(waits).toEqual(Array(2 * poll).fill(25000));
		}
	});

	it('within one poll the budget still holds: a third 25 s wait is not made', async () => {
		const { scope, requests } = upcloud();
		scope.get('/1.3/account').times(3).reply(503, UNAVAILABLE, { 'Retry-After': '25' });
		const trigger = new Poller({
			type: 'upCloudUsageTrigger',
			nodeTypes: triggerTypes,
			parameters: { metric: 'credits', creditsCurrency: 'EUR', thresholds: { levels: [{ threshold: 50, name: 'low' }] } },
		});
		const { error } = await trigger.poll();
		expect(requests).toHaveLength(3);
		expect(waits).toEqual([25000, 25000]);
		expect(error?.description).toMatch(/^Tried 3 times \(2 retries, 50 s of waiting\); stopped: another wait would pass this run's retry budget of 60 s\./);
	});
});

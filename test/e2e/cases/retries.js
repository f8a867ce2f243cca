'use strict';
/**
 * The retry policy in a real n8n: Upzelo Customer → Get Many, Return All over 10,000 customers, once as it is and
 * once with 5 transient faults injected on seeded pages through the sandbox's POST /__control/faults. Both must
 * give all 10,000 customers; the faulted run costs exactly 100 + 5 requests (each failed page is asked for again
 * with the same cursor). The node's execution times of both runs are recorded side by side (`--verbose`).
 *
 * Each case gets its 10,000 customers from POST /__control/reset in `setup` and gives the sandbox back as it was
 * started (250 of each) in `teardown`, so the other cases see the usual data.
 */

const assert = require('node:assert/strict');

const { prng } = require('../../sandbox/common');
const { upzelo, chain } = require('../lib/workflow');
const { items, runError } = require('../lib/run-data');

const CUSTOMERS = 10000;
const PAGES = CUSTOMERS / 100;
const NODE = 'All Customers';

/** One of each transient failure the policy retries, with the wait it should cause (Retry-After for the 429). */
const FAULT_KINDS = [
	{ status: 503 },
	{ status: 429, retryAfter: 1 },
	{ status: 502 },
	{ reset: true },
	{ status: 504 },
];

/** 5 different pages (0-based), the same on every run. */
function faultyPages() {
	const random = prng(20240912);
	const pages = new Set();
	while (pages.size < FAULT_KINDS.length) pages.add(random.int(0, PAGES - 1));
	return [...pages].sort((a, b) => a - b);
}

/**
 * Faults count every matching request since they were posted, failed ones included: the fault for page p, the
 * k-th faulty page in order, lets p + k requests through (the earlier pages and the k retries before it).
 */
function faultsFor(pages) {
	return pages.map((page, k) => ({
		service: 'upzelo',
		method: 'GET',
		pathPattern: '^/api/customers$',
		after: page + k,
		count: 1,
		...FAULT_KINDS[k],
	}));
}

async function control(sandbox, path, body) {
	const res = await fetch(`${sandbox.url}/__control${path}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	if (!res.ok) throw new Error(`POST /__control${path} answered ${res.status}: ${await res.text()}`);
	return res.json();
}

const withCustomers = async (sandbox) => {
	const state = await control(sandbox, '/reset', { upzeloCounts: { customers: CUSTOMERS } });
	assert.equal(state.upzelo.customers, CUSTOMERS);
};
const asStarted = (sandbox) => control(sandbox, '/reset', {});
const clearFaults = async (sandbox) => {
	await fetch(`${sandbox.url}/__control/faults`, { method: 'DELETE' });
};

const returnAll = (id, name, extra = {}) => () =>
	chain(id, name, [upzelo(NODE, { resource: 'customer', operation: 'getAll', returnAll: true, ...extra })]);

/** The run's error, thrown by our node, with the injected 503's Upzelo message. */
function injected503(run, result) {
	assert.notEqual(result.code, 0, 'n8n execute exits non-zero');
	const error = runError(run);
	assert.ok(error, 'the run carries an error');
	assert.equal(error.name, 'NodeApiError');
	assert.equal(error.message, 'Service Unavailable: Injected fault: Service Unavailable.');
	assert.equal(error.httpCode, '503');
	return error;
}

/** The 10,000 customers, each once, in the sandbox's order, paired to the one input item. */
function checkAllCustomers(run) {
	const all = items(run, NODE);
	assert.equal(all.length, CUSTOMERS, `${CUSTOMERS} items (got ${all.length})`);
	assert.equal(new Set(all.map((i) => i.json.id)).size, CUSTOMERS, 'no customer twice');
	assert.ok(all.every((i) => /^upz_cus_/.test(i.json.id)), 'customer records');
	assert.ok(all.every((i) => i.pairedItem && i.pairedItem.item === 0), 'every item paired to the input item');
	return all;
}

const nodeMs = (run) => run.data.resultData.runData[NODE][0].executionTime;
const times = {};

const cases = [
	{
		id: 'e2eRetry10kBase',
		title: `Upzelo Return All over ${CUSTOMERS} customers without faults: ${PAGES} requests, ${CUSTOMERS} items`,
		setup: withCustomers,
		teardown: asStarted,
		workflow: returnAll('e2eRetry10kBase', 'e2e Upzelo Return All 10k'),
		check(run, { requests, version, record }) {
			checkAllCustomers(run);
			const calls = requests.filter((r) => r.service === 'upzelo');
			assert.equal(calls.length, PAGES, `${PAGES} requests (got ${calls.length})`);
			assert.ok(calls.every((r) => r.status === 200 && !r.fault));
			times[version] = { ...times[version], withoutFaults: { ms: nodeMs(run), requests: calls.length } };
			record('returnAll10k', times[version]);
		},
	},
	{
		id: 'e2eRetry10kFault',
		title: `Upzelo Return All over ${CUSTOMERS} customers with 5 injected faults (503, 429 + Retry-After 1, 502, connection reset, 504): ${PAGES} + 5 requests, ${CUSTOMERS} unique items`,
		async setup(sandbox) {
			await withCustomers(sandbox);
			const state = await control(sandbox, '/faults', { faults: faultsFor(faultyPages()) });
			assert.equal(state.faults.length, FAULT_KINDS.length);
		},
		teardown: asStarted,
		workflow: returnAll('e2eRetry10kFault', 'e2e Upzelo Return All 10k with faults'),
		check(run, { requests, version, record }) {
			checkAllCustomers(run);
			const calls = requests.filter((r) => r.service === 'upzelo');
			assert.equal(calls.length, PAGES + FAULT_KINDS.length, `${PAGES} + ${FAULT_KINDS.length} requests (got ${calls.length})`);
			assert.deepEqual(
				calls.filter((r) => r.fault).map((r) => r.status),
				[503, 429, 502, 0, 504],
				'each injected fault met once, in page order (0 = connection reset)',
			);
			// Each failed page is asked for again at once with the same cursor: no page skipped, none repeated later.
			const pages = faultyPages();
			calls.forEach((r, i) => {
				if (r.fault) assert.deepEqual(calls[i + 1].query, r.query, `the request after fault ${i} repeats its page`);
			});
			const answered = calls.filter((r) => !r.fault);
			assert.equal(answered.length, PAGES);
			assert.equal(new Set(answered.map((r) => r.query.cursor ?? '')).size, PAGES, 'every page asked for once successfully');
			assert.deepEqual(
				calls.map((r, i) => (r.fault ? i : -1)).filter((i) => i >= 0),
				pages.map((page, k) => page + k),
				'faults on the seeded pages',
			);
			const ms = nodeMs(run);
			// From the sandbox's log: how long after each fault its page was asked for again (the retry's wait).
			const gaps = calls.flatMap((r, i) => (r.fault ? [Date.parse(calls[i + 1].time) - Date.parse(r.time)] : []));
			times[version] = { ...times[version], withFaults: { ms, requests: calls.length, faultyPages: pages, retryGapsMs: gaps } };
			record('returnAll10k', times[version]);
			const base = times[version].withoutFaults;
			process.stderr.write(
				`      Return All ${CUSTOMERS}: without faults ${base ? `${base.requests} requests in ${(base.ms / 1000).toFixed(1)} s` : 'not run'}, ` +
					`with 5 faults ${calls.length} requests in ${(ms / 1000).toFixed(1)} s (node execution time; retried after ${gaps.map((g) => (g / 1000).toFixed(1)).join(', ')} s)\n`,
			);
		},
	},
	{
		id: 'e2eRetryGiveUp',
		title: 'Upzelo Get Many meeting 503 five times (Retry-After 0): 5 attempts, then Upzelo\'s message and the attempt count',
		expect: 'failure',
		setup: (sandbox) => control(sandbox, '/faults', { service: 'upzelo', method: 'GET', path: '/api/customers', status: 503, count: 5, retryAfter: 0 }),
		teardown: clearFaults,
		workflow: returnAll('e2eRetryGiveUp', 'e2e Upzelo retries give up'),
		check(run, { result, requests, record }) {
			const error = injected503(run, result);
			record('retryGaveUp', { message: error.message, description: error.description, context: error.context });
			assert.match(error.description ?? '', /^Tried 5 times \(4 retries, 0 s of waiting\); the service kept failing\. /);
			const calls = requests.filter((r) => r.service === 'upzelo');
			assert.deepEqual(calls.map((r) => r.status), [503, 503, 503, 503, 503], 'the first page 5 times, nothing after');
		},
	},
	{
		id: 'e2eRetryOff',
		title: 'Upzelo Get Many with Retry Transient Errors off: one 503 fails the run after 1 request, the error as Upzelo gave it',
		expect: 'failure',
		setup: (sandbox) => control(sandbox, '/faults', { service: 'upzelo', method: 'GET', path: '/api/customers', status: 503 }),
		teardown: clearFaults,
		workflow: returnAll('e2eRetryOff', 'e2e Upzelo retries off', { requestOptions: { retryTransientErrors: false } }),
		check(run, { result, requests }) {
			const error = injected503(run, result);
			assert.doesNotMatch(error.description ?? '', /Tried/);
			assert.equal(requests.filter((r) => r.service === 'upzelo').length, 1);
		},
	},
];

module.exports = { cases, faultyPages, faultsFor };

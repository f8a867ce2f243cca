#!/usr/bin/env node
'use strict';
/**
 * The bare baseline of `npm run bench`: Upzelo's cursor pagination with nothing but `fetch`, one record per
 * array entry, as little work as the job allows. Run by bench/run.js with the same Node as the n8n it is
 * compared with. Prints `{"ms": <wall time of the loop>, "requests": n, "records": n}`.
 *
 *   node bench/fetch-loop.js <base url> <api key> <app id>
 */

async function main() {
	const [baseUrl, apiKey, appId] = process.argv.slice(2);
	const headers = { Authorization: `Bearer ${apiKey}`, 'x-app-id': appId, Accept: 'application/json' };
	const started = performance.now();
	const records = [];
	let requests = 0;
	let cursor;
	for (;;) {
		const url = new URL('/api/customers', baseUrl);
		url.searchParams.set('limit', '100');
		if (cursor) url.searchParams.set('cursor', cursor);
		const res = await fetch(url, { headers });
		requests += 1;
		if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
		const body = await res.json();
		records.push(...body.data.customers);
		if (!body.pagination.has_more) break;
		cursor = body.pagination.next_cursor;
	}
	const ms = performance.now() - started;
	process.stdout.write(`${JSON.stringify({ ms, requests, records: records.length })}\n`);
}

main().catch((err) => {
	process.stderr.write(`${err.stack || err}\n`);
	process.exit(1);
});

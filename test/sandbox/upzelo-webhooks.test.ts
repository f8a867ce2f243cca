import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startSandbox } = require('./server');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { RETRY_DELAYS_MINUTES, EVENT_TYPES } = require('./upzelo-webhooks');

/**
 * The sandbox's Upzelo webhook deliveries (POST /__control/webhooks/deliver): the documented body, a retry on
 * anything but a 2xx with the documented delays (compressed), lost answers, bad bodies, and its bounds.
 */

type Received = { body: string; contentType?: string; url: string; at: number };

let sb: { url: string; close(): Promise<void> };
let receiver: http.Server;
let receiverUrl: string;
let received: Received[];
/** The statuses the receiver answers with, one per request; 200 once the list is used up. */
let answers: number[];

beforeAll(async () => {
	nock.enableNetConnect('127.0.0.1');
	sb = await startSandbox({ port: 0 });
	receiver = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			received.push({ body, contentType: req.headers['content-type'], url: req.url ?? '', at: Date.now() });
			res.writeHead(answers.shift() ?? 200, { 'content-type': 'application/json' }).end('{"message":"ok"}');
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook/abc/webhook`;
});

beforeEach(async () => {
	received = [];
	answers = [];
	await fetch(`${sb.url}/__control/webhooks/deliveries`, { method: 'DELETE' });
});

afterAll(async () => {
	await sb.close();
	await new Promise((resolve) => receiver.close(resolve));
});

const deliver = async (body: object) => {
	const res = await fetch(`${sb.url}/__control/webhooks/deliver`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	return { status: res.status, json: (await res.json()) as any };
};

it('POSTs the documented JSON once when the first answer is a 200', async () => {
	const out = await deliver({ url: `${receiverUrl}?secret=x`, wait: true });
	expect(out.status).toBe(200);
	expect(out.json).toMatchObject({ state: 'delivered', type: 'flow.started', attempts: [{ attempt: 1, status: 200, answer: { message: 'ok' } }] });
	expect(received).toHaveLength(1);
	expect(received[0].url).toBe('/webhook/abc/webhook?secret=x');
	expect(received[0].contentType).toBe('application/json');
	expect(JSON.parse(received[0].body)).toEqual({
		data: { type: 'flow.started', attempt: 1, customer: { external_id: 'cus_1234', name: 'Richard Hendricks', email: 'richard@piedpiper.example', description: 'Created middle-out compression' } },
	});
});

it('names the nine documented events, with flow.started the only documented type string', () => {
	expect(Object.keys(EVENT_TYPES)).toHaveLength(9);
	expect(EVENT_TYPES['Flow Started']).toBe('flow.started');
	expect(new Set(Object.values(EVENT_TYPES)).size).toBe(9);
});

it('retries anything but a 2xx with the documented delays, compressed, counting attempts in data.attempt', async () => {
	answers = [500, 401, 404];
	const compress = 6000; // 3 minutes → 30 ms
	const out = await deliver({ url: receiverUrl, event: 'Subscription Cancelled', data: { flow: { id: 'f1' } }, compress, wait: true });
	expect(out.json.state).toBe('delivered');
	expect(out.json.attempts.map((a: { status: number }) => a.status)).toEqual([500, 401, 404, 200]);
	const bodies = received.map((r) => JSON.parse(r.body).data);
	expect(bodies.map((d) => d.attempt)).toEqual([1, 2, 3, 4]);
	expect(bodies.every((d) => d.type === 'subscription.cancelled' && d.flow.id === 'f1')).toBe(true);
	// Each retry waits at least its documented delay (no upper bound asserted: timing is not tested).
	for (let i = 1; i < received.length; i++) {
		expect(received[i].at - received[i - 1].at).toBeGreaterThanOrEqual((RETRY_DELAYS_MINUTES[i] * 60000) / compress - 2);
	}
});

it('gives up after 7 attempts (or maxAttempts)', async () => {
	answers = Array(10).fill(503);
	const out = await deliver({ url: receiverUrl, compress: 600000, wait: true });
	expect(out.json.state).toBe('failed');
	expect(out.json.attempts).toHaveLength(7);
	received = [];
	answers = Array(10).fill(503);
	const two = await deliver({ url: receiverUrl, compress: 600000, maxAttempts: 2, wait: true });
	expect(two.json.attempts).toHaveLength(2);
	expect(received).toHaveLength(2);
});

it('loseAnswers: a 200 whose answer is lost is retried, as Upzelo would', async () => {
	const out = await deliver({ url: receiverUrl, type: 'any.type', loseAnswers: 1, compress: 600000, wait: true });
	expect(out.json.attempts).toEqual([
		expect.objectContaining({ attempt: 1, status: 200, lost: true }),
		expect.objectContaining({ attempt: 2, status: 200 }),
	]);
	expect(received.map((r) => JSON.parse(r.body).data.attempt)).toEqual([1, 2]);
});

it('rawBody sends a bad delivery as given', async () => {
	answers = [400];
	const out = await deliver({ url: receiverUrl, rawBody: 'not json', contentType: 'text/plain', maxAttempts: 1, wait: true });
	expect(out.json.state).toBe('failed');
	expect(received).toEqual([expect.objectContaining({ body: 'not json', contentType: 'text/plain' })]);
});

it('answers at once without wait, and lists deliveries; DELETE cancels pending retries', async () => {
	answers = Array(10).fill(500);
	const started = await deliver({ url: receiverUrl, compress: 1 });
	expect(started.status).toBe(202);
	expect(started.json.state).toBe('pending');
	const list = (await (await fetch(`${sb.url}/__control/webhooks/deliveries`)).json()) as { deliveries: Array<{ id: string }> };
	expect(list.deliveries.map((d: { id: string }) => d.id)).toEqual([started.json.id]);
	await fetch(`${sb.url}/__control/webhooks/deliveries`, { method: 'DELETE' });
	expect(((await (await fetch(`${sb.url}/__control/webhooks/deliveries`)).json()) as { count: number }).count).toBe(0);
});

it.each([
	[{ url: 'http://example.com/hook' }, /127\.0\.0\.1, localhost or \[::1\]/],
	[{ url: 'not a url' }, /url must be a URL/],
	[{ url: 'http://127.0.0.1:1/x', event: 'Flow Finished' }, /event must be one of/],
	[{ url: 'http://127.0.0.1:1/x', maxAttempts: 8 }, /maxAttempts/],
	[{ url: 'http://127.0.0.1:1/x', compress: 0 }, /compress/],
	[{ url: 'http://127.0.0.1:1/x', secret: 'x' }, /unknown delivery fields: secret/],
])('refuses %j', async (body, message) => {
	const out = await deliver(body);
	expect(out.status).toBe(400);
	expect(out.json.error).toMatch(message);
});

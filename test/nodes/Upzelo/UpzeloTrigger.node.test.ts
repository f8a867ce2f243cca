import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { UpzeloTrigger } from '../../../nodes/Upzelo/UpzeloTrigger.node';
import { DOCUMENTED_EVENTS, MEMORY } from '../../../nodes/Upzelo/deliveries';
import { nodeTypesFor } from '../../helpers/engine';
import { WEBHOOK_ID, WebhookReceiver } from '../../helpers/webhook';

/**
 * Issue #25: the Upzelo Trigger through n8n-core's webhook path (WebhookContext, HookContext): each option, the
 * bad deliveries, the 401, and what Ignore Retries keeps in static data between deliveries.
 */

const nodeTypes = nodeTypesFor({ upzeloTrigger: new UpzeloTrigger() });
const receiver = (parameters: INodeParameters = {}, staticData?: IDataObject) =>
	new WebhookReceiver({ type: 'upzeloTrigger', nodeTypes, parameters, staticData });

const CUSTOMER = { external_id: 'cus_1234', name: 'Richard Hendricks', email: 'richard@piedpiper.test', description: 'Created middle-out compression' };
/** Upzelo's documented example shape; everything past `customer` is cut off in the docs, so `flow` is ours. */
const event = (type = 'flow.started', attempt = 1, extra: IDataObject = {}) => ({
	data: { type, attempt, customer: { ...CUSTOMER }, flow: { id: 'flow_1' }, ...extra },
});

// Only Date is faked: receivedAt and the memory's clock, nothing n8n-core waits on.
const NOW = Date.parse('2026-12-07T03:00:00.000Z');
beforeEach(() => {
	jest.useFakeTimers({
		now: NOW,
		doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
	});
});
afterEach(() => jest.useRealTimers());

describe('description', () => {
	const { description, webhookMethods } = new UpzeloTrigger();

	it('is a POST webhook answered at once, with no input and no credential', () => {
		expect(description.name).toBe('upzeloTrigger');
		expect(description.group).toEqual(['trigger']);
		expect(description.inputs).toEqual([]);
		expect(description.credentials).toBeUndefined();
		expect(description.webhooks).toEqual([{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }]);
		expect(Object.keys(webhookMethods.default).sort()).toEqual(['checkExists', 'create', 'delete']);
	});

	it('tells where to paste the URL and which events to enable, and lists the nine documented events', () => {
		const notice = description.properties.find((p) => p.type === 'notice')!;
		expect(notice.displayName).toMatch(/Developer → Webhooks.*Production URL.*enable the events listed under Events/);
		expect(notice.displayName).toContain('?secret=');
		const events = description.properties.find((p) => p.name === 'events')!;
		expect(events.type).toBe('string');
		expect(events.default).toEqual([]);
		expect(events.options).toBeUndefined();
		for (const name of DOCUMENTED_EVENTS) expect(events.description).toContain(name);
		expect(DOCUMENTED_EVENTS).toHaveLength(9);
		expect(events.description).toMatch(/only "flow\.started" as a type string/);
		expect(events.description).toContain('data.type');
	});

	it('has the options the issue names, with their defaults; the secret is a password field', () => {
		const options = description.properties.find((p) => p.name === 'options')!.options as Array<{ name: string; default: unknown; typeOptions?: IDataObject }>;
		expect(options.map((o) => [o.name, o.default])).toEqual([
			['ignoreRetries', false],
			['secret', ''],
			['simplify', true],
		]);
		expect(options.find((o) => o.name === 'secret')!.typeOptions).toEqual({ password: true });
	});
});

describe('lifecycle (no registration API)', () => {
	it('activation finds the webhook "existing" and registers nothing; deactivation deletes nothing remote', async () => {
		const r = receiver();
		// nock refuses every connection (test/helpers/setup.ts): a request here would fail the test.
		expect(await r.activate()).toEqual(['checkExists']);
		expect(await r.activate('init')).toEqual(['checkExists']);
		expect(await r.deactivate()).toEqual(['delete']);
		expect(r.path).toBe(`${WEBHOOK_ID}/webhook`);
	});

	it('create() and delete() report success if n8n ever calls them', async () => {
		const { webhookMethods } = new UpzeloTrigger();
		await expect(webhookMethods.default.create.call({} as never)).resolves.toBe(true);
		await expect(webhookMethods.default.delete.call({} as never)).resolves.toBe(true);
	});
});

describe('deliveries', () => {
	it('starts the workflow with the body, event, receivedAt and the customer at the top level', async () => {
		const out = await receiver().deliver({ body: event() });
		expect(out).toMatchObject({ status: 200, started: true, response: { message: 'Workflow was started' } });
		// The node answers itself (n8n's own onReceived answer would be the text "firstEntryJson"), and n8n still
		// starts the workflow with workflowData.
		expect(out.result?.noWebhookResponse).toBe(true);
		expect(out.items).toEqual([
			{
				...event(),
				event: 'flow.started',
				receivedAt: '2026-12-07T03:00:00.000Z',
				external_id: 'cus_1234',
				name: 'Richard Hendricks',
				email: 'richard@piedpiper.test',
			},
		]);
	});

	it('with Events empty, every type starts the workflow, whatever it is', async () => {
		const r = receiver({ events: [] });
		for (const type of ['flow.started', 'subscription.cancelled', 'anything.else']) {
			const out = await r.deliver({ body: event(type) });
			expect(out.started).toBe(true);
			expect(out.items.map((i) => i.event)).toEqual([type]);
		}
	});

	it('Events lets only its types through; others are answered 200 and start nothing', async () => {
		const r = receiver({ events: [' flow.started ', 'subscription.cancelled'] });
		expect((await r.deliver({ body: event('flow.started') })).started).toBe(true);
		expect((await r.deliver({ body: event('subscription.cancelled') })).started).toBe(true);
		const other = await r.deliver({ body: event('subscription.paused') });
		expect(other).toMatchObject({ status: 200, started: false, response: { received: true, ignored: 'event type "subscription.paused" is not in Events' } });
		// Exact strings: no case folding, no guessing.
		expect((await r.deliver({ body: event('Flow.Started') })).started).toBe(false);
	});

	it('an Events entry from an expression may list several types separated by commas', async () => {
		const r = receiver({ events: ['={{ "flow.started, flow.abandoned" }}'] });
		expect((await r.deliver({ body: event('flow.abandoned') })).started).toBe(true);
		expect((await r.deliver({ body: event('subscription.cancelled') })).started).toBe(false);
	});

	it('Simplify off: the body, event and receivedAt only', async () => {
		const out = await receiver({ options: { simplify: false } }).deliver({ body: event('subscription.cancelled') });
		expect(out.items).toEqual([{ ...event('subscription.cancelled'), event: 'subscription.cancelled', receivedAt: '2026-12-07T03:00:00.000Z' }]);
	});

	it('Simplify with no customer in the delivery: the three fields are null, not missing', async () => {
		const out = await receiver().deliver({ body: { data: { type: 'new.request', attempt: 1 }, extra: 'kept' } });
		expect(out.items).toEqual([
			{ data: { type: 'new.request', attempt: 1 }, extra: 'kept', event: 'new.request', receivedAt: '2026-12-07T03:00:00.000Z', external_id: null, name: null, email: null },
		]);
	});
});

describe('Secret', () => {
	const withSecret = () => receiver({ options: { secret: 's3cr3t value' } });

	it.each([
		['no secret parameter', {}],
		['a wrong secret', { secret: 's3cr3t' }],
		['the secret with spaces around it', { secret: ' s3cr3t value ' }],
		['the secret twice (an array)', { secret: ['s3cr3t value', 's3cr3t value'] }],
		['the secret under another name', { Secret: 's3cr3t value' }],
	])('%s: 401 and nothing starts', async (_, query) => {
		const out = await withSecret().deliver({ body: event(), query });
		expect(out).toMatchObject({ status: 401, started: false, response: { error: 'The secret query parameter is missing or wrong' } });
	});

	it('the right secret starts the workflow, and the secret is nowhere in the output', async () => {
		const out = await withSecret().deliver({ body: event(), query: { secret: 's3cr3t value' } });
		expect(out.started).toBe(true);
		expect(JSON.stringify(out.items)).not.toContain('s3cr3t');
	});

	it('is checked before the body: a bad body without the secret is a 401, not a 400', async () => {
		const out = await withSecret().deliver({ body: 'not json' });
		expect(out.status).toBe(401);
	});

	it('without a Secret, a secret parameter in the URL changes nothing', async () => {
		expect((await receiver().deliver({ body: event(), query: { secret: 'whatever' } })).started).toBe(true);
	});
});

describe('bad deliveries: 400 with a short reason, nothing starts', () => {
	it.each([
		['no body', undefined, 'The delivery has no body; Upzelo sends a JSON object'],
		['an empty text body', '', 'The delivery has no body; Upzelo sends a JSON object'],
		['text (text/plain)', 'flow.started', 'The delivery is not a JSON object; Upzelo sends {"data": {"type": …}}'],
		['a JSON array', [event()], 'The delivery is not a JSON object; Upzelo sends {"data": {"type": …}}'],
		['a JSON number', 42, 'The delivery is not a JSON object; Upzelo sends {"data": {"type": …}}'],
		['no data', { type: 'flow.started' }, 'The delivery has no "data" object; Upzelo sends {"data": {"type": …}}'],
		['data is text', { data: 'flow.started' }, 'The delivery has no "data" object; Upzelo sends {"data": {"type": …}}'],
		['data is an array', { data: [] }, 'The delivery has no "data" object; Upzelo sends {"data": {"type": …}}'],
		['no type', { data: { attempt: 1 } }, 'The delivery has no event type in "data.type"'],
		['an empty type', { data: { type: ' ' } }, 'The delivery has no event type in "data.type"'],
		['a type that is not text', { data: { type: 7 } }, 'The delivery has no event type in "data.type"'],
	])('%s', async (_, body, reason) => {
		const out = await receiver().deliver({ body });
		expect(out).toEqual(expect.objectContaining({ status: 400, started: false, response: { error: reason } }));
	});
});

describe('Ignore Retries', () => {
	const ignoring = () => receiver({ options: { ignoreRetries: true } });

	it('a later attempt of an event already received is answered 200 and starts nothing', async () => {
		const r = ignoring();
		expect((await r.deliver({ body: event('flow.started', 1) })).started).toBe(true);
		for (const attempt of [2, 3, 7]) {
			const out = await r.deliver({ body: event('flow.started', attempt) });
			expect(out).toMatchObject({ status: 200, started: false, response: { received: true, ignored: `attempt ${attempt} of an event already received` } });
		}
	});

	it('the same event with its keys in another order is the same event', async () => {
		const r = ignoring();
		await r.deliver({ body: event('flow.started', 1) });
		const reordered = { data: { customer: { email: CUSTOMER.email, description: CUSTOMER.description, name: CUSTOMER.name, external_id: CUSTOMER.external_id }, flow: { id: 'flow_1' }, attempt: 2, type: 'flow.started' } };
		expect((await r.deliver({ body: reordered })).started).toBe(false);
	});

	it('another customer, another type or any other difference is another event', async () => {
		const r = ignoring();
		await r.deliver({ body: event('flow.started', 1) });
		expect((await r.deliver({ body: { data: { ...event('flow.started', 2).data, customer: { ...CUSTOMER, external_id: 'cus_9' } } } })).started).toBe(true);
		expect((await r.deliver({ body: event('flow.abandoned', 2) })).started).toBe(true);
		expect((await r.deliver({ body: event('flow.started', 2, { flow: { id: 'flow_2' } }) })).started).toBe(true);
	});

	it('a retry whose first attempt never arrived starts the workflow once; its own retries are then ignored', async () => {
		const r = ignoring();
		expect((await r.deliver({ body: event('subscription.cancelled', 2) })).started).toBe(true);
		expect((await r.deliver({ body: event('subscription.cancelled', 3) })).started).toBe(false);
	});

	it('a first attempt always starts the workflow, even when it arrives twice', async () => {
		const r = ignoring();
		expect((await r.deliver({ body: event('flow.started', 1) })).started).toBe(true);
		expect((await r.deliver({ body: event('flow.started', 1) })).started).toBe(true);
	});

	it('off (the default): every attempt starts the workflow and static data is left alone', async () => {
		const r = receiver();
		expect((await r.deliver({ body: event('flow.started', 1) })).started).toBe(true);
		expect((await r.deliver({ body: event('flow.started', 2) })).started).toBe(true);
		expect(r.staticData()).toEqual({});
	});

	it('keeps the keys in static data, which n8n saves and reads back for the next delivery', async () => {
		const r = ignoring();
		await r.deliver({ body: event('flow.started', 1) });
		const saved = r.staticData().recentDeliveries as Array<[string, number]>;
		expect(saved).toEqual([[expect.stringMatching(/^flow\.started:[0-9a-f]{32}$/), NOW]]);
		// A new receiver loaded with that static data is n8n after a restart, or another webhook process.
		const restarted = receiver({ options: { ignoreRetries: true } }, { 'node:Upzelo Trigger': { recentDeliveries: saved } });
		expect((await restarted.deliver({ body: event('flow.started', 2) })).started).toBe(false);
		// An ignored retry changes nothing, so n8n has nothing to save.
		expect(restarted.staticDataWrites).toBe(0);
	});

	it(`remembers at most ${MEMORY.maxKeys} events, the newest`, async () => {
		const r = ignoring();
		for (let i = 0; i < MEMORY.maxKeys + 20; i++) await r.deliver({ body: event('flow.started', 1, { flow: { id: `flow_${i}` } }) });
		expect((r.staticData().recentDeliveries as unknown[]).length).toBe(MEMORY.maxKeys);
		// The oldest are forgotten: their retries start the workflow again; the newest are still known.
		expect((await r.deliver({ body: event('flow.started', 2, { flow: { id: 'flow_0' } }) })).started).toBe(true);
		expect((await r.deliver({ body: event('flow.started', 2, { flow: { id: `flow_${MEMORY.maxKeys + 19}` } }) })).started).toBe(false);
	});

	it('forgets an event after 4 hours (Upzelo\'s last retry comes 132 minutes after the first attempt)', async () => {
		const r = ignoring();
		await r.deliver({ body: event('flow.started', 1) });
		jest.setSystemTime(NOW + 132 * 60_000);
		expect((await r.deliver({ body: event('flow.started', 7) })).started).toBe(false);
		jest.setSystemTime(NOW + MEMORY.maxAgeMs);
		expect((await r.deliver({ body: event('flow.started', 7) })).started).toBe(true);
	});

	it('ignores remembered entries that are not [key, time] pairs (static data edited by hand)', async () => {
		const r = receiver({ options: { ignoreRetries: true } }, { 'node:Upzelo Trigger': { recentDeliveries: [['x'], 'y', null, ['k', 'time']] } });
		expect((await r.deliver({ body: event('flow.started', 2) })).started).toBe(true);
		expect(r.staticData().recentDeliveries).toEqual([[expect.stringMatching(/^flow\.started:/), NOW]]);
	});
});

describe('configuration errors', () => {
	it('a wrong Ignore Retries value fails the delivery with the field named (500: Upzelo retries)', async () => {
		const out = await receiver({ options: { ignoreRetries: '={{ "maybe" }}' } }).deliver({ body: event() });
		expect(out.status).toBe(500);
		expect(out.started).toBe(false);
		expect(out.error?.message).toBe('Ignore Retries must be true or false (got "maybe")');
		expect(out.error?.description).toMatch(/Upzelo will retry it/);
	});
});

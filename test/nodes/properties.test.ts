import fc from 'fast-check';
import nock from 'nock';
import type { INodeProperties, INodeType } from 'n8n-workflow';

import { UpCloud } from '../../nodes/UpCloud/UpCloud.node';
import { UpCloudUsageTrigger } from '../../nodes/UpCloud/UpCloudUsageTrigger.node';
import { Upzelo } from '../../nodes/Upzelo/Upzelo.node';
import { nodeTypesFor, runNode, TEST_CREDENTIALS } from '../helpers/engine';
import { Poller } from '../helpers/poll';
import { recordRequests } from '../helpers/requests';

/**
 * Issue #20, property-based: every operation of both nodes, and the Usage Trigger, with values of the wrong type,
 * padded, huge, unicode, NaN, objects and expressions in any of its fields, and odd answers (HTML with 200, empty,
 * null, truncated JSON, lists of non-objects). Whatever the input, the outcome is a clear n8n error with nothing
 * sent, or requests without empty path segments; never raw JavaScript error text, never a secret in the output.
 *
 * The seed is fixed (FC_SEED overrides it); a failing case prints its seed, path and shrunk value.
 */
const SEED = Number(process.env.FC_SEED ?? 20_2024);
const RUNS = Number(process.env.FC_RUNS ?? 200);

const RAW_JS_ERROR = /is not a function|Cannot read propert|Cannot destructure|is not iterable|Cannot convert object|\[object Object\]|undefined is not|is not defined/;
const SECRETS = [
	String(TEST_CREDENTIALS.upCloudApi.password),
	String(TEST_CREDENTIALS.upCloudTokenApi.token),
	String(TEST_CREDENTIALS.upzeloApi.apiKey),
];

/** What an expression can hand to a field: as a parameter value, or as an item value read by {{ $json.v }}. */
const oddValue = fc.oneof(
	fc.integer(),
	fc.double(),
	fc.constantFrom(NaN, Infinity, -Infinity, 0, -1, 1e308, 1.7e308, Number.MAX_SAFE_INTEGER + 2),
	fc.string(),
	fc.string().map((text) => `  ${text}\t `),
	fc.constantFrom('', ' ', '.', '..', '/', 'a/b', '%2F', '?x=1', '#', 'ü🙂', 'Above', 'true', 'null', '__proto__', 'ucat_01X'),
	fc.string({ unit: 'grapheme', maxLength: 20 }),
	fc.boolean(),
	fc.constant(null),
	fc.constant(undefined),
	fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }),
	fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.string(), fc.integer()), { maxKeys: 3 }),
	fc.constant({ toString: 'x' }),
	fc.constant({ __proto__: { polluted: true } }),
);

type Answer = { status: number; body: string; type: string };
const oddAnswer: fc.Arbitrary<Answer> = fc.constantFrom(
	{ status: 200, body: '<!doctype html><html><body>Proxy login</body></html>', type: 'text/html' },
	{ status: 200, body: '', type: 'application/json' },
	{ status: 200, body: 'null', type: 'application/json' },
	{ status: 200, body: '{"account": {"cred', type: 'application/json' },
	{ status: 200, body: '[1, "a", null]', type: 'application/json' },
	{ status: 200, body: '{}', type: 'application/json' },
	{ status: 204, body: '', type: 'application/json' },
);

/** Valid values for the required fields, so a run reaches the node's own code, not n8n's check of empty fields. */
const VALID: Record<string, unknown> = {
	username: 'acme_ops',
	email: 'a@example.com',
	phone: '+358.91111111',
	yearMonth: '2024-09',
	resourceId: '00798b85-efdc-41ca-8021-f6ef457b8531',
	from: '2024-09-01T00:00:00',
	to: '2024-09-02T00:00:00',
	password: 'Abcdefg1',
	name: 'n',
	expiresAt: '={{ $now.plus({ days: 1 }).toISO() }}',
	tokenId: 'tok-1',
	targetIdentifier: 'x',
	customerId: 'cus_1',
	externalId: 'ext_1',
	discountId: 'dis_1',
	invoiceId: 'inv_1',
	total: 100,
	created: '2024-09-01T00:00:00',
	periodStart: '2024-09-01T00:00:00',
	periodEnd: '2024-09-02T00:00:00',
	startDate: '2024-09-01T00:00:00',
	subscriptionId: 'sub_1',
	priceId: 'prc_1',
	productId: 'prod_1',
	price: 100,
	cancelAtPeriodEnd: false,
};

interface Operation {
	resource: string;
	operation: string;
	fields: INodeProperties[];
}

/** Every resource × operation of a node, with the top-level fields it shows. */
function operationsOf(node: INodeType): Operation[] {
	const { properties } = node.description;
	const resources = (properties.find((p) => p.name === 'resource')?.options ?? []) as Array<{ value: string }>;
	const shows = (p: INodeProperties, resource: string, operation?: string) => {
		const show = p.displayOptions?.show;
		if (!show) return false;
		if (show.resource && !show.resource.includes(resource)) return false;
		if (operation !== undefined && show.operation && !show.operation.includes(operation)) return false;
		return true;
	};
	return resources.flatMap(({ value: resource }) =>
		properties
			.filter((p) => p.name === 'operation' && shows(p, resource))
			.flatMap((p) => (p.options ?? []) as Array<{ value: string }>)
			.map(({ value: operation }) => ({
				resource,
				operation,
				fields: properties.filter(
					(p) => p.name !== 'operation' && p.name !== 'resource' && p.type !== 'notice' && shows(p, resource, operation),
				),
			})),
	);
}

function checkOutcome(result: Awaited<ReturnType<typeof runNode>>, paths: string[], answer: Answer) {
	const text = JSON.stringify({ items: result.items, message: result.error?.message, description: result.error?.description });
	for (const secret of SECRETS) expect(text).not.toContain(secret);
	if (result.error) {
		expect(result.error.message).not.toMatch(RAW_JS_ERROR);
		expect(['NodeApiError', 'NodeOperationError']).toContain(result.error.name);
		if (/Nothing was sent/.test(String(result.error.description))) expect(paths).toEqual([]);
	} else {
		for (const item of result.items) expect(typeof item.json === 'object' && item.json !== null && !Array.isArray(item.json)).toBe(true);
		// An odd 2xx answer never becomes an item (204 and list answers aside: they have their own meaning).
		if (answer.status === 200 && answer.body !== '{}' && paths.length > 0) expect(result.items.length).toBe(0);
	}
	for (const path of paths) {
		const pathOnly = path.split('?')[0];
		expect(pathOnly).not.toMatch(/\/\/|\/$|NaN|Infinity|undefined|%5Bobject|\[object/);
	}
	expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

const suites: Array<[string, INodeType, string, string]> = [
	['UpCloud', new UpCloud(), 'upCloud', 'https://api.upcloud.test'],
	['Upzelo', new Upzelo(), 'upzelo', 'https://upzelo.test'],
];

describe.each(suites)('%s: any value in any field of any operation, any answer', (_name, node, type, base) => {
	const nodeTypes = nodeTypesFor({ [type]: node });
	const operations = operationsOf(node);
	const byKey = new Map(operations.map((op) => [`${op.resource}.${op.operation}`, op]));

	it('covers every operation', () => {
		expect(operations.length).toBeGreaterThan(15);
	});

	it('gives a clear error with nothing sent, or a request without empty segments; no raw error, no secret', async () => {
		const scenario = fc.record({
			op: fc.constantFrom(...byKey.keys()),
			fieldIndex: fc.nat(),
			value: oddValue,
			asItem: fc.boolean(),
			answer: oddAnswer,
		});
		let issues = 0;
		let sent = 0;
		await fc.assert(
			fc.asyncProperty(scenario, async ({ op: key, fieldIndex, value, asItem, answer }) => {
				const op = byKey.get(key) as Operation;
				nock.cleanAll();
				const scope = nock(base).persist();
				const requests = recordRequests(scope);
				for (const method of ['get', 'post', 'put', 'delete', 'patch'] as const) {
					scope[method](() => true).query(true).reply(answer.status, answer.body, { 'content-type': answer.type });
				}
				const parameters: Record<string, unknown> = { resource: op.resource, operation: op.operation };
				for (const required of op.fields.filter((f) => f.required && f.name in VALID)) {
					const valid = VALID[required.name];
					parameters[required.name] = required.type === 'resourceLocator' ? { __rl: true, mode: 'id', value: valid } : valid;
				}
				if (type === 'upCloud') parameters.authentication = 'basicAuth';
				const field = op.fields.length ? op.fields[fieldIndex % op.fields.length] : undefined;
				// Typed into the field (the editor stores text only), or from an expression, which can give anything.
				const given = asItem || typeof value !== 'string' ? '={{ $json.v }}' : value;
				if (field) parameters[field.name] = field.type === 'resourceLocator' ? { __rl: true, mode: 'id', value: given } : given;
				try {
					let result: Awaited<ReturnType<typeof runNode>>;
					try {
						result = await runNode({ type, nodeTypes, parameters: parameters as never, items: [{ v: value } as never] });
					} catch (error) {
						// n8n's own check of required parameters: the workflow does not start, nothing is sent.
						expect((error as Error).name).toBe('WorkflowHasIssuesError');
						issues += 1;
						expect(requests).toEqual([]);
						return;
					}
					checkOutcome(result, requests.map((r) => r.path), answer);
					if (requests.length > 0) sent += 1;
				} finally {
					nock.cleanAll();
				}
			}),
			{ seed: SEED, numRuns: RUNS, endOnFailure: true },
		);
		// The suite must exercise the node, not only n8n's own check of empty required fields.
		expect(issues).toBeLessThan(RUNS / 2);
		expect(sent).toBeGreaterThan(RUNS / 5);
	});
});

describe('UpCloud Usage Trigger: 50-poll random walks', () => {
	const nodeTypes = nodeTypesFor({ upCloudUsageTrigger: new UpCloudUsageTrigger() });

	it('fires once per crossing below the level, stays quiet while below, keeps its state on a broken reading', async () => {
		const reading = fc.oneof(
			{ weight: 8, arbitrary: fc.integer({ min: 0, max: 20000 }) },
			{ weight: 1, arbitrary: fc.constantFrom<unknown>(null, 'x', {}, 1.7e308 * 10, '<html>') },
		);
		await fc.assert(
			fc.asyncProperty(fc.array(reading, { minLength: 50, maxLength: 50 }), async (walk) => {
				const scope = nock('https://api.upcloud.test');
				const trigger = new Poller({
					type: 'upCloudUsageTrigger',
					nodeTypes,
					parameters: {
						authentication: 'basicAuth',
						metric: 'credits',
						creditsCurrency: 'EUR',
						thresholds: { levels: [{ threshold: 50 }] },
					},
				});
				// Credits are in hundredths: 5000 is the 50 EUR level.
				let below: boolean | undefined;
				try {
					for (const credits of walk) {
						scope.get('/1.3/account').reply(200, { account: { credits, username: 'acme' } });
						const before = JSON.stringify(trigger.staticData());
						const { items, error } = await trigger.poll();
						if (typeof credits !== 'number' || !Number.isFinite(credits)) {
							expect(error).toBeDefined();
							expect(error?.message).not.toMatch(RAW_JS_ERROR);
							expect(JSON.stringify(trigger.staticData())).toBe(before);
							continue;
						}
						expect(error).toBeUndefined();
						const nowBelow = credits / 100 < 50;
						const alerts = items.filter((item) => item.state === 'alerting');
						expect(alerts.length).toBe(nowBelow && below !== true ? 1 : 0);
						for (const item of items) expect(Number.isFinite(item.value as number)).toBe(true);
						below = nowBelow;
					}
				} finally {
					nock.cleanAll();
				}
			}),
			{ seed: SEED, numRuns: Number(process.env.FC_WALKS ?? 4), endOnFailure: true },
		);
	});
});

import nock from 'nock';

import { UpCloud } from '../../../nodes/UpCloud/UpCloud.node';
import { Upzelo } from '../../../nodes/Upzelo/Upzelo.node';
import { nodeTypesFor, runNode } from '../../helpers/engine';
import { recordRequests } from '../../helpers/requests';

const nodeTypes = nodeTypesFor({ upCloud: new UpCloud(), upzelo: new Upzelo() });

// n8n splits the error output off before it pairs items itself, so these links come from our runner.
describe('requestRunner: Continue On Fail with the error output', () => {
	it('UpCloud: each item on either output is linked to its own input item', async () => {
		const api = nock('https://api.upcloud.test');
		const requests = recordRequests(api);
		api.get('/1.3/account/details/ops_team').reply(200, { account: { username: 'ops_team' } });
		api.get('/1.3/account/details/ghost').reply(404, { error: { error_code: 'USER_NOT_FOUND', error_message: 'User not found.' } });
		api.get('/1.3/account/details/finance_bot').reply(200, { account: { username: 'finance_bot' } });
		const { items, errorItems, error } = await runNode({
			type: 'upCloud',
			nodeTypes,
			parameters: { authentication: 'basicAuth', resource: 'account', operation: 'get', username: '={{$json.u}}' },
			items: [{ u: 'ops_team' }, { u: 'ghost' }, { u: 'finance_bot' }],
			errorOutput: true,
		});
		expect(error).toBeUndefined();
		expect(requests.map((r) => r.path).sort()).toEqual([
			'/1.3/account/details/finance_bot',
			'/1.3/account/details/ghost',
			'/1.3/account/details/ops_team',
		]);
		expect(items.map((i) => [i.json.username, i.pairedItem])).toEqual([
			['ops_team', { item: 0 }],
			['finance_bot', { item: 2 }],
		]);
		expect(errorItems.map((i) => [i.json.error, i.pairedItem])).toEqual([
			['USER_NOT_FOUND: User not found.', { item: 1 }],
		]);
	});

	it('UpCloud: an input rule failing under Continue On Fail sends nothing for that item', async () => {
		const api = nock('https://api.upcloud.test');
		const requests = recordRequests(api);
		api.get('/1.3/account/billing/summary/2024-09').reply(200, { currency: 'EUR', total_amount: 1 });
		const { items, errorItems } = await runNode({
			type: 'upCloud',
			nodeTypes,
			parameters: { authentication: 'basicAuth', resource: 'billing', operation: 'getSummary', yearMonth: '={{$json.m}}' },
			items: [{ m: '2024-13' }, { m: '2024-09' }],
			errorOutput: true,
		});
		expect(requests.map((r) => r.path)).toEqual(['/1.3/account/billing/summary/2024-09']);
		expect(items).toEqual([{ json: { currency: 'EUR', total_amount: 1 }, pairedItem: { item: 1 } }]);
		expect(errorItems.map((i) => [i.json.error, i.pairedItem])).toEqual([
			['Month must be a month in the form YYYY-MM, e.g. 2024-09 (got "2024-13")', { item: 0 }],
		]);
	});

	it('Upzelo: a failing Get Many page gives one linked error item, the other input its records', async () => {
		const api = nock('https://upzelo.test');
		api
			.get('/api/products')
			.query({ limit: '2' })
			.reply(200, { data: { products: [{ id: 'p1', name: 'A' }, { id: 'p2', name: 'B' }] }, pagination: { has_more: true, next_cursor: 'c1', previous_cursor: null } });
		api
			.get('/api/products')
			.query({ limit: '3' })
			.times(5)
			.reply(503, { errors: [{ code: 503, title: 'Service Unavailable', detail: 'Try again later.' }] });
		const { items, errorItems } = await runNode({
			type: 'upzelo',
			nodeTypes,
			parameters: { resource: 'product', operation: 'getAll', returnAll: false, limit: '={{$json.l}}' },
			items: [{ l: 2 }, { l: 3 }],
			errorOutput: true,
		});
		expect(items.map((i) => [i.json.id, i.pairedItem])).toEqual([
			['p1', { item: 0 }],
			['p2', { item: 0 }],
		]);
		expect(errorItems.map((i) => [i.json.error, i.pairedItem])).toEqual([
			['Service Unavailable: Try again later.', { item: 1 }],
		]);
	});

	it('Upzelo: a subscription whose read before the update fails gets a linked error item and no PUT', async () => {
		const api = nock('https://upzelo.test');
		const requests = recordRequests(api);
		const kept = { id: 'upz_sub_1', status: 'past_due', cancel_at_period_end: true };
		api
			.get('/api/subscriptions/upz_sub_gone')
			.reply(404, { errors: [{ code: 404, title: 'Entity not found', detail: 'No subscription upz_sub_gone.' }] });
		api.get('/api/subscriptions/upz_sub_1').reply(200, { data: { subscription: kept } });
		api.put('/api/subscriptions/upz_sub_1').reply(200, { data: { subscription: { ...kept, status: 'canceled' } } });
		const { items, errorItems, error } = await runNode({
			type: 'upzelo',
			nodeTypes,
			parameters: { resource: 'subscription', operation: 'update', subscriptionId: '={{$json.id}}', updateFields: { status: 'canceled' } },
			items: [{ id: 'upz_sub_gone' }, { id: 'upz_sub_1' }],
			errorOutput: true,
		});
		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path, r.body])).toEqual([
			['GET', '/api/subscriptions/upz_sub_gone', undefined],
			['GET', '/api/subscriptions/upz_sub_1', undefined],
			['PUT', '/api/subscriptions/upz_sub_1', { status: 'canceled', cancel_at_period_end: true }],
		]);
		expect(items).toEqual([{ json: { ...kept, status: 'canceled' }, pairedItem: { item: 1 } }]);
		expect(errorItems.map((i) => [i.json.error, i.pairedItem])).toEqual([
			['Entity not found: No subscription upz_sub_gone.', { item: 0 }],
		]);
	});
});

// n8n runs a `usableAsTool` node for an AI agent as `<node>Tool`; its answer is what the model reads.
describe('requestRunner: as an AI agent tool, a failure is the tool\'s answer', () => {
	const toolTypes = nodeTypesFor({ upCloudTool: new UpCloud(), upzeloTool: new Upzelo(), upCloud: new UpCloud() });

	it('UpCloud tool: a broken input rule answers {error} with the rule\'s message and sends nothing', async () => {
		const api = nock('https://api.upcloud.test');
		const requests = recordRequests(api);
		const { items, error } = await runNode({
			type: 'upCloudTool',
			nodeTypes: toolTypes,
			parameters: { authentication: 'basicAuth', resource: 'billing', operation: 'getSummary', yearMonth: '2024-13' },
		});
		expect(error).toBeUndefined();
		expect(requests).toEqual([]);
		expect(items.map((i) => [i.json, i.pairedItem])).toEqual([
			[{ error: 'Month must be a month in the form YYYY-MM, e.g. 2024-09 (got "2024-13")' }, { item: 0 }],
		]);
	});

	it('Upzelo tool: a 404 answers {error} with Upzelo\'s title and detail', async () => {
		const api = nock('https://upzelo.test');
		const requests = recordRequests(api);
		api
			.get('/api/customers/cus%207%2F%C3%A4')
			.reply(404, { errors: [{ code: 404, title: 'Entity not found', detail: 'We cannot find an entity with an id matching cus 7/ä' }] });
		const { items, error } = await runNode({
			type: 'upzeloTool',
			nodeTypes: toolTypes,
			parameters: { resource: 'customer', operation: 'get', customerId: 'cus 7/ä' },
		});
		expect(error).toBeUndefined();
		expect(requests.map((r) => [r.method, r.path])).toEqual([['GET', '/api/customers/cus%207%2F%C3%A4']]);
		expect(items.map((i) => i.json)).toEqual([{ error: 'Entity not found: We cannot find an entity with an id matching cus 7/ä' }]);
	});

	it('the same node in a workflow (not as a tool) still fails on a broken input rule', async () => {
		const { items, error } = await runNode({
			type: 'upCloud',
			nodeTypes: toolTypes,
			parameters: { authentication: 'basicAuth', resource: 'billing', operation: 'getSummary', yearMonth: '2024-13' },
		});
		expect(items).toEqual([]);
		expect(error?.message).toBe('Month must be a month in the form YYYY-MM, e.g. 2024-09 (got "2024-13")');
	});
});

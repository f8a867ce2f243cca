import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { UpCloudUsageTrigger } from '../../../nodes/UpCloud/UpCloudUsageTrigger.node';
import { nodeTypesFor } from '../../helpers/engine';
import { Poller } from '../../helpers/poll';
import { recordRequests } from '../../helpers/requests';

/** Issue #20, classes 6 and 12: the Usage Trigger's options and readings. */

const TYPE = 'upCloudUsageTrigger';
const nodeTypes = nodeTypesFor({ [TYPE]: new UpCloudUsageTrigger() });
const API = 'https://api.upcloud.test';

const poller = (parameters: INodeParameters, staticData?: IDataObject) =>
	new Poller({ type: TYPE, nodeTypes, parameters: { authentication: 'basicAuth', ...parameters }, staticData });

function upcloud() {
	const scope = nock(API);
	return { scope, requests: recordRequests(scope) };
}

const oneLevel = { levels: [{ threshold: 100 }] };

beforeEach(() => {
	jest.useFakeTimers({ doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
	jest.setSystemTime(new Date('2024-05-10T12:00:00.000Z'));
});
afterEach(() => {
	jest.useRealTimers();
	nock.cleanAll();
});

describe('UpCloud Usage Trigger: option parameters are one of their values', () => {
	it.each([
		[{ metric: 'monthSpend', comparison: '={{ "Above" }}' }, 'Comparison must be one of "natural", "above", "below" (got "Above"; "Above" is the option\'s name, its value is "above")'],
		[{ metric: 'monthSpend', spendCategory: '={{ "gpus" }}' }, 'Category must be one of'],
		[{ metric: '={{ "cpu" }}' }, 'Metric must be one of'],
		[{ metric: 'monthSpend', username: '={{ {} }}' }, 'Customer Username must be text or a number (got {})'],
	])('%j is refused before anything is sent', async (parameters, message) => {
		const { requests } = upcloud();
		const trigger = poller({ thresholds: oneLevel, ...parameters });
		const { error } = await trigger.poll();
		expect(error?.message).toContain(message.slice(0, 20));
		expect(error?.message.startsWith(message)).toBe(true);
		expect(error?.message).not.toMatch(/is not iterable|\[object Object\]/);
		expect(requests).toEqual([]);
	});
});

describe('UpCloud Usage Trigger: readings must be finite and name an account', () => {
	it('a spend that rounds past the largest number fails the poll and keeps the state', async () => {
		const { scope } = upcloud();
		scope.get('/1.3/account/billing/summary/2024-05').reply(200, { currency: 'EUR', total_amount: 1.7e308 });
		const trigger = poller({ metric: 'monthSpend', thresholds: oneLevel });
		const before = JSON.stringify(trigger.staticData());
		const { error, items } = await trigger.poll();
		expect(error?.message).toBe("UpCloud's answer gave no finite monthSpend reading (got Infinity)");
		expect(items).toEqual([]);
		expect(JSON.stringify(trigger.staticData())).toBe(before);
		expect(trigger.staticDataChanged).toBe(false);
	});

	it('an account answered with username {} reads as the API user, never "[object Object]"', async () => {
		const { scope, requests } = upcloud();
		scope.get('/1.3/account').reply(200, { account: { credits: 100, username: {} } });
		const trigger = poller({ metric: 'credits', creditsCurrency: 'EUR', thresholds: { levels: [{ threshold: 5000 }] } });
		const { error, items } = await trigger.poll();
		expect(error).toBeUndefined();
		expect(requests.map((r) => r.path)).toEqual(['/1.3/account']);
		expect(items).toHaveLength(1);
		expect(JSON.stringify(items)).not.toContain('[object Object]');
		expect(items[0].account).toBe('api_user');
	});

	it('a Basic credential with an empty username is an error, not a read of /account/details/', async () => {
		const { scope, requests } = upcloud();
		scope.get('/1.3/account/billing/summary/2024-05').reply(200, { currency: 'EUR', total_amount: 1 });
		const trigger = new Poller({
			type: TYPE,
			nodeTypes,
			parameters: { authentication: 'basicAuth', metric: 'monthSpend', thresholds: oneLevel },
			credentials: { upCloudApi: { username: '', password: 'x', baseUrl: `${API}/1.3` } },
		} as never);
		const { error } = await trigger.poll();
		expect(error?.message).toBe('The UpCloud API credential has no username');
		expect(requests.every((r) => !r.path.endsWith('/'))).toBe(true);
	});
});

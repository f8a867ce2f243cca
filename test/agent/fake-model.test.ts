/**
 * The fake model of the agent suite answers as OpenAI's chat-completions API does, so n8n's OpenAI Chat Model
 * can use it; these tests talk to it with plain fetch.
 */
import nock from 'nock';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startFakeModel, callThenQuote, answerOnly } = require('./fake-model');

interface Chat {
	scenario?: string;
	path: string;
	authorization: string;
	tools: Array<{ name: string; description: string }>;
	toolResults: Array<{ toolCallId: string; content: string }>;
	failure?: string;
}
interface Fake {
	url: string;
	requests(): Chat[];
	chats(scenario: string): Chat[];
	close(): Promise<void>;
}

const TOOLS = [{ type: 'function', function: { name: 'UpCloud', description: 'Get credits in UpCloud', parameters: { type: 'object', properties: {} } } }];

let fake: Fake;

beforeAll(() => nock.enableNetConnect('127.0.0.1'));

beforeEach(async () => {
	fake = await startFakeModel({
		scenarios: {
			credits: callThenQuote((tools: Array<{ name: string }>) => ({ name: tools[0].name, arguments: { month: '2026-11' } })),
			hello: answerOnly('Hello.'),
		},
	});
});

afterEach(async () => {
	await fake.close();
});

async function chat(body: object) {
	const response = await fetch(`${fake.url}/chat/completions`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
		body: JSON.stringify({ model: 'fake-model', ...body }),
	});
	return { status: response.status, text: await response.text() };
}

test('first turn: a tool call with the scripted arguments; after the tool answered: a final answer quoting it', async () => {
	const first = await chat({ messages: [{ role: 'user', content: 'Credits? [scenario:credits]' }], tools: TOOLS, stream: false });
	expect(first.status).toBe(200);
	const answer = JSON.parse(first.text);
	expect(answer.object).toBe('chat.completion');
	expect(answer.choices[0].finish_reason).toBe('tool_calls');
	expect(answer.choices[0].message.tool_calls).toEqual([
		{ id: 'call_1', type: 'function', function: { name: 'UpCloud', arguments: '{"month":"2026-11"}' } },
	]);

	const second = await chat({
		messages: [
			{ role: 'user', content: 'Credits? [scenario:credits]' },
			{ role: 'assistant', content: null, tool_calls: answer.choices[0].message.tool_calls },
			{ role: 'tool', tool_call_id: 'call_1', content: '[{"credits":100}]' },
		],
		tools: TOOLS,
	});
	expect(JSON.parse(second.text).choices[0]).toEqual({
		index: 0,
		message: { role: 'assistant', content: 'Tool result: [{"credits":100}]' },
		logprobs: null,
		finish_reason: 'stop',
	});

	const chats = fake.chats('credits');
	expect(chats.map((c) => [c.path, c.authorization, c.tools.map((t) => t.name), c.toolResults])).toEqual([
		['/v1/chat/completions', 'bearer', ['UpCloud'], []],
		['/v1/chat/completions', 'bearer', ['UpCloud'], [{ toolCallId: 'call_1', content: '[{"credits":100}]' }]],
	]);
	expect(chats[0].tools[0].description).toBe('Get credits in UpCloud');
});

test('a streamed request gets the same answer as SSE chunks ending with [DONE]', async () => {
	const { status, text } = await chat({ messages: [{ role: 'user', content: '[scenario:hello]' }], stream: true });
	expect(status).toBe(200);
	const events = text.split('\n\n').filter(Boolean);
	expect(events[events.length - 1]).toBe('data: [DONE]');
	const chunks = events.slice(0, -1).map((e) => JSON.parse(e.replace(/^data: /, '')));
	expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: 'Hello.' });
	expect(chunks[1].choices[0].finish_reason).toBe('stop');
});

test('an unknown scenario is a 500 naming it, recorded as a failure; other paths are a 404', async () => {
	const { status, text } = await chat({ messages: [{ role: 'user', content: 'no marker' }] });
	expect(status).toBe(500);
	expect(JSON.parse(text).error.message).toMatch(/^no scenario "undefined"/);
	const other = await fetch(`${fake.url}/responses`, { method: 'POST', body: '{}' });
	expect(other.status).toBe(404);
	expect(fake.requests().map((r) => [r.path, Boolean(r.failure)])).toEqual([
		['/v1/chat/completions', true],
		['/v1/responses', false],
	]);
});

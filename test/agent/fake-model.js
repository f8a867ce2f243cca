'use strict';
/**
 * A scripted stand-in for an OpenAI-compatible model server, for n8n's OpenAI Chat Model node (credential
 * `openAiApi` with Base URL `<fake.url>`). It speaks `POST /v1/chat/completions` (JSON answers, and SSE chunks when
 * the request asks for `stream: true`) with tool calls, and `GET /v1/models` (the node's model list).
 *
 * Scenarios are chosen per request by a marker in the user's prompt, `[scenario:<name>]`, so one fake serves every
 * workflow of a run. A scenario is a function of the request that answers one turn:
 *
 *   { toolCall: { name, arguments } }   the model calls a tool (name: a tool of the request's `tools` array)
 *   { content: '…' }                    the model's final answer
 *
 * `callThenQuote(pick)` is the usual script: the first turn calls the tool `pick(tools)` chooses, with its
 * arguments; the turn after the tool answered quotes that answer verbatim ("Tool result: …").
 *
 * Every request is recorded (`requests()`: path, body, and for chat requests the scenario, messages, tool results
 * and the `tools` array). Listens on 127.0.0.1 only, port 0 unless told; stops by itself after `lifetimeMs`.
 *
 *   const fake = await startFakeModel({ scenarios: { quote: callThenQuote(...) } });  // fake.url = http://127.0.0.1:<port>/v1
 *   await fake.close();
 */

const http = require('node:http');

const SCENARIO_MARKER = /\[scenario:([\w-]+)\]/;
const FINAL_PREFIX = 'Tool result: ';

/** The text of a chat message's content (a string, or OpenAI's array of content parts). */
function textOf(content) {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) return content.map((part) => (typeof part === 'string' ? part : part?.text ?? '')).join('');
	return '';
}

/** The view of a chat request that scenarios and tests read. */
function describeChat(body) {
	const messages = Array.isArray(body.messages) ? body.messages : [];
	const prompt = messages.filter((m) => m.role === 'user').map((m) => textOf(m.content)).join('\n');
	const tools = (Array.isArray(body.tools) ? body.tools : []).map((t) => ({
		name: t.function?.name,
		description: t.function?.description,
		parameters: t.function?.parameters,
	}));
	const toolResults = messages.filter((m) => m.role === 'tool').map((m) => ({ toolCallId: m.tool_call_id, content: textOf(m.content) }));
	return { scenario: SCENARIO_MARKER.exec(prompt)?.[1], prompt, messages, tools, toolResults, stream: body.stream === true };
}

/**
 * The usual script: call a tool once, then quote its answer. `pick(tools)` returns `{ name, arguments }` (or
 * throws, which the fake answers with a 500 naming the reason); `arguments` may be an object or a function of the
 * request.
 */
function callThenQuote(pick) {
	return (chat) => {
		if (chat.toolResults.length === 0) return { toolCall: pick(chat.tools, chat) };
		return { content: `${FINAL_PREFIX}${chat.toolResults[chat.toolResults.length - 1].content}` };
	};
}

/** A scenario that never calls a tool: it answers at once (used to read the `tools` array n8n sends). */
const answerOnly = (content) => () => ({ content });

function completion(model, seq, turn) {
	const message = turn.toolCall
		? {
				role: 'assistant',
				content: null,
				tool_calls: [
					{
						id: `call_${seq}`,
						type: 'function',
						function: { name: turn.toolCall.name, arguments: JSON.stringify(turn.toolCall.arguments ?? {}) },
					},
				],
			}
		: { role: 'assistant', content: turn.content };
	return {
		id: `chatcmpl-fake-${seq}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model,
		choices: [{ index: 0, message, logprobs: null, finish_reason: turn.toolCall ? 'tool_calls' : 'stop' }],
		usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
	};
}

/** The same answer as OpenAI's streamed chunks (`data: {…}` lines, then `data: [DONE]`). */
function chunks(model, seq, turn) {
	const base = { id: `chatcmpl-fake-${seq}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model };
	const delta = turn.toolCall
		? {
				role: 'assistant',
				content: null,
				tool_calls: [
					{
						index: 0,
						id: `call_${seq}`,
						type: 'function',
						function: { name: turn.toolCall.name, arguments: JSON.stringify(turn.toolCall.arguments ?? {}) },
					},
				],
			}
		: { role: 'assistant', content: turn.content };
	return [
		{ ...base, choices: [{ index: 0, delta, finish_reason: null }] },
		{ ...base, choices: [{ index: 0, delta: {}, finish_reason: turn.toolCall ? 'tool_calls' : 'stop' }] },
		{ ...base, choices: [], usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 } },
	];
}

function readJson(req) {
	return new Promise((resolve, reject) => {
		const parts = [];
		req.on('data', (b) => parts.push(b));
		req.on('end', () => {
			const text = Buffer.concat(parts).toString('utf8');
			if (!text) return resolve({});
			try {
				resolve(JSON.parse(text));
			} catch (e) {
				reject(e);
			}
		});
		req.on('error', reject);
	});
}

function send(res, status, body) {
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify(body));
}

/**
 * Starts the fake. Options: `scenarios` ({ name: turn function }), `port` (0), `lifetimeMs` (10 minutes: then it
 * closes itself), `requestTimeoutMs` (30 s per request). Resolves `{ url, port, requests(), chats(scenario),
 * setScenario(name, fn), close() }`.
 */
function startFakeModel({ scenarios = {}, port = 0, lifetimeMs = 10 * 60 * 1000, requestTimeoutMs = 30000 } = {}) {
	const script = { ...scenarios };
	const log = [];
	let seq = 0;
	const server = http.createServer(async (req, res) => {
		seq += 1;
		const entry = { seq, method: req.method, path: req.url.split('?')[0], authorization: req.headers.authorization ? 'bearer' : 'none' };
		log.push(entry);
		try {
			if (req.method === 'GET' && /\/models$/.test(entry.path)) {
				return send(res, 200, { object: 'list', data: [{ id: 'fake-model', object: 'model', created: 0, owned_by: 'fake' }] });
			}
			if (req.method !== 'POST' || !/\/chat\/completions$/.test(entry.path)) {
				entry.unsupported = true;
				return send(res, 404, { error: { message: `the fake model serves POST /v1/chat/completions, not ${req.method} ${entry.path}`, type: 'invalid_request_error' } });
			}
			const body = await readJson(req);
			const chat = describeChat(body);
			Object.assign(entry, { body, ...chat });
			const scenario = script[chat.scenario];
			if (!scenario) {
				entry.failure = `no scenario "${chat.scenario}" (prompt: ${chat.prompt.slice(0, 200)})`;
				return send(res, 500, { error: { message: entry.failure, type: 'server_error' } });
			}
			const turn = scenario(chat);
			entry.answer = turn;
			const model = body.model || 'fake-model';
			if (!chat.stream) return send(res, 200, completion(model, seq, turn));
			res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
			for (const chunk of chunks(model, seq, turn)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
			res.end('data: [DONE]\n\n');
		} catch (error) {
			entry.failure = String(error?.message ?? error);
			if (!res.headersSent) send(res, 500, { error: { message: entry.failure, type: 'server_error' } });
			else res.end();
		}
	});
	server.requestTimeout = requestTimeoutMs;
	server.headersTimeout = requestTimeoutMs;
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			const actualPort = server.address().port;
			let closed;
			const close = () => {
				closed ??= new Promise((res) => {
					clearTimeout(lifetime);
					server.close(() => res());
					server.closeAllConnections();
				});
				return closed;
			};
			const lifetime = setTimeout(close, lifetimeMs);
			lifetime.unref();
			resolve({
				port: actualPort,
				url: `http://127.0.0.1:${actualPort}/v1`,
				/** Every request so far, oldest first. */
				requests: () => log.slice(),
				/** The chat-completions requests of one scenario, oldest first. */
				chats: (scenario) => log.filter((e) => e.scenario === scenario),
				setScenario: (name, fn) => {
					script[name] = fn;
				},
				close,
			});
		});
	});
}

module.exports = { startFakeModel, callThenQuote, answerOnly, describeChat, FINAL_PREFIX, SCENARIO_MARKER };

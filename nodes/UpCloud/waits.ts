import type {
	IDataObject,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { isPlainObject, showValue } from '../shared/coercion';
import { parseBody } from '../shared/declarative';
import { retryTiming } from '../shared/retry';
import { upCloudGet } from './transport';

/**
 * Wait for Completion: several UpCloud calls answer before the cloud has done the work (server create, start,
 * stop, restart; storage clone, templatize, backup, restore). With `options.waitForCompletion` on (the default)
 * the node then GETs the resource every `pollInterval` seconds until it reaches its target state, for at most
 * `waitTimeout` seconds. Each GET goes through the retry policy for transient errors; the call itself, a write,
 * is never repeated.
 *
 * Waits sleep and read the clock through `retryTiming`, the package's one clock, so tests run them without
 * waiting. Elapsed time is the larger of the clock's time and the time slept, which is the clock's in real runs.
 */

export type WaitKind = 'server' | 'storage';

export interface WaitSettings {
	enabled: boolean;
	timeoutMs: number;
	intervalMs: number;
}

export const WAIT_DEFAULTS = { waitTimeout: 300, pollInterval: 5 };

/**
 * A restart answers `started` before the server goes through `maintenance` (UpCloud's own recording: answer
 * `started` at t=0, `maintenance` at t+6 s, `started` at t+22 s). So a restart wait first waits for the server
 * to leave `started`, then for `started` again. A quick restart may go through `maintenance` between two polls,
 * and API 1.3's server object has no uptime, boot time or restart counter to tell: so the first phase lasts at
 * most this long after the soft-stop timeout (hard: after the call). If the server was seen `started` throughout,
 * the restart is taken to have happened between two polls and the wait ends there.
 */
export const RESTART_LEAVE_GRACE_S = 30;

/** The Options collection of an operation that can wait; `extra` are that operation's own options. */
export function waitOptionsProperty(
	resource: string,
	operation: string,
	target: string,
	extra: INodeProperties[] = [],
): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { resource: [resource], operation: [operation] } },
		options: [
			...extra,
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollInterval',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 3600, numberPrecision: 0 },
				default: 5,
				description: 'How often to ask UpCloud for the state while waiting; at least 1 second',
			},
			{
				displayName: 'Wait for Completion',
				name: 'waitForCompletion',
				type: 'boolean',
				default: true,
				description: `Whether to wait until UpCloud reports the ${target}; the output is then the ${resource} as UpCloud last reported it. Off: one request, the output is UpCloud's immediate answer.`,
			},
			{
				displayName: 'Wait Timeout (Seconds)',
				name: 'waitTimeout',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 86400, numberPrecision: 0 },
				default: 300,
				description: 'How long to wait at most; past it the item fails naming the last state',
			},
		].sort((a, b) => a.displayName.localeCompare(b.displayName)) as INodeProperties[],
	};
}

export function waitSettings(this: IExecuteSingleFunctions): WaitSettings {
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const number = (value: unknown, fallback: number) =>
		typeof value === 'number' && Number.isFinite(value) ? value : typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : fallback;
	return {
		enabled: options.waitForCompletion !== false && options.waitForCompletion !== 'false',
		timeoutMs: number(options.waitTimeout, WAIT_DEFAULTS.waitTimeout) * 1000,
		intervalMs: Math.max(1, number(options.pollInterval, WAIT_DEFAULTS.pollInterval)) * 1000,
	};
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** The object in UpCloud's envelope ({"server":{…}}); an answer without it is one clear error. */
export function unwrap(this: IExecuteSingleFunctions, kind: WaitKind, body: unknown, statusCode: number): IDataObject {
	const parsed = parseBody(body);
	const inner = isPlainObject(parsed) ? parsed[kind] : undefined;
	if (!isPlainObject(inner)) {
		throw new NodeApiError(this.getNode(), { httpCode: String(statusCode) }, {
			message: `UpCloud answered without the ${kind} (got ${showValue(parsed)})`,
			description: `UpCloud documents a {"${kind}":{…}} answer here. Nothing more was sent.`,
			httpCode: String(statusCode),
			itemIndex: this.getItemIndex(),
		});
	}
	return inner;
}

/** One GET of a server or storage, under the retry policy. */
export async function getResource(this: IExecuteSingleFunctions, kind: WaitKind, id: string): Promise<IDataObject> {
	const body = await upCloudGet.call(this, `/${kind}/${encodeURIComponent(id)}`);
	return unwrap.call(this, kind, body, 200);
}

function cancelled(context: IExecuteSingleFunctions): boolean {
	return context.getExecutionCancelSignal?.()?.aborted === true;
}

/** When a wait began and how long it has slept; one clock can span several waits of one item (backup, then source). */
export interface WaitClock {
	startedAt: number;
	slept: number;
}

export function startWaitClock(): WaitClock {
	return { startedAt: retryTiming.now(), slept: 0 };
}

export interface WaitSpec {
	kind: WaitKind;
	target: string;
	/** A restart: first leave `started`, within `leaveWithinMs`, then reach it again. */
	restart?: { leaveWithinMs: number };
}

/**
 * Polls `GET /<kind>/<id>` until the state is `target` and returns the resource as that last GET answered it.
 * `error` fails the item with UpCloud's state and the ID; the timeout fails it naming the last state and the time
 * waited. `first` is the call's own answer: when it already shows the target (and this is no restart) nothing
 * is polled.
 */
export async function waitForState(
	this: IExecuteSingleFunctions,
	spec: WaitSpec,
	id: string,
	first: IDataObject | undefined,
	settings: WaitSettings,
	clock: WaitClock = startWaitClock(),
): Promise<IDataObject> {
	const label = spec.kind === 'server' ? 'Server' : 'Storage';
	let last = first;
	let state = typeof first?.state === 'string' ? first.state : undefined;
	if (!spec.restart && state === spec.target) return first as IDataObject;
	let left = !spec.restart;
	const elapsed = () => Math.max(retryTiming.now() - clock.startedAt, clock.slept);
	for (;;) {
		const remaining = settings.timeoutMs - elapsed();
		if (remaining <= 0) {
			throw new NodeOperationError(
				this.getNode(),
				`${label} ${id} did not reach the state "${spec.target}" within ${seconds(settings.timeoutMs)}; its last state was "${state ?? 'unknown'}"`,
				{
					itemIndex: this.getItemIndex(),
					description: `Waited ${seconds(elapsed())}. UpCloud may still be working on it: get the ${spec.kind} later, or raise Options → Wait Timeout.`,
				},
			);
		}
		const pause = Math.min(settings.intervalMs, remaining);
		await retryTiming.sleep(pause);
		clock.slept += pause;
		if (cancelled(this)) {
			throw new NodeOperationError(this.getNode(), `Stopped waiting for ${spec.kind} ${id}: the execution was cancelled`, {
				itemIndex: this.getItemIndex(),
			});
		}
		last = await getResource.call(this, spec.kind, id);
		state = typeof last.state === 'string' ? last.state : undefined;
		if (state === 'error') {
			throw new NodeOperationError(this.getNode(), `UpCloud reports ${spec.kind} ${id} in the state "error"`, {
				itemIndex: this.getItemIndex(),
				description: `The cloud service has a fault with this ${spec.kind} (waited ${seconds(elapsed())} for "${spec.target}"). UpCloud says it returns to a normal state by itself once fixed.`,
			});
		}
		if (!left) {
			// The first `started` after a restart call is the state before the restart (see RESTART_LEAVE_GRACE_S).
			if (state !== 'started') left = true;
			else if (spec.restart && elapsed() >= spec.restart.leaveWithinMs) return last;
			continue;
		}
		if (state === spec.target) return last;
	}
}

type PostReceive = (
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
) => Promise<INodeExecutionData[]>;

/**
 * postReceive of a call that answers {"<kind>":{…}}: the resource as one item, and with Wait for Completion on, as
 * it stands once it reached `target`. `spec` may depend on the parameters (a restart's stop timeout).
 */
export function answerAndWait(kind: WaitKind, spec: (this: IExecuteSingleFunctions) => WaitSpec, keep: string[] = []): PostReceive {
	return async function (this: IExecuteSingleFunctions, _items, response) {
		const answer = unwrap.call(this, kind, response.body, response.statusCode);
		const settings = waitSettings.call(this);
		if (!settings.enabled) return [{ json: answer }];
		const id = typeof answer.uuid === 'string' ? answer.uuid : '';
		if (id === '') {
			throw new NodeApiError(this.getNode(), { httpCode: String(response.statusCode) }, {
				message: `UpCloud answered without the ${kind}'s UUID, so there is nothing to wait for`,
				itemIndex: this.getItemIndex(),
			});
		}
		const final = await waitForState.call(this, spec.call(this), id, answer, settings);
		// What UpCloud shows only in the call's answer (a new server's one-time password) is kept.
		const kept: IDataObject = {};
		for (const key of keep) if (key in answer && !(key in final)) kept[key] = answer[key];
		return [{ json: { ...final, ...kept } }];
	};
}

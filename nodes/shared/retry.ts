import type {
	IDataObject,
	IExecuteSingleFunctions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { RETRY_OPTION } from './properties';

/**
 * The one retry policy of both packages: every request (routed requests, each page of a Return All,
 * read-backs, dropdown searches, the trigger's readings) is sent through `withRetries`.
 *
 * Only safe requests are repeated: a GET only reads, so sending it again changes nothing. POST and PUT
 * never are: neither API takes idempotency keys, and an answer lost on the way back (a 502 or a reset after
 * the service acted) would make us create a second record or apply an update twice. DELETE is not repeated
 * either: a delete whose answer was lost would be sent again and answered 404, failing a node whose work
 * was done.
 */
export const RETRY_POLICY = {
	/** Retries after the first attempt, as UpCloud's Terraform provider does: 5 attempts at most. */
	maxRetries: 4,
	/** First backoff wait; each further one doubles (1, 2, 4, 8 s), each times a random 0.5–1.5. */
	firstWaitMs: 1_000,
	/** No single wait is longer, and a Retry-After asking for more is not retried. */
	maxWaitMs: 30_000,
	/**
	 * All waits of one node run together (every item and page of it, one poll, one dropdown search). One
	 * request's full backoff is at most 22.5 s, so a run still rides out two bad spells, or one 30 s
	 * Retry-After, yet never stalls for minutes.
	 */
	budgetMs: 60_000,
	statuses: [429, 502, 503, 504] as readonly number[],
};

/** How the policy waits and draws its jitter; tests replace these to run without waiting. */
export const retryTiming = {
	sleep: async (ms: number): Promise<void> => await sleep(ms),
	now: (): number => Date.now(),
	random: (): number => Math.random(),
};

type RequestContext = IExecuteSingleFunctions | ILoadOptionsFunctions | IPollFunctions;

const SAFE_METHODS = new Set(['GET']);
/** ECONNREFUSED only on a retry: refused at the first attempt usually means a wrong Base URL, not a blip. */
const CONNECTION_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED']);

/** What an error answer said that the retry decision needs, keyed by the error thrown for it. */
const answers = new WeakMap<object, { status: number; retryAfter?: string }>();
/** Errors a retry loop has already decided on: an enclosing loop passes them on as they are. */
const settled = new WeakSet<object>();
/** Milliseconds waited so far per node run, keyed by what all requests of that run share. */
const budgets = new WeakMap<object, { spentMs: number }>();

/**
 * Marks `error` as thrown for an HTTP answer (requests run with ignoreHttpStatusErrors, so the status and
 * headers are only known where the answer is checked), so that its status and Retry-After decide.
 */
export function noteHttpAnswer<E extends Error>(
	error: E,
	response: { statusCode: number; headers?: object },
): E {
	const headers = (response.headers ?? {}) as IDataObject;
	const key = Object.keys(headers).find((name) => name.toLowerCase() === 'retry-after');
	const value = key === undefined ? undefined : headers[key];
	answers.set(error, {
		status: response.statusCode,
		retryAfter: value === undefined || value === null ? undefined : String(Array.isArray(value) ? value[0] : value),
	});
	return error;
}

/** Retry-After in milliseconds from now: delay-seconds or an HTTP date (RFC 9110 §10.2.3); undefined if neither. */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
	const text = (value ?? '').trim();
	if (text === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The wait before retry number `retry` (1-based) without Retry-After: exponential, with jitter, capped. */
export function backoffMs(retry: number): number {
	const base = RETRY_POLICY.firstWaitMs * 2 ** (retry - 1);
	return Math.min(RETRY_POLICY.maxWaitMs, Math.round(base * (0.5 + retryTiming.random())));
}

/**
 * The connection error `error` stands for, if it is one we retry. n8n's NodeApiError keeps the socket's code
 * as its httpCode and the socket's message in `messages`; other wrappers keep them on a cause.
 */
function connectionError(error: unknown, attempt: number): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const { code, httpCode, message, messages, cause } = current as Record<string, unknown>;
		for (const candidate of [code, httpCode]) {
			if (typeof candidate !== 'string' || !CONNECTION_CODES.has(candidate)) continue;
			if (candidate !== 'ECONNREFUSED' || attempt > 1) return candidate;
		}
		const texts = [message, ...(Array.isArray(messages) ? messages : [])];
		if (texts.some((text) => typeof text === 'string' && /socket hang up/i.test(text))) return 'socket hang up';
		current = cause;
	}
	return undefined;
}

function retriesEnabled(context: RequestContext): boolean {
	// The editor's dropdown searches see the node's parameters as currently edited.
	const value =
		'getCurrentNodeParameter' in context
			? context.getCurrentNodeParameter(RETRY_OPTION)
			: (context as IExecuteSingleFunctions).getNodeParameter(RETRY_OPTION, true);
	return value !== false;
}

/** What all requests of one node run share: the items of a routed run share their execute data. */
function budgetKey(context: object): object {
	const getExecuteData = (context as Partial<IExecuteSingleFunctions>).getExecuteData;
	return (typeof getExecuteData === 'function' ? getExecuteData.call(context) : undefined) ?? context;
}

/**
 * Starts a new retry budget for the poll that `context` runs. A polling node calls it first thing in poll():
 * n8n makes one poll context per activation and hands it to every poll, so without this the polls of one
 * activation would share a single 60 s budget, and once it was spent (over days of occasional 503s) no poll
 * would retry again until the workflow was re-activated.
 */
export function startPollRetryBudget(context: object): void {
	budgets.set(budgetKey(context), { spentMs: 0 });
}

/** The budget of the node run (or poll) `context` belongs to. */
function budgetOf(context: RequestContext): { spentMs: number } {
	const key = budgetKey(context);
	let budget = budgets.get(key);
	if (!budget) {
		budget = { spentMs: 0 };
		budgets.set(key, budget);
	}
	return budget;
}

function cancelled(context: RequestContext): boolean {
	const getSignal = (context as Partial<IExecuteSingleFunctions>).getExecutionCancelSignal;
	return typeof getSignal === 'function' && getSignal.call(context)?.aborted === true;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

type Decision = { retry: true; waitMs: number } | { retry: false; why?: string };

function decide(error: unknown, attempt: number, budget: { spentMs: number }): Decision {
	if (typeof error !== 'object' || error === null || settled.has(error)) return { retry: false };
	const answer = answers.get(error);
	const transient = answer ? RETRY_POLICY.statuses.includes(answer.status) : connectionError(error, attempt);
	if (!transient) return { retry: false };
	if (attempt > RETRY_POLICY.maxRetries) return { retry: false, why: 'the service kept failing' };
	const asked = retryAfterMs(answer?.retryAfter, retryTiming.now());
	if (asked !== undefined && asked > RETRY_POLICY.maxWaitMs) {
		return {
			retry: false,
			why: `not retried: the service asked to wait ${seconds(asked)} (Retry-After), more than the ${seconds(RETRY_POLICY.maxWaitMs)} this node waits`,
		};
	}
	const waitMs = asked ?? backoffMs(attempt);
	if (budget.spentMs + waitMs > RETRY_POLICY.budgetMs) {
		return {
			retry: false,
			why: `stopped: another wait would pass this run's retry budget of ${seconds(RETRY_POLICY.budgetMs)}`,
		};
	}
	return { retry: true, waitMs };
}

/**
 * The error a request finally fails with: the service's last error as it was, its description led by how
 * many attempts were made (and why no more), `context.attempts` set. An error that was never retried and
 * had no reason to be is left as it is.
 */
function finalError(error: unknown, attempts: number, waitedMs: number, why: string | undefined): unknown {
	if (typeof error !== 'object' || error === null) return error;
	if (!(error instanceof NodeApiError || error instanceof NodeOperationError) || settled.has(error)) return error;
	settled.add(error);
	if (attempts === 1 && why === undefined) return error;
	const retries = attempts - 1;
	const spent = retries > 0 ? ` (${retries} ${retries === 1 ? 'retry' : 'retries'}, ${seconds(waitedMs)} of waiting)` : '';
	const note = `Tried ${attempts} ${attempts === 1 ? 'time' : 'times'}${spent}; ${why ?? 'the last attempt failed as shown'}.`;
	error.description = error.description ? `${note} ${error.description}` : note;
	(error.context as IDataObject).attempts = attempts;
	return error;
}

/**
 * Sends a request of the node run `context` belongs to with `send` (called again for each attempt, so a page keeps its cursor), repeating it on
 * a transient failure when `method` is safe and the node's Retry Transient Errors is on.
 */
export async function withRetries<T>(
	context: RequestContext,
	method: string | undefined,
	send: () => Promise<T>,
): Promise<T> {
	if (!SAFE_METHODS.has((method ?? 'GET').toUpperCase()) || !retriesEnabled(context)) return await send();
	const budget = budgetOf(context);
	let waitedMs = 0;
	for (let attempt = 1; ; attempt++) {
		const outcome = await send().then(
			(value) => ({ ok: true as const, value }),
			(error: unknown) => ({ ok: false as const, error }),
		);
		if (outcome.ok) return outcome.value;
		const decision = decide(outcome.error, attempt, budget);
		if (!decision.retry) throw finalError(outcome.error, attempt, waitedMs, decision.why);
		// Reserved before waiting: the items of a run wait concurrently and share the budget.
		budget.spentMs += decision.waitMs;
		await retryTiming.sleep(decision.waitMs);
		waitedMs += decision.waitMs;
		if (cancelled(context)) throw finalError(outcome.error, attempt, waitedMs, 'stopped: the execution was cancelled');
	}
}

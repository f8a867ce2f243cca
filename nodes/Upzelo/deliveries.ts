import { createHash, timingSafeEqual } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { isPlainObject } from '../shared/coercion';

/**
 * What the Upzelo Trigger decides about one webhook delivery, without n8n: pure functions, tested alone.
 *
 * Upzelo's webhook page (docs.upzelo.com, Integrations → Webhooks) documents a JSON POST shaped
 * `{"data": {"type": "flow.started", "attempt": 1, "customer": {"external_id", "name", "email", …}, …}}`
 * (the rest of its example is cut off), retries until it gets a 200, and signs nothing.
 */

/** The nine events Upzelo documents, by their dashboard names; only `flow.started` is documented as a type string. */
export const DOCUMENTED_EVENTS = [
	'Flow Started',
	'Flow Abandoned',
	'Subscription Pause',
	'Subscription Skip Charge',
	'Subscription Plan Change',
	'Subscription Free Period',
	'Subscription Discount',
	'Subscription Cancelled',
	'New Request',
] as const;

/** Why a delivery is refused: the HTTP status and a short reason, answered as `{"error": reason}`. */
export interface Refusal {
	status: 400 | 401;
	reason: string;
}

export interface Delivery {
	body: IDataObject;
	data: IDataObject;
	type: string;
	/** `data.attempt` when it is a whole number, else undefined (then the delivery counts as a first attempt). */
	attempt?: number;
}

/**
 * Whether the `secret` query parameter equals the configured secret, compared in constant time. A repeated
 * parameter (`?secret=a&secret=b`, which n8n hands over as an array) never matches.
 */
export function secretMatches(configured: string, given: unknown): boolean {
	if (typeof given !== 'string') return false;
	const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
	return timingSafeEqual(digest(configured), digest(given));
}

/** The delivery read from the request body, or why it is not an Upzelo delivery. */
export function readDelivery(body: unknown): Delivery | Refusal {
	if (body === undefined || body === null || body === '') return { status: 400, reason: 'The delivery has no body; Upzelo sends a JSON object' };
	if (!isPlainObject(body)) return { status: 400, reason: 'The delivery is not a JSON object; Upzelo sends {"data": {"type": …}}' };
	const { data } = body;
	if (!isPlainObject(data)) return { status: 400, reason: 'The delivery has no "data" object; Upzelo sends {"data": {"type": …}}' };
	if (typeof data.type !== 'string' || data.type.trim() === '') {
		return { status: 400, reason: 'The delivery has no event type in "data.type"' };
	}
	const attempt = typeof data.attempt === 'number' && Number.isInteger(data.attempt) ? data.attempt : undefined;
	return { body, data, type: data.type, attempt };
}

export const isRefusal = (value: Delivery | Refusal): value is Refusal => 'status' in value;

/** Whether the Events list lets this type start the workflow: an empty list lets every type through. */
export function eventSelected(events: readonly string[], type: string): boolean {
	return events.length === 0 || events.includes(type);
}

/** JSON with the keys of every object sorted, so equal content gives equal text whatever the key order. */
function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (isPlainObject(value)) {
		return `{${Object.keys(value)
			.sort()
			.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/**
 * The key under which Ignore Retries remembers a delivery: the event type and a SHA-256 of the whole body with
 * `data.attempt` left out. Upzelo documents no event ID, so two deliveries are "the same event" when everything
 * but the attempt number is equal. Should Upzelo put anything else that changes per attempt into its retries (a
 * send time, say), they get different keys and each starts the workflow: the failure is a duplicate run, never a
 * lost event.
 */
export function deliveryKey(delivery: Delivery): string {
	const { attempt: _attempt, ...data } = delivery.data;
	const hash = createHash('sha256').update(canonicalJson({ ...delivery.body, data }), 'utf8').digest('hex');
	return `${delivery.type}:${hash.slice(0, 32)}`;
}

/**
 * How long and how many keys Ignore Retries remembers. Upzelo's table gives 3, 5, 9, 17, 33 and 65 minutes
 * between the attempts (132 minutes from the first to the seventh); 4 hours covers that with room to spare.
 */
export const MEMORY = { maxKeys: 500, maxAgeMs: 4 * 60 * 60 * 1000 } as const;

/** Recent keys, oldest first: `[key, first seen (epoch ms)]`; kept in the workflow's static data. */
export type SeenDeliveries = Array<[string, number]>;

/** The remembered keys without the expired ones, and without the oldest beyond the cap. */
export function pruneSeen(seen: unknown, now: number): SeenDeliveries {
	const valid = (Array.isArray(seen) ? seen : []).filter(
		(entry): entry is [string, number] =>
			Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'number' && now - entry[1] < MEMORY.maxAgeMs && entry[1] <= now,
	);
	return valid.slice(-MEMORY.maxKeys);
}

/**
 * Ignore Retries: whether this delivery is a retry of an event already seen (attempt above 1 and its key
 * remembered), and the memory after it. A first attempt always starts the workflow; so does a retry whose first
 * attempt never arrived or was forgotten (expired, pushed out, another workflow).
 */
export function checkRetry(seen: SeenDeliveries, delivery: Delivery, now: number): { retry: boolean; seen: SeenDeliveries } {
	const key = deliveryKey(delivery);
	const known = seen.some(([k]) => k === key);
	if ((delivery.attempt ?? 1) > 1 && known) return { retry: true, seen };
	if (known) return { retry: false, seen };
	return { retry: false, seen: [...seen, [key, now] as [string, number]].slice(-MEMORY.maxKeys) };
}

/** The item a delivery starts the workflow with: the body as delivered, `event`, `receivedAt`, and the customer. */
export function deliveryItem(delivery: Delivery, receivedAt: Date, simplify: boolean): IDataObject {
	const item: IDataObject = { ...delivery.body, event: delivery.type, receivedAt: receivedAt.toISOString() };
	if (simplify) {
		const customer = isPlainObject(delivery.data.customer) ? delivery.data.customer : {};
		for (const field of ['external_id', 'name', 'email']) item[field] = customer[field] ?? null;
	}
	return item;
}

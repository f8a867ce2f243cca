import type { IDataObject } from 'n8n-workflow';

import { toRfc3339Utc } from '../shared/dates';

/**
 * UpCloud's audit log (API 1.3, chapter 22) without I/O: the documented filter values, the query both the
 * Audit Log resource and the UpCloud Trigger send, the trigger's cursor with its boundary dedupe, the paging
 * plan of a poll, and each event's one-line message. Tested alone (test/nodes/UpCloud/auditLog.test.ts).
 */

/** "The list is paginated by default": at most 200 rows per request (limit 0–200). */
export const AUDIT_PAGE_SIZE = 200;

/** One poll reads at most this many events; more waiting are read by the next poll, from where this one stopped. */
export const MAX_EVENTS_PER_POLL = 5_000;

/**
 * At most this many event IDs are remembered at the cursor's second, each at most MAX_ID_LENGTH characters, plus
 * one ID `below` which every smaller ID of that second counts as emitted: the state stays under 18 KB of JSON
 * whatever the traffic (about 7.5 KB with UpCloud's 26-character ULIDs). Should more events than this share one
 * second, the smallest IDs are folded into `below` (ULIDs grow with time, so what arrives later is larger): an
 * event logged later in that crowded second with a smaller ID than those would be missed; none is emitted twice.
 */
export const MAX_BOUNDARY_IDS = 256;
const MAX_ID_LENGTH = 64;

/** How many events "Fetch Test Event" shows. */
export const MANUAL_EVENTS = 5;

// The filter values as the official page lists them. Rows may carry more (the generated 1.3 client lists
// start, stop, clone, … as row actions and network-gateway as a row type); the page says only these are
// accepted as filters, so only these are offered.
export const AUDIT_ACTIONS = ['create', 'read', 'update', 'delete', 'access-update', 'attach', 'detach', 'login', 'logout'] as const;
export const AUDIT_ORIGINS = ['api', 'gui', 'upcloud_internal'] as const;
export const AUDIT_RESOURCE_TYPES = [
	'account',
	'auth',
	'init-script',
	'managed-database',
	'managed-loadbalancer',
	'managed-loadbalancer-certificate-bundle',
	'managed-object-storage',
	'server',
	'ssh-key',
	'storage',
	'uks',
] as const;

const ACTION_NAMES: Record<string, string> = {
	'access-update': 'Access Update',
};
const ORIGIN_NAMES: Record<string, string> = { api: 'API', gui: 'GUI (Hub)', upcloud_internal: 'UpCloud Internal' };
const TYPE_NAMES: Record<string, string> = {
	account: 'Account',
	auth: 'Authentication',
	'init-script': 'Init Script',
	'managed-database': 'Managed Database',
	'managed-loadbalancer': 'Managed Load Balancer',
	'managed-loadbalancer-certificate-bundle': 'Managed Load Balancer Certificate Bundle',
	'managed-object-storage': 'Managed Object Storage',
	server: 'Server',
	'ssh-key': 'SSH Key',
	storage: 'Storage',
	uks: 'Kubernetes (UKS)',
};

const titleCase = (value: string) => value.replace(/(^|[-_ ])(\w)/g, (_, gap: string, c: string) => `${gap ? ' ' : ''}${c.toUpperCase()}`);

/** Dropdown options of the three list filters, values as UpCloud spells them. */
export const actionOptions = AUDIT_ACTIONS.map((value) => ({ name: ACTION_NAMES[value] ?? titleCase(value), value }));
export const originOptions = AUDIT_ORIGINS.map((value) => ({ name: ORIGIN_NAMES[value], value }));
export const resourceTypeOptions = AUDIT_RESOURCE_TYPES.map((value) => ({ name: TYPE_NAMES[value], value }));

/** What both nodes filter by, already checked. */
export interface AuditFilters {
	actions?: string[];
	origins?: string[];
	resourceTypes?: string[];
	createdAfter?: Date;
	createdBefore?: Date;
	search?: string;
}

/** The same whole-second UTC form as the page's examples (2024-04-05T15:04:05Z); sub-seconds are cut, not rounded. */
export const auditTimestamp = toRfc3339Utc;

/**
 * The list query: lists are sent as repeated parameters (actions=create&actions=delete), the default of the
 * generated 1.3 client; the page says only "list". Empty filters are left out, so UpCloud's defaults apply
 * (the last 180 days, every action, origin and type).
 */
export function auditQuery(filters: AuditFilters): IDataObject {
	const qs: IDataObject = {};
	if (filters.actions?.length) qs.actions = [...filters.actions];
	if (filters.origins?.length) qs.origins = [...filters.origins];
	if (filters.resourceTypes?.length) qs.resource_types = [...filters.resourceTypes];
	if (filters.createdAfter) qs.created_after = auditTimestamp(filters.createdAfter);
	if (filters.createdBefore) qs.created_before = auditTimestamp(filters.createdBefore);
	if (filters.search) qs.q = filters.search;
	return qs;
}

/**
 * The trigger's actions filter. Empty means every action but `read` (every GET is a read: the noise), so the
 * other documented filter actions are named. With Include Reads and no action chosen nothing is filtered, so
 * also actions the filter list does not name (see above) arrive.
 */
export function triggerActions(chosen: string[], includeReads: boolean): string[] | undefined {
	if (chosen.length === 0) return includeReads ? undefined : AUDIT_ACTIONS.filter((action) => action !== 'read');
	return includeReads && !chosen.includes('read') ? [...chosen, 'read'] : [...chosen];
}

// ---------------------------------------------------------------------------------------------------------------
// Events and the cursor
// ---------------------------------------------------------------------------------------------------------------

/** What the trigger keeps in the node's static data. */
export interface AuditCursor {
	/** The whole second (UTC, `…Z`) of the newest event emitted, or where watching began. */
	second: string;
	/** IDs of the events of that second already emitted (at most MAX_BOUNDARY_IDS), in ID order. */
	seen: string[];
	/** Set only when that second held more: every ID of it up to this one (in string order) was emitted too. */
	below?: string;
}

/**
 * The cursor at `second` knowing `keys` (and everything up to `below`) as emitted: at most MAX_BOUNDARY_IDS keys,
 * the smallest beyond that folded into `below`.
 */
function boundaryCursor(second: string, keys: string[], below?: string): AuditCursor {
	const sorted = [...new Set(keys)].filter((key) => below === undefined || key > below).sort();
	if (sorted.length <= MAX_BOUNDARY_IDS) return below === undefined ? { second, seen: sorted } : { second, seen: sorted, below };
	const cut = sorted.length - MAX_BOUNDARY_IDS;
	return { second, seen: sorted.slice(cut), below: sorted[cut - 1] };
}

/** Whether the event with `key` at the cursor's own second was emitted already. */
function emittedAtBoundary(cursor: AuditCursor, seen: Set<string>, key: string): boolean {
	return seen.has(key) || (cursor.below !== undefined && key <= cursor.below);
}

/** An event's time as ms since the epoch, or undefined when it has none that parses. */
export function eventTime(event: IDataObject): number | undefined {
	const ms = typeof event.time === 'string' ? Date.parse(event.time) : Number.NaN;
	return Number.isFinite(ms) ? ms : undefined;
}

const secondOf = (ms: number) => Math.floor(ms / 1000) * 1000;

/**
 * The dedupe key: cloud_event_id (a ULID), or, for a row without one, what identifies it as far as the row
 * says; cut to MAX_ID_LENGTH so one odd row cannot grow the state.
 */
export function eventKey(event: IDataObject): string {
	const id = typeof event.cloud_event_id === 'string' && event.cloud_event_id !== '' ? event.cloud_event_id : undefined;
	const key =
		id ??
		['time', 'action', 'resource_type', 'resource_id', 'account_username', 'upcloud_correlation_id']
			.map((field) => String(event[field] ?? ''))
			.join('|');
	return key.slice(0, MAX_ID_LENGTH);
}

/** Oldest first; events of one instant in ID order (ULIDs sort by time), so the order is the same every time. */
export function byTime(a: IDataObject, b: IDataObject): number {
	const difference = (eventTime(a) ?? 0) - (eventTime(b) ?? 0);
	if (difference !== 0) return difference;
	const [ka, kb] = [eventKey(a), eventKey(b)];
	return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * Where a first activation starts watching: the second of the newest matching event, remembering every event of
 * that second among `newest` (several can share it, and created_after will return them all), or now's second
 * when none matched. `newest` is one page of the newest (AUDIT_PAGE_SIZE at most): when the whole page is that one
 * second, the second may hold more than the page, so every ID up to the page's largest counts as history.
 */
export function startingCursor(newest: IDataObject[], now: Date): AuditCursor {
	const times = newest.map(eventTime).filter((ms): ms is number => ms !== undefined);
	if (times.length === 0) return { second: auditTimestamp(now), seen: [] };
	const last = secondOf(Math.max(...times));
	const keys = newest
		.filter((event) => {
			const ms = eventTime(event);
			return ms !== undefined && secondOf(ms) === last;
		})
		.map(eventKey);
	const second = auditTimestamp(new Date(last));
	if (newest.length >= AUDIT_PAGE_SIZE && keys.length === newest.length) return { second, seen: [], below: [...keys].sort().at(-1) };
	return boundaryCursor(second, keys);
}

/**
 * One poll's outcome. `rows` are the rows read since the cursor's second (created_after is inclusive, so the
 * events already emitted in that second come back): those are dropped, as is any row read twice (pages shift
 * when events arrive while paging) and any row older than the cursor's second. The rest are emitted oldest
 * first, and the cursor moves to the newest emitted second, remembering the IDs emitted in it. Rows without
 * a time are emitted (nothing is hidden) but do not move the cursor. Nothing new leaves the cursor as it was.
 *
 * The cursor keeps its second and the IDs emitted in it, so that an event logged into that second after this poll
 * read it (UpCloud does not say how soon an event is listed) is still caught. Each idle poll reads that second
 * again: one request while it holds fewer than AUDIT_PAGE_SIZE matching events. A crowded second would cost every
 * idle poll several pages, so once it is over it is left behind: `readUntil` is given when every row up to that
 * whole second (created_before, inclusive) was read, and a crowded cursor second before it moves the cursor to the
 * next second, remembering nothing. Then an idle poll is one request again.
 */
export function advance(
	cursor: AuditCursor,
	rows: IDataObject[],
	readUntil?: string,
): { events: IDataObject[]; cursor: AuditCursor } {
	const outcome = advanceWithin(cursor, rows);
	const second = Date.parse(outcome.cursor.second);
	if (readUntil === undefined || !(second < Date.parse(readUntil))) return outcome;
	// How many rows of that second this poll read, each once: what each idle poll would read again.
	const atSecond = new Set(rows.filter((row) => secondOf(eventTime(row) ?? Number.NaN) === second).map(eventKey)).size;
	if (atSecond < AUDIT_PAGE_SIZE) return outcome;
	return { events: outcome.events, cursor: { second: auditTimestamp(new Date(second + 1000)), seen: [] } };
}

function advanceWithin(cursor: AuditCursor, rows: IDataObject[]): { events: IDataObject[]; cursor: AuditCursor } {
	const boundary = Date.parse(cursor.second);
	const seen = new Set(cursor.seen);
	const taken = new Set<string>();
	const events: IDataObject[] = [];
	for (const row of rows) {
		const key = eventKey(row);
		if (taken.has(key)) continue;
		const ms = eventTime(row);
		if (ms !== undefined && secondOf(ms) < boundary) continue;
		if (ms !== undefined && secondOf(ms) === boundary && emittedAtBoundary(cursor, seen, key)) continue;
		taken.add(key);
		events.push(row);
	}
	events.sort(byTime);
	const timed = events.filter((event) => eventTime(event) !== undefined);
	if (timed.length === 0) return { events, cursor };
	const newest = secondOf(eventTime(timed[timed.length - 1]) as number);
	const atNewest = timed.filter((event) => secondOf(eventTime(event) as number) === newest).map(eventKey);
	const second = auditTimestamp(new Date(newest));
	// Still in the cursor's second: what was emitted there before stays known, `below` included.
	if (newest === boundary) return { events, cursor: boundaryCursor(second, [...cursor.seen, ...atNewest], cursor.below) };
	return { events, cursor: boundaryCursor(second, atNewest) };
}

/** Static data as stored, or undefined when it is not a cursor (nothing stored yet, or from another version). */
export function storedCursor(value: unknown): AuditCursor | undefined {
	if (!value || typeof value !== 'object') return undefined;
	const { second, seen, below } = value as { second?: unknown; seen?: unknown; below?: unknown };
	if (typeof second !== 'string' || !Number.isFinite(Date.parse(second)) || !Array.isArray(seen)) return undefined;
	const ids = seen.filter((id): id is string => typeof id === 'string').slice(-MAX_BOUNDARY_IDS);
	return typeof below === 'string' ? { second, seen: ids, below } : { second, seen: ids };
}

// ---------------------------------------------------------------------------------------------------------------
// Paging a poll
// ---------------------------------------------------------------------------------------------------------------

export interface AuditPage {
	rows: IDataObject[];
	/** Upcloud-Total-Count: the rows matching the query, whatever limit and offset. */
	total?: number;
}

/** Reads one page: `offset` rows skipped, at most `limit` returned. */
export type PageReader = (offset: number, limit: number) => Promise<AuditPage>;

/**
 * Whether a list runs oldest first: the page does not say (its "chronological record" describes the log, not
 * the answer), so it is read from the rows themselves. Undefined when their times do not tell.
 */
export function oldestFirst(first: IDataObject | undefined, last: IDataObject | undefined): boolean | undefined {
	const [a, b] = [first && eventTime(first), last && eventTime(last)];
	if (a === undefined || b === undefined || a === b) return undefined;
	return a < b;
}

/**
 * Every row of a query, up to `cap`, read in pages of AUDIT_PAGE_SIZE at offsets 0, 200, 400, …: a page
 * shorter than asked, or the Upcloud-Total-Count reached, ends the list. When more than `cap` match, the oldest
 * `cap` are read (wherever the order puts them; one extra one-row request tells the order when the first page
 * does not), so the next poll continues from there. `complete` says whether every matching row was read.
 */
export async function readRows(readPage: PageReader, cap = MAX_EVENTS_PER_POLL): Promise<{ rows: IDataObject[]; complete: boolean; requests: number }> {
	let requests = 1;
	const first = await readPage(0, AUDIT_PAGE_SIZE);
	const total = first.total;
	const rows = [...first.rows];
	const more = (page: AuditPage, asked: number) => page.rows.length >= asked;
	const readFrom = async (offset: number, until: number, into: IDataObject[]) => {
		for (let next = offset; next < until; next += AUDIT_PAGE_SIZE) {
			const limit = Math.min(AUDIT_PAGE_SIZE, until - next);
			const page = await readPage(next, limit);
			requests += 1;
			into.push(...page.rows);
			if (!more(page, limit)) return false;
		}
		return true;
	};
	if (!more(first, AUDIT_PAGE_SIZE)) return { rows, complete: true, requests };
	if (total === undefined || total <= cap) {
		// Without the header: pages until a short one, at most `cap` rows.
		const until = total ?? cap;
		const full = await readFrom(AUDIT_PAGE_SIZE, until, rows);
		return { rows, complete: total !== undefined || !full || rows.length < cap, requests };
	}
	let ascending = oldestFirst(rows[0], rows[rows.length - 1]);
	if (ascending === undefined) {
		const last = await readPage(total - 1, 1);
		requests += 1;
		// Every row of the first page and the last one in one instant: their order does not matter.
		ascending = oldestFirst(rows[0], last.rows[0]) ?? true;
	}
	if (ascending) {
		await readFrom(AUDIT_PAGE_SIZE, cap, rows);
		return { rows: rows.slice(0, cap), complete: false, requests };
	}
	// Newest first: the oldest `cap` are the last ones.
	const oldest: IDataObject[] = [];
	await readFrom(total - cap, total, oldest);
	return { rows: oldest, complete: false, requests };
}

/** The newest `count` rows of a query (oldest first), reading as few pages as the order allows. */
export async function readNewest(readPage: PageReader, count: number): Promise<IDataObject[]> {
	const first = await readPage(0, AUDIT_PAGE_SIZE);
	let rows = first.rows;
	const total = first.total ?? rows.length;
	if (total > rows.length && oldestFirst(rows[0], rows[rows.length - 1]) !== false) {
		// Oldest first (or one instant): the newest are at the end of the list.
		rows = (await readPage(Math.max(0, total - count), count)).rows;
	}
	return [...rows].sort(byTime).slice(-count);
}

// ---------------------------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------------------------

const PAST: Record<string, string> = {
	create: 'created',
	read: 'read',
	update: 'updated',
	delete: 'deleted',
	'access-update': 'access updated',
	attach: 'attached',
	detach: 'detached',
	clone: 'cloned',
	start: 'started',
	stop: 'stopped',
};

const TYPE_WORDS: Record<string, string> = {
	account: 'Account',
	auth: 'Authentication',
	'init-script': 'Init script',
	'managed-database': 'Managed database',
	'managed-loadbalancer': 'Load balancer',
	'managed-loadbalancer-certificate-bundle': 'Load balancer certificate bundle',
	'managed-object-storage': 'Object storage',
	'network-gateway': 'Network gateway',
	server: 'Server',
	'ssh-key': 'SSH key',
	storage: 'Storage',
	uks: 'Kubernetes cluster',
};

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** What the event was done to, in words: "API token" for token sub-types, else the resource type. */
function subjectOf(event: IDataObject): string {
	const subType = text(event.resource_sub_type);
	if (subType && /token/i.test(subType)) return 'API token';
	const type = text(event.resource_type) ?? 'resource';
	return TYPE_WORDS[type] ?? type;
}

/** The resource's name from its state after (or, for a delete, before) the action, else its ID. */
function nameOf(event: IDataObject): string | undefined {
	for (const state of [event.current_state, event.previous_state]) {
		if (state && typeof state === 'object' && !Array.isArray(state)) {
			const { name, title, hostname, username } = state as IDataObject;
			const found = text(name) ?? text(title) ?? text(hostname) ?? text(username);
			if (found) return found;
		}
	}
	return text(event.resource_id);
}

/**
 * One line a chat message can carry: "API token ci-deploy created by finance_bot from 203.0.113.7 via api",
 * "ops_user logged in from 198.51.100.23 via gui". Parts the row lacks are left out.
 */
export function eventMessage(event: IDataObject): string {
	const user = text(event.account_username) ?? 'someone';
	const from = text(event.ip_address) ? ` from ${text(event.ip_address)}` : '';
	const via = text(event.origin) ? ` via ${text(event.origin)}` : '';
	const action = text(event.action) ?? 'event';
	if (action === 'login') return `${user} logged in${from}${via}`;
	if (action === 'logout') return `${user} logged out${from}${via}`;
	const name = nameOf(event);
	const verb = PAST[action] ?? action;
	return `${subjectOf(event)}${name ? ` ${name}` : ''} ${verb} by ${user}${from}${via}`;
}

/** The trigger's item: the one-line message first, then UpCloud's own fields as they came. */
export function eventItem(event: IDataObject): IDataObject {
	return { message: eventMessage(event), ...event };
}

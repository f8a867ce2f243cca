'use strict';
/**
 * What Execute step must show for one operation of every resource: the item count and values that identify the
 * items, read from the sandbox's own API just before the click (so they do not depend on what other suites
 * changed), and the forced API error.
 */

async function sandboxGet(sandbox, service, route) {
	const c = sandbox.credentials;
	const headers =
		service === 'upzelo'
			? { authorization: `Bearer ${c.upzelo.apiKey}`, 'x-app-id': c.upzelo.appId }
			: { authorization: `Basic ${Buffer.from(`${c.upcloud.username}:${c.upcloud.password}`).toString('base64')}` };
	const base = service === 'upzelo' ? sandbox.upzeloUrl : sandbox.upcloudUrl;
	const res = await fetch(`${base}${route}`, { headers });
	if (!res.ok) throw new Error(`sandbox GET ${route}: HTTP ${res.status}`);
	return res.json();
}

const DEV2 = '00de0002-0000-4000-8000-00000000de02';

const upzeloList = async (sandbox, resource, limit) => (await sandboxGet(sandbox, 'upzelo', `/api/${resource}?limit=${limit}`)).data[resource];

/**
 * node id → async (sandbox, ctx) => { count, includes: [text the output panel must contain] }. One per resource;
 * read operations where the resource has one, so that the expectation is the sandbox's current data.
 */
const EXECUTE = {
	'ui-upCloud-account-get-node': async () => ({ count: 1, includes: ['finance_bot'] }),
	'ui-upCloud-subaccount-create-node': async (sandbox, ctx) => ({ count: 1, includes: [`ui_sub_${ctx.tag}`.slice(0, 32)] }),
	'ui-upCloud-billing-getSummary-node': async () => ({ count: 1, includes: ['servers'] }),
	'ui-upCloud-networkUsage-getCurrent-node': async () => ({ count: 1, includes: [] }),
	'ui-upCloud-partnerAccount-getAll-node': async (sandbox) => {
		const body = await sandboxGet(sandbox, 'upcloud', '/partner/accounts');
		const list = Array.isArray(body) ? body : (body.partner_accounts?.partner_account ?? []);
		return { count: list.length, includes: list.map((a) => a.username) };
	},
	'ui-upCloud-permission-getAll-node': async (sandbox) => {
		const body = await sandboxGet(sandbox, 'upcloud', '/permission');
		const list = (body.permissions?.permission ?? []).filter((p) => p.user === 'ops_team');
		return { count: list.length, includes: ['ops_team', ...list.map((p) => p.target_type)] };
	},
	'ui-upCloud-auditLog-getFilterOptions-node': async () => ({ count: 1, includes: ['upcloud_internal', 'managed-object-storage'] }),
	'ui-upCloud-token-getAll-node': async (sandbox) => {
		const res = await fetch(`${sandbox.upcloudUrl}/account/tokens`, { headers: { authorization: `Bearer ${sandbox.credentials.upcloudToken.token}` } });
		const body = await res.json();
		const list = (body.tokens?.token ?? body.tokens ?? body).filter((t) => t.gui !== true);
		return { count: list.length, includes: list.map((t) => t.name) };
	},
	// Servers and storages (#22): read operations only, so that the sweep changes no state; the sample values are
	// test/ui/samples.js's (dev-2, the stopped dev server, and its disk).
	'ui-upCloud-server-get-node': async (sandbox) => {
		const { server } = await sandboxGet(sandbox, 'upcloud', `/server/${DEV2}`);
		return { count: 1, includes: [server.uuid, server.hostname] };
	},
	'ui-upCloud-storage-get-node': async (sandbox) => {
		const { server } = await sandboxGet(sandbox, 'upcloud', `/server/${DEV2}`);
		const { storage } = await sandboxGet(sandbox, 'upcloud', `/storage/${server.storage_devices.storage_device[0].storage}`);
		return { count: 1, includes: [storage.uuid, storage.title] };
	},
	'ui-upCloud-ipAddress-getAll-node': async (sandbox) => {
		const list = (await sandboxGet(sandbox, 'upcloud', '/ip_address')).ip_addresses.ip_address;
		return { count: list.length, includes: [list[0].address] };
	},
	'ui-upCloud-zone-getAll-node': async (sandbox) => {
		const list = (await sandboxGet(sandbox, 'upcloud', '/zone')).zones.zone;
		return { count: list.length, includes: list.slice(0, 3).map((z) => z.id) };
	},
	'ui-upCloud-plan-getAll-node': async (sandbox) => {
		const list = (await sandboxGet(sandbox, 'upcloud', '/plan')).plans.plan;
		return { count: list.length, includes: list.slice(0, 3).map((p) => p.name) };
	},
	'ui-upzelo-customer-get-node': async (sandbox) => {
		const [c] = await upzeloList(sandbox, 'customers', 1);
		return { count: 1, includes: [c.id, c.email] };
	},
	'ui-upzelo-price-getAll-node': async (sandbox) => {
		const list = await upzeloList(sandbox, 'prices', 5);
		return { count: 5, includes: list.map((p) => p.id) };
	},
	'ui-upzelo-product-get-node': async (sandbox) => {
		const [p] = await upzeloList(sandbox, 'products', 1);
		return { count: 1, includes: [p.id, p.name] };
	},
	'ui-upzelo-discount-getAll-node': async (sandbox) => {
		const list = await upzeloList(sandbox, 'discounts', 2);
		return { count: 2, includes: list.map((d) => d.name) };
	},
	'ui-upzelo-invoice-getAll-node': async (sandbox) => {
		const list = await upzeloList(sandbox, 'invoices', 2);
		return { count: 2, includes: list.map((i) => i.id) };
	},
	'ui-upzelo-subscription-get-node': async (sandbox) => {
		const [s] = await upzeloList(sandbox, 'subscriptions', 1);
		return { count: 1, includes: [s.id, s.customer_id] };
	},
};

/** The forced error: UpCloud answers Account → Get Current with 500 and its own error body. */
const FORCED_ERROR = {
	nodeId: 'ui-upCloud-account-getCurrent-node',
	fault: { service: 'upcloud', status: 500, method: 'GET', pathPattern: '^/1\\.3/account/?$', count: 10 },
	expect: ['INTERNAL_ERROR', 'Injected fault: Server Error.'],
};

module.exports = { EXECUTE, FORCED_ERROR, sandboxGet };

'use strict';
/**
 * UpCloud node in a real n8n: at least one workflow per resource, checking the items n8n produced and what the
 * sandbox received. Ids are at most 16 characters (n8n's limit for `execute --id`).
 */

const assert = require('node:assert/strict');

const { upCloud, base, set, chain, parallel } = require('../lib/workflow');
const { items, json } = require('../lib/run-data');

const PRIMARY_SERVER = '00798b85-efdc-41ca-8021-f6ef457b8531';

/** Requests to UpCloud during the run, as "METHOD /path". */
const calls = (requests) => requests.filter((r) => r.service === 'upcloud').map((r) => `${r.method} ${r.path}`);

const cases = [
	{
		id: 'e2eUcAccount',
		title: 'UpCloud account: Get Current, Get Many with label filters, Get, Update',
		workflow: () =>
			parallel('e2eUcAccount', 'e2e UpCloud account', [
				upCloud('Get Current', { resource: 'account', operation: 'getCurrent' }),
				upCloud('Get Many', {
					resource: 'account',
					operation: 'getAll',
					returnAll: true,
					filters: { labels: { label: [{ key: 'department' }, { key: 'env', value: 'prod' }] } },
				}),
				upCloud('Get', { resource: 'account', operation: 'get', username: 'finance_bot' }),
				upCloud('Update', {
					resource: 'account',
					operation: 'update',
					username: 'auditor_ro',
					updateFields: { firstName: 'Aila', city: 'Tampere' },
				}),
			]),
		check(run, { requests }) {
			const [current] = json(run, 'Get Current');
			assert.equal(current.username, 'sandbox_user');
			assert.equal(typeof current.credits, 'number');
			assert.ok(current.resource_limits, 'Get Current has resource_limits (the "account" envelope is unwrapped)');

			const many = json(run, 'Get Many');
			assert.deepEqual(
				many.map((a) => a.username),
				['ops_team'],
				'labels department + env=prod match only ops_team',
			);
			const listCall = requests.find((r) => r.path === '/1.3/account/list');
			assert.deepEqual(listCall.query.label, ['department', 'env=prod'], 'label filters are sent as repeated label= parameters');

			const [got] = json(run, 'Get');
			assert.equal(got.username, 'finance_bot');
			assert.equal(got.email, 'finance@sandbox-hosting.example');

			const [updated] = json(run, 'Update');
			assert.equal(updated.username, 'auditor_ro');
			assert.equal(updated.first_name, 'Aila', 'Update outputs the account read back after the 204');
			assert.equal(updated.city, 'Tampere');
			const put = requests.find((r) => r.method === 'PUT');
			assert.equal(put.path, '/1.3/account/details/auditor_ro');
			assert.deepEqual(put.body, { account: { first_name: 'Aila', city: 'Tampere' } });
			assert.ok(requests.every((r) => r.auth === 'basic:sandbox_user'), 'every request used Basic auth of the credential');
		},
	},
	{
		id: 'e2eUcSubaccount',
		title: 'UpCloud subaccount: Create (read back after 204) → Delete, chained by expression',
		workflow: ({ tag }) =>
			chain('e2eUcSubaccount', 'e2e UpCloud subaccount', [
				upCloud('Create Subaccount', {
					resource: 'subaccount',
					operation: 'create',
					username: `e2e_sub_${tag}`,
					password: 'E2e-Sub-Pass-123',
					email: 'e2e@sandbox-hosting.example',
					phone: '+358.401234567',
					currency: 'EUR',
					language: 'en',
					timezone: 'Europe/Helsinki',
					additionalFields: { firstName: 'Eero', lastName: 'Testinen', roles: ['technical'] },
				}),
				upCloud('Delete Subaccount', {
					resource: 'subaccount',
					operation: 'delete',
					username: '={{ $json.username }}',
				}),
			]),
		check(run, { requests, tag }) {
			const [created] = json(run, 'Create Subaccount');
			assert.equal(created.username, `e2e_sub_${tag}`);
			assert.equal(created.type, 'sub');
			assert.equal(created.timezone, 'Europe/Helsinki');
			assert.deepEqual(json(run, 'Delete Subaccount'), [{ success: true, username: `e2e_sub_${tag}` }]);
			assert.deepEqual(calls(requests), [
				'POST /1.3/account/sub',
				`GET /1.3/account/details/e2e_sub_${tag}`,
				`DELETE /1.3/account/sub/e2e_sub_${tag}`,
			]);
			const post = requests[0];
			assert.equal(post.status, 204);
			assert.equal(post.body.sub_account.username, `e2e_sub_${tag}`);
			assert.deepEqual(post.body.sub_account.roles, { role: ['technical'] });
		},
	},
	{
		id: 'e2eUcBilling',
		title: 'UpCloud billing: Get Summary (whole and per billed resource), Get Resource Summary, both legacy summaries',
		workflow: () =>
			parallel('e2eUcBilling', 'e2e UpCloud billing', [
				upCloud('Summary', { resource: 'billing', operation: 'getSummary' }),
				upCloud('Per Resource', { resource: 'billing', operation: 'getSummary', output: 'resources' }),
				upCloud('Resource Summary', {
					resource: 'billing',
					operation: 'getResourceSummary',
					resourceId: PRIMARY_SERVER,
				}),
				upCloud('Legacy', { resource: 'billing', operation: 'getLegacySummary' }),
				upCloud('Legacy Detailed', { resource: 'billing', operation: 'getLegacyDetailedSummary', output: 'resources' }),
			]),
		check(run, { requests, yearMonth }) {
			const [summary] = json(run, 'Summary');
			assert.equal(summary.currency, 'EUR');
			assert.equal(typeof summary.total_amount, 'number');
			assert.ok(summary.servers, 'summary has a servers category');
			assert.ok(
				requests.some((r) => r.path === `/1.3/account/billing/summary/${yearMonth}`),
				'Month defaults to the current month ($now in the workflow time zone)',
			);

			const rows = json(run, 'Per Resource');
			assert.ok(rows.length >= 5, `several billed resources (got ${rows.length})`);
			for (const row of rows) {
				assert.ok(row.category && row.resource_id !== undefined && row.amount !== undefined, `row ${JSON.stringify(row)}`);
			}
			assert.ok(rows.some((r) => r.resource_id === PRIMARY_SERVER && r.category === 'servers'));
			const sum = rows.reduce((s, r) => s + Number(r.amount), 0);
			assert.ok(Math.abs(sum - summary.total_amount) < 0.05, `rows add up to the total (${sum} vs ${summary.total_amount})`);

			const [resource] = json(run, 'Resource Summary');
			assert.ok(Array.isArray(resource.daily_sums) || resource.daily_sums, 'resource summary has daily sums');
			assert.equal(typeof resource.total_amount, 'number');

			const [legacy] = json(run, 'Legacy');
			assert.equal(typeof legacy.total_amount, 'number', 'legacy summary is unwrapped from "billing"');
			assert.ok(json(run, 'Legacy Detailed').length >= 5, 'legacy detailed summary split per resource');
		},
	},
	{
		id: 'e2eUcNetwork',
		title: 'UpCloud network usage: transfer statistics (JSON and CSV file), resource statistics with filters, current',
		workflow: () =>
			parallel('e2eUcNetwork', 'e2e UpCloud network usage', [
				upCloud('Transfer Stats', {
					resource: 'networkUsage',
					operation: 'getTransferStats',
					from: '={{ $now.minus({ days: 2 }).startOf("hour").toISO() }}',
					to: '={{ $now.startOf("hour").toISO() }}',
					accumulate: 'hour',
				}),
				upCloud('Transfer CSV', {
					resource: 'networkUsage',
					operation: 'getTransferStats',
					from: '={{ $now.minus({ days: 2 }).startOf("day").toISO() }}',
					to: '={{ $now.startOf("hour").toISO() }}',
					accumulate: 'day',
					format: 'csv',
				}),
				upCloud('Resource Stats', {
					resource: 'networkUsage',
					operation: 'getResourceTransferStats',
					from: '={{ $now.minus({ days: 1 }).startOf("day").toISO() }}',
					to: '={{ $now.startOf("hour").toISO() }}',
					accumulate: 'day',
					filters: { services: ['server_public'], zones: ['fi-hel2', 'de-fra1'] },
				}),
				upCloud('Current', { resource: 'networkUsage', operation: 'getCurrent' }),
			]),
		check(run, { requests }) {
			const hourly = json(run, 'Transfer Stats');
			assert.ok(hourly.length >= 24, `hourly rows (got ${hourly.length})`);
			assert.ok('sent_bytes' in hourly[0] && 'start_time' in hourly[0]);
			const statsCall = requests.find((r) => r.path.startsWith('/1.3/account/network_usage') && r.accept !== 'text/csv');
			assert.match(statsCall.query.from, /^\d{4}-\d{2}-\d{2}T\d{2}:00:00Z$/, 'from is sent as RFC 3339 UTC');

			const [csvItem] = items(run, 'Transfer CSV');
			assert.ok(csvItem.binary?.data, 'CSV output is a binary item in property "data"');
			assert.equal(csvItem.binary.data.mimeType, 'text/csv');
			assert.ok(csvItem.json.rows >= 2, `CSV has rows (got ${csvItem.json.rows})`);
			assert.ok(requests.some((r) => r.accept === 'text/csv'), 'CSV requested with Accept: text/csv');

			const perResource = json(run, 'Resource Stats');
			assert.ok(perResource.length > 0, 'resource rows');
			for (const row of perResource) {
				assert.equal(row.service, 'server_public');
				assert.ok(['fi-hel2', 'de-fra1'].includes(row.zone), `zone filter honoured (${row.zone})`);
			}
			const resCall = requests.find((r) => r.path.startsWith('/1.3/account/resource_network_usage'));
			assert.deepEqual(resCall.query.zone, ['fi-hel2', 'de-fra1'], 'zones repeated as zone=');

			const [current] = json(run, 'Current');
			assert.equal(typeof current.total_sent_bytes, 'number');
			assert.equal(typeof current.accumulated_quota_bytes, 'number');
		},
	},
	{
		id: 'e2eUcPartner',
		title: 'UpCloud partner accounts: Get Many (bare array), Create with contact details, Get Billing Summary',
		workflow: ({ tag }) =>
			parallel('e2eUcPartner', 'e2e UpCloud partner accounts', [
				upCloud('List Partners', { resource: 'partnerAccount', operation: 'getAll', returnAll: true }),
				upCloud('List Two', { resource: 'partnerAccount', operation: 'getAll', returnAll: false, limit: 2 }),
				upCloud('Create Partner', {
					resource: 'partnerAccount',
					operation: 'create',
					username: `e2e_partner_${tag}`,
					password: 'E2e-Partner-Pass-1',
					contactDetails: {
						firstName: 'Pia',
						lastName: 'Partner',
						email: 'pia@customer.example',
						phone: '+358.405550000',
						country: 'USA',
						state: 'Texas',
						company: 'Customer Inc',
					},
				}),
				upCloud('Partner Bill', {
					resource: 'partnerAccount',
					operation: 'getBillingSummary',
					username: 'acme_corp',
					output: 'resources',
				}),
			]),
		check(run, { requests, tag }) {
			const all = json(run, 'List Partners');
			assert.deepEqual(
				all.map((a) => a.username).slice(0, 3),
				['acme_corp', 'globex_gmbh', 'initech_us'],
				'one item per partner account from the bare JSON array',
			);
			assert.equal(json(run, 'List Two').length, 2, 'Limit 2 keeps two items');

			const [created] = json(run, 'Create Partner');
			assert.equal(created.username, `e2e_partner_${tag}`);
			const post = requests.find((r) => r.method === 'POST' && r.path === '/1.3/partner/accounts');
			assert.equal(post.status, 201);
			assert.equal(post.body.password, '[redacted]', 'password sent (redacted in the sandbox log)');
			assert.deepEqual(post.body.contact_details, {
				first_name: 'Pia',
				last_name: 'Partner',
				email: 'pia@customer.example',
				phone: '+358.405550000',
				country: 'USA',
				state: 'Texas',
				company: 'Customer Inc',
			});

			const rows = json(run, 'Partner Bill');
			assert.ok(rows.length >= 2, 'acme_corp has billed resources');
			const bill = requests.find((r) => r.path.startsWith('/1.3/account/billing/summary/'));
			assert.equal(bill.query.username, 'acme_corp');
		},
	},
	{
		id: 'e2eUcPaired',
		title: 'UpCloud pairedItem: several input items, list output, expressions reading $("…").item upstream',
		workflow: () =>
			chain('e2eUcPaired', 'e2e UpCloud pairedItem', [
				base(
					'set',
					'Usernames',
					{ mode: 'raw', jsonOutput: '={{ { "users": ["ops_team", "finance_bot", "us_sales"] } }}', options: {} },
					3.4,
				),
				base('splitOut', 'Split Out', { fieldToSplitOut: 'users', options: {} }, 1),
				upCloud('Get Each', { resource: 'account', operation: 'get', username: '={{ $json.users }}' }),
				set('Link Back', {
					asked: '={{ $("Split Out").item.json.users }}',
					got: '={{ $json.username }}',
				}),
			]),
		check(run) {
			const got = items(run, 'Get Each');
			assert.deepEqual(
				got.map((i) => i.pairedItem),
				[{ item: 0 }, { item: 1 }, { item: 2 }],
				'each output item is paired with its input item',
			);
			assert.deepEqual(json(run, 'Link Back'), [
				{ asked: 'ops_team', got: 'ops_team' },
				{ asked: 'finance_bot', got: 'finance_bot' },
				{ asked: 'us_sales', got: 'us_sales' },
			]);
		},
	},
	{
		id: 'e2eUcPairedList',
		title: 'UpCloud pairedItem on a list operation: every account paired to its one input item',
		workflow: () =>
			chain('e2eUcPairedList', 'e2e UpCloud pairedItem list', [
				set('Marker', { marker: 'from-start' }),
				upCloud('List Accounts', { resource: 'account', operation: 'getAll', returnAll: true }),
				set('Upstream', { marker: '={{ $("Marker").item.json.marker }}', username: '={{ $json.username }}' }),
			]),
		check(run) {
			const accounts = items(run, 'List Accounts');
			assert.ok(accounts.length >= 6, `main account and subaccounts (got ${accounts.length})`);
			assert.ok(accounts.every((i) => i.pairedItem && i.pairedItem.item === 0), 'all paired to input item 0');
			assert.ok(json(run, 'Upstream').every((r) => r.marker === 'from-start'));
		},
	},
	{
		id: 'e2eUcTokenAuth',
		title: 'UpCloud with an API token (Authentication at its default): Get Current, Update own account read back after 204, Subaccount Create → Delete',
		workflow: ({ tag }) =>
			parallel('e2eUcTokenAuth', 'e2e UpCloud API token authentication', [
				upCloud('Get Current', { resource: 'account', operation: 'getCurrent' }, { credential: 'upcloudToken' }),
				upCloud(
					'Update Own',
					{ resource: 'account', operation: 'update', username: '', updateFields: { city: 'Espoo' } },
					{ credential: 'upcloudToken' },
				),
				[
					upCloud(
						'Create Subaccount',
						{
							resource: 'subaccount',
							operation: 'create',
							username: `e2e_tok_${tag}`,
							email: 'e2e-token@sandbox-hosting.example',
							phone: '+358.401234567',
							currency: 'EUR',
							language: 'en',
							timezone: 'Europe/Helsinki',
						},
						{ credential: 'upcloudToken' },
					),
					upCloud('Delete Subaccount', { resource: 'subaccount', operation: 'delete', username: '={{ $json.username }}' }, { credential: 'upcloudToken' }),
				],
			]),
		check(run, { requests, tag }) {
			assert.equal(json(run, 'Get Current')[0].username, 'sandbox_user');
			const [updated] = json(run, 'Update Own');
			assert.equal(updated.username, 'sandbox_user', 'an empty Username means the token owner, from GET /account');
			assert.equal(updated.city, 'Espoo');
			assert.deepEqual(json(run, 'Delete Subaccount'), [{ success: true, username: `e2e_tok_${tag}` }]);
			assert.deepEqual(calls(requests), [
				'GET /1.3/account',
				'GET /1.3/account',
				'PUT /1.3/account/details/sandbox_user',
				'GET /1.3/account/details/sandbox_user',
				'POST /1.3/account/sub',
				`GET /1.3/account/details/e2e_tok_${tag}`,
				`DELETE /1.3/account/sub/e2e_tok_${tag}`,
			]);
			assert.ok(requests.every((r) => r.auth === 'bearer:sandbox_user'), `every request used the token: ${requests.map((r) => r.auth)}`);
		},
	},
	{
		id: 'e2eUcTokens',
		title: 'UpCloud API tokens: Create → Get → Delete chained by expression, then Get Many; the secret only in Create, the deleted token refused',
		workflow: ({ tag }) =>
			parallel('e2eUcTokens', 'e2e UpCloud API tokens', [
				[
					upCloud(
						'Create Token',
						{
							resource: 'token',
							operation: 'create',
							name: `e2e-${tag}`,
							expiresAt: '={{ $now.plus({ days: 1 }).toISO() }}',
							additionalFields: { allowedIpRanges: ['127.0.0.1/32', '::1/128'], canCreateTokens: false },
						},
						{ credential: 'upcloudToken' },
					),
					upCloud(
						'Get Token',
						{ resource: 'token', operation: 'get', tokenId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } },
						{ credential: 'upcloudToken' },
					),
					upCloud('Delete Token', { resource: 'token', operation: 'delete', tokenId: '={{ $json.id }}' }, { credential: 'upcloudToken' }),
				],
				upCloud(
					'List Tokens',
					{ resource: 'token', operation: 'getAll', returnAll: true, options: { sort: '+name', gui: 'exclude' } },
					{ credential: 'upcloudToken' },
				),
			]),
		async check(run, { requests, tag, sandbox }) {
			const [created] = json(run, 'Create Token');
			assert.match(created.token, /^ucat_/, 'Create outputs the secret');
			assert.equal(created.name, `e2e-${tag}`);
			assert.deepEqual(created.allowed_ip_ranges, ['127.0.0.1/32', '::1/128']);
			const [got] = json(run, 'Get Token');
			assert.equal(got.id, created.id);
			assert.equal('token' in got, false, 'Get never outputs the secret');
			assert.deepEqual(json(run, 'Delete Token'), [{ success: true, id: created.id }]);
			const listed = json(run, 'List Tokens');
			assert.ok(listed.some((t) => t.name === 'sandbox-seeded'), 'the seeded token is listed');
			assert.ok(!listed.some((t) => t.id === created.id), 'the deleted token is gone');
			assert.ok(listed.every((t) => !('token' in t) && t.gui === false), 'no secrets, no GUI tokens');
			assert.deepEqual(
				listed.map((t) => t.name),
				[...listed.map((t) => t.name)].sort(),
				'sorted by name',
			);
			assert.deepEqual(calls(requests), [
				'POST /1.3/account/tokens',
				`GET /1.3/account/tokens/${created.id}`,
				`DELETE /1.3/account/tokens/${created.id}`,
				'GET /1.3/account/tokens',
			]);
			const [post, , del, list] = requests;
			assert.equal(post.status, 201);
			assert.match(post.body.expires_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'expiry sent as RFC 3339 UTC');
			assert.equal(post.body.can_create_tokens, false);
			assert.equal(del.status, 204);
			assert.deepEqual(list.query, { gui: 'false', sort: '+name', limit: '100', offset: '0' });
			const refused = await fetch(`${sandbox.upcloudUrl}/account`, { headers: { Authorization: `Bearer ${created.token}` } });
			assert.equal(refused.status, 401, 'the deleted token no longer authenticates');
		},
	},
	{
		id: 'e2eUcPerms',
		title: 'UpCloud permissions: Grant with storage → Get Many filtered by username → Revoke the same, chained by expression',
		workflow: () =>
			chain('e2eUcPerms', 'e2e UpCloud permissions', [
				upCloud('Grant', {
					resource: 'permission',
					operation: 'grant',
					username: 'auditor_ro',
					targetType: 'server',
					targetIdentifier: PRIMARY_SERVER,
					additionalFields: { storage: true },
				}),
				upCloud('List', {
					resource: 'permission',
					operation: 'getAll',
					returnAll: true,
					filters: { username: '={{ $json.user }}' },
				}),
				upCloud('Revoke', {
					resource: 'permission',
					operation: 'revoke',
					username: '={{ $json.user }}',
					targetType: '={{ $json.target_type }}',
					targetIdentifier: '={{ $json.target_identifier }}',
					additionalFields: { storage: '={{ $json.options ? $json.options.storage === "yes" : false }}' },
				}),
			]),
		check(run, { requests }) {
			const granted = { options: { storage: 'yes' }, target_identifier: PRIMARY_SERVER, target_type: 'server', user: 'auditor_ro' };
			assert.deepEqual(json(run, 'Grant'), [granted]);
			assert.deepEqual(json(run, 'List'), [granted], 'only auditor_ro\'s permission, one item');
			assert.deepEqual(json(run, 'Revoke'), [{ success: true, ...granted }]);
			assert.deepEqual(calls(requests), ['POST /1.3/permission/grant', 'GET /1.3/permission', 'POST /1.3/permission/revoke']);
			assert.deepEqual(requests[0].body, { permission: { target_identifier: PRIMARY_SERVER, target_type: 'server', user: 'auditor_ro', options: { storage: 'yes' } } });
			assert.deepEqual(requests[2].body, requests[0].body, 'revoke sends the grant\'s body');
			assert.deepEqual(requests.map((r) => r.status), [200, 200, 204]);
			assert.ok(requests.every((r) => r.auth === 'basic:sandbox_user'));
		},
	},
	{
		id: 'e2eUcAudit',
		title: 'UpCloud audit log: Get Filter Options, Get Many filtered and with Return All, Export as CSV and as JSON',
		workflow: () =>
			parallel('e2eUcAudit', 'e2e UpCloud audit log', [
				upCloud('Filter Options', { resource: 'auditLog', operation: 'getFilterOptions' }),
				upCloud('Logins', { resource: 'auditLog', operation: 'getAll', limit: 5, filters: { actions: ['login'], origins: ['gui'] } }),
				upCloud('Server Events', {
					resource: 'auditLog',
					operation: 'getAll',
					returnAll: true,
					filters: { resourceTypes: ['server'], search: PRIMARY_SERVER, createdAfter: '2020-01-01T00:00:00' },
				}, { credential: 'upcloudToken' }),
				upCloud('Export CSV', { resource: 'auditLog', operation: 'export' }),
				upCloud('Export JSON', { resource: 'auditLog', operation: 'export', format: 'json', binaryPropertyName: 'auditFile', filters: { createdBefore: '2099-01-01T00:00:00' } }),
			]),
		check(run, { requests, binaryText }) {
			const [options] = json(run, 'Filter Options');
			assert.ok(options.actions.includes('login') && options.origins.includes('gui') && options.resource_types.includes('server'));
			const logins = json(run, 'Logins');
			assert.ok(logins.length >= 2 && logins.every((e) => e.action === 'login' && e.origin === 'gui'), 'the seeded Hub logins');
			const server = json(run, 'Server Events');
			assert.ok(server.length >= 2 && server.every((e) => e.resource_type === 'server' && e.resource_id === PRIMARY_SERVER));
			const audit = requests.filter((r) => r.service === 'upcloud' && r.path.startsWith('/1.3/audit-logs'));
			const byPath = (p) => audit.filter((r) => r.path === p);
			assert.deepEqual(byPath('/1.3/audit-logs').map((r) => r.query), [
				{ actions: 'login', origins: 'gui', limit: '5', offset: '0' },
				{ resource_types: 'server', created_after: '2020-01-01T00:00:00Z', q: PRIMARY_SERVER, limit: '200', offset: '0' },
			]);
			assert.equal(byPath('/1.3/audit-logs')[1].auth, 'bearer:sandbox_user');
			const [csv] = items(run, 'Export CSV');
			assert.match(csv.json.fileName, /^upcloud-audit-log-\d{8}T\d{6}Z-\d{8}T\d{6}Z\.csv$/);
			assert.equal(csv.binary.data.mimeType, 'text/csv');
			const text = binaryText(csv.binary.data);
			if (text !== undefined) assert.match(text, /^time,cloud_event_id,/);
			const [file] = items(run, 'Export JSON');
			assert.equal(file.json.format, 'json');
			assert.match(file.json.fileName, /-20990101T000000Z\.json$/);
			assert.equal(file.binary.auditFile.mimeType, 'application/json');
			assert.ok(file.json.rows >= 6, `the seeded events (got ${file.json.rows})`);
			assert.deepEqual(byPath('/1.3/audit-logs/export').map((r) => r.query), [{ format: 'csv' }, { format: 'json', created_before: '2099-01-01T00:00:00Z' }]);
		},
	},
];

module.exports = { cases, PRIMARY_SERVER };

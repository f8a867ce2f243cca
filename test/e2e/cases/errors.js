'use strict';
/**
 * Errors as n8n users see them: a failed run carrying the service's own code and message, Continue On Fail
 * (regular output and error output), and input rules that stop a request before it is sent. The shapes n8n
 * gives these differ between 1.x and 2.x in places; the checks accept only what our nodes promise.
 */

const assert = require('node:assert/strict');

const { upCloud, base, chain, parallel } = require('../lib/workflow');
const { items, json, runError, nodeError } = require('../lib/run-data');

/** Fields of the workflow-level error, for the 1.x/2.x comparison printed with --verbose. */
function errorShape(error) {
	if (!error) return undefined;
	return {
		name: error.name,
		message: error.message,
		description: error.description,
		httpCode: error.httpCode,
		node: typeof error.node === 'object' ? error.node?.name : error.node,
		level: error.level,
		context: error.context,
	};
}

const usernames = (list) =>
	base('set', 'Usernames', { mode: 'raw', jsonOutput: `={{ { "users": ${JSON.stringify(list)} } }}`, options: {} }, 3.4);
const splitOut = () => base('splitOut', 'Split Out', { fieldToSplitOut: 'users', options: {} }, 1);

const cases = [
	{
		id: 'e2eUcErr404',
		title: 'UpCloud API error fails the run with UpCloud\'s code and message (404 USER_NOT_FOUND)',
		expect: 'failure',
		workflow: () =>
			chain('e2eUcErr404', 'e2e UpCloud API error', [
				upCloud('Get Missing', { resource: 'account', operation: 'get', username: 'no_such_user' }),
			]),
		check(run, { result, requests, record }) {
			assert.notEqual(result.code, 0, 'n8n execute exits non-zero');
			const error = runError(run);
			record('upcloud404', errorShape(error));
			assert.ok(error, 'the run carries an error');
			assert.equal(error.name, 'NodeApiError', 'an API error, not a generic one (same class on 1.x and 2.x)');
			assert.equal(typeof error.node === 'object' ? error.node.name : error.node, 'Get Missing', 'the error names the node');
			assert.match(error.description ?? '', /not found/i, 'the description explains the status');
			assert.match(error.message, /USER_NOT_FOUND/, `message shows UpCloud's code (got "${error.message}")`);
			assert.match(
				`${error.message} ${error.description ?? ''}`,
				/The account no_such_user does not exist\./,
				'message shows UpCloud\'s own text',
			);
			assert.equal(String(error.httpCode), '404');
			assert.match(nodeError(run, 'Get Missing')?.message ?? '', /USER_NOT_FOUND/, 'the node\'s task data has the same error');
			assert.equal(requests.length, 1);
			assert.equal(requests[0].status, 404);
		},
	},
	{
		id: 'e2eUcErr401',
		title: 'UpCloud 401 with a wrong password surfaces AUTHENTICATION_FAILED and no password in the error',
		expect: 'failure',
		workflow: () =>
			chain('e2eUcErr401', 'e2e UpCloud 401', [
				upCloud('Wrong Password', { resource: 'account', operation: 'getCurrent' }, { credential: 'upcloudWrongPassword' }),
			]),
		check(run, { result, record }) {
			const error = runError(run);
			record('upcloud401', errorShape(error));
			assert.match(error.message, /AUTHENTICATION_FAILED/);
			assert.match(`${error.message} ${error.description ?? ''}`, /Authentication failed/);
			assert.equal(String(error.httpCode), '401');
			assert.ok(!result.text.includes('Wrong-Pass-999'), 'the password never appears in n8n\'s output');
			assert.ok(!/Authorization"?\s*:\s*"?Basic/i.test(result.text), 'no Authorization header in n8n\'s output');
		},
	},
	{
		id: 'e2eUcContinue',
		title: 'Continue On Fail: one error item and one result, each paired with its own input item',
		workflow: () =>
			chain('e2eUcContinue', 'e2e UpCloud continue on fail', [
				usernames(['no_such_user', 'ops_team']),
				splitOut(),
				upCloud(
					'Get Each',
					{ resource: 'account', operation: 'get', username: '={{ $json.users }}' },
					{ onError: 'continueRegularOutput' },
				),
			]),
		check(run, { record }) {
			const out = items(run, 'Get Each');
			record('continueRegularOutput', out.map((i) => ({ json: i.json, pairedItem: i.pairedItem })));
			assert.equal(out.length, 2);
			const [failed, ok] = out;
			assert.ok(failed.json.error, `first item is an error item (${JSON.stringify(failed.json)})`);
			assert.match(JSON.stringify(failed.json), /USER_NOT_FOUND/);
			assert.deepEqual(failed.pairedItem, { item: 0 });
			assert.equal(ok.json.username, 'ops_team');
			assert.deepEqual(ok.pairedItem, { item: 1 });
		},
	},
	{
		id: 'e2eUcErrOutput',
		title: 'Error output (onError continueErrorOutput): failing items leave on the error branch',
		workflow: () =>
			chain('e2eUcErrOutput', 'e2e UpCloud error output', [
				usernames(['ops_team', 'no_such_user', 'finance_bot']),
				splitOut(),
				upCloud(
					'Get Each',
					{ resource: 'account', operation: 'get', username: '={{ $json.users }}' },
					{ onError: 'continueErrorOutput' },
				),
			]),
		check(run, { record }) {
			const good = items(run, 'Get Each', 0);
			const bad = items(run, 'Get Each', 1);
			record('continueErrorOutput', { success: good.map((i) => i.pairedItem), error: bad.map((i) => ({ json: i.json, pairedItem: i.pairedItem })) });
			assert.deepEqual(good.map((i) => i.json.username), ['ops_team', 'finance_bot']);
			assert.deepEqual(good.map((i) => i.pairedItem), [{ item: 0 }, { item: 2 }]);
			assert.equal(bad.length, 1);
			assert.match(JSON.stringify(bad[0].json), /USER_NOT_FOUND/);
			assert.deepEqual(
				bad[0].pairedItem,
				{ item: 1 },
				'the error-output item must be paired with its input item. n8n splits the error output off before it ' +
					'auto-pairs items, and the routing node\'s Continue On Fail item ({json:{}, error}) has no pairedItem, so ' +
					'a declarative node has to emit the error item itself (json.error + pairedItem) when continueOnFail() is on',
			);
		},
	},
	{
		id: 'e2eUcRules',
		title: 'Input rules fail the item before any request: bad username, bad month, bad password',
		workflow: () =>
			parallel('e2eUcRules', 'e2e UpCloud input rules', [
				upCloud(
					'Bad Username',
					{ resource: 'partnerAccount', operation: 'create', username: 'Bad-Name', password: 'E2e-Partner-Pass-1' },
					{ onError: 'continueRegularOutput' },
				),
				upCloud(
					'Bad Month',
					{ resource: 'billing', operation: 'getSummary', yearMonth: '2024-13' },
					{ onError: 'continueRegularOutput' },
				),
				upCloud(
					'Weak Password',
					{ resource: 'partnerAccount', operation: 'create', username: 'good_name', password: 'short' },
					{ onError: 'continueRegularOutput' },
				),
				upCloud(
					'Hostile Username',
					{ resource: 'account', operation: 'get', username: '../account' },
					{ onError: 'continueRegularOutput' },
				),
			]),
		check(run, { requests }) {
			const text = (node) => JSON.stringify(json(run, node));
			assert.match(text('Bad Username'), /Username/);
			assert.match(text('Bad Month'), /Month/);
			assert.match(text('Weak Password'), /Password/);
			const hostile = requests.filter((r) => r.path.includes('account'));
			// A hostile username is either refused before sending or sent encoded as one path segment.
			for (const r of hostile) assert.ok(!/^\/1\.3\/account$/.test(r.path), `"../account" escaped its path segment: ${r.path}`);
			const other = requests.filter((r) => !r.path.startsWith('/1.3/account/details/'));
			assert.deepEqual(other, [], 'nothing was sent for the broken rules');
		},
	},
];

module.exports = { cases, errorShape };

'use strict';
/**
 * Permissions (upcloud-tokens.md §8): list, grant and revoke, with legacy `{"error":{…}}` answers, unlike the token
 * service.
 *
 * The notes cited (upcloud-endpoints.md, upcloud-tokens.md, upcloud-accounts-api.txt, upcloud-partner-api.txt) are the
 * project's API notes in ../shared/api-docs/ beside the repo root (not part of the repo); the official pages are developers.upcloud.com.
 */

const { isPlainObject } = require('../common');
const { UpCloudError, invalid, missing, requireJsonBody, requireMain, single } = require('./shared');
const { specsFor } = require('./seed');

const TARGET_TYPES = [
	'server',
	'storage',
	'network',
	'router',
	'object_storage',
	'managed_object_storage',
	'managed_database',
	'managed_loadbalancer',
	'tag_access',
];
const WITH_STORAGE = ['server', 'tag_access'];
const KNOWN_TAGS = ['prod', 'staging'];

/** As the docs' example: the main account holds `*` of every type; two subaccounts hold narrower ones. */
function seedPermissions(mainUser) {
	return [
		...TARGET_TYPES.map((type) => ({
			...(WITH_STORAGE.includes(type) ? { options: { storage: 'yes' } } : {}),
			target_identifier: '*',
			target_type: type,
			user: mainUser,
		})),
		{ options: { storage: 'yes' }, target_identifier: '*', target_type: 'server', user: 'ops_team' },
		{ options: { storage: 'yes' }, target_identifier: 'staging', target_type: 'tag_access', user: 'staging_ci' },
	];
}

/** The one permission a grant or revoke body names, checked as the docs describe the fields. */
function permissionFromBody(ctx) {
	const p = requireJsonBody(ctx, 'permission');
	for (const key of Object.keys(p)) {
		if (!['target_identifier', 'target_type', 'user', 'options'].includes(key)) {
			throw new UpCloudError(400, 'UNKNOWN_ATTRIBUTE', `The attribute ${key} is not allowed here.`);
		}
	}
	if (p.user === undefined || p.user === '') throw missing('user');
	if (typeof p.user !== 'string') throw invalid('user');
	if (p.user !== ctx.state.main.username && !ctx.state.subaccounts.has(p.user)) {
		// UNCONFIRMED code, as for the other unknown usernames here.
		throw new UpCloudError(404, 'USER_NOT_FOUND', `The account ${p.user} does not exist.`);
	}
	if (p.target_type === undefined) throw missing('target_type');
	if (!TARGET_TYPES.includes(p.target_type)) throw invalid('target_type');
	if (p.target_identifier === undefined || p.target_identifier === '') throw missing('target_identifier');
	if (typeof p.target_identifier !== 'string') throw invalid('target_identifier');
	if (p.options !== undefined) {
		// UNCONFIRMED: "options" documented for server and tag_access only; refused for the others here.
		const storage = isPlainObject(p.options) ? p.options.storage : undefined;
		const keys = isPlainObject(p.options) ? Object.keys(p.options) : ['?'];
		if (keys.some((k) => k !== 'storage') || (storage !== undefined && storage !== 'yes' && storage !== 'no')) throw invalid('options');
		if (keys.length && !WITH_STORAGE.includes(p.target_type)) throw invalid('options');
	}
	return {
		...(p.options && Object.keys(p.options).length ? { options: { ...p.options } } : {}),
		target_identifier: p.target_identifier,
		target_type: p.target_type,
		user: p.user,
	};
}

/** Whether the target exists: `*`, a known tag, or one of the main account's billed resources of that type. */
function targetExists(state, type, identifier) {
	if (identifier === '*') return true;
	if (type === 'tag_access') return KNOWN_TAGS.includes(identifier);
	const byCategory = { server: 'server', storage: 'storage' };
	return specsFor(state, '__main__').some((spec) => spec.id === identifier && spec.type === (byCategory[type] ?? type));
}

const samePermission = (a, b) => a.user === b.user && a.target_type === b.target_type && a.target_identifier === b.target_identifier;

/** Routes of this area, tried in this order ([method, path pattern, handler]). */
const routes = [
	['GET', /^\/permission$/, (ctx) => {
		const { permissions, main } = ctx.state;
		// "The main account gets all; a sub-account gets only the applicable permissions."
		const mine = ctx.principal.username === main.username ? permissions : permissions.filter((p) => p.user === ctx.principal.username);
		return { json: { permissions: { permission: mine.map((p) => JSON.parse(JSON.stringify(p))) } } };
	}],
	['POST', /^\/permission\/grant$/, (ctx) => {
		requireMain(ctx);
		const skip = single(ctx.query, 'skip_target_check');
		if (skip !== undefined && skip !== 'true' && skip !== 'false') throw invalid('skip_target_check');
		const permission = permissionFromBody(ctx);
		if (skip !== 'true' && !targetExists(ctx.state, permission.target_type, permission.target_identifier)) {
			// UNCONFIRMED code for a missing target.
			throw new UpCloudError(404, 'TARGET_NOT_FOUND', `The ${permission.target_type} ${permission.target_identifier} was not found.`);
		}
		if (ctx.state.permissions.some((p) => samePermission(p, permission))) {
			// UNCONFIRMED: the docs do not say what a repeated grant does; refused as a conflict here.
			throw new UpCloudError(409, 'PERMISSION_EXISTS', 'The permission already exists.');
		}
		ctx.state.permissions.push(permission);
		return { json: { permission } };
	}],
	['POST', /^\/permission\/revoke$/, (ctx) => {
		requireMain(ctx);
		const permission = permissionFromBody(ctx);
		const index = ctx.state.permissions.findIndex((p) => samePermission(p, permission));
		// UNCONFIRMED code for revoking what was never granted.
		if (index < 0) throw new UpCloudError(404, 'PERMISSION_NOT_FOUND', 'The permission does not exist.');
		ctx.state.permissions.splice(index, 1);
		return { status: 204 };
	}],
];

module.exports = {
	seedPermissions,
	routes,
};

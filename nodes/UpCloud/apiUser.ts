import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { BASIC_CREDENTIAL } from './descriptions/authentication';
import type { UpCloudContext } from './transport';
import { chosenCredentials, credentialName, upCloudGet } from './transport';

/**
 * The API user the chosen credential acts as, looked up once: per item for the action node, and for the trigger
 * also remembered in its static data (see rememberedApiUser).
 */

/** With an API token, the account GET /account named for this credential (by id), remembered in static data. */
export interface ApiUserCache {
	credential: string;
	username: string;
}

// One lookup per item: the Update's preSend and its read-back ask for the same username (n8n hands both the
// item's own context object).
const apiUsernames = new WeakMap<object, Promise<string>>();

/**
 * The API user the chosen credential acts as: the Basic credential's username, or, since a token names no
 * user, the `username` that GET /account answers with it (one request, once per item).
 */
export function apiUsername(this: UpCloudContext): Promise<string> {
	let known = apiUsernames.get(this);
	if (!known) {
		known = (async () => {
			const credentials = await chosenCredentials.call(this);
			if (credentialName.call(this) === BASIC_CREDENTIAL) {
				const username = typeof credentials.username === 'string' ? credentials.username.trim() : '';
				// An empty name would read /account/details/, the wrong endpoint.
				if (username === '') {
					throw new NodeOperationError(this.getNode(), 'The UpCloud API credential has no username', {
						description: 'Enter the username of the API user in the credential. Nothing was sent to UpCloud.',
					});
				}
				return username;
			}
			const body = await upCloudGet.call(this, '/account');
			const username = (body.account as IDataObject | undefined)?.username;
			if (typeof username !== 'string' || username === '') {
				throw new NodeOperationError(this.getNode(), 'UpCloud\'s GET /account answered without a username for this API token');
			}
			return username;
		})();
		apiUsernames.set(this, known);
	}
	return known;
}

/**
 * The account name the readings' messages use. With Basic auth it is the credential's username. A token names
 * no user: GET /account tells it, looked up only when a reading asks (Credits reads it from its own answer),
 * then remembered in static data for that credential, as the currency is, so later polls cost nothing extra.
 */
export function rememberedApiUser(this: IPollFunctions, cached: ApiUserCache | undefined) {
	const credential = credentialName.call(this);
	const credentialId = this.getNode().credentials?.[credential]?.id ?? '';
	let lookedUp: ApiUserCache | undefined;
	return {
		name: async (): Promise<string> => {
			if (credential === BASIC_CREDENTIAL) return await apiUsername.call(this);
			if (cached?.credential === credentialId) return cached.username;
			lookedUp = { credential: credentialId, username: await apiUsername.call(this) };
			return lookedUp.username;
		},
		lookedUp: () => lookedUp,
	};
}

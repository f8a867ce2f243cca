import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

/** How both UpCloud nodes authenticate: the two credentials and the Authentication parameter that picks one. */

/** HTTP Basic with an API user; UpCloud calls it discouraged, to be deprecated later. */
export const BASIC_CREDENTIAL = 'upCloudApi';
/** A Bearer API token (ucat_…), what UpCloud recommends. */
export const TOKEN_CREDENTIAL = 'upCloudTokenApi';

/** The `authentication` parameter of both UpCloud nodes; each option shows its own credential. */
export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{
			name: 'API Token',
			value: 'apiToken',
			description: 'Recommended by UpCloud: a Bearer token with an expiry date and an IP allow-list',
		},
		{
			name: 'Username & Password',
			value: 'basicAuth',
			description: 'HTTP Basic with an API user; UpCloud discourages it and plans to deprecate it',
		},
	],
	default: 'apiToken',
};

export const credentialsByAuthentication: INodeCredentialDescription[] = [
	{ name: TOKEN_CREDENTIAL, required: true, displayOptions: { show: { authentication: ['apiToken'] } } },
	{ name: BASIC_CREDENTIAL, required: true, displayOptions: { show: { authentication: ['basicAuth'] } } },
];

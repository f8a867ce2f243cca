import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { UPCLOUD_URL } from '../nodes/UpCloud/baseUrl';
import { baseUrlExpression } from '../nodes/shared/baseUrl';

export class UpCloudTokenApi implements ICredentialType {
	name = 'upCloudTokenApi';

	// n8n's scanner requires credential display names to end in "API" (so not "UpCloud API Token").
	displayName = 'UpCloud Token API';

	documentationUrl = 'https://upcloud.com/docs/guides/managing-api-tokens/';

	icon = {
		light: 'file:../nodes/UpCloud/upcloud.svg',
		dark: 'file:../nodes/UpCloud/upcloud.dark.svg',
	} as const;

	properties: INodeProperties[] = [
		{
			displayName:
				'Create a token in the UpCloud Control Panel under Account → API Tokens → Add new API token, and copy it right away: UpCloud shows it only once. Give it an IP allow-list that includes the address n8n calls from, or check "Allow access from all IP addresses": a token with an empty allow-list works from nowhere.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'API Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'ucat_01DQE3AJDEBFEKECFM558TGH2F',
			description: 'The token value, starting with ucat_; sent as Authorization: Bearer',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: UPCLOUD_URL,
			description: 'Change only to go through a proxy or to use a local sandbox',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				// Pasted tokens often carry a trailing newline or space.
				Authorization: '={{"Bearer " + String($credentials.token).trim()}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: baseUrlExpression(UPCLOUD_URL),
			url: '/account',
			headers: { Accept: 'application/json' },
		},
	};
}

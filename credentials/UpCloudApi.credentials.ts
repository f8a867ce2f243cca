import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { UPCLOUD_URL } from '../nodes/UpCloud/baseUrl';
import { baseUrlExpression } from '../nodes/shared/baseUrl';

export class UpCloudApi implements ICredentialType {
	name = 'upCloudApi';

	displayName = 'UpCloud API';

	documentationUrl = 'https://upcloud.com/docs/guides/getting-started-upcloud-api/';

	icon = {
		light: 'file:../nodes/UpCloud/upcloud.svg',
		dark: 'file:../nodes/UpCloud/upcloud.dark.svg',
	} as const;

	properties: INodeProperties[] = [
		{
			displayName:
				'UpCloud recommends API tokens (the UpCloud Token API credential, with Authentication set to API Token) over a username and password, which it calls discouraged and plans to deprecate',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			description: 'An API user of your UpCloud account (Control Panel → People, with API access allowed)',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
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
			auth: {
				username: '={{$credentials.username}}',
				password: '={{$credentials.password}}',
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

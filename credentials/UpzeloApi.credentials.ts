import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { UPZELO_URL } from '../nodes/Upzelo/baseUrl';
import { baseUrlExpression } from '../nodes/shared/baseUrl';

export class UpzeloApi implements ICredentialType {
	name = 'upzeloApi';

	displayName = 'Upzelo API';

	documentationUrl = 'https://upzelo.com/docs';

	icon = {
		light: 'file:../nodes/Upzelo/upzelo.svg',
		dark: 'file:../nodes/Upzelo/upzelo.dark.svg',
	} as const;

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'From the Developer section of Upzelo',
		},
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			default: '',
			required: true,
			description: 'From the Developer section of Upzelo, sent as the x-app-id header',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: UPZELO_URL,
			description: 'Change only to go through a proxy or to use a local sandbox',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
				'x-app-id': '={{$credentials.appId}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: baseUrlExpression(UPZELO_URL),
			url: '/api/products',
			qs: { limit: 1 },
			headers: { Accept: 'application/json' },
		},
	};
}

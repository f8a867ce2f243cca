import type { INodeProperties } from 'n8n-workflow';

import { requestOptionsProperty } from '../../shared/properties';
import { actionOptions, originOptions, resourceTypeOptions } from '../auditLog';
import { authenticationProperty } from './authentication';

/** The UpCloud Trigger's parameters (nodes/UpCloud/UpCloudTrigger.node.ts), in order. */

// Every parameter, in order; each poll first normalises them to their declared kinds (shared/coercion.ts).
export const auditTriggerProperties: INodeProperties[] = [
	authenticationProperty,
	{
		displayName: 'Actions',
		name: 'actions',
		type: 'multiOptions',
		options: actionOptions,
		default: [],
		description:
			'Start on events of these actions. None chosen means every action except Read: every API read is logged, which would start the workflow on each GET (turn on Include Reads to get them too).',
	},
	{
		displayName: 'Resource Types',
		name: 'resourceTypes',
		type: 'multiOptions',
		options: resourceTypeOptions,
		default: [],
		description: 'Only events on these kinds of resource; none chosen means every type',
	},
	{
		displayName: 'Origins',
		name: 'origins',
		type: 'multiOptions',
		options: originOptions,
		default: [],
		description: 'Only events that came from these origins (the API, the Hub or UpCloud itself); none chosen means every origin',
	},
	{
		displayName: 'Search',
		name: 'search',
		type: 'string',
		default: '',
		placeholder: 'e.g. 00798b85-efdc-41ca-8021-f6ef457b8531, my_account or 203.0.113.7',
		description: 'Only events matching this keyword: a resource UUID, an account username or an IP address',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Reads',
				name: 'includeReads',
				type: 'boolean',
				default: false,
				description:
					'Whether read events start the workflow too. With no action chosen nothing is filtered by action then, so also actions UpCloud logs but does not offer as a filter arrive.',
			},
		],
	},
	// Settings → Request Options → Retry Transient Errors, as on the UpCloud node.
	requestOptionsProperty,
];

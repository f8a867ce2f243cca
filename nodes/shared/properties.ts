import type { INodeProperties } from 'n8n-workflow';

/** Node settings every node of both packages shows; what they do lives where they are read (retry.ts). */

/** Where each node keeps the option: Settings → Request Options, beside n8n's own Retry On Fail. */
export const RETRY_OPTION = 'requestOptions.retryTransientErrors';

/**
 * The node setting that turns retries off. For declarative nodes n8n merges it into the Request Options
 * collection it adds itself (Batching, Proxy, Timeout); the trigger shows it alone.
 */
export const requestOptionsProperty: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	isNodeSetting: true,
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Retry Transient Errors',
			name: 'retryTransientErrors',
			type: 'boolean',
			default: true,
			description:
				"Whether to repeat reads (GET) that fail with HTTP 429, 502, 503 or 504 or a dropped connection, up to 4 times with growing waits (at most 60 s per run); creates, updates and deletes are never repeated. Turn off to rely on n8n's Retry On Fail.",
		},
	],
};

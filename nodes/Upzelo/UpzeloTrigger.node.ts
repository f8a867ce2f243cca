import type {
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { normaliseParameters } from '../shared/coercion';
import {
	checkRetry,
	deliveryItem,
	DOCUMENTED_EVENTS,
	eventSelected,
	isRefusal,
	pruneSeen,
	readDelivery,
	secretMatches,
} from './deliveries';

const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'In Upzelo, open Developer → Webhooks, add a webhook with this node\'s Production URL (shown above) and enable the events listed under Events below, or all of them when Events is empty. With a Secret set, add ?secret=<your secret> to the end of that URL.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'string',
		typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Event Type' },
		default: [],
		placeholder: 'flow.started',
		description: `Event types that start the workflow, exactly as each delivery's data.type carries them; none means every event. Upzelo documents nine events (${DOCUMENTED_EVENTS.join(', ')}) but only "flow.started" as a type string: to learn another, listen for a test event with this list empty and read "event" in the output. Deliveries of other types are answered 200 and start nothing.`,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Ignore Retries',
				name: 'ignoreRetries',
				type: 'boolean',
				default: false,
				description:
					'Whether to answer 200 and start nothing for a delivery whose data.attempt is above 1 when this workflow already received the same event in the last 4 hours (kept in the workflow\'s static data, at most 500 events)',
			},
			{
				displayName: 'Secret',
				name: 'secret',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description:
					'A delivery must carry this value as the query parameter "secret" (add ?secret=… to the URL in Upzelo), else it is answered 401 and starts nothing. Upzelo signs nothing, so without it the URL is the only secret.',
			},
			{
				displayName: 'Simplify',
				name: 'simplify',
				type: 'boolean',
				default: true,
				description: 'Whether to add the customer\'s external_id, name and email at the top level of the output, beside the delivered body',
			},
		],
	},
];

export class UpzeloTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Upzelo Trigger',
		name: 'upzeloTrigger',
		icon: { light: 'file:upzelo.svg', dark: 'file:upzelo.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).length ? $parameter["events"].join(", ") : "All events" }}',
		description: 'Starts the workflow when Upzelo reports a retention flow, pause, plan change, offer, cancellation or request',
		defaults: { name: 'Upzelo Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// Upzelo retries until it gets a 200: answer at once, before the workflow runs.
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: triggerProperties,
	};

	// Upzelo has no API to register webhooks: the user adds the URL in Upzelo's dashboard. So there is nothing to
	// find, create or delete; n8n still calls these on (de)activation, and they say so instead of pretending.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				// Reporting "exists" makes n8n skip create(): nothing remote to check.
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				// Not called while checkExists says true; nothing to register remotely if it ever is.
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				// The webhook stays in Upzelo's dashboard until the user removes it there; n8n answers 404 meanwhile.
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const receivedAt = new Date();
		const params = readParams.call(this);
		// Every answer is written here, the same on every n8n version: for responseMode onReceived, n8n 1.123 and 2.x
		// would otherwise answer an accepted delivery with the text "firstEntryJson" (responseData's default).
		const answer = (status: number, body: IDataObject, workflowData?: INodeExecutionData[][]): IWebhookResponseData => {
			this.getResponseObject().status(status).json(body);
			return { noWebhookResponse: true, workflowData };
		};
		const refuse = (status: number, reason: string) => answer(status, { error: reason });
		const ignore = (reason: string) => answer(200, { received: true, ignored: reason });

		if (params.secret !== '' && !secretMatches(params.secret, (this.getQueryData() as IDataObject).secret)) {
			return refuse(401, 'The secret query parameter is missing or wrong');
		}
		const delivery = readDelivery(this.getBodyData());
		if (isRefusal(delivery)) return refuse(delivery.status, delivery.reason);

		if (!eventSelected(params.events, delivery.type)) {
			return ignore(`event type "${delivery.type}" is not in Events`);
		}
		if (params.ignoreRetries) {
			// In the workflow's static data: n8n reads it from its database for each production delivery and saves it
			// once this method returns, so it survives restarts and is shared by every main/webhook process of a queue
			// mode setup. A test delivery (Listen for Test Event) reads it, but n8n saves nothing a test run changes.
			const staticData = this.getWorkflowStaticData('node');
			const stored = staticData.recentDeliveries;
			const kept = pruneSeen(stored, receivedAt.getTime());
			const { retry, seen } = checkRetry(kept, delivery, receivedAt.getTime());
			// Written only when it changed: n8n saves static data to its database whenever it is written.
			if (seen !== kept || !Array.isArray(stored) || kept.length !== stored.length) staticData.recentDeliveries = seen;
			if (retry) {
				return ignore(`attempt ${delivery.attempt} of an event already received`);
			}
		}
		return answer(200, { message: 'Workflow was started' }, [this.helpers.returnJsonArray([deliveryItem(delivery, receivedAt, params.simplify)])]);
	}
}

interface TriggerParams {
	events: string[];
	secret: string;
	ignoreRetries: boolean;
	simplify: boolean;
}

/** The parameters normalised to their declared kinds; a wrong one fails the delivery with a clear message. */
function readParams(this: IWebhookFunctions): TriggerParams {
	let normalised: IDataObject;
	try {
		normalised = normaliseParameters(triggerProperties, (name) => this.getNodeParameter(name, undefined));
	} catch (error) {
		const { message } = error as Error;
		throw new NodeOperationError(this.getNode(), error as Error, {
			message,
			description: `${message}. The delivery was answered with an error, so Upzelo will retry it.`,
		});
	}
	const options = (normalised.options ?? {}) as IDataObject;
	return {
		// One entry may hold several types separated by commas, as an expression might give them.
		events: ((normalised.events ?? []) as string[]).flatMap((entry) => entry.split(',')).map((type) => type.trim()).filter(Boolean),
		secret: typeof options.secret === 'string' ? options.secret : '',
		ignoreRetries: options.ignoreRetries === true,
		simplify: options.simplify !== false,
	};
}

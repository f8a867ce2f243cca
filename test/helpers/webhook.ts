import { ExecutionLifecycleHooks, HookContext, WebhookContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IWebhookData,
	IWebhookResponseData,
	WorkflowActivateMode,
} from 'n8n-workflow';
import { deepCopy, NodeHelpers, Workflow } from 'n8n-workflow';

import { additionalDataFor, fullType, TEST_CREDENTIALS } from './engine';

export interface ReceiverOptions {
	/** Registry key, e.g. `upzeloTrigger`. */
	type: string;
	nodeTypes: INodeTypes;
	parameters: INodeParameters;
	/** The workflow's static data as n8n would load it from its database. */
	staticData?: IDataObject;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
}

export interface Delivery {
	/** The request body as n8n's body parser leaves it (an object for JSON, a string for text/plain, …). */
	body?: unknown;
	query?: IDataObject;
	headers?: IDataObject;
	/** `webhook` for the production URL, `manual` for the test URL (Listen for Test Event). */
	mode?: 'webhook' | 'manual';
}

export interface DeliveryOutcome {
	/** The HTTP status the sender gets. */
	status: number;
	/** The JSON body the sender gets. */
	response: unknown;
	/** Whether n8n starts an execution, and with which items. */
	started: boolean;
	items: IDataObject[];
	/** What webhook() returned, or threw. */
	result?: IWebhookResponseData;
	error?: Error & { description?: string | null };
}

export const WEBHOOK_ID = '5d1f0c2e-7a3b-4c8d-9e0f-1a2b3c4d5e6f';
export const NODE_NAME = 'Upzelo Trigger';

/** The part of express's Response a node uses to answer itself (status().json(), send, end). */
class FakeResponse {
	statusCode = 200;

	body: unknown;

	headersSent = false;

	status(code: number) {
		this.statusCode = code;
		return this;
	}

	json(body: unknown) {
		this.body = body;
		this.headersSent = true;
		return this;
	}

	send(body: unknown) {
		return this.json(body);
	}

	end(body?: unknown) {
		if (body !== undefined) this.body = body;
		this.headersSent = true;
		return this;
	}

	setHeader() {
		return this;
	}
}

/**
 * Receives webhook deliveries the way n8n does. For each production delivery n8n's LiveWebhooks builds a new
 * Workflow from the database (with the static data saved there), runs the node's webhook() through n8n-core's
 * WebhookContext (WebhookService.runWebhook), answers as WebhookHelpers.executeWebhook does for responseMode
 * onReceived, and saves the static data when webhook() changed it. Activation and deactivation run the node's
 * webhookMethods through n8n-core's HookContext, as WebhookService does.
 */
export class WebhookReceiver {
	private saved: IDataObject;

	/** How many deliveries changed static data, so that n8n saved it. */
	staticDataWrites = 0;

	readonly node: INode;

	constructor(private readonly options: ReceiverOptions) {
		this.saved = deepCopy(options.staticData ?? {});
		this.node = {
			id: 'webhook-node-under-test',
			name: NODE_NAME,
			type: fullType(options.type),
			typeVersion: 1,
			position: [0, 0],
			parameters: options.parameters,
			webhookId: WEBHOOK_ID,
		};
	}

	private nodeType(): INodeType {
		return this.options.nodeTypes.getByNameAndVersion(this.node.type, 1) as INodeType;
	}

	private workflow(): Workflow {
		return new Workflow({
			id: 'webhook-workflow',
			name: 'webhook test',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes: this.options.nodeTypes,
			staticData: deepCopy(this.saved),
			settings: { timezone: 'UTC' },
		});
	}

	private webhookData(workflow: Workflow, additionalData: ReturnType<typeof additionalDataFor>): IWebhookData {
		const [description] = this.nodeType().description.webhooks ?? [];
		return {
			httpMethod: description.httpMethod as IWebhookData['httpMethod'],
			node: this.node.name,
			path: NodeHelpers.getNodeWebhookPath(workflow.id, this.node, String(description.path)),
			webhookDescription: description,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData,
			webhookId: this.node.webhookId,
		};
	}

	private additionalData(mode: string) {
		const hooks = new ExecutionLifecycleHooks(mode as never, '1', { id: 'webhook-workflow', nodes: [this.node], connections: {} } as never);
		return additionalDataFor(hooks, this.options.credentials ?? TEST_CREDENTIALS);
	}

	/** The path n8n serves this webhook under (/webhook/<path>, /webhook-test/<path>). */
	get path(): string {
		const workflow = this.workflow();
		return this.webhookData(workflow, this.additionalData('webhook')).path;
	}

	async deliver({ body, query = {}, headers = { 'content-type': 'application/json' }, mode = 'webhook' }: Delivery): Promise<DeliveryOutcome> {
		const workflow = this.workflow();
		const additionalData = this.additionalData(mode);
		const response = new FakeResponse();
		additionalData.httpRequest = { body, query, headers, params: {}, method: 'POST', contentType: headers['content-type'] } as never;
		additionalData.httpResponse = response as never;
		const context = new WebhookContext(workflow, this.node, additionalData, mode, this.webhookData(workflow, additionalData), [], null);

		let result: IWebhookResponseData;
		try {
			result = await this.nodeType().webhook!.call(context);
		} catch (error) {
			// executeWebhook answers 500 and records a failed execution with the error.
			return { status: 500, response: { message: (error as Error).message }, started: false, items: [], error: error as DeliveryOutcome['error'] };
		}
		if (mode === 'webhook' && (workflow.staticData as IDataObject).__dataChanged === true) {
			const data = deepCopy(workflow.staticData) as IDataObject;
			delete data.__dataChanged;
			this.saved = data;
			this.staticDataWrites += 1;
		}
		// With noWebhookResponse the node answered itself; else n8n answers webhookResponse or its own message.
		let status = 200;
		let answer: unknown;
		if (result.noWebhookResponse === true) {
			if (!response.headersSent) throw new Error('webhook() returned noWebhookResponse without answering');
			[status, answer] = [response.statusCode, response.body];
		} else {
			answer = result.webhookResponse ?? { message: result.workflowData ? 'Workflow was started' : 'Webhook call received' };
		}
		if (result.workflowData === undefined) return { status, response: answer, started: false, items: [], result };
		const items = (result.workflowData[0] ?? []) as INodeExecutionData[];
		return { status, response: answer, started: true, items: items.map((i) => i.json), result };
	}

	/** Activation: checkExists, then create when it says false (WebhookService.createWebhookIfNotExists). */
	async activate(activation: WorkflowActivateMode = 'activate'): Promise<string[]> {
		const called: string[] = [];
		const exists = await this.hook('checkExists', activation, called);
		if (!exists) await this.hook('create', activation, called);
		return called;
	}

	async deactivate(): Promise<string[]> {
		const called: string[] = [];
		await this.hook('delete', 'activate', called);
		return called;
	}

	private async hook(method: 'checkExists' | 'create' | 'delete', activation: WorkflowActivateMode, called: string[]) {
		const workflow = this.workflow();
		const additionalData = this.additionalData('webhook');
		const webhookData = this.webhookData(workflow, additionalData);
		const fn = this.nodeType().webhookMethods?.[webhookData.webhookDescription.name]?.[method];
		if (!fn) throw new Error(`no webhookMethods.${webhookData.webhookDescription.name}.${method}`);
		called.push(method);
		return fn.call(new HookContext(workflow, this.node, additionalData, 'webhook', activation, webhookData));
	}

	/** What n8n has saved of this node's static data. */
	staticData(): IDataObject {
		const node = (this.saved[`node:${NODE_NAME}`] ?? {}) as IDataObject;
		return deepCopy(node);
	}
}

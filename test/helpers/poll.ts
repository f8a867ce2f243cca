import { Container } from '@n8n/di';
import { ExecutionLifecycleHooks, PollContext } from 'n8n-core';
// Not re-exported from n8n-core's index; the package has no exports map, so the file is reachable.
import { TriggersAndPollers } from 'n8n-core/dist/execution-engine/triggers-and-pollers';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeTypes,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { deepCopy, Workflow } from 'n8n-workflow';

import { additionalDataFor, NODE_CREDENTIALS, fullType, TEST_CREDENTIALS } from './engine';

export interface PollerOptions {
	/** Registry key, e.g. `upCloudUsageTrigger`. */
	type: string;
	nodeTypes: INodeTypes;
	parameters: INodeParameters;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** The workflow's static data as n8n would load it from its database. */
	staticData?: IDataObject;
}

export interface PollOutcome {
	/** What poll() returned: null when nothing fired. */
	result: INodeExecutionData[][] | null;
	/** Items of the first output, [] when nothing fired. */
	items: IDataObject[];
	/** The error poll() threw, if it threw. */
	error?: Error & { description?: string | null; httpCode?: string | null; context?: IDataObject };
}

export const NODE_NAME = 'UpCloud Usage Trigger';

/**
 * Runs a polling node the way n8n does. An active workflow keeps one Workflow object, so static
 * data written by one poll is what the next poll reads, and one n8n-core PollContext serves every
 * poll of an activation (reactivate() starts a new one); each poll() goes through
 * TriggersAndPollers.runPoll, as ActiveWorkflows' cron job does (mode `trigger`). Mode `manual` is "Fetch Test Event": WorkflowExecute builds the same
 * PollContext with mode and activation `manual`.
 */
export class Poller {
	readonly workflow: Workflow;

	readonly node: INode;

	constructor(private readonly options: PollerOptions) {
		this.node = {
			id: 'poll-node-under-test',
			name: NODE_NAME,
			type: fullType(options.type),
			typeVersion: 1,
			position: [0, 0],
			parameters: options.parameters,
			credentials: { upCloudApi: NODE_CREDENTIALS.upCloudApi, upCloudTokenApi: NODE_CREDENTIALS.upCloudTokenApi },
		};
		this.workflow = new Workflow({
			id: 'poll-workflow',
			name: 'poll test',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes: options.nodeTypes,
			staticData: options.staticData ? deepCopy(options.staticData) : undefined,
			settings: { timezone: 'UTC' },
		});
	}

	/** The activation's poll context: n8n's ActiveWorkflows makes one per activation and hands it to every poll. */
	private activation?: PollContext;

	/** A new activation (the workflow re-activated): the next poll gets a new poll context. */
	reactivate(): void {
		this.activation = undefined;
	}

	async poll(mode: Extract<WorkflowExecuteMode, 'trigger' | 'manual'> = 'trigger'): Promise<PollOutcome> {
		const context = mode === 'trigger' ? (this.activation ??= this.newContext(mode)) : this.newContext(mode);
		try {
			const result = await Container.get(TriggersAndPollers).runPoll(this.workflow, this.node, context);
			return { result, items: (result?.[0] ?? []).map((item) => item.json) };
		} catch (error) {
			return { result: null, items: [], error: error as PollOutcome['error'] };
		}
	}

	private newContext(mode: Extract<WorkflowExecuteMode, 'trigger' | 'manual'>): PollContext {
		const hooks = new ExecutionLifecycleHooks(mode, '1', {
			id: this.workflow.id,
			name: 'poll test',
			active: true,
			nodes: [this.node],
			connections: {},
			createdAt: new Date(),
			updatedAt: new Date(),
			isArchived: false,
		} as never);
		const additionalData = additionalDataFor(hooks, this.options.credentials ?? TEST_CREDENTIALS);
		return new PollContext(this.workflow, this.node, additionalData, mode, mode === 'manual' ? 'manual' : 'activate');
	}

	/** A plain copy of this node's static data (what n8n would save), without n8n's change marker. */
	staticData(): IDataObject {
		const data = deepCopy(this.workflow.getStaticData('node', this.node)) as IDataObject;
		delete data.__dataChanged;
		return data;
	}

	/** Whether any poll so far changed static data (n8n saves it only then). */
	get staticDataChanged(): boolean {
		return (this.workflow.staticData as IDataObject).__dataChanged === true;
	}
}

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
	workflow: Workflow;

	readonly node: INode;

	/**
	 * The static data as n8n's database holds it: n8n saves it after a trigger poll that emitted, and after the
	 * first poll of an activation (ActiveWorkflowManager saves once activation is done); other polls change memory only.
	 */
	private saved?: IDataObject;

	/** Polls made with the current activation's context. */
	private pollsThisActivation = 0;

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
		this.saved = options.staticData ? deepCopy(options.staticData) : undefined;
		this.workflow = this.loadWorkflow();
	}

	/** The workflow as n8n loads it from its database at activation: a new object, holding the saved static data. */
	private loadWorkflow(): Workflow {
		return new Workflow({
			id: 'poll-workflow',
			name: 'poll test',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes: this.options.nodeTypes,
			staticData: this.saved ? deepCopy(this.saved) : undefined,
			settings: { timezone: 'UTC' },
		});
	}

	/**
	 * n8n restarted (or the workflow was re-activated, which also loads it afresh from the database): the next
	 * poll runs in a new activation, on a new Workflow whose static data is the last saved copy.
	 */
	restart(): void {
		this.workflow = this.loadWorkflow();
		this.reactivate();
	}

	/** What n8n's database holds for this node's static data (see `saved`), without n8n's change marker. */
	savedStaticData(): IDataObject | undefined {
		const data = this.saved?.[`node:${this.node.name}`];
		if (data === undefined) return undefined;
		const copy = deepCopy(data) as IDataObject;
		delete copy.__dataChanged;
		return copy;
	}

	/** The activation's poll context: n8n's ActiveWorkflows makes one per activation and hands it to every poll. */
	private activation?: PollContext;

	/** A new activation (the workflow re-activated): the next poll gets a new poll context. */
	reactivate(): void {
		this.activation = undefined;
		this.pollsThisActivation = 0;
	}

	async poll(mode: Extract<WorkflowExecuteMode, 'trigger' | 'manual'> = 'trigger'): Promise<PollOutcome> {
		const context = mode === 'trigger' ? (this.activation ??= this.newContext(mode)) : this.newContext(mode);
		let outcome: PollOutcome;
		try {
			const result = await Container.get(TriggersAndPollers).runPoll(this.workflow, this.node, context);
			outcome = { result, items: (result?.[0] ?? []).map((item) => item.json) };
		} catch (error) {
			outcome = { result: null, items: [], error: error as PollOutcome['error'] };
		}
		if (mode === 'trigger') {
			const first = this.pollsThisActivation === 0;
			this.pollsThisActivation += 1;
			if (outcome.items.length > 0 || first) {
				this.saved = deepCopy(this.workflow.staticData) as IDataObject;
				delete this.saved.__dataChanged;
			}
		}
		return outcome;
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

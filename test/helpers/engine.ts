import { Container } from '@n8n/di';
import { BinaryDataService, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createDeferredPromise, createRunExecutionData, NodeHelpers, Workflow } from 'n8n-workflow';

import { join } from 'node:path';

import { TestCredentialsHelper } from './credentials';

/** The package registry (scripts/lib/registry.js): every node and credential, read from packages/<name>/package.json. */
const registry = require('../../scripts/lib/registry') as {
	ROOT: string;
	NODES: Array<{ name: string; package: string }>;
	CREDENTIALS: Array<{ name: string; source: string }>;
};

/** `upCloud` → `<its package>.upCloud`, as in users' workflows; nodes that exist only in tests get the prefix `test`. */
export function fullType(name: string): string {
	return `${registry.NODES.find((n) => n.name === name)?.package ?? 'test'}.${name}`;
}

/** Every credential type our packages ship, loaded from its source file, by name. */
const credentialTypes: Record<string, ICredentialType> = Object.fromEntries(
	registry.CREDENTIALS.map((c) => {
		const exported = Object.values(require(join(registry.ROOT, c.source)) as Record<string, unknown>);
		const Type = exported.find((v) => typeof v === 'function') as new () => ICredentialType;
		const credential = new Type();
		if (credential.name !== c.name) throw new Error(`${c.source} declares ${credential.name}, the registry expects ${c.name}`);
		return [c.name, credential];
	}),
);

export const TEST_CREDENTIALS: Record<string, ICredentialDataDecryptedObject> = {
	upCloudApi: {
		username: 'api_user',
		password: 'S3cret-Pa55',
		baseUrl: 'https://api.upcloud.test/1.3',
	},
	upCloudTokenApi: {
		token: 'ucat_01TESTTOKEN0000000000000000',
		baseUrl: 'https://api.upcloud.test/1.3',
	},
	upzeloApi: {
		apiKey: 'upz_test_key_123',
		appId: 'app_42',
		baseUrl: 'https://upzelo.test',
	},
};

/** How a test node refers to the stored credentials above (n8n keeps only id and name on the node). */
export const NODE_CREDENTIALS = {
	upCloudApi: { id: 'cred-upcloud', name: 'UpCloud account' },
	upCloudTokenApi: { id: 'cred-upcloud-token', name: 'UpCloud API token' },
	upzeloApi: { id: 'cred-upzelo', name: 'Upzelo account' },
};

/** Basic auth header for TEST_CREDENTIALS.upCloudApi. */
export const UPCLOUD_AUTH = `Basic ${Buffer.from('api_user:S3cret-Pa55').toString('base64')}`;

/** Bearer header for TEST_CREDENTIALS.upCloudTokenApi. */
export const UPCLOUD_TOKEN_AUTH = 'Bearer ucat_01TESTTOKEN0000000000000000';

export function nodeTypesFor(nodes: Record<string, INodeType | IVersionedNodeType>): INodeTypes {
	const byType: Record<string, INodeType | IVersionedNodeType> = {};
	for (const [name, node] of Object.entries(nodes)) byType[fullType(name)] = node;
	return {
		getByName: (type) => byType[type],
		getByNameAndVersion: (type, version) => NodeHelpers.getVersionedNodeType(byType[type], version),
		getKnownTypes: () => ({}),
	};
}

let binaryDataReady = false;
function ensureBinaryDataService() {
	if (binaryDataReady) return;
	// "default" mode keeps binary data inline (base64) on the item, as n8n does without a file store.
	const service = new BinaryDataService(
		{ mode: 'default', availableModes: ['default'] } as never,
		{ error: () => {}, warn: () => {}, info: () => {} } as never,
		{ error: () => {}, warn: () => {}, info: () => {}, debug: () => {} } as never,
	);
	Container.set(BinaryDataService, service);
	binaryDataReady = true;
}

export function additionalDataFor(
	hooks: ExecutionLifecycleHooks,
	credentials: Record<string, ICredentialDataDecryptedObject>,
): IWorkflowExecuteAdditionalData {
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(credentialTypes, credentials),
		hooks,
		executionId: '1',
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: undefined,
		userId: 'test-user',
		variables: {},
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('Task runners are not used in tests');
		},
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not used in tests');
		},
		getRunExecutionData: async () => undefined,
	};
	return additionalData as unknown as IWorkflowExecuteAdditionalData;
}

export interface RunNodeOptions {
	/** Node name, e.g. `upCloud`; the node type becomes `<its package>.upCloud` (scripts/lib/registry.js). */
	type: string;
	nodeTypes: INodeTypes;
	parameters: INodeParameters;
	/** Input items; defaults to one empty item, as after a Manual Trigger. */
	items?: IDataObject[];
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	continueOnFail?: boolean;
	/** Continue On Fail with n8n's separate error output (onError: continueErrorOutput). */
	errorOutput?: boolean;
	typeVersion?: number;
	mode?: WorkflowExecuteMode;
	timezone?: string;
}

export interface RunNodeResult {
	/** Items of the first output, as n8n hands them to the next node. */
	items: INodeExecutionData[];
	/** Items of the error output, when `errorOutput` is on. */
	errorItems: INodeExecutionData[];
	/** The error the node failed with, if it failed. */
	error?: Error & { description?: string | null; httpCode?: string | null; context?: IDataObject };
	run: IRun;
}

/**
 * Executes one node through n8n-core's WorkflowExecute, exactly as n8n runs a workflow in which
 * a trigger handed it `items`. Credentials are resolved and applied by TestCredentialsHelper.
 */
export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	ensureBinaryDataService();
	const nodeName = 'Node Under Test';
	const node: INode = {
		id: 'node-under-test',
		name: nodeName,
		type: fullType(options.type),
		typeVersion: options.typeVersion ?? 1,
		position: [0, 0],
		parameters: options.parameters,
		credentials: NODE_CREDENTIALS,
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		...(options.errorOutput ? { onError: 'continueErrorOutput' as const } : {}),
	};
	const workflow = new Workflow({
		id: 'test-workflow',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: options.nodeTypes,
		settings: { timezone: options.timezone ?? 'UTC' },
	});

	const hooks = new ExecutionLifecycleHooks(options.mode ?? 'manual', '1', {
		id: 'test-workflow',
		name: 'test',
		active: false,
		nodes: [node],
		connections: {},
		createdAt: new Date(),
		updatedAt: new Date(),
		isArchived: false,
	} as never);
	const done = createDeferredPromise<IRun>();
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => done.resolve(fullRunData));

	const inputItems: INodeExecutionData[] = (options.items ?? [{}]).map((json) => ({ json }));
	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node, data: { main: [inputItems] }, source: null }] },
	});
	const additionalData = additionalDataFor(hooks, options.credentials ?? TEST_CREDENTIALS);
	const execute = new WorkflowExecute(additionalData, options.mode ?? 'manual', runExecutionData);
	await execute.processRunExecutionData(workflow);
	const run = await done.promise;

	const taskData = run.data.resultData.runData[nodeName]?.[0];
	const error = (run.data.resultData.error ?? taskData?.error) as RunNodeResult['error'];
	const items = (taskData?.data?.main?.[0] ?? []) as INodeExecutionData[];
	const errorItems = (taskData?.data?.main?.[1] ?? []) as INodeExecutionData[];
	return { items, errorItems, error, run };
}

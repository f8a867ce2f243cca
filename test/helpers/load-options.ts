import { ExecutionLifecycleHooks, LoadOptionsContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	INode,
	INodeListSearchResult,
	INodeParameters,
	INodeType,
	INodeTypes,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { additionalDataFor, NODE_CREDENTIALS, fullType, TEST_CREDENTIALS } from './engine';

export interface ListSearchOptions {
	/** Registry key, e.g. `upzelo`. */
	type: string;
	nodeTypes: INodeTypes;
	/** Name under `methods.listSearch`. */
	method: string;
	/** The resource locator parameter the editor asks for, e.g. `productId`. */
	parameter: string;
	filter?: string;
	paginationToken?: string;
	/** The node's parameters as the editor has them when it asks (e.g. its Request Options). */
	currentNodeParameters?: INodeParameters;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
}

/**
 * Calls a node's listSearch method the way the editor does (n8n-core's LoadOptionsContext, credentials
 * resolved and applied by the test credentials helper), for dropdown tests.
 */
export async function runListSearch(options: ListSearchOptions): Promise<INodeListSearchResult> {
	const node: INode = {
		id: 'node-under-test',
		name: 'Node Under Test',
		type: fullType(options.type),
		typeVersion: 1,
		position: [0, 0],
		parameters: options.currentNodeParameters ?? {},
		credentials: NODE_CREDENTIALS,
	};
	const workflow = new Workflow({
		id: 'test-workflow',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: options.nodeTypes,
		settings: { timezone: 'UTC' },
	});
	const hooks = new ExecutionLifecycleHooks('internal', '1', { id: 'test-workflow', nodes: [node], connections: {} } as never);
	const additionalData = additionalDataFor(hooks, options.credentials ?? TEST_CREDENTIALS);
	additionalData.currentNodeParameters = options.currentNodeParameters;
	const context = new LoadOptionsContext(workflow, node, additionalData, `parameters.${options.parameter}`);
	const nodeType = options.nodeTypes.getByNameAndVersion(node.type, 1) as INodeType;
	const method = nodeType.methods?.listSearch?.[options.method];
	if (!method) throw new Error(`No listSearch method ${options.method}`);
	return await method.call(context, options.filter, options.paginationToken);
}

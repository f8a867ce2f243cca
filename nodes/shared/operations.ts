import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** The Operation parameter of one resource, as every resource of both nodes declares it. */
export function operationParameter(
	resource: string,
	defaultOperation: string,
	options: INodePropertyOptions[],
): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options,
		default: defaultOperation,
	};
}

import type { IDataObject, IExecuteSingleFunctions, INodeProperties, PostReceiveAction } from 'n8n-workflow';

import { validatedBy } from '../../shared/declarative';
import { assertLabelFilters, assertUuid } from '../infrastructureRules';

/** Fields the server, storage, IP address and firewall resources share. */

const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\s*$';

/** A resource locator over one of the dropdowns in listSearch.ts, or a UUID. */
export function uuidLocator(
	displayName: string,
	name: string,
	searchListMethod: string,
	displayOptions: INodeProperties['displayOptions'],
	description: string,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		required: true,
		default: { mode: 'list', value: '' },
		displayOptions,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '00798b85-efdc-41ca-8021-f6ef457b8531',
				validation: [{ type: 'regex', properties: { regex: UUID_PATTERN, errorMessage: 'Not a UUID' } }],
			},
		],
	};
}

/** The UUID a resource locator holds, checked. */
export function uuidParameter(this: IExecuteSingleFunctions, name: string, field: string): string {
	return assertUuid(field, this.getNodeParameter(name, '', { extractValue: true }));
}

/** Key/value labels, sent as UpCloud's label objects. */
export function labelsProperty(description: string): INodeProperties {
	return {
		displayName: 'Labels',
		name: 'labels',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Label',
		default: {},
		description,
		options: [
			{
				displayName: 'Label',
				name: 'label',
				values: [
					{ displayName: 'Key', name: 'key', type: 'string', default: '', description: '2–32 letters, digits, _ or -, not starting with _' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '', description: 'Up to 255 characters' },
				],
			},
		],
	};
}

/** The Filters collection of server and storage lists: labels sent as repeated label= parameters (ANDed). */
export function labelFiltersProperty(displayOptions: INodeProperties['displayOptions']): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'Labels',
				name: 'labels',
				type: 'string',
				typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Label' },
				default: [],
				placeholder: 'env=dev',
				description: 'Only those with every one of these labels: "key" (any value) or "key=value"',
				routing: {
					send: {
						type: 'query',
						property: 'label',
						value: '={{ Array.isArray($value) && $value.length > 0 ? $value.map(entry => String(entry ?? "").trim()) : undefined }}',
					},
				},
			},
		],
	};
}

/** The zone dropdown, loaded from GET /zone. */
export function zoneProperty(displayOptions: INodeProperties['displayOptions'], description: string, required = true): INodeProperties {
	return {
		displayName: 'Zone Name or ID',
		name: 'zone',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getZones' },
		required,
		default: '',
		displayOptions,
		description: `${description}. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
	};
}

/** A boolean as UpCloud's "yes"/"no". */
export const yesNo = (value: unknown) => (value === true || value === 'true' ? 'yes' : 'no');
/** A boolean as the firewall's "on"/"off". */
export const onOff = (value: unknown) => (value === true || value === 'true' ? 'on' : 'off');

/** The collection parameter, or {} when absent or not an object (the normaliser has refused the latter already). */
export function collection(this: IExecuteSingleFunctions, name: string): IDataObject {
	const value = this.getNodeParameter(name, {}) as unknown;
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};
}

/** UpCloud wraps every answer in an envelope ({"server":{…}}, {"servers":{"server":[…]}}): the items are inside. */
export function answerIn(property: string): PostReceiveAction {
	return { type: 'rootProperty', properties: { property } };
}

/** The preSend of server and storage lists: the label filters checked before anything is sent. */
export const labelFiltersChecked = validatedBy(function (this: IExecuteSingleFunctions) {
	assertLabelFilters('Labels', collection.call(this, 'filters').labels);
});

/** The IP family of an address or a firewall rule. */
export function familyProperty(displayOptions: INodeProperties['displayOptions']): INodeProperties {
	return {
		displayName: 'Family',
		name: 'family',
		type: 'options',
		default: 'IPv4',
		displayOptions,
		options: [
			{ name: 'IPv4', value: 'IPv4' },
			{ name: 'IPv6', value: 'IPv6' },
		],
	};
}

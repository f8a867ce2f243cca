import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { CURRENCIES } from '../currencies';
import { COUNTRIES } from '../countries';
import { assertAddress, assertIpFilter, assertLength, assertPhone, assertStateForCountry } from '../validation';
import { assertEmail } from '../../shared/rules';

/**
 * The account attributes UpCloud documents for "Add subaccount" and "Modify account details".
 * Both operations send the same attributes, under different envelopes ({"sub_account":{…}} and
 * {"account":{…}}), so each attribute is described once here and placed by `accountAttribute()`.
 */
export type Envelope = 'account' | 'sub_account';

const yesNo: INodePropertyOptions[] = [
	{ name: 'Yes', value: 'yes' },
	{ name: 'No', value: 'no' },
];

const LANGUAGES: INodePropertyOptions[] = [
	{ name: 'English', value: 'en' },
	{ name: 'Finnish', value: 'fi' },
];

const TIME_ZONES: INodePropertyOptions[] = (
	(Intl as unknown as { supportedValuesOf(key: string): string[] }).supportedValuesOf('timeZone')
)
	.concat('UTC')
	.filter((zone, index, all) => all.indexOf(zone) === index)
	.sort()
	.map((zone) => ({ name: zone, value: zone }));

interface AttributeSpec {
	/** The API attribute; the body path is `<envelope>.<apiPath>`. */
	apiPath: string;
	property: Omit<INodeProperties, 'routing'>;
	/** Expression turning the editor value into the API shape, when they differ. */
	sendValue?: string;
}

const ACCOUNT_ATTRIBUTES: Record<string, AttributeSpec> = {
	firstName: {
		apiPath: 'first_name',
		property: { displayName: 'First Name', name: 'firstName', type: 'string', default: '', description: '1–50 characters; required for billing accounts' },
	},
	lastName: {
		apiPath: 'last_name',
		property: { displayName: 'Last Name', name: 'lastName', type: 'string', default: '', description: '1–50 characters; required for billing accounts' },
	},
	company: {
		apiPath: 'company',
		property: { displayName: 'Company', name: 'company', type: 'string', default: '', description: '1–100 characters' },
	},
	address: {
		apiPath: 'address',
		property: {
			displayName: 'Address',
			name: 'address',
			type: 'string',
			typeOptions: { rows: 2 },
			default: '',
			description: 'Street address: 1 or 2 lines, each 1–100 characters; required for billing accounts',
		},
	},
	postalCode: {
		apiPath: 'postal_code',
		property: { displayName: 'Postal Code', name: 'postalCode', type: 'string', default: '', description: '1–100 characters; required for billing accounts' },
	},
	city: {
		apiPath: 'city',
		property: { displayName: 'City', name: 'city', type: 'string', default: '', description: '1–100 characters; required for billing accounts' },
	},
	state: {
		apiPath: 'state',
		property: { displayName: 'State', name: 'state', type: 'string', default: '', description: 'US state; required for billing accounts when the country is USA' },
	},
	country: {
		apiPath: 'country',
		property: {
			displayName: 'Country',
			name: 'country',
			type: 'options',
			options: [...COUNTRIES],
			default: 'FIN',
			description: 'ISO 3166-1 alpha-3 country code; required for billing accounts',
		},
	},
	currency: {
		apiPath: 'currency',
		property: { displayName: 'Currency', name: 'currency', type: 'options', options: CURRENCIES, default: 'EUR' },
	},
	language: {
		apiPath: 'language',
		property: { displayName: 'Language', name: 'language', type: 'options', options: LANGUAGES, default: 'en' },
	},
	phone: {
		apiPath: 'phone',
		property: {
			displayName: 'Phone',
			name: 'phone',
			type: 'string',
			default: '',
			placeholder: '+358.31245434',
			description: 'International format: +country code, a period, then the national part',
		},
	},
	email: {
		apiPath: 'email',
		property: { displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '' },
	},
	vatNumber: {
		apiPath: 'vat_number',
		property: { displayName: 'VAT Number', name: 'vatNumber', type: 'string', default: '', description: 'A valid VAT number in the contact\'s country' },
	},
	timezone: {
		apiPath: 'timezone',
		property: {
			displayName: 'Time Zone',
			name: 'timezone',
			type: 'options',
			options: TIME_ZONES,
			default: 'UTC',
			description: 'Time zone in Continent/Location format',
		},
	},
	roles: {
		apiPath: 'roles.role',
		property: {
			displayName: 'Roles',
			name: 'roles',
			type: 'multiOptions',
			options: [
				{ name: 'Auxiliary Billing', value: 'aux_billing' },
				{ name: 'Billing', value: 'billing' },
				{ name: 'Technical', value: 'technical' },
			],
			default: [],
			description: 'Which features the account can use and which messages it receives from UpCloud',
		},
	},
	allowApi: {
		apiPath: 'allow_api',
		property: { displayName: 'Allow API', name: 'allowApi', type: 'options', options: yesNo, default: 'yes', description: 'Whether the account may use the API' },
	},
	allowGui: {
		apiPath: 'allow_gui',
		property: { displayName: 'Allow Control Panel', name: 'allowGui', type: 'options', options: yesNo, default: 'yes', description: 'Whether the account may log in to the UpCloud control panel' },
	},
	enable3rdPartyServices: {
		apiPath: 'enable_3rd_party_services',
		property: {
			displayName: 'Enable 3rd Party Services',
			name: 'enable3rdPartyServices',
			type: 'options',
			options: yesNo,
			default: 'yes',
			description: 'Whether 3rd party services are allowed in the control panel for this account',
		},
	},
	networkAccess: {
		apiPath: 'network_access.network',
		property: {
			displayName: 'Network Access',
			name: 'networkAccess',
			type: 'string',
			typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Network' },
			default: [],
			description: 'UUIDs of networks the account may manage; * means all',
		},
	},
	serverAccess: {
		apiPath: 'server_access.server',
		sendValue: '={{ ($value.server || []).map(s => ({ uuid: s.uuid, storage: s.storage })) }}',
		property: {
			displayName: 'Server Access',
			name: 'serverAccess',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Server',
			default: {},
			description: 'Servers the account may manage; UUID * means all',
			options: [
				{
					displayName: 'Server',
					name: 'server',
					values: [
						{ displayName: 'Server UUID', name: 'uuid', type: 'string', default: '*', description: 'A server UUID, or * for all servers' },
						{ displayName: 'Storage Management', name: 'storage', type: 'options', options: yesNo, default: 'no', description: 'Whether the account may also manage the server\'s storages' },
					],
				},
			],
		},
	},
	storageAccess: {
		apiPath: 'storage_access.storage',
		property: {
			displayName: 'Storage Access',
			name: 'storageAccess',
			type: 'string',
			typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Storage' },
			default: [],
			description: 'UUIDs of storages the account may manage; * means all',
		},
	},
	tagAccess: {
		apiPath: 'tag_access.tag',
		sendValue: '={{ ($value.tag || []).map(t => ({ name: t.name, storage: t.storage })) }}',
		property: {
			displayName: 'Tag Access',
			name: 'tagAccess',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Tag',
			default: {},
			description: 'Tag-based access: servers with these tags, and optionally their storages',
			options: [
				{
					displayName: 'Tag',
					name: 'tag',
					values: [
						{ displayName: 'Tag Name', name: 'name', type: 'string', default: '' },
						{ displayName: 'Storage Management', name: 'storage', type: 'options', options: yesNo, default: 'no', description: 'Whether the account may also manage the tagged servers\' storages' },
					],
				},
			],
		},
	},
	ipFilters: {
		apiPath: 'ip_filters.ip_filter',
		property: {
			displayName: 'IP Filters',
			name: 'ipFilters',
			type: 'string',
			typeOptions: { multipleValues: true, multipleValueButtonText: 'Add IP Filter' },
			default: [],
			placeholder: '192.0.2.0/24',
			description: 'Allow API access only from these addresses: CIDR blocks, ranges (a-b) or single addresses',
		},
	},
	labels: {
		apiPath: 'labels',
		sendValue: '={{ ($value.label || []).map(l => ({ key: l.key, value: l.value })) }}',
		property: {
			displayName: 'Labels',
			name: 'labels',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Label',
			default: {},
			options: [
				{
					displayName: 'Label',
					name: 'label',
					values: [
						{ displayName: 'Key', name: 'key', type: 'string', default: '' },
						{ displayName: 'Value', name: 'value', type: 'string', default: '' },
					],
				},
			],
		},
	},
};

/** One attribute as a field that sends itself to `<envelope>.<api path>`. */
export function accountAttribute(
	name: keyof typeof ACCOUNT_ATTRIBUTES,
	envelope: Envelope,
	overrides: Partial<INodeProperties> = {},
): INodeProperties {
	const spec = ACCOUNT_ATTRIBUTES[name];
	return {
		...spec.property,
		...overrides,
		routing: {
			send: {
				type: 'body',
				property: `${envelope}.${spec.apiPath}`,
				...(spec.sendValue ? { value: spec.sendValue } : {}),
			},
		},
	} as INodeProperties;
}

/** All attributes except `exclude`, for an Additional Fields / Update Fields collection. */
export function accountAttributeOptions(envelope: Envelope, exclude: string[] = []): INodeProperties[] {
	return Object.keys(ACCOUNT_ATTRIBUTES)
		.filter((name) => !exclude.includes(name))
		.map((name) => accountAttribute(name, envelope))
		.sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/**
 * Checks the documented rules of whichever attributes are set. `values` holds editor values by
 * parameter name (top-level fields and the collection merged).
 */
export function assertAccountAttributes(values: Record<string, unknown>): void {
	const label = (name: string) => ACCOUNT_ATTRIBUTES[name].property.displayName;
	const has = (name: string) => values[name] !== undefined;
	const lengths: Array<[string, number, number]> = [
		['firstName', 1, 50],
		['lastName', 1, 50],
		['company', 1, 100],
		['postalCode', 1, 100],
		['city', 1, 100],
	];
	for (const [name, min, max] of lengths) {
		if (has(name)) assertLength(label(name), values[name], min, max);
	}
	if (has('address')) assertAddress(label('address'), values.address);
	if (has('phone')) assertPhone(label('phone'), values.phone);
	if (has('email')) assertEmail(label('email'), values.email);
	if (has('country')) assertStateForCountry(label('state'), values.country, values.state);
	for (const entry of (values.ipFilters as string[] | undefined) ?? []) {
		assertIpFilter(label('ipFilters'), entry);
	}
}

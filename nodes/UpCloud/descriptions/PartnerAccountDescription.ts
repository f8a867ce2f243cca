import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { splitArrayBody, validatedBy } from '../../shared/declarative';
import { operationParameter } from '../../shared/operations';
import { assertEmail, InputRuleError } from '../../shared/rules';
import { COUNTRIES } from '../countries';
import {
	assertAddress,
	assertLength,
	assertPartnerPassword,
	assertPhone,
	assertStateForCountry,
	assertUsername,
	assertYearMonth,
} from '../validation';
import {
	billingOutputField,
	billingResourceFilter,
	newUsernameField,
	returnAllAndLimit,
	yearMonthField,
} from './fields';

const show = (operation: string[]) => ({ show: { resource: ['partnerAccount'], operation } });

// "Required if contact_details provided" (Partner API).
const REQUIRED_CONTACT = ['firstName', 'lastName', 'email', 'phone', 'country'];

const contactDetail = (
	displayName: string,
	name: string,
	apiName: string,
	description: string,
	extra: Partial<INodeProperties> = {},
): INodeProperties =>
	({
		displayName,
		name,
		type: 'string',
		default: '',
		description,
		...extra,
		routing: { send: { type: 'body', property: `contact_details.${apiName}` } },
	}) as INodeProperties;

function assertContactDetails(details: IDataObject): void {
	if (Object.keys(details).length === 0) return;
	const labels: Record<string, string> = {
		firstName: 'First Name',
		lastName: 'Last Name',
		email: 'Email',
		phone: 'Phone',
		country: 'Country',
	};
	for (const name of REQUIRED_CONTACT) {
		if (details[name] === undefined || String(details[name]).trim() === '') {
			throw new InputRuleError(
				`Contact Details: ${labels[name]}`,
				'is required when any contact detail is given (otherwise leave Contact Details empty to copy the partner\'s)',
			);
		}
	}
	assertLength('Contact Details: First Name', details.firstName, 1, 50);
	assertLength('Contact Details: Last Name', details.lastName, 1, 50);
	assertEmail('Contact Details: Email', details.email);
	assertPhone('Contact Details: Phone', details.phone);
	if (details.company !== undefined) assertLength('Contact Details: Company', details.company, 1, 100);
	if (details.address !== undefined) assertAddress('Contact Details: Address', details.address);
	if (details.postalCode !== undefined) assertLength('Contact Details: Postal Code', details.postalCode, 1, 20);
	if (details.city !== undefined) assertLength('Contact Details: City', details.city, 1, 100);
	assertStateForCountry('Contact Details: State', details.country, details.state);
}

export const partnerAccountOperations: INodeProperties[] = [
	operationParameter('partnerAccount', 'create', [
		{
			name: 'Create',
			value: 'create',
			action: 'Create a customer account as a partner',
			description: 'Create a customer account linked to the partner\'s invoicing (Partner API)',
			routing: {
				request: { method: 'POST', url: '/partner/accounts' },
				send: {
					preSend: [
						validatedBy(function () {
							assertUsername('Username', this.getNodeParameter('username'));
							assertPartnerPassword('Password', this.getNodeParameter('password'));
							assertContactDetails(this.getNodeParameter('contactDetails', {}) as IDataObject);
						}),
					],
				},
			},
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many customer accounts of the partner',
			description: 'List the accounts associated with the partner (Partner API)',
			routing: {
				request: { method: 'GET', url: '/partner/accounts' },
				// The only UpCloud list answered as a bare JSON array.
				output: { postReceive: [splitArrayBody] },
			},
		},
		{
			name: 'Get Billing Summary',
			value: 'getBillingSummary',
			action: 'Get a partner customer bill of a month by username',
			description: 'Get the monthly billing summary of an associated account (Partner API)',
			routing: {
				request: {
					method: 'GET',
					url: '=/account/billing/summary/{{ encodeURIComponent(String($parameter.yearMonth ?? "").trim()) }}',
					qs: { username: '={{ String($parameter.username ?? "").trim() }}' },
				},
				send: {
					preSend: [
						validatedBy(function () {
							assertYearMonth('Month', this.getNodeParameter('yearMonth'));
							assertUsername('Username', this.getNodeParameter('username'));
						}),
					],
				},
			},
		},
	]),
];

export const partnerAccountFields: INodeProperties[] = [
	newUsernameField('username', show(['create'])),
	{
		displayName: 'Password',
		name: 'password',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		displayOptions: show(['create']),
		description: '8–256 characters including a lowercase letter, an uppercase letter and a digit',
		routing: { send: { type: 'body', property: 'password' } },
	},
	{
		displayName: 'Contact Details',
		name: 'contactDetails',
		type: 'collection',
		placeholder: 'Add Contact Detail',
		default: {},
		displayOptions: show(['create']),
		description:
			'Leave empty to copy the partner\'s own contact details; otherwise First Name, Last Name, Email, Phone and Country are required',
		options: [
			contactDetail('Address', 'address', 'address', '1 or 2 lines, each 1–100 characters', { typeOptions: { rows: 2 } }),
			contactDetail('City', 'city', 'city', '1–100 characters'),
			contactDetail('Company', 'company', 'company', '1–100 characters'),
			{
				displayName: 'Country',
				name: 'country',
				type: 'options',
				options: [...COUNTRIES],
				default: 'FIN',
				description: 'ISO 3166-1 alpha-3 country code',
				routing: { send: { type: 'body', property: 'contact_details.country' } },
			},
			contactDetail('Email', 'email', 'email', 'A valid email address', { placeholder: 'name@email.com' }),
			contactDetail('First Name', 'firstName', 'first_name', '1–50 characters'),
			contactDetail('Last Name', 'lastName', 'last_name', '1–50 characters'),
			contactDetail('Phone', 'phone', 'phone', 'International format: +country code, a period, the national part', {
				placeholder: '+358.91111111',
			}),
			contactDetail('Postal Code', 'postalCode', 'postal_code', '1–20 characters'),
			contactDetail('State', 'state', 'state', 'Required when the country is USA'),
			contactDetail('VAT Number', 'vatNumber', 'vat_number', 'A valid VAT number'),
		],
	},
	...returnAllAndLimit('partnerAccount', 'getAll'),
	yearMonthField(show(['getBillingSummary'])),
	{
		displayName: 'Username',
		name: 'username',
		type: 'string',
		required: true,
		default: '',
		displayOptions: show(['getBillingSummary']),
		description: 'The associated customer account whose bill to read',
	},
	billingOutputField(show(['getBillingSummary'])),
	billingResourceFilter(show(['getBillingSummary'])),
];

import type { INodeProperties } from 'n8n-workflow';

import { operationParameter } from '../../shared/operations';
import type { FieldSpec } from './fields';
import {
	dateSpec,
	email,
	externalIdSpec,
	fieldCollection,
	getManyOperation,
	getOperation,
	metadataSpec,
	optionalDate,
	optionalText,
	recordIdField,
	recordRouting,
	show,
	topLevel,
} from './fields';

/** The customer attributes Upzelo documents for Create a Customer (also the inline customer of a subscription). */
export const customerDetailSpecs: FieldSpec[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		sendAs: 'name',
		rule: optionalText,
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		sendAs: 'email',
		rule: email,
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		default: '',
		sendAs: 'description',
		rule: optionalText,
	},
	dateSpec('Created', 'created', 'created', 'When the customer was created', optionalDate),
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		default: '',
		placeholder: '+447123456789',
		sendAs: 'phone',
		rule: optionalText,
	},
];

export const customerOperations: INodeProperties[] = [
	operationParameter('customer', 'getAll', [
		{
			name: 'Anonymize',
			value: 'anonymize',
			action: 'Anonymize the personal data of a customer by ID',
			description: 'Replace a customer\'s personal data with anonymous values',
			// The docs' PUT carries no body: none is sent.
			routing: recordRouting('PUT', 'customers', 'customerId', 'Customer ID'),
		},
		{
			name: 'Create',
			value: 'create',
			action: 'Create a customer with an external ID',
			routing: { request: { method: 'POST', url: '/api/customers' } },
		},
		getOperation('a customer', 'customers', 'customerId', 'Customer ID'),
		getManyOperation('customers'),
	]),
];

export const customerFields: INodeProperties[] = [
	recordIdField('customer', 'customerId', 'Customer ID', ['get'], 'The Upzelo customer ID, e.g. upz_cus_76061f3bfae24e02ef3e7528'),
	recordIdField(
		'customer',
		'customerId',
		'Customer ID',
		['anonymize'],
		'The Upzelo customer ID, or your own ID for the customer (the External ID it was created with)',
	),
	topLevel(externalIdSpec('customer'), show('customer', ['create'])),
	fieldCollection('additionalFields', show('customer', ['create']), [
		...customerDetailSpecs,
		metadataSpec('customer'),
	]),
];

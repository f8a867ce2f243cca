import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { validatedBy } from '../../shared/declarative';
import { operationParameter } from '../../shared/operations';
import { assertRecurringInterval } from '../validation';
import {
	cents,
	currencySpec,
	externalIdSpec,
	fieldCollection,
	getManyOperation,
	getOperation,
	integer,
	INTERVALS,
	oneOf,
	optionalText,
	PRICE_TYPES,
	recordIdField,
	required,
	show,
	topLevel,
} from './fields';

const create = show('price', ['create']);

export const priceOperations: INodeProperties[] = [
	operationParameter('price', 'getAll', [
		{
			name: 'Create',
			value: 'create',
			action: 'Create a price of a product',
			description: 'Create a price for a product',
			routing: {
				request: { method: 'POST', url: '/api/prices' },
				send: {
					preSend: [
						validatedBy(function () {
							const extra = this.getNodeParameter('additionalFields', {}) as IDataObject;
							assertRecurringInterval(this.getNodeParameter('type', ''), extra.interval, extra.intervalCount);
						}),
					],
				},
			},
		},
		getOperation('a price', 'prices', 'priceId', 'Price ID'),
		getManyOperation('prices'),
	]),
];

export const priceFields: INodeProperties[] = [
	recordIdField('price', 'priceId', 'Price ID', ['get'], 'The Upzelo price ID, e.g. upz_prc_96f6081bdd7a8cec76b91d70'),
	topLevel(externalIdSpec('price'), create),
	topLevel(
		{
			displayName: 'Product',
			name: 'productId',
			type: 'resourceLocator',
			default: { mode: 'list', value: '' },
			description: 'The Upzelo product the price belongs to',
			modes: [
				{
					displayName: 'From List',
					name: 'list',
					type: 'list',
					typeOptions: { searchListMethod: 'searchProducts', searchable: true },
				},
				{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'upz_prod_12374' },
			],
			sendAs: 'product_id',
			rule: required,
		},
		create,
	),
	topLevel(currencySpec(), create),
	topLevel(
		{
			displayName: 'Price (Cents)',
			name: 'price',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 0 },
			default: 0,
			description: 'The price in cents: 4900 is 49.00 in the currency',
			sendAs: 'price',
			rule: cents(0),
		},
		create,
	),
	topLevel(
		{
			displayName: 'Type',
			name: 'type',
			type: 'options',
			options: PRICE_TYPES,
			default: 'recurring',
			description: 'Recurring prices also need Interval and Interval Count (under Additional Fields)',
			sendAs: 'type',
			rule: oneOf(PRICE_TYPES),
		},
		create,
	),
	fieldCollection('additionalFields', create, [
		{
			displayName: 'Title',
			name: 'title',
			type: 'string',
			default: '',
			description: 'The name of the price',
			sendAs: 'title',
			rule: optionalText,
		},
		{
			displayName: 'Interval',
			name: 'interval',
			type: 'options',
			options: INTERVALS,
			default: 'month',
			description: 'How often a recurring price is charged; required when Type is Recurring',
			sendAs: 'interval',
			rule: oneOf(INTERVALS),
		},
		{
			displayName: 'Interval Count',
			name: 'intervalCount',
			type: 'number',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			default: 1,
			description: 'How many intervals between charges, e.g. 3 with Month for quarterly; required when Type is Recurring',
			sendAs: 'interval_count',
			rule: integer({ min: 1 }),
		},
	]),
];

import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { validatedBy } from '../../shared/declarative';
import { assertRecurringInterval } from '../validation';
import {
	cents,
	currencySpec,
	externalIdSpec,
	fieldCollection,
	integer,
	INTERVALS,
	oneOf,
	optionalText,
	PRICE_TYPES,
	recordIdField,
	recordRouting,
	required,
	show,
	topLevel,
} from './fields';

const create = show('price', ['create']);

export const priceOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['price'] } },
		options: [
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
			{
				name: 'Get',
				value: 'get',
				action: 'Get a price by ID',
				description: 'Get a price by its Upzelo ID',
				routing: recordRouting('GET', 'prices', 'priceId', 'Price ID'),
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many prices',
				description: 'List the prices in Upzelo',
				routing: { request: { method: 'GET', url: '/api/prices' } },
			},
		],
		default: 'getAll',
	},
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

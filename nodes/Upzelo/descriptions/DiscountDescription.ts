import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { validatedBy } from '../../shared/declarative';
import { operationParameter } from '../../shared/operations';
import { assertDurationInMonths, assertOneDiscountAmount } from '../validation';
import {
	cents,
	currencySpec,
	DURATIONS,
	externalIdSpec,
	fieldCollection,
	getManyOperation,
	getOperation,
	integerAsString,
	oneOf,
	percent,
	recordIdField,
	required,
	show,
	topLevel,
} from './fields';

const create = show('discount', ['create']);

export const discountOperations: INodeProperties[] = [
	operationParameter('discount', 'getAll', [
		{
			name: 'Create',
			value: 'create',
			action: 'Create an amount or percentage discount',
			description: 'Create an amount or percentage discount',
			routing: {
				request: { method: 'POST', url: '/api/discounts' },
				send: {
					preSend: [
						validatedBy(function () {
							const extra = this.getNodeParameter('additionalFields', {}) as IDataObject;
							assertDurationInMonths(this.getNodeParameter('duration', ''), extra.durationInMonths);
							assertOneDiscountAmount(extra.amountOff, extra.percentOff);
						}),
					],
				},
			},
		},
		getOperation('a discount', 'discounts', 'discountId', 'Discount ID'),
		getManyOperation('discounts'),
	]),
];

export const discountFields: INodeProperties[] = [
	recordIdField('discount', 'discountId', 'Discount ID', ['get'], 'The Upzelo discount ID, e.g. upz_dis_64ed0421075ef4bbd0e4bcbd'),
	topLevel(externalIdSpec('discount'), create),
	topLevel(
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			default: '',
			description: 'The name of the discount',
			sendAs: 'name',
			rule: required,
		},
		create,
	),
	topLevel(
		{
			displayName: 'Duration',
			name: 'duration',
			type: 'options',
			options: DURATIONS,
			default: 'once',
			description: 'How long the discount applies; Repeating also needs Duration In Months (under Additional Fields)',
			sendAs: 'duration',
			rule: oneOf(DURATIONS),
		},
		create,
	),
	topLevel(currencySpec(), create),
	fieldCollection('additionalFields', create, [
		{
			displayName: 'Amount Off (Cents)',
			name: 'amountOff',
			type: 'number',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			default: 100,
			description: 'Amount taken off in cents (100 = 1.00 in the currency); set this or Percent Off, not both',
			sendAs: 'amount_off',
			rule: cents(1),
		},
		{
			displayName: 'Duration In Months',
			name: 'durationInMonths',
			type: 'number',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			default: 1,
			description: 'For how many months a repeating discount applies; required when Duration is Repeating',
			// Documented as "string" (the response gives an integer): sent as a string of digits,
			// which a string rule and an integer rule both accept.
			sendAs: 'duration_in_months',
			rule: integerAsString({ min: 1 }),
		},
		{
			displayName: 'Percent Off',
			name: 'percentOff',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 100, numberPrecision: 0 },
			default: 10,
			description: 'Percentage taken off, 1–100; set this or Amount Off (Cents), not both',
			sendAs: 'percent_off',
			rule: percent,
		},
	]),
];

import type { INodeProperties } from 'n8n-workflow';

import { operationParameter } from '../../shared/operations';
import { assertPresent } from '../../shared/rules';
import {
	cents,
	currencySpec,
	date,
	dateSpec,
	externalIdSpec,
	fieldCollection,
	getManyOperation,
	getOperation,
	includeField,
	integer,
	INTERVALS,
	objectSpec,
	oneOf,
	PRICE_TYPES,
	recordIdField,
	required,
	show,
	topLevel,
} from './fields';

const create = show('invoice', ['create']);

export const invoiceOperations: INodeProperties[] = [
	operationParameter('invoice', 'getAll', [
		{
			name: 'Create',
			value: 'create',
			action: 'Record an invoice for a customer subscription',
			description: 'Record an invoice of a subscription',
			routing: { request: { method: 'POST', url: '/api/invoices' } },
		},
		getOperation('an invoice', 'invoices', 'invoiceId', 'Invoice ID'),
		getManyOperation('invoices'),
	]),
];

export const invoiceFields: INodeProperties[] = [
	recordIdField('invoice', 'invoiceId', 'Invoice ID', ['get'], 'The Upzelo invoice ID, e.g. upz_inv_e4a7a78ef8627d991b50ea1b'),
	includeField('invoice', ['get', 'getAll'], [
		{ name: 'Customer', value: 'customer' },
		{ name: 'Line Items', value: 'line_items' },
		{ name: 'Subscription', value: 'subscription' },
	]),
	topLevel(externalIdSpec('invoice'), create),
	topLevel(
		{
			displayName: 'Total (Cents)',
			name: 'total',
			type: 'number',
			typeOptions: { numberPrecision: 0 },
			default: 0,
			description: 'The invoice total in cents: 10000 is 100.00 in the currency',
			sendAs: 'total',
			rule: cents(),
		},
		create,
	),
	topLevel(currencySpec(), create),
	topLevel(dateSpec('Created', 'created', 'created', 'When the invoice was created'), create),
	topLevel(dateSpec('Period Start', 'periodStart', 'period_start', 'Start of the period the invoice covers'), create),
	topLevel(dateSpec('Period End', 'periodEnd', 'period_end', 'End of the period the invoice covers'), create),
	topLevel(
		{
			displayName: 'Customer ID',
			name: 'customerId',
			type: 'string',
			default: '',
			placeholder: 'upz_cus_76061f3bfae24e02ef3e7528',
			description: 'The Upzelo customer the invoice belongs to',
			sendAs: 'customer_id',
			rule: required,
		},
		create,
	),
	topLevel(
		{
			displayName: 'Subscription ID',
			name: 'subscriptionId',
			type: 'string',
			default: '',
			placeholder: 'upz_sub_3256ab69668e527ac869532f',
			description: 'The Upzelo subscription the invoice belongs to',
			sendAs: 'subscription_id',
			rule: required,
		},
		create,
	),
	fieldCollection('additionalFields', create, [
		{
			displayName: 'Discount IDs',
			name: 'discounts',
			type: 'string',
			typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Discount ID' },
			default: [],
			placeholder: 'upz_dis_64ed0421075ef4bbd0e4bcbd',
			description: 'Upzelo discounts used on this invoice',
			sendAs: 'discounts',
			rule: (field, value) => {
				const ids = Array.isArray(value) ? value : String(value ?? '').split(',');
				return ids.length ? ids.map((id, index) => assertPresent(`${field} ${index + 1}`, id)) : undefined;
			},
		},
		objectSpec(
			{
				displayName: 'Line Items',
				name: 'lineItems',
				placeholder: 'Add Line Item',
				description: 'What the invoice charges for; every line item field is required',
				sendAs: 'line_items',
				itemDisplayName: 'Line Item',
				itemName: 'lineItem',
			},
			[
				{ displayName: 'ID', name: 'id', type: 'string', default: '', description: 'Your own ID for the line item', sendAs: 'id', rule: required },
				{ displayName: 'Amount (Cents)', name: 'amount', type: 'number', typeOptions: { numberPrecision: 0 }, default: 0, sendAs: 'amount', rule: cents() },
				currencySpec(),
				{ displayName: 'Quantity', name: 'quantity', type: 'number', typeOptions: { minValue: 1, numberPrecision: 0 }, default: 1, sendAs: 'quantity', rule: integer({ min: 1 }) },
				{ displayName: 'Discount Amount (Cents)', name: 'discountAmount', type: 'number', typeOptions: { minValue: 0, numberPrecision: 0 }, default: 0, sendAs: 'discount_amount', rule: cents(0) },
				{ displayName: 'Tax Amount (Cents)', name: 'taxAmount', type: 'number', typeOptions: { minValue: 0, numberPrecision: 0 }, default: 0, sendAs: 'tax_amount', rule: cents(0) },
				dateSpec('Period Start', 'periodStart', 'period_start', 'Start of the period the line item covers', date),
				dateSpec('Period End', 'periodEnd', 'period_end', 'End of the period the line item covers', date),
				{ displayName: 'Interval', name: 'interval', type: 'options', options: INTERVALS, default: 'month', sendAs: 'interval', rule: oneOf(INTERVALS) },
				{ displayName: 'Interval Count', name: 'intervalCount', type: 'number', typeOptions: { minValue: 1, numberPrecision: 0 }, default: 1, sendAs: 'interval_count', rule: integer({ min: 1 }) },
				{ displayName: 'Type', name: 'type', type: 'options', options: PRICE_TYPES, default: 'recurring', sendAs: 'type', rule: oneOf(PRICE_TYPES) },
			],
			true,
		),
	]),
];

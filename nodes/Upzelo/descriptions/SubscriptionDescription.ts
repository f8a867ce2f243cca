import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { failingItemOnApiError, validatedBy } from '../../shared/declarative';
import { operationParameter } from '../../shared/operations';
import { upzeloGet } from '../transport';
import { assertUpdateFields } from '../../shared/rules';
import { customerDetailSpecs } from './CustomerDescription';
import type { FieldSpec } from './fields';
import {
	boolean,
	dateSpec,
	externalIdSpec,
	fieldCollection,
	getManyOperation,
	getOperation,
	metadataSpec,
	nullableDate,
	objectSpec,
	oneOf,
	optionalDate,
	optionalText,
	recordIdField,
	recordRouting,
	required,
	show,
	SUBSCRIPTION_STATUSES,
	topLevel,
} from './fields';

const create = show('subscription', ['create']);
const update = show('subscription', ['update']);

const cancelAtPeriodEnd: FieldSpec = {
	displayName: 'Cancel At Period End',
	name: 'cancelAtPeriodEnd',
	type: 'boolean',
	default: false,
	description: 'Whether the subscription cancels at the end of the current period',
	sendAs: 'cancel_at_period_end',
	rule: boolean,
};

const status: FieldSpec = {
	displayName: 'Status',
	name: 'status',
	type: 'options',
	options: SUBSCRIPTION_STATUSES,
	default: 'active',
	sendAs: 'status',
	rule: oneOf(SUBSCRIPTION_STATUSES),
};

const periodFields: FieldSpec[] = [
	dateSpec('Current Period Start', 'currentPeriodStart', 'current_period_start', 'When the current billing period starts', optionalDate),
	dateSpec('Current Period End', 'currentPeriodEnd', 'current_period_end', 'When the current billing period ends', optionalDate),
	dateSpec(
		'Canceled At',
		'canceledAt',
		'canceled_at',
		'When the subscription was canceled; leave empty to send no date (null)',
		nullableDate,
	),
];

/**
 * Upzelo's docs do not mark status and cancel_at_period_end optional on PUT, so both are sent on every
 * update. When Update Fields leaves one out, its current value is read from the subscription and sent
 * unchanged: changing only the metadata must not reset a cancellation or a status. Runs after every
 * field's check (it sits after Update Fields), so a bad input still sends nothing at all.
 */
async function keepCurrentValues(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body = (requestOptions.body ??= {}) as IDataObject;
	if (body.status !== undefined && body.cancel_at_period_end !== undefined) return requestOptions;
	// The subscription's own path, already resolved (and its ID checked) for the PUT.
	const answer = (await upzeloGet.call(this, requestOptions.url)) as {
		data?: { subscription?: IDataObject };
	};
	const current = answer?.data?.subscription ?? {};
	body.status ??= current.status;
	body.cancel_at_period_end ??= current.cancel_at_period_end;
	return requestOptions;
}

export const subscriptionOperations: INodeProperties[] = [
	operationParameter('subscription', 'getAll', [
		{
			name: 'Create',
			value: 'create',
			action: 'Subscribe a customer to a price',
			description: 'Subscribe a customer to a price',
			routing: { request: { method: 'POST', url: '/api/subscriptions' } },
		},
		getOperation('a subscription', 'subscriptions', 'subscriptionId', 'Subscription ID'),
		getManyOperation('subscriptions'),
		{
			name: 'Update',
			value: 'update',
			action: 'Update the status or period of a subscription by ID',
			description: 'Change the status, cancellation, billing period or metadata of a subscription',
			routing: recordRouting(
				'PUT',
				'subscriptions',
				'subscriptionId',
				'Subscription ID',
				validatedBy(function () {
					assertUpdateFields(this.getNodeParameter('updateFields', {}) as IDataObject);
				}),
			),
		},
	]),
];

export const subscriptionFields: INodeProperties[] = [
	recordIdField(
		'subscription',
		'subscriptionId',
		'Subscription ID',
		['get', 'update'],
		'The Upzelo subscription ID, e.g. upz_sub_15178e786c1d72e393555e69',
	),
	topLevel(externalIdSpec('subscription'), create),
	topLevel(
		{
			displayName: 'Price',
			name: 'priceId',
			type: 'resourceLocator',
			default: { mode: 'list', value: '' },
			description: 'The Upzelo price the customer subscribes to',
			modes: [
				{
					displayName: 'From List',
					name: 'list',
					type: 'list',
					typeOptions: { searchListMethod: 'searchPrices', searchable: true },
				},
				{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'upz_prc_96f6081bdd7a8cec76b91d70' },
			],
			sendAs: 'price_id',
			rule: required,
		},
		create,
	),
	topLevel(status, create),
	topLevel(dateSpec('Start Date', 'startDate', 'start_date', 'When the subscription started'), create),
	topLevel(cancelAtPeriodEnd, create),
	fieldCollection('additionalFields', create, [
		{
			displayName: 'Customer ID',
			name: 'customerId',
			type: 'string',
			default: '',
			placeholder: 'upz_cus_76061f3bfae24e02ef3e7528',
			description: 'The Upzelo customer the subscription belongs to; or describe the customer under New Customer',
			sendAs: 'customer_id',
			rule: optionalText,
		},
		objectSpec(
			{
				displayName: 'New Customer',
				name: 'customer',
				placeholder: 'Add Customer Details',
				description: 'The customer as an object, instead of a Customer ID',
				sendAs: 'customer',
				itemDisplayName: 'Customer Details',
				itemName: 'details',
			},
			[{ ...externalIdSpec('customer'), rule: optionalText }, ...customerDetailSpecs],
			false,
		),
		...periodFields,
		dateSpec('Created', 'created', 'created', 'When the subscription was created', optionalDate),
		metadataSpec('subscription'),
	]),
	fieldCollection('updateFields', update, [status, cancelAtPeriodEnd, ...periodFields, metadataSpec('subscription')]),
	{
		displayName: 'Keep Current Values',
		name: 'keepCurrentValues',
		type: 'hidden',
		default: '',
		displayOptions: update,
		routing: { send: { preSend: [failingItemOnApiError(keepCurrentValues)] } },
	},
];

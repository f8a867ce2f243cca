import type { INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { customerFields, customerOperations } from './descriptions/CustomerDescription';
import { discountFields, discountOperations } from './descriptions/DiscountDescription';
import { getManyFields } from './descriptions/fields';
import { invoiceFields, invoiceOperations } from './descriptions/InvoiceDescription';
import { priceFields, priceOperations } from './descriptions/PriceDescription';
import { productFields, productOperations } from './descriptions/ProductDescription';
import { subscriptionFields, subscriptionOperations } from './descriptions/SubscriptionDescription';
import { baseUrlExpression } from '../shared/baseUrl';
import { responsePipeline } from '../shared/declarative';
import { requestOptionsProperty } from '../shared/properties';
import { searchPrices, searchProducts } from './listSearch';
import { unwrapRecord } from './output';
import { paginateByCursor } from './pagination';
import { UPZELO_URL } from './baseUrl';
import { CREDENTIAL, throwOnUpzeloError } from './transport';

// Every parameter, in order; the first step of each request normalises them to their declared kinds (bounds and
// option lists are each field's own documented rule, in fields.ts).
const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Customer', value: 'customer' },
			{ name: 'Discount', value: 'discount' },
			{ name: 'Invoice', value: 'invoice' },
			{ name: 'Price', value: 'price' },
			{ name: 'Product', value: 'product' },
			{ name: 'Subscription', value: 'subscription' },
		],
		default: 'customer',
	},
	...customerOperations,
	...discountOperations,
	...invoiceOperations,
	...priceOperations,
	...productOperations,
	...subscriptionOperations,
	...getManyFields,
	...customerFields,
	...discountFields,
	...invoiceFields,
	...priceFields,
	...productFields,
	...subscriptionFields,
	// Settings → Request Options → Retry Transient Errors (n8n adds Batching, Proxy and Timeout to it).
	requestOptionsProperty,
];

export class Upzelo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Upzelo',
		name: 'upzelo',
		icon: { light: 'file:upzelo.svg', dark: 'file:upzelo.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Read and create Upzelo prices, customers, discounts, invoices, products and subscriptions',
		defaults: { name: 'Upzelo' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL, required: true }],
		requestDefaults: {
			baseURL: baseUrlExpression(UPZELO_URL),
			headers: { Accept: 'application/json' },
			// Errors are turned into Upzelo's own title and detail by the first postReceive step.
			ignoreHttpStatusErrors: true,
		},
		properties: [
			// Errors first, then single records leave their envelope, before any operation's own postReceive.
			// Every Get Many pages through the same cursor paginator; other operations make one request.
			responsePipeline([throwOnUpzeloError, unwrapRecord], {
				applies: (operation) => operation === 'getAll',
				run: paginateByCursor,
			}, { service: 'Upzelo', inputs: properties, domains: false }),
			...properties,
		],
	};

	methods = {
		listSearch: { searchPrices, searchProducts },
	};
}

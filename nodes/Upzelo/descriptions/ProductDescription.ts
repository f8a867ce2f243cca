import type { INodeProperties } from 'n8n-workflow';

import { externalIdSpec, includeField, recordIdField, recordRouting, required, show, topLevel } from './fields';

export const productOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['product'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a product with an external ID and name',
				description: 'Create a product that prices can belong to',
				routing: { request: { method: 'POST', url: '/api/products' } },
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a product by ID',
				description: 'Get a product by its Upzelo ID',
				routing: recordRouting('GET', 'products', 'productId', 'Product ID'),
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many products',
				description: 'List the products in Upzelo',
				routing: { request: { method: 'GET', url: '/api/products' } },
			},
		],
		default: 'getAll',
	},
];

export const productFields: INodeProperties[] = [
	recordIdField('product', 'productId', 'Product ID', ['get'], 'The Upzelo product ID, e.g. upz_prod_d500626f627e3d4a9023486'),
	topLevel(externalIdSpec('product'), show('product', ['create'])),
	topLevel(
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			default: '',
			placeholder: 'Middle out compression',
			description: 'The name of the product',
			sendAs: 'name',
			rule: required,
		},
		show('product', ['create']),
	),
	// Documented for products too: "The entities to include. (prices)".
	includeField('product', ['get', 'getAll'], [{ name: 'Prices', value: 'prices' }]),
];

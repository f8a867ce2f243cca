import type { INodeProperties } from 'n8n-workflow';

import { operationParameter } from '../../shared/operations';
import {
	externalIdSpec,
	getManyOperation,
	getOperation,
	includeField,
	recordIdField,
	required,
	show,
	topLevel,
} from './fields';

export const productOperations: INodeProperties[] = [
	operationParameter('product', 'getAll', [
		{
			name: 'Create',
			value: 'create',
			action: 'Create a product with an external ID and name',
			description: 'Create a product that prices can belong to',
			routing: { request: { method: 'POST', url: '/api/products' } },
		},
		getOperation('a product', 'products', 'productId', 'Product ID'),
		getManyOperation('products'),
	]),
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

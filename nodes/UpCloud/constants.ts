import type { INodePropertyOptions } from 'n8n-workflow';

/** Values UpCloud documents that both UpCloud nodes offer. */

/** The currencies an UpCloud account can have. */
export const CURRENCIES: INodePropertyOptions[] = [
	{ name: 'EUR', value: 'EUR' },
	{ name: 'GBP', value: 'GBP' },
	{ name: 'SGD', value: 'SGD' },
	{ name: 'USD', value: 'USD' },
];

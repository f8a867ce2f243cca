import type { INodePropertyOptions } from 'n8n-workflow';

/** The currencies an UpCloud account can have, as UpCloud documents them; both UpCloud nodes offer them. */
export const CURRENCIES: INodePropertyOptions[] = [
	{ name: 'EUR', value: 'EUR' },
	{ name: 'GBP', value: 'GBP' },
	{ name: 'SGD', value: 'SGD' },
	{ name: 'USD', value: 'USD' },
];

import type { INodeProperties } from 'n8n-workflow';

import { operationParameter } from '../../shared/operations';
import { answerIn } from './infrastructureFields';

/**
 * Zones (GET /zone: {"zones":{"zone":[{id, description, public}]}}) and plans (GET /plan:
 * {"plans":{"plan":[{name, core_number, memory_amount, storage_size, storage_tier, public_traffic_out}]}}),
 * each answered whole.
 */

export const zoneOperations: INodeProperties[] = [
	operationParameter('zone', 'getAll', [
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many zones where servers can run',
			description: 'List UpCloud\'s zones with their ID (e.g. fi-hel2), description and whether they are public',
			routing: {
				request: { method: 'GET', url: '/zone' },
				output: { postReceive: [answerIn('zones.zone')] },
			},
		},
	]),
];

export const planOperations: INodeProperties[] = [
	operationParameter('plan', 'getAll', [
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many server plans with cores and memory',
			description: 'List UpCloud\'s server plans with cores, memory (MiB), storage size (GiB) and tier, and traffic included',
			routing: {
				request: { method: 'GET', url: '/plan' },
				output: { postReceive: [answerIn('plans.plan')] },
			},
		},
	]),
];

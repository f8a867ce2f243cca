'use strict';
/**
 * UpCloud Usage Trigger workflows. `n8n execute` cannot start from a polling trigger, so these run in the live
 * phase against `n8n start`: manual mode through the editor's own endpoint (POST /rest/workflows/:id/run with
 * the trigger as start, exactly what "Fetch Test Event" does), and activated on a 5-second cron.
 */

const { ours, workflow } = require('../lib/workflow');
const { FIVE_SECONDS } = require('../lib/examples');
const { PRIMARY_SERVER } = require('./upcloud');

const trigger = (name, parameters, pollTimes = FIVE_SECONDS, extra = {}) =>
	ours(
		'upCloudUsageTrigger',
		name,
		{
			pollTimes: { item: [{ mode: 'custom', cronExpression: pollTimes }] },
			...parameters,
		},
		extra,
	);

const single = (id, title, node) => {
	node.position = [0, 0];
	return workflow(id, title, [node], {});
};

/**
 * Manual-mode workflows, one per metric (never activated), with Basic auth; and one with an API token, whose
 * account name for the message costs one GET /account (a manual run remembers nothing). `calls` are the paths
 * one poll must request, `auth` how the sandbox saw them.
 */
const manual = [
	{
		id: 'e2eTrgManCred',
		metric: 'credits',
		workflow: () =>
			single('e2eTrgManCred', 'e2e trigger manual credits', trigger('Usage', {
				metric: 'credits',
				creditsCurrency: 'auto',
				thresholds: { levels: [{ threshold: 100, name: 'low' }] },
			})),
	},
	{
		id: 'e2eTrgManSpend',
		metric: 'monthSpend',
		workflow: () =>
			single('e2eTrgManSpend', 'e2e trigger manual spend', trigger('Usage', {
				metric: 'monthSpend',
				spendCategory: 'servers',
				thresholds: { levels: [{ threshold: 1000 }] },
			})),
	},
	{
		id: 'e2eTrgManPool',
		metric: 'transferPool',
		workflow: () =>
			single('e2eTrgManPool', 'e2e trigger manual transfer pool', trigger('Usage', {
				metric: 'transferPool',
				transferMeasure: 'percent',
				thresholds: { levels: [{ threshold: 80 }] },
			})),
	},
	{
		id: 'e2eTrgManRes',
		metric: 'resourceTransfer',
		workflow: () =>
			single('e2eTrgManRes', 'e2e trigger manual resource transfer', trigger('Usage', {
				metric: 'resourceTransfer',
				resourceId: PRIMARY_SERVER,
				byteUnit: 'GB',
				thresholds: { levels: [{ threshold: 500 }] },
			})),
	},
	{
		id: 'e2eTrgManTok',
		metric: 'transferPool',
		auth: 'bearer:sandbox_user',
		calls: ['/1.3/account/current_network_usage', '/1.3/account'],
		account: 'sandbox_user',
		workflow: () =>
			single(
				'e2eTrgManTok',
				'e2e trigger manual transfer pool with an API token',
				trigger(
					'Usage',
					{ metric: 'transferPool', transferMeasure: 'percent', thresholds: { levels: [{ threshold: 80 }] } },
					FIVE_SECONDS,
					{ credential: 'upcloudToken' },
				),
			),
	},
];

/** Activated: credits below 500 EUR, with recovery items. */
const active = {
	id: 'e2eTrgActive',
	workflow: ({ pollCron } = {}) =>
		single('e2eTrgActive', 'e2e trigger active credits', trigger('Usage', {
			metric: 'credits',
			creditsCurrency: 'EUR',
			thresholds: { levels: [{ threshold: 500, name: 'below 500' }] },
			options: { notifyOnRecovery: true },
		}, pollCron)),
};

module.exports = { manual, active };

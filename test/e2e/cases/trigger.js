'use strict';
/**
 * UpCloud Usage Trigger workflows. `n8n execute` cannot start from a polling trigger, so these run in the live
 * phase against `n8n start`: manual mode through the editor's own endpoint (POST /rest/workflows/:id/run with
 * the trigger as start, exactly what "Fetch Test Event" does), and activated on a 5-second cron.
 */

const assert = require('node:assert/strict');

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
 * Manual-mode workflows, one per metric (never activated), with Basic auth; one with an API token, whose
 * account name for the message costs one GET /account (a manual run remembers nothing); and one with no level
 * yet. `calls` are the paths one poll must request, `auth` how the sandbox saw them, `requests` how many one
 * manual run makes (a manual run never remembers the looked-up currency), `check` more about its items.
 */
const manual = [
	{
		id: 'e2eTrgManCred',
		metric: 'credits',
		requests: 2,
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
		requests: 1,
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
		requests: 1,
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
		requests: 1,
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
	{
		id: 'e2eTrgManFcst',
		metric: 'monthSpendForecast',
		requests: 1,
		workflow: () =>
			single('e2eTrgManFcst', 'e2e trigger manual spend forecast', trigger('Usage', {
				metric: 'monthSpendForecast',
				thresholds: { levels: [{ threshold: 100000 }] },
				options: { minimumHoursOfData: 0 },
			})),
		check: ([item]) => {
			assert.match(item.message, /^Test: UpCloud spend for \S+ in \d{4}-\d\d is projected at \d+\.\d\d EUR by month end \(\d+\.\d\d EUR so far, [\d.]+% of the month\), not above the 100000 EUR threshold$/);
			assert.ok(item.elapsedFraction > 0 && item.elapsedFraction < 1, `elapsedFraction ${item.elapsedFraction}`);
		},
	},
	{
		id: 'e2eTrgManRunw',
		metric: 'creditRunway',
		requests: 2,
		workflow: () =>
			single('e2eTrgManRunw', 'e2e trigger manual credit runway', trigger('Usage', {
				metric: 'creditRunway',
				creditsCurrency: 'EUR',
				thresholds: { levels: [{ threshold: 7 }] },
				options: { minimumHoursOfData: 0 },
			})),
		check: ([item]) => {
			assert.equal(item.credits, 842.153127);
			assert.ok(item.dailyBurn > 0, `dailyBurn ${item.dailyBurn}`);
			assert.ok(Date.parse(item.runsOutAt) > Date.now(), `runsOutAt ${item.runsOutAt}`);
		},
	},
	{
		id: 'e2eTrgManRunTok',
		metric: 'creditRunway',
		auth: 'bearer:sandbox_user',
		requests: 2,
		account: 'sandbox_user',
		// GET /account names the account, so the token costs no name lookup here.
		workflow: () =>
			single(
				'e2eTrgManRunTok',
				'e2e trigger manual credit runway with an API token',
				trigger(
					'Usage',
					{ metric: 'creditRunway', creditsCurrency: 'EUR', thresholds: { levels: [{ threshold: 7 }] }, options: { minimumHoursOfData: 0 } },
					FIVE_SECONDS,
					{ credential: 'upcloudToken' },
				),
			),
	},
	{
		id: 'e2eTrgManNoLvl',
		metric: 'credits',
		requests: 2,
		title: 'credits with no threshold level yet',
		workflow: () =>
			single('e2eTrgManNoLvl', 'e2e trigger manual without levels', trigger('Usage', { metric: 'credits', creditsCurrency: 'auto' })),
		check: (out) => {
			assert.equal(out.length, 1, 'one item: the reading');
			assert.deepEqual(Object.keys(out[0]), ['metric', 'value', 'unit', 'state', 'period', 'observedAt', 'account', 'message', 'hint', 'raw']);
			assert.equal(out[0].message, 'Test: UpCloud credits for sandbox_user are 842.15 EUR');
			assert.equal(out[0].hint, 'This is the current reading: add a threshold level to alert on it');
		},
	},
];

/** Never activated successfully: with no level, activation must fail with the clear message and send nothing. */
const noLevel = {
	id: 'e2eTrgNoLevel',
	workflow: ({ pollCron } = {}) =>
		single('e2eTrgNoLevel', 'e2e trigger without levels, activated', trigger('Usage', { metric: 'credits' }, pollCron)),
};

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

/**
 * Activated last and alone: a forecast level (above 1000 EUR) and a runway level (below 7 days), both with recovery
 * items. Minimum Hours of Data 0, so that they run on any day of the month.
 */
const projections = [
	{
		id: 'e2eTrgForecast',
		workflow: ({ pollCron } = {}) =>
			single('e2eTrgForecast', 'e2e trigger active spend forecast', trigger('Forecast', {
				metric: 'monthSpendForecast',
				thresholds: { levels: [{ threshold: 1000, name: 'over 1000' }] },
				options: { notifyOnRecovery: true, minimumHoursOfData: 0 },
			}, pollCron)),
	},
	{
		id: 'e2eTrgRunway',
		workflow: ({ pollCron } = {}) =>
			single('e2eTrgRunway', 'e2e trigger active credit runway', trigger('Runway', {
				metric: 'creditRunway',
				creditsCurrency: 'EUR',
				thresholds: { levels: [{ threshold: 7, name: 'within 7 days' }] },
				options: { notifyOnRecovery: true, minimumHoursOfData: 0 },
			}, pollCron)),
	},
];

module.exports = { manual, active, noLevel, projections };

'use strict';
/**
 * The shipped example workflows (examples/*.json) and their e2e variants. The originals are imported as they
 * are; a variant is what the e2e can run without outside services:
 *   - nodes that talk to an outside service (Slack, email, … or any node with a credential that is not ours)
 *     are disabled, so n8n passes their input through and the nodes before them are still checked;
 *   - polling triggers poll every 5 seconds (a custom cron listing seconds, the fastest n8n accepts), so the
 *     live phase can activate them and watch them fire;
 *   - projections (Projected Month-End Spend, Credit Runway) need no Minimum Hours of Data, so the e2e passes on
 *     the 1st of a month too.
 */

const fs = require('node:fs');
const path = require('node:path');

const { ROOT } = require('../../../scripts/lib/process');
const { CREDENTIALS, isOurType } = require('../../../scripts/lib/registry');

const EXAMPLES_DIR = path.join(ROOT, 'examples');
const OUR_CREDENTIALS = new Set(CREDENTIALS.map((c) => c.name));
const OUTSIDE_TYPES = new Set([
	'n8n-nodes-base.slack',
	'n8n-nodes-base.emailSend',
	'n8n-nodes-base.gmail',
	'n8n-nodes-base.microsoftTeams',
	'n8n-nodes-base.telegram',
	'n8n-nodes-base.googleSheets',
	'n8n-nodes-base.googleDrive',
]);
const FIVE_SECONDS = '0,5,10,15,20,25,30,35,40,45,50,55 * * * * *';
const PROJECTIONS = new Set(['monthSpendForecast', 'creditRunway']);
// n8n 2.x refuses any cron that fires more than once a minute (isSubMinuteCron), so there the e2e polls every
// minute and makes n8n poll right away by re-activating the workflow (activation always polls once).
const EVERY_MINUTE = '* * * * *';

/** The cron the e2e gives polling triggers on an n8n version. */
const pollCronFor = (version) => (Number(String(version).split('.')[0]) >= 2 ? EVERY_MINUTE : FIVE_SECONDS);

function loadExamples() {
	if (!fs.existsSync(EXAMPLES_DIR)) return [];
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((file) => ({ file, workflow: JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) }));
}

const isOurs = (node) => isOurType(node.type);
const isPollingTrigger = (node) => node.parameters && node.parameters.pollTimes !== undefined;
const needsOutside = (node) =>
	OUTSIDE_TYPES.has(node.type) ||
	(!isOurs(node) && Object.keys(node.credentials || {}).some((type) => !OUR_CREDENTIALS.has(type)));

function variantId(id) {
	return `t${id}`.slice(0, 16);
}

/** The runnable variant of an example, and how the e2e runs it: `execute` (Manual Trigger) or `activate`. */
function e2eVariant(example, { pollCron = FIVE_SECONDS } = {}) {
	const wf = JSON.parse(JSON.stringify(example));
	wf.id = variantId(example.id);
	wf.name = `${example.name} (e2e variant)`;
	const disabled = [];
	for (const node of wf.nodes) {
		if (needsOutside(node)) {
			node.disabled = true;
			disabled.push(node.name);
		}
		if (isPollingTrigger(node)) node.parameters.pollTimes = { item: [{ mode: 'custom', cronExpression: pollCron }] };
		if (isOurs(node) && PROJECTIONS.has(node.parameters?.metric)) {
			node.parameters.options = { ...node.parameters.options, minimumHoursOfData: 0 };
		}
	}
	const hasManual = wf.nodes.some((n) => n.type === 'n8n-nodes-base.manualTrigger');
	const polling = wf.nodes.filter(isPollingTrigger).map((n) => n.name);
	return { workflow: wf, disabled, mode: hasManual ? 'execute' : polling.length ? 'activate' : 'import-only', polling };
}

module.exports = { EXAMPLES_DIR, FIVE_SECONDS, EVERY_MINUTE, pollCronFor, loadExamples, e2eVariant, variantId, isOurs, needsOutside };

'use strict';
/** Reading what n8n produced from the run JSON of `n8n execute --rawOutput` (or an execution fetched over REST). */

function runData(run) {
	return run?.data?.resultData?.runData ?? {};
}

/** Full items (json, binary, pairedItem) of a node's last run, output `output`. */
function items(run, node, output = 0) {
	const runs = runData(run)[node];
	if (!runs || runs.length === 0) throw new Error(`node "${node}" did not run (ran: ${Object.keys(runData(run)).join(', ') || 'nothing'})`);
	const last = runs[runs.length - 1];
	if (last.error) throw new Error(`node "${node}" failed: ${last.error.message}`);
	return last.data?.main?.[output] ?? [];
}

const json = (run, node, output) => items(run, node, output).map((i) => i.json);

/** The error a node failed with (its task data), if it failed. */
function nodeError(run, node) {
	const runs = runData(run)[node];
	return runs?.[runs.length - 1]?.error;
}

/** The workflow-level error of a failed run. */
const runError = (run) => run?.data?.resultData?.error;

const ran = (run, node) => Boolean(runData(run)[node]);

module.exports = { runData, items, json, nodeError, runError, ran };

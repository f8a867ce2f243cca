'use strict';
/** Test bookkeeping for the e2e: one line per check, failures with their reason, totals at the end. */

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, s) => (useColor ? `\u001b[${code}m${s}\u001b[0m` : s);

class Reporter {
	constructor() {
		this.results = [];
		this.notes = {};
	}

	/** Runs `fn` as one check named `title` under `group` (e.g. "n8n 1.123.81"). */
	async test(group, title, fn) {
		const started = Date.now();
		let error;
		try {
			await fn();
		} catch (err) {
			error = err;
		}
		const ms = Date.now() - started;
		this.results.push({ group, title, ok: !error, ms, error });
		const time = paint('2', `(${(ms / 1000).toFixed(1)} s)`);
		if (!error) {
			process.stdout.write(`${paint('32', '✔')} [${group}] ${title} ${time}\n`);
		} else {
			process.stdout.write(`${paint('31', '✘')} [${group}] ${title} ${time}\n`);
			const detail = (error && (error.message || String(error))) || 'failed';
			for (const line of detail.split('\n').slice(0, 30)) process.stdout.write(`      ${line}\n`);
		}
		return !error;
	}

	/** A failure that is not tied to running a function (e.g. a step that could not start). */
	fail(group, title, message) {
		return this.test(group, title, () => {
			throw new Error(message);
		});
	}

	/** Facts worth comparing between n8n versions (error shapes, item shapes). */
	record(group, key, value) {
		this.notes[group] = this.notes[group] || {};
		this.notes[group][key] = value;
	}

	counts() {
		const passed = this.results.filter((r) => r.ok).length;
		return { passed, failed: this.results.length - passed };
	}
}

module.exports = { Reporter, paint };

'use strict';
/**
 * Command-line options of the project's scripts (`npm run dev`, `npm run test:e2e`, `npm run bench`), parsed one way.
 */

const fs = require('node:fs');

const { TARGETS } = require('./n8n-targets');

/**
 * `spec` maps each option to 'value' (`--name value` or `--name=value`), 'flag', or the name of the option it is an
 * alias of. Returns the options given, keyed by name. `--help` prints the script's header comment and exits.
 */
function parseOptions(argv, spec, scriptFile) {
	const given = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--help' || arg === '-h') {
			const header = fs.readFileSync(scriptFile, 'utf8').split('*/')[0].replace(/^[\s\S]*?\/\*\*/, '');
			process.stdout.write(`${header.replace(/^ \* ?/gm, '').trim()}\n`);
			process.exit(0);
		}
		const eq = arg.indexOf('=');
		let name = eq > 0 ? arg.slice(0, eq) : arg;
		if (spec[name]?.startsWith('-')) name = spec[name];
		if (spec[name] === 'flag' && eq < 0) given[name] = true;
		else if (spec[name] === 'value') given[name] = eq > 0 ? arg.slice(eq + 1) : argv[++i];
		else throw new Error(`unknown option ${arg} (see --help)`);
	}
	return given;
}

/**
 * `--n8n 1`, `2`, `1vm`, `1,2`, `both` (1 and 2) or `all` (1, 2 and 1vm, n8n 1.x on its default `vm` expression
 * engine): the n8n targets to run, each checked.
 */
function n8nTargets(value) {
	const text = String(value);
	const named = { both: ['1', '2'], all: ['1', '2', '1vm'] };
	const targets = named[text] ?? text.split(',').map((s) => s.trim()).filter(Boolean);
	for (const t of targets) if (!TARGETS[t]) throw new Error(`--n8n ${t}: use 1, 2, 1vm, both or all`);
	return targets;
}

module.exports = { parseOptions, n8nTargets };

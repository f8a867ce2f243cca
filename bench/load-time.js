#!/usr/bin/env node
'use strict';
/**
 * Cold-load time of one built node file, in a fresh process (run by bench/run.js, one process per sample):
 * `require()` of the file plus `new` of its class, which is what n8n does when it loads a package.
 *
 *   node bench/load-time.js <file.node.js> [--preload]   (--preload: n8n-workflow is loaded first, not counted)
 * Prints `{"ms": <require + construct>}`.
 */

const path = require('node:path');

const file = path.resolve(process.argv[2]);
if (process.argv.includes('--preload')) require(require.resolve('n8n-workflow', { paths: [path.dirname(file)] }));
const started = process.hrtime.bigint();
const mod = require(file);
const Cls = Object.values(mod).find((v) => typeof v === 'function');
const instance = new Cls();
if (!instance.description) throw new Error(`${file}: no description`);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(`${JSON.stringify({ ms })}\n`);

'use strict';
/**
 * Debian's Chromium driven by playwright-core, and what the suite watches on every page: page errors, console
 * errors and failed responses, each attributed to our packages or to n8n itself.
 */

const fs = require('node:fs');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// Without the background-networking flags Chromium keeps dialling Google's services, which the closed network
// here refuses; those refusals would show up as console errors that belong to neither n8n nor us.
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

// Our code never runs in the browser: what the editor gets of ours are node descriptions, icons and answers of
// our load-options/list-search methods. Those all carry the package name (icon URLs, node types in requests).
const { PACKAGE_NAMES: OUR_PACKAGES } = require('../../scripts/lib/registry');
// Requests that run our code on the server; any other request may carry our node types in a workflow it sends
// (e.g. n8n's AI-assistant metadata call, refused by the community license) without being about them.
const OUR_ENDPOINTS = /\/rest\/(dynamic-node-parameters|node-types|credentials\/test)|\/icons\//;

function launchChromium() {
	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (Playwright's own browser download is not used)`);
	}
	const { chromium } = require('playwright-core');
	return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * Collects every page error, console error, failed request and HTTP error answer of `page`. Each entry gets `ours`:
 * whether its message, stack, source URL or request names one of our packages; and `external`: whether its URL is
 * on another host than n8n's. `context()` names what the suite
 * was doing, so an error can be traced to the step that caused it.
 */
function watchErrors(page, { origin } = {}) {
	const errors = [];
	// A request to another host than n8n's (api.n8n.io, the npm registry) is n8n reaching the internet.
	const externalUrl = (u) => Boolean(origin && u && /^https?:/.test(u) && !String(u).startsWith(origin));
	let context = 'start';
	const isOurs = (...texts) => texts.some((t) => t && OUR_PACKAGES.some((m) => String(t).includes(m)));
	const add = (kind, message, extra = {}) => errors.push({ kind, message, context, external: externalUrl(extra.url), ...extra });
	page.on('pageerror', (err) => add('pageerror', err.message, { stack: err.stack, ours: isOurs(err.message, err.stack) }));
	page.on('console', (msg) => {
		if (msg.type() !== 'error') return;
		const url = msg.location()?.url;
		add('console', msg.text(), { url, ours: isOurs(msg.text(), url) });
	});
	// Which request a "Failed to load resource" console line is about: the request's own failure names the URL.
	page.on('requestfailed', (req) => {
		add('requestfailed', `${req.method()} ${req.url()} → ${req.failure()?.errorText}`, { url: req.url(), ours: isOurs(req.url()) });
	});
	page.on('response', (res) => {
		if (res.status() < 400) return;
		const req = res.request();
		const ours = isOurs(res.url()) || (OUR_ENDPOINTS.test(res.url()) && isOurs(req.postData()));
		add('http', `${req.method()} ${res.url()} → ${res.status()}`, { ours, url: res.url() });
	});
	return {
		errors,
		setContext(c) {
			context = c;
		},
		since(n) {
			return errors.slice(n);
		},
	};
}

/** One line per distinct error: kind, message, where it was first seen and how often. */
function summarize(errors) {
	const byKey = new Map();
	for (const e of errors) {
		const key = `${e.kind}: ${e.message}`;
		const seen = byKey.get(key) || { ...e, count: 0 };
		seen.count += 1;
		byKey.set(key, seen);
	}
	return [...byKey.values()];
}

/** The first frames of a stack, without the origin (asset file names tell whose code it is). */
function stackHead(stack, frames = 3) {
	return String(stack || '')
		.split('\n')
		.slice(1, 1 + frames)
		.map((l) => l.trim().replace(/https?:\/\/[^/]+/, ''))
		.join(' | ');
}

module.exports = { launchChromium, watchErrors, summarize, stackHead, CHROMIUM, CHROMIUM_ARGS };

'use strict';
/** Upzelo node in a real n8n. Filled in as the node's operations land (see `git log -- nodes/Upzelo`). */

const cases = [];

module.exports = { cases };

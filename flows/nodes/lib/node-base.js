'use strict';
const { checkNode } = require('./config.js');

/**
 * What every Linli node does first: find the gateway's runtime API (the
 * `linli` settings key the embedding gateway sets) and check its own
 * settings. On a problem the node shows a red status and reports an error
 * (which Node-RED logs and the gateway's flow-set rollback watches for), and
 * the caller leaves the node inert.
 */
function setup(RED, node, config) {
  const api = RED.settings.linli;
  if (!api || typeof api.onEvent !== 'function') {
    node.status({ fill: 'red', shape: 'ring', text: RED._('linli.status.no-runtime') });
    node.error(RED._('linli.errors.no-runtime'));
    return null;
  }
  const problems = checkNode(config, api.vocabulary);
  if (problems.length) {
    const first = problems[0];
    node.status({ fill: 'red', shape: 'ring', text: RED._('linli.status.invalid', { field: first.field }) });
    // The details are the checker's (English, technical); the lead-in is translated.
    node.error(`${RED._('linli.errors.invalid')}: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
    return null;
  }
  return api;
}

/** A message-level failure: red status, and an error Catch nodes can handle. */
function fail(RED, node, msg, key, params, done) {
  const text = RED._(`linli.errors.${key}`, params);
  node.status({ fill: 'red', shape: 'dot', text: RED._(`linli.status.${key}`, params) });
  if (done) done(text);
  else node.error(text, msg);
}

module.exports = { setup, fail };

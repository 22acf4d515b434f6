'use strict';
const { renderText, MAX_TEXT, ID } = require('./lib/config.js');
const { setup, fail } = require('./lib/node-base.js');

/**
 * linli alert: raises a `rule.alert` event through the gateway's outbox, so
 * the alarm is committed to disk and delivered like any device alarm,
 * whether or not the hub is reachable. Text comes from the node's template
 * (`{{payload.floor}}` is filled from the message) or, without one, from a
 * string msg.payload. The device the alert is about is the node's setting,
 * else msg.deviceId, else the gateway itself.
 */
module.exports = function (RED) {
  function LinliAlert(config) {
    RED.nodes.createNode(this, config);
    const api = setup(RED, this, config);
    if (!api) return;
    let raised = 0;
    this.on('input', (msg, send, done) => {
      const text = config.text
        ? renderText(config.text, msg)
        : typeof msg.payload === 'string'
          ? msg.payload.trim()
          : '';
      if (!text) return fail(RED, this, msg, 'no-text', {}, done);
      if (text.length > MAX_TEXT) return fail(RED, this, msg, 'text-too-long', { max: MAX_TEXT }, done);
      const deviceId = config.device || msg.deviceId || undefined;
      if (deviceId !== undefined && (typeof deviceId !== 'string' || !ID.test(deviceId)))
        return fail(RED, this, msg, 'bad-device', { device: String(deviceId) }, done);
      api
        .raiseAlert({ rule: config.rule, severity: config.severity, text, deviceId })
        .then((alert) => {
          raised += 1;
          this.status({ fill: 'yellow', shape: 'dot', text: RED._('linli.status.raised', { count: raised }) });
          msg.alert = alert;
          send(msg);
          done();
        })
        .catch((err) => fail(RED, this, msg, 'raise-failed', { message: err.message }, done));
    });
  }
  RED.nodes.registerType('linli-alert', LinliAlert);
};

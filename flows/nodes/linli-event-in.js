'use strict';
const { eventFilter } = require('./lib/config.js');
const { setup } = require('./lib/node-base.js');

/**
 * linli event in: every event the gateway buffers (devices' readings and
 * alarms, online/offline, other rules' alerts) that matches the filter, as
 * one message each: topic = kind, payload = the event's payload, event = the
 * whole envelope, deviceId and severity for easy switching.
 */
module.exports = function (RED) {
  function LinliEventIn(config) {
    RED.nodes.createNode(this, config);
    const api = setup(RED, this, config);
    if (!api) return;
    const matches = eventFilter(config, api.vocabulary.severities);
    let count = 0;
    this.status({ fill: 'green', shape: 'ring', text: RED._('linli.status.listening') });
    const off = api.onEvent((event) => {
      if (!matches(event)) return;
      count += 1;
      this.status({ fill: 'green', shape: 'dot', text: RED._('linli.status.events', { count }) });
      this.send({
        topic: event.kind,
        payload: event.payload,
        deviceId: event.deviceId,
        severity: event.severity,
        event,
      });
    });
    this.on('close', off);
  }
  RED.nodes.registerType('linli-event-in', LinliEventIn);
};

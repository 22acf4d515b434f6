'use strict';
const { setup, fail } = require('./lib/node-base.js');

/**
 * linli state: the latest polled value of one device data point, for rules
 * that need context ("is the door still open?"). msg.payload = the value,
 * msg.online = whether the device answered its last polls.
 */
module.exports = function (RED) {
  function LinliState(config) {
    RED.nodes.createNode(this, config);
    const api = setup(RED, this, config);
    if (!api) return;
    this.on('input', (msg, send, done) => {
      const state = api.latest(config.device);
      if (!state) return fail(RED, this, msg, 'unknown-device', { device: config.device }, done);
      if (!state.values || !(config.point in state.values))
        return fail(RED, this, msg, 'no-value', { device: config.device, point: config.point }, done);
      msg.payload = state.values[config.point];
      msg.online = state.online;
      this.status({ fill: 'green', shape: 'dot', text: `${config.point} = ${msg.payload}` });
      send(msg);
      done();
    });
  }
  RED.nodes.registerType('linli-state', LinliState);
};

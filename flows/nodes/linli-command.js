'use strict';
const { parseArgs, ID } = require('./lib/config.js');
const { setup, fail } = require('./lib/node-base.js');

/**
 * linli command: acts on a device through its driver (open a gate, take a
 * camera snapshot, switch a relay). The device is the node's setting, else
 * msg.deviceId; arguments are the node's JSON merged with msg.args. The
 * driver's result goes out as msg.payload; a refusal is an error Catch nodes
 * can handle, and the message does not go on.
 */
module.exports = function (RED) {
  function LinliCommand(config) {
    RED.nodes.createNode(this, config);
    const api = setup(RED, this, config);
    if (!api) return;
    const fixed = parseArgs(config.args);
    this.on('input', (msg, send, done) => {
      const deviceId = config.device || msg.deviceId;
      if (typeof deviceId !== 'string' || !ID.test(deviceId))
        return fail(RED, this, msg, 'bad-device', { device: String(deviceId) }, done);
      if (msg.args !== undefined && (msg.args === null || typeof msg.args !== 'object' || Array.isArray(msg.args)))
        return fail(RED, this, msg, 'bad-args', {}, done);
      const args = { ...fixed, ...(msg.args || {}) };
      this.status({ fill: 'blue', shape: 'ring', text: `${config.command} → ${deviceId}` });
      api
        .command(deviceId, config.command, args)
        .then((result) => {
          this.status({ fill: 'green', shape: 'dot', text: `${config.command} ✓ ${deviceId}` });
          msg.payload = result;
          send(msg);
          done();
        })
        .catch((err) =>
          fail(RED, this, msg, 'command-failed', { command: config.command, message: err.message }, done),
        );
    });
  }
  RED.nodes.registerType('linli-command', LinliCommand);
};

'use strict';
/**
 * Checks a Linli node's configuration. One checker for two callers: each node
 * when Node-RED constructs it, and the gateway before it applies a flow set,
 * so a bad setting is refused before anything is deployed rather than found
 * when the rule should have fired. The event kinds and severities come from
 * the caller (the gateway passes the contract's lists), so this file has no
 * copy of the taxonomy to fall out of date.
 */

const ID = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const RULE = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const POINT = /^[a-zA-Z][a-zA-Z0-9_]{0,31}$/;
const GRID_PREFIX = /^[0-9]{1,15}$/;
const COMMANDS = ['gate.open', 'camera.snapshot', 'relay.set'];
const MAX_TEXT = 500;

const LINLI_TYPES = ['linli-event-in', 'linli-alert', 'linli-command', 'linli-state'];

function str(v) {
  return typeof v === 'string' ? v.trim() : v === undefined || v === null ? '' : String(v);
}

/** Splits "a, b" into ["a", "b"]; empty means "any". */
function list(v) {
  return str(v)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function parseArgs(v) {
  const s = str(v);
  if (!s) return {};
  const parsed = JSON.parse(s);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
  return parsed;
}

/**
 * Problems with one node's settings, each `{field, message}`; none means valid.
 * `vocab` = { kinds: string[], severities: string[] }.
 */
function checkNode(node, vocab) {
  const problems = [];
  const bad = (field, message) => problems.push({ field, message });
  const optionalId = (field) => {
    const v = str(node[field]);
    if (v && !ID.test(v)) bad(field, `"${v}" is not a device id (lower-case letters, digits, . _ -)`);
  };
  switch (node.type) {
    case 'linli-event-in':
      for (const k of list(node.kinds)) if (!vocab.kinds.includes(k)) bad('kinds', `unknown event kind "${k}"`);
      optionalId('device');
      if (str(node.grid) && !GRID_PREFIX.test(str(node.grid)))
        bad('grid', `"${str(node.grid)}" is not a grid code or prefix (1–15 digits)`);
      if (str(node.severity) && !vocab.severities.includes(str(node.severity)))
        bad('severity', `unknown severity "${str(node.severity)}"`);
      break;
    case 'linli-alert':
      if (!RULE.test(str(node.rule)))
        bad('rule', 'a rule name is required (lower-case letters, digits, . _ -; up to 64)');
      if (!vocab.severities.includes(str(node.severity))) bad('severity', `unknown severity "${str(node.severity)}"`);
      if (str(node.text).length > MAX_TEXT) bad('text', `text is longer than ${MAX_TEXT} characters`);
      optionalId('device');
      break;
    case 'linli-command':
      optionalId('device');
      if (!COMMANDS.includes(str(node.command)))
        bad('command', `unknown command "${str(node.command)}" (one of ${COMMANDS.join(', ')})`);
      try {
        parseArgs(node.args);
      } catch {
        bad('args', 'arguments must be a JSON object, e.g. {"relay":"siren","on":true}');
      }
      break;
    case 'linli-state':
      if (!ID.test(str(node.device))) bad('device', 'a device id is required');
      if (!POINT.test(str(node.point))) bad('point', 'a data point name is required, e.g. trapped');
      break;
    default:
      bad('type', `not a Linli node: ${node.type}`);
  }
  return problems;
}

/** A filter for `linli-event-in` from its (valid) settings. */
function eventFilter(node, severities) {
  const kinds = list(node.kinds);
  const device = str(node.device);
  const grid = str(node.grid);
  const minRank = str(node.severity) ? severities.indexOf(str(node.severity)) : -1;
  return (e) =>
    (kinds.length === 0 || kinds.includes(e.kind)) &&
    (!device || e.deviceId === device) &&
    (!grid || e.location.gridId.startsWith(grid)) &&
    (minRank < 0 || severities.indexOf(e.severity) >= minRank);
}

/** Fills `{{path.to.value}}` from the message: `电梯困人，{{payload.floor}} 层`. Unknown paths become "?". */
function renderText(template, msg) {
  return str(template).replace(/\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}/g, (_, path) => {
    let v = msg;
    for (const part of path.split('.')) v = v !== null && typeof v === 'object' ? v[part] : undefined;
    return v === undefined || v === null ? '?' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  });
}

module.exports = { checkNode, eventFilter, renderText, parseArgs, LINLI_TYPES, COMMANDS, MAX_TEXT, ID };

// The data folder holds the event buffer (alarms, gate passes, camera pictures), the flow credential key and the local password: the modes are the contract's,
// shared with the hub (contract/src/node/file-modes.ts).
export {
  ensurePrivateDir,
  ensurePrivateFile,
  type LooseMode,
  looseModes,
  looseModesWarning,
} from '@linli/contract/node';

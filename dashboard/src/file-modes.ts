// The data folder holds password and session hashes, the register and the key file: the modes are the contract's,
// shared with the gateway (contract/src/node/file-modes.ts).
export {
  ensurePrivateDir,
  ensurePrivateFile,
  type LooseMode,
  looseModes,
  looseModesWarning,
} from '@linli/contract/node';

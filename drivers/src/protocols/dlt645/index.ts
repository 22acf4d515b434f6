// DL/T 645-2007 electricity meter protocol: frame codec, read messages and a simulated meter.
export {
  ADDRESS_BYTES,
  BROADCAST_ADDRESS,
  decodeAddress,
  encodeAddress,
  isAddressByte,
  normaliseAddress,
  WILDCARD_ADDRESS,
  WILDCARD_BYTE,
} from './address.js';
export {
  type BcdError,
  type BcdResult,
  decodeBcd,
  decodeSignedBcd,
  encodeBcd,
  encodeSignedBcd,
  isBcdByte,
} from './bcd.js';
export {
  ABNORMAL_BIT,
  decodeControl,
  type Dlt645Control,
  FOLLOW_UP_BIT,
  FUNCTION,
  REPLY_BIT,
  replyControl,
} from './control.js';
export {
  DATA_IDS,
  DI_BYTES,
  type DataIdName,
  dataIdName,
  type DataIdSpec,
  decodeValue,
  encodeDi,
  encodeValue,
} from './data-ids.js';
export {
  decodeFrame,
  type Dlt645Frame,
  encodeFrame,
  type EncodeOptions,
  END,
  FRAME_OVERHEAD,
  type FrameInput,
  MAX_DATA_LENGTH,
  MAX_FRAME_BYTES,
  MAX_PREAMBLE,
  PREAMBLE,
  splitFrames,
  START,
} from './frame.js';
export {
  abnormalReply,
  addressReply,
  decodeMeterErrors,
  encodeMeterErrors,
  type MessageError,
  type MessageResult,
  METER_ERRORS,
  type MeterError,
  parseAddressReply,
  parseReadReply,
  readAddressRequest,
  readDataReply,
  readDataRequest,
} from './messages.js';
export { addressMatches, respond, type SimMeter } from './slave.js';

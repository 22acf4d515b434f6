// CJ/T 188-2004 (water, gas and heat meters): frame codec, request/reply messages and a simulated meter.
export { type BcdResult, decodeBcd, encodeBcd } from './bcd.js';
export {
  CONTROL_ABNORMAL,
  CONTROL_FUNCTION_MASK,
  CONTROL_REPLY,
  Di,
  FunctionCode,
  isDi,
  isVolumeMeterType,
  MeterType,
  UNIT_CODES,
  UNIT_M3,
} from './codes.js';
export {
  addressToBytes,
  bytesToAddress,
  checksum,
  type Cjt188Control,
  type Cjt188Frame,
  type Cjt188FrameInput,
  decodeControl,
  decodeFrame,
  encodeFrame,
  MAX_DATA_BYTES,
  MAX_FRAME_BYTES,
  MAX_PREAMBLE,
  MIN_FRAME_BYTES,
} from './frame.js';
export {
  type AddressReply,
  METERING_REPLY_BYTES,
  type MeteringReading,
  parseAddressReply,
  parseMeteringReply,
  readAddressRequest,
  readMeteringRequest,
  type ReplyError,
  type ReplyResult,
  valveState,
  type ValveState,
  WAKE_UP_PREAMBLE,
  WILDCARD_ADDRESS,
} from './messages.js';
export { addressMatches, respond, type SimulatedMeter } from './slave.js';

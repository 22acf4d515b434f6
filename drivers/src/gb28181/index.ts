export {
  canonicalName,
  type DecodeOptions,
  decodeSip,
  encodeSip,
  header,
  headerList,
  MAX_BODY_BYTES,
  MAX_HEADER_BYTES,
  type SipHeader,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from './sip-message.js';
export { parseCSeq, parseNameAddr, parseSipUri, parseVia } from './sip-headers.js';
export { SipDigestVerifier, sipAuthorization, sipChallenge } from './sip-digest.js';
export {
  buildManscdp,
  type Charset,
  decodeBody,
  encodeBody,
  type Manscdp,
  MANSCDP_CONTENT_TYPE,
  parseManscdp,
  text0,
} from './manscdp.js';
export {
  type AlarmNotify,
  alarmXml,
  CatalogAssembler,
  type CatalogItem,
  catalogResponsePages,
  type DeviceInfo,
  deviceInfoXml,
  deviceStatusXml,
  keepaliveXml,
  localIsoTime,
  queryXml,
  readAlarm,
  readCatalogPage,
} from './manscdp-messages.js';
export { domainOf, GB_ID_PATTERN, GB_TYPE, gbIdProblem, parseGbId } from './gb-id.js';
export { type LinkState, type LinkStatus, LowerAgent, type LowerAgentOptions } from './lower-agent.js';
export { type SipPeer, type SipTransportKind } from './sip-transport.js';
export { DEFAULT_TIMERS, type EndpointTimers } from './sip-endpoint.js';
export { messageRequest, registerRequest, type SipParty } from './sip-requests.js';
export { type LiveMedia, type LiveRelaySource, LiveSessions, type LiveSessionsOptions } from './live/live-sessions.js';
export { LiveRelay, type RelayLeg, type RelayTiming } from './live/live-relay.js';
export { LiveStream } from './live/live-stream.js';
export { answerSdp, type MediaOffer, offerSdp, parseOffer } from './live/sdp.js';
export { PSM, rtpPayload } from './live/ps-rtp.js';
export { type CatalogChange, CatalogSubscriptions } from './catalog-subscriptions.js';
export { GbDevice } from './devices/gb-device.js';
export { GbDeviceServer, type OfflineReason } from './devices/device-server.js';
export { acquireServer } from './devices/device-servers.js';
export { eventForAlarm } from './devices/alarm-kinds.js';
export {
  isStop,
  parsePtzCmd,
  type PtzCmdResult,
  type PtzFrame,
  type PtzMotion,
  ptzMotion,
  serialisePtzCmd,
} from './ptz-cmd.js';
export { deviceControlResponseXml, PtzGate, readPtzControl } from './ptz-control.js';

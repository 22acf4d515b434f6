export { BusManager } from './bus/bus-manager.js';
export { HalfDuplexLine } from './line/half-duplex-line.js';
export { LineManager } from './line/line-manager.js';
export { readCjt188Address, readDlt645Address } from './meters/read-address.js';
export { MeterLineSimulator, type MeterLineSimOptions } from './sim/meter-line-sim.js';
export { ModbusBus } from './bus/modbus-bus.js';
export { activeAlarm, meterReading, sosOnPress } from './capabilities.js';
export { inactivityWatch } from './capabilities-care.js';
export { elevatorStatus, entrapmentAlarm, faultCodeAlarm } from './capabilities-elevator.js';
export type {
  Cjt188Definition,
  DeviceDefinition,
  Dlt645Definition,
  IsapiGateDefinition,
  ModbusDefinition,
  DeviceOptions,
  EventRule,
  ModbusPoint,
  PointValues,
  RegisterTable,
  RuleContext,
  ValueFormat,
  WordOrder,
} from './definition.js';
export { WORD_ORDERS } from './definition.js';
export {
  createDevice,
  type DeviceConfig,
  type DeviceContext,
  type DeviceHandle,
  type DeviceLog,
  TRANSPORTS_FOR,
} from './device.js';
export { decodePoint, encodePoint } from './modbus/decode.js';
export { planReads, type ReadBlock } from './modbus/read-plan.js';
export { builtinRegistry, DefinitionRegistry } from './registry.js';
export { type ModbusSimOptions, ModbusSimulator } from './sim/modbus-sim.js';
export { type GateSimOptions, GateSimulator, type RemoteOpen } from './sim/gate-sim.js';
export { GateDevice } from './gate/gate-device.js';
export { type MaskMode, maskId, maskPlate } from './gate/minimise.js';
export {
  busKey,
  type LineConfig,
  lineKey,
  type MeterTransport,
  type IsapiTransport,
  type ModbusTransport,
  type Transport,
  TransportSchema,
} from './transport.js';
export { validateDefinition } from './validate-definition.js';
export {
  discoverCameras,
  type DiscoveredCamera,
  type DiscoverOptions,
  parseProbeMatch,
  parseProbeMatches,
  type ProbeMatch,
  probeMessage,
} from './camera/discovery.js';
export { locateFfmpeg } from './camera/ffmpeg-path.js';
export { grabRtspFrame, liveGrabs } from './camera/ffmpeg-grab.js';
export { fetchHttpSnapshot } from './camera/http-snapshot.js';
export { type MaskPolygon, maskProblems, renderSnapshot, type SnapshotImages, THUMB_WIDTH } from './camera/images.js';
export { atStep, type CameraStep, CameraStepError, STEP_LABEL } from './camera/camera-error.js';
export { type CameraInfo, OnvifClient } from './camera/onvif-client.js';
export { NO_EVENTS_NOTE, OnvifCamera } from './camera/onvif-camera.js';
export { type CameraProbe, probeCamera } from './camera/probe.js';
export { type PumpStats, PullPointPump } from './camera/pull-point-pump.js';
export { PULL_FLOOR_MS, pullWaitMs, renewAt } from './camera/pull-schedule.js';
export { type CameraSignal, mapNotification } from './camera/onvif-topics.js';
export { Semaphore } from './camera/semaphore.js';
export {
  type CameraSnapshot,
  ffmpegSlots,
  grabFrame,
  setFfmpegConcurrency,
  type SnapshotSource,
  takeSnapshot,
} from './camera/snapshot.js';
export type { OnvifDefinition } from './definition.js';
export { OnvifSimulator, type OnvifSimOptions, type SimEventKind } from './sim/onvif-sim.js';
export { type RtspServer, type RtspServerOptions, startRtspServer } from './sim/rtsp-server.js';
export type { OnvifTransport } from './transport.js';
export { IsapiClient } from './gate/isapi-client.js';
export * as dlt645 from './protocols/dlt645/index.js';
export * as cjt188 from './protocols/cjt188/index.js';
export * as gb28181 from './gb28181/index.js';
export { GbPlatformSimulator, type GbPlatformSimOptions, type RegisteredDevice } from './sim/gb-platform-sim.js';
export { inviteLive, type LiveRouter } from './gb28181/live/invite-live.js';
export { LiveReceiver } from './gb28181/live/live-receiver.js';

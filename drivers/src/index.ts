export { BusManager } from './bus/bus-manager.js';
export { ModbusBus } from './bus/modbus-bus.js';
export { activeAlarm, meterReading, sosOnPress } from './capabilities.js';
export { inactivityWatch } from './capabilities-care.js';
export { elevatorStatus, entrapmentAlarm, faultCodeAlarm } from './capabilities-elevator.js';
export type {
  DeviceDefinition,
  DeviceOptions,
  EventRule,
  ModbusPoint,
  PointValues,
  RegisterTable,
  RuleContext,
  ValueFormat,
} from './definition.js';
export { createDevice, type DeviceConfig, type DeviceContext, type DeviceHandle, type DeviceLog } from './device.js';
export { decodePoint, encodePoint } from './modbus/decode.js';
export { planReads, type ReadBlock } from './modbus/read-plan.js';
export { builtinRegistry, DefinitionRegistry } from './registry.js';
export { type ModbusSimOptions, ModbusSimulator } from './sim/modbus-sim.js';
export { busKey, type Transport, TransportSchema } from './transport.js';
export { validateDefinition } from './validate-definition.js';

import { elevatorStatus, entrapmentAlarm, faultCodeAlarm } from '../capabilities-elevator.js';
import type { ModbusDefinition } from '../definition.js';

/**
 * An elevator IoT monitor (梯控安全监测) exposing the GB/T 24476 running data as
 * Modbus holding registers: floor, direction, door, running state, fault code,
 * passenger entrapment, service mode and car occupancy. The register layout is
 * this product's; the data items and their meaning follow the standard.
 */
export const definition: ModbusDefinition = {
  type: 'elevator-monitor',
  title: { zh: '电梯物联网监测终端', en: 'Elevator IoT monitor (GB/T 24476)' },
  protocol: 'modbus',
  points: [
    { name: 'floor', table: 'holding', address: 0, format: 'int16' },
    { name: 'direction', table: 'holding', address: 1, format: 'uint16' },
    { name: 'door', table: 'holding', address: 2, format: 'uint16' },
    { name: 'running', table: 'holding', address: 3, format: 'uint16' },
    { name: 'faultCode', table: 'holding', address: 4, format: 'uint16' },
    { name: 'trapped', table: 'holding', address: 5, format: 'uint16' },
    { name: 'serviceMode', table: 'holding', address: 6, format: 'uint16' },
    { name: 'occupied', table: 'holding', address: 7, format: 'uint16' },
  ],
  rules: [
    elevatorStatus({
      floor: 'floor',
      direction: 'direction',
      door: 'door',
      running: 'running',
      faultCode: 'faultCode',
    }),
    entrapmentAlarm('trapped', 'floor'),
    faultCodeAlarm('faultCode'),
  ],
};

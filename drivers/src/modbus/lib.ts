import { createRequire } from 'node:module';
import type { ModbusRTU as ModbusRTUClass } from 'modbus-serial/ModbusRTU.js';
import type { ServerSerial as ServerSerialClass } from 'modbus-serial/ServerSerial.js';
import type { IServiceVector, ServerTCP as ServerTCPClass } from 'modbus-serial/ServerTCP.js';

// modbus-serial is CommonJS whose typings describe an ES default export; requiring it
// gives the runtime shape (the client class with the servers attached) without interop guesswork.
const require = createRequire(import.meta.url);
const lib = require('modbus-serial') as typeof ModbusRTUClass & {
  ServerTCP: typeof ServerTCPClass;
  ServerSerial: typeof ServerSerialClass;
};

export const ModbusRTU = lib;
export const ServerTCP = lib.ServerTCP;
export const ServerSerial = lib.ServerSerial;
export type ModbusClient = ModbusRTUClass;
export type ServiceVector = IServiceVector;

/**
 * ISAPI access-control event codes (the HCNetSDK `MAJOR_*` / `MINOR_*`
 * values that ISAPI reports as `majorEventType`/`subEventType` on the alert
 * stream and `major`/`minor` in AcsEvent search results), and what each one
 * means for Linli. Only the codes a community gate needs are listed; every
 * other code is ignored (and counted), never guessed at.
 */

export const MAJOR_ALARM = 0x1;
export const MAJOR_OPERATION = 0x3;
export const MAJOR_EVENT = 0x5;

export type PassMethod = 'card' | 'face' | 'qr' | 'password' | 'remote' | 'plate';

export type Meaning =
  | { kind: 'pass'; method: PassMethod }
  | { kind: 'refused'; method: PassMethod; reason: string }
  | { kind: 'forced' }
  | { kind: 'held_open' }
  | { kind: 'door_open' }
  | { kind: 'tamper' };

const pass = (method: PassMethod): Meaning => ({ kind: 'pass', method });
const refused = (method: PassMethod, reason: string): Meaning => ({ kind: 'refused', method, reason });

/** MAJOR_EVENT (0x5) minor codes. */
const EVENT_MINORS: Record<number, Meaning> = {
  0x01: pass('card'), // MINOR_LEGAL_CARD_PASS
  0x02: pass('card'), // MINOR_CARD_AND_PSW_PASS
  0x03: refused('card', 'wrong_password'), // MINOR_CARD_AND_PSW_FAIL
  0x04: refused('card', 'verify_timeout'), // MINOR_CARD_AND_PSW_TIMEOUT
  0x06: refused('card', 'no_permission'), // MINOR_CARD_NO_RIGHT
  0x07: refused('card', 'outside_schedule'), // MINOR_CARD_INVALID_PERIOD
  0x08: refused('card', 'card_expired'), // MINOR_CARD_OUT_OF_DATE
  0x09: refused('card', 'unknown_card'), // MINOR_INVALID_CARD
  0x0a: refused('card', 'anti_passback'), // MINOR_ANTI_SNEAK_FAIL
  0x19: { kind: 'door_open' }, // MINOR_DOOR_OPEN_NORMAL (door contact)
  0x1b: { kind: 'forced' }, // MINOR_DOOR_OPEN_ABNORMAL
  0x1c: { kind: 'held_open' }, // MINOR_DOOR_OPEN_TIMEOUT
  0x22: pass('password'), // MINOR_MULTI_VERIFY_SUPERPASSWD_VERIFY_SUCCESS
  0x39: pass('face'), // MINOR_FACE_AND_PW_VERIFY_PASS
  0x3c: pass('face'), // MINOR_FACE_AND_CARD_VERIFY_PASS
  0x3d: refused('face', 'face_card_mismatch'), // MINOR_FACE_AND_CARD_VERIFY_FAIL
  0x4b: pass('face'), // MINOR_FACE_VERIFY_PASS
  0x4c: refused('face', 'face_not_recognised'), // MINOR_FACE_VERIFY_FAIL
  0x4d: pass('face'), // MINOR_EMPLOYEENO_AND_FACE_VERIFY_PASS
  0x4e: refused('face', 'face_not_recognised'), // MINOR_EMPLOYEENO_AND_FACE_VERIFY_FAIL
  0x50: refused('face', 'face_not_recognised'), // MINOR_FACE_RECOGNIZE_FAIL
  0x65: pass('password'), // MINOR_EMPLOYEENO_AND_PW_PASS
  0x66: refused('password', 'wrong_password'), // MINOR_EMPLOYEENO_AND_PW_FAIL
  0x97: refused('password', 'wrong_password'), // MINOR_PASSWORD_MISMATCH
  0x98: refused('password', 'unknown_person'), // MINOR_EMPLOYEE_NO_NOT_EXIST
};

/** MAJOR_ALARM (0x1) minor codes: the anti-tamper switches. */
const ALARM_MINORS: Record<number, Meaning> = {
  0x404: { kind: 'tamper' }, // MINOR_HOST_DESMANTLE_ALARM (terminal taken off the wall)
  0x406: { kind: 'tamper' }, // MINOR_CARD_READER_DESMANTLE_ALARM
  0x408: { kind: 'tamper' }, // MINOR_CASE_SENSOR_ALARM
};

/** MAJOR_OPERATION (0x3) minor codes. */
const OPERATION_MINORS: Record<number, Meaning> = {
  0x400: pass('remote'), // MINOR_REMOTE_OPEN_DOOR (a platform, e.g. our own gate.open)
};

/** What a (major, minor) pair means, or null for codes Linli does not use. */
export function meaningOf(major: number, minor: number): Meaning | null {
  const table =
    major === MAJOR_EVENT
      ? EVENT_MINORS
      : major === MAJOR_ALARM
        ? ALARM_MINORS
        : major === MAJOR_OPERATION
          ? OPERATION_MINORS
          : null;
  return table?.[minor] ?? null;
}

/** Codes the simulator emits, by name, so it and the table above cannot disagree. */
export const CODES = {
  cardPass: [MAJOR_EVENT, 0x01],
  facePass: [MAJOR_EVENT, 0x4b],
  passwordPass: [MAJOR_EVENT, 0x65],
  unknownCard: [MAJOR_EVENT, 0x09],
  outsideSchedule: [MAJOR_EVENT, 0x07],
  faceFail: [MAJOR_EVENT, 0x4c],
  doorOpen: [MAJOR_EVENT, 0x19],
  doorClosed: [MAJOR_EVENT, 0x1a],
  forced: [MAJOR_EVENT, 0x1b],
  heldOpen: [MAJOR_EVENT, 0x1c],
  tamper: [MAJOR_ALARM, 0x404],
  remoteOpen: [MAJOR_OPERATION, 0x400],
} as const satisfies Record<string, readonly [number, number]>;

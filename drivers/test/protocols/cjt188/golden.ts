// Golden frames, bytes worked out by hand from CJ/T 188-2004 §5 frame format
// (FE… 68 T A0…A6 C L DATA CS 16, CS = sum mod 256 from 68 to the end of DATA)
// and its table of data identifiers (0x901F 计量数据, 0x810A 读地址).
// Meter: cold water (T=10), address 12345678901234, so A0…A6 = 34 12 90 78 56 34 12.
// Header sum 68+10+34+12+90+78+56+34+12 = 104+16+52+18+144+120+86+52+18 = 610.

/** Hex with spaces → bytes. */
export const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/**
 * Read metering data, C 01, L 03, DATA 1F 90 SER=00.
 * CS = 610 + 01 + 03 + 1F (31) + 90 (144) + 00 = 789 = 3·256 + 21 → 0x15.
 */
export const READ_METERING = hex('FE FE FE 68 10 34 12 90 78 56 34 12 01 03 1F 90 00 15 16');

/**
 * Read address: T=AA, address AA×7, C 03, L 03, DATA 81 0A SER=00.
 * CS = 68 + 8·AA + 03 + 03 + 81 + 0A + 00 = 104 + 1360 + 3 + 3 + 129 + 10 = 1609 = 6·256 + 73 → 0x49.
 */
export const READ_ADDRESS = hex('FE FE FE 68 AA AA AA AA AA AA AA AA 03 03 81 0A 00 49 16');

/**
 * Reply to READ_ADDRESS from the meter: C 83, L 03, DATA 81 0A 00, its address in the header.
 * CS = 610 + 83 (131) + 03 + 81 (129) + 0A (10) + 00 = 883 = 3·256 + 115 → 0x73.
 */
export const ADDRESS_REPLY = hex('FE FE FE 68 10 34 12 90 78 56 34 12 83 03 81 0A 00 73 16');

/**
 * Reply to READ_METERING: C 81, L 16 (22):
 *   DI 1F 90 | SER 00 | current flow 78 56 34 12 (123456.78) 2C (m³) | settlement flow 00 00 34 12 (123400.00) 2C
 *   | clock 00 30 14 05 03 26 20 (ss mm hh DD MM YY YY: 2026-03-05 14:30:00) | ST 05 00 (valve closed, battery low).
 * CS = 610 + 81 (129) + 16 (22) = 761
 *    + 1F+90+00 = 31+144+0 = 175 → 936
 *    + 78+56+34+12+2C = 120+86+52+18+44 = 320 → 1256
 *    + 00+00+34+12+2C = 52+18+44 = 114 → 1370
 *    + 00+30+14+05+03+26+20 = 48+20+5+3+38+32 = 146 → 1516
 *    + 05+00 = 5 → 1521 = 5·256 + 241 → 0xF1.
 */
export const METERING_REPLY = hex(
  'FE FE FE 68 10 34 12 90 78 56 34 12 81 16 1F 90 00 78 56 34 12 2C 00 00 34 12 2C 00 30 14 05 03 26 20 05 00 F1 16',
);

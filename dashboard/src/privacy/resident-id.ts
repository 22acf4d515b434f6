/**
 * Citizen identity numbers (公民身份号码, GB 11643-1999): 6-digit address
 * code, 8-digit birth date, 3-digit sequence (odd for men), and an ISO 7064
 * MOD 11-2 check character (0-9 or X).
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The check character for the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

/** Upper-cases a trailing x and trims spaces (Excel and hand entry add both). */
export function normalizeResidentId(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

export type IdProblem = 'format' | 'birth_date' | 'checksum';

/** Why a number is not a valid 18-digit identity number, or null when it is. Never echoes the number. */
export function residentIdProblem(id: string): IdProblem | null {
  if (!/^\d{17}[\dX]$/.test(id)) return 'format';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || date.getTime() > Date.now())
    return 'birth_date';
  if (idCheckChar(id) !== id[17]) return 'checksum';
  return null;
}

export const ID_PROBLEM_TEXT: Record<IdProblem, string> = {
  format: '应为18位数字（最后一位可为X） / expected 18 digits, the last may be X',
  birth_date: '出生日期无效 / the birth date (digits 7-14) is not a real date',
  checksum: '校验位错误（GB 11643） / the check character does not match (GB 11643)',
};

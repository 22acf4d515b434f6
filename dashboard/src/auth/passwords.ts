import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Password hashes with scrypt (RFC 7914, in Node's crypto; no native addon).
 * N=2^15, r=8, p=1: ~32 MiB and tens of ms per guess, the OWASP minimum for
 * scrypt. The parameters travel with the hash so they can be raised later.
 */
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_LEN = 32;
const MAXMEM = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LEN, { N: n, r, p, maxmem: MAXMEM }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, key] = stored.split('$');
  if (alg !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Verified against when the user does not exist, so a wrong name costs the same time as a wrong password. */
let dummy: Promise<string> | null = null;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  return dummy;
}

/** Minimum policy (GB/T 22239 asks for complexity): 10+ characters from at least 3 of 4 classes. */
export function passwordProblem(password: string): string | null {
  if (password.length < 10) return '密码至少 10 位 (password needs at least 10 characters)';
  if (password.length > 256) return '密码过长 (password is longer than 256 characters)';
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3)
    return '密码需包含大写、小写、数字、符号中的至少三类 (use 3 of: lower case, upper case, digits, symbols)';
  return null;
}

/** A random password that satisfies the policy, for accounts created by an administrator. */
export function randomPassword(): string {
  return `Ll-${randomBytes(12).toString('base64url')}7a`;
}

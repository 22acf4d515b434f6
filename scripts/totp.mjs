// Prints the current TOTP code for a secret, like an authenticator app would:
// for logging in to the demo hub as a role that needs a second factor.
//   node scripts/totp.mjs BASE32SECRET
import { Secret, TOTP } from 'otpauth';

const secret = process.argv[2];
if (!secret) {
  console.error('usage: node scripts/totp.mjs BASE32SECRET');
  process.exit(64);
}
const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
const left = 30 - (Math.floor(Date.now() / 1000) % 30);
console.log(`${totp.generate()}  (${left} s left)`);

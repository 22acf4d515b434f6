export {
  DEFAULT_TTL_MS,
  EnrollmentCodes,
  type IssuedCode,
  normaliseCode,
  type RedeemFailure,
} from './enrollment-codes.js';
export { FixedWindowLimiter } from './rate-limit.js';

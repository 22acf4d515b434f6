export { AccessDenied } from './errors.js';
export { FieldCrypto, KEY_FILE } from './field-crypto.js';
export { loadOrCreateKey } from './key-file.js';
export { maskAddress, maskName, maskPhone, maskResidentId } from './mask.js';
export { ID_PROBLEM_TEXT, idCheckChar, type IdProblem, normalizeResidentId, residentIdProblem } from './resident-id.js';
export { type CountRange, figureRange, publishCell, type PublishedRow, publishRow, sumRange } from './safe-counts.js';

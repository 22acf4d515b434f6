/**
 * The register's tables live in the versioned migrations
 * (dashboard/migrations/{sqlite,postgres}/009-people.sql). Personal fields are
 * ciphertext (FieldCrypto); the grid and category stay in clear so counts need
 * no decryption. One row per person and category: a lone elder who is also
 * disabled has two rows, so the lone-elder row can be shown without the other
 * (and correction rows apart from all).
 */
export const PEOPLE_TABLES = ['people_residents', 'people_imports'] as const;

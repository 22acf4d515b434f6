-- Where each roll-up span longer than an hour is sealed to (store/rollups/seals.ts).
-- Ingest counts an event in its hour, and in a quarter day, day or week only
-- once that bucket has ended (a gateway's backlog); a bucket that was still
-- open is written whole by the sealer, from the span before it, once it has
-- ended and settled. Readers use a bucket of these spans only if it ends at or
-- before sealed_to, and read later ones in shorter spans. The rows are written
-- by this migration's code step (the bucket starts of the moment it runs:
-- every bucket ended before then was counted whole by the ingest of earlier
-- versions).
CREATE TABLE rollup_sealed (
  span_ms BIGINT PRIMARY KEY,
  sealed_to BIGINT NOT NULL
);

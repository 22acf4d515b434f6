-- Where a matter's position came from (docs/field.md): 'gps', the phone's
-- fix, or 'pin', placed by the worker on the grid map when there was no fix
-- or a wrong one. Matters reported before this migration came from a fix.
ALTER TABLE field_matters ADD COLUMN position_source TEXT NOT NULL DEFAULT 'gps';

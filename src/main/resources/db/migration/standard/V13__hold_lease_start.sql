-- When this store granted the hold its lease: its creation for a new hold, later for one adopted again from its token
-- (whose created_at stays the token's, which bounds its lifetime). The failback orders competing holds by it, so an
-- adopted hold does not outrank one that kept the time while the adopted one was lost. Holds from before have none
-- and count from created_at.
ALTER TABLE slot_hold ADD COLUMN held_since TIMESTAMP;

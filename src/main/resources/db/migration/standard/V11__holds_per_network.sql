-- The client network a hold was asked from (an IPv4 address, an IPv6 /64, or a hash of a longer text), so that one
-- network's live slots can be counted, in the same transaction as the hold, under a hold_client row of its own
-- ('@' + network) that serialises the network's requests. Holds from before, and adopted ones, have none.
ALTER TABLE slot_hold ADD COLUMN client_network VARCHAR(64);
CREATE INDEX slot_hold_network ON slot_hold (client_network, expires_at);

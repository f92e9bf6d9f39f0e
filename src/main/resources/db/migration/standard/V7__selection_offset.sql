-- A selection names its slot by local time and UTC offset ("02:30+01:00"): in the autumn daylight-saving overlap a
-- local time alone names two starts.
ALTER TABLE slot_selection ALTER COLUMN slot_time SET DATA TYPE VARCHAR(16);

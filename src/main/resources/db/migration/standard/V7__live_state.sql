-- A selection names its slot by local time and UTC offset ("02:30+01:00"): in the autumn daylight-saving overlap a
-- local time alone names two starts.
ALTER TABLE slot_selection ALTER COLUMN slot_time SET DATA TYPE VARCHAR(16);

-- Every change of a booking (reschedule, cancel) raises its revision in the same transaction: the calendar
-- invitation's SEQUENCE, which must grow strictly with every change, however close together (RFC 5546).
ALTER TABLE booking ADD COLUMN revision INT DEFAULT 0 NOT NULL;

-- A per-staff version that rises when the staff member's schedule changes (working hours, time off): every day's
-- effective version is the larger of its own and this one, so one write tells every viewer of every day.
CREATE TABLE schedule_version (
    staff_id BIGINT PRIMARY KEY,
    version  BIGINT NOT NULL
);

-- The job table of db-scheduler (com.github.kagkarlsson:db-scheduler), as the library defines it for MySQL and
-- MariaDB, but with DATETIME(6) instead of TIMESTAMP(6): no implicit ON UPDATE CURRENT_TIMESTAMP on the first
-- column, no 2038 limit; written and read in UTC (the scheduler is built with alwaysPersistTimestampInUTC).
CREATE TABLE scheduled_tasks (
    task_name            VARCHAR(100) NOT NULL,
    task_instance        VARCHAR(200) NOT NULL,
    task_data            BLOB,
    execution_time       DATETIME(6) NOT NULL,
    picked               BOOLEAN NOT NULL,
    picked_by            VARCHAR(100),
    last_success         DATETIME(6) NULL,
    last_failure         DATETIME(6) NULL,
    consecutive_failures INT,
    last_heartbeat       DATETIME(6) NULL,
    version              BIGINT NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance),
    INDEX scheduled_tasks_execution_time (execution_time),
    INDEX scheduled_tasks_last_heartbeat (last_heartbeat),
    INDEX scheduled_tasks_priority_time (priority DESC, execution_time ASC)
);

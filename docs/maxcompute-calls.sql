-- The call index as a MaxCompute external table over OSS (docs/design.md "Query and export").
-- Untested here: no MaxCompute emulator. The columns and types are the Parquet files' own
-- (lib/layout/index-rows.ts INDEX_COLUMNS); `date` is the Hive partition in the path.
-- Replace <bucket>, <prefix> (ARCHIVE_URL's, e.g. calls) and <region> (e.g. cn-hangzhou);
-- the RAM role must be allowed to read oss://<bucket>/<prefix>/index/calls/.
CREATE EXTERNAL TABLE IF NOT EXISTS calls (
  task_id STRING,
  call_id STRING,
  callee STRING,
  caller STRING,
  started_at TIMESTAMP,
  ended_at TIMESTAMP,
  archived_at TIMESTAMP,
  duration_seconds INT,
  dialog_count INT,
  recall_count INT,
  call_result STRING,
  hangup_by STRING,
  transfer_status STRING,
  labels ARRAY<STRING>,
  dialog_text STRING,
  recording_key STRING,
  recording_sha256 STRING,
  recording_content_type STRING,
  recording_bytes BIGINT,
  detail_key STRING
)
PARTITIONED BY (`date` STRING)
STORED AS PARQUET
LOCATION 'oss://oss-<region>-internal.aliyuncs.com/<bucket>/<prefix>/index/calls/'
TBLPROPERTIES ('odps.properties.rolearn' = 'acs:ram::<account>:role/<role>');

-- Each day's partition, once its first part exists (compaction writes one within minutes of
-- the day's first call); run it daily, e.g. from a DataWorks node, for the day just begun:
ALTER TABLE calls ADD IF NOT EXISTS PARTITION (`date` = '2019-06-14');
-- Or every partition the bucket already holds, at once:
MSCK REPAIR TABLE calls ADD PARTITIONS;

-- A call a crashed compaction left in two parts counts twice until the next run; count
-- calls, not rows, where that matters:
-- SELECT count(DISTINCT concat(task_id, '/', call_id)) FROM calls WHERE `date` = '2019-06-14';

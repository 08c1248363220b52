-- fb_role:
CASE WHEN type_text = 'track' AND event_text IN ('Poll Shown') THEN 0
     WHEN type_text = 'track' AND event_text IN ('Poll Answered') THEN 1
     WHEN type_text = 'track' AND FALSE THEN 2 END
-- fb_survey:
COALESCE(CASE WHEN schema_of_variant(variant_get(v, '$.properties.poll')) = 'STRING' THEN NULLIF(variant_get(variant_get(v, '$.properties.poll'), '$', 'string'), '')
     WHEN schema_of_variant(variant_get(v, '$.properties.poll')) IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT') THEN variant_get(variant_get(v, '$.properties.poll'), '$', 'string')
     WHEN schema_of_variant(variant_get(v, '$.properties.poll')) RLIKE '^(DOUBLE|FLOAT|DECIMAL.*)$' THEN
       CASE WHEN try_variant_get(variant_get(v, '$.properties.poll'), '$', 'double') = floor(try_variant_get(variant_get(v, '$.properties.poll'), '$', 'double'))
                 AND abs(try_variant_get(variant_get(v, '$.properties.poll'), '$', 'double')) < CAST('9.0e15' AS DOUBLE)
            THEN CAST(CAST(try_variant_get(variant_get(v, '$.properties.poll'), '$', 'double') AS BIGINT) AS STRING)
            ELSE CAST(try_variant_get(variant_get(v, '$.properties.poll'), '$', 'double') AS STRING) END END,
CASE WHEN schema_of_variant(variant_get(v, '$.properties[\'$survey_id\']')) = 'STRING' THEN NULLIF(variant_get(variant_get(v, '$.properties[\'$survey_id\']'), '$', 'string'), '')
     WHEN schema_of_variant(variant_get(v, '$.properties[\'$survey_id\']')) IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT') THEN variant_get(variant_get(v, '$.properties[\'$survey_id\']'), '$', 'string')
     WHEN schema_of_variant(variant_get(v, '$.properties[\'$survey_id\']')) RLIKE '^(DOUBLE|FLOAT|DECIMAL.*)$' THEN
       CASE WHEN try_variant_get(variant_get(v, '$.properties[\'$survey_id\']'), '$', 'double') = floor(try_variant_get(variant_get(v, '$.properties[\'$survey_id\']'), '$', 'double'))
                 AND abs(try_variant_get(variant_get(v, '$.properties[\'$survey_id\']'), '$', 'double')) < CAST('9.0e15' AS DOUBLE)
            THEN CAST(CAST(try_variant_get(variant_get(v, '$.properties[\'$survey_id\']'), '$', 'double') AS BIGINT) AS STRING)
            ELSE CAST(try_variant_get(variant_get(v, '$.properties[\'$survey_id\']'), '$', 'double') AS STRING) END END)
-- fb_channel:
CASE
  WHEN COALESCE(CASE WHEN schema_of_variant(variant_get(v, '$.properties.medium')) = 'STRING' THEN variant_get(v, '$.properties.medium', 'string') END, '') <> '' THEN CASE CASE WHEN schema_of_variant(variant_get(v, '$.properties.medium')) = 'STRING' THEN variant_get(v, '$.properties.medium', 'string') END WHEN 'mail' THEN 'email' WHEN 'text' THEN 'sms' ELSE CASE WHEN schema_of_variant(variant_get(v, '$.properties.medium')) = 'STRING' THEN variant_get(v, '$.properties.medium', 'string') END END
  WHEN COALESCE(CASE WHEN schema_of_variant(variant_get(v, '$.context.channel')) = 'STRING' THEN variant_get(v, '$.context.channel', 'string') END, '') <> '' THEN CASE CASE WHEN schema_of_variant(variant_get(v, '$.context.channel')) = 'STRING' THEN variant_get(v, '$.context.channel', 'string') END WHEN 'mail' THEN 'email' WHEN 'text' THEN 'sms' ELSE CASE WHEN schema_of_variant(variant_get(v, '$.context.channel')) = 'STRING' THEN variant_get(v, '$.context.channel', 'string') END END END
-- fb_sub:
NULLIF(CASE WHEN schema_of_variant(variant_get(v, '$.properties[\'$survey_submission_id\']')) = 'STRING' THEN variant_get(v, '$.properties[\'$survey_submission_id\']', 'string') END, '')
-- fb_score:
CASE
  WHEN variant_get(v, '$.properties.rating') IS NOT NULL AND NOT is_variant_null(variant_get(v, '$.properties.rating')) THEN CASE
    WHEN schema_of_variant(variant_get(v, '$.properties.rating')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
         AND try_variant_get(variant_get(v, '$.properties.rating'), '$', 'double') BETWEEN CAST('0' AS DOUBLE) AND CAST('10' AS DOUBLE)
         AND try_variant_get(variant_get(v, '$.properties.rating'), '$', 'double') = floor(try_variant_get(variant_get(v, '$.properties.rating'), '$', 'double'))
      THEN CAST(try_variant_get(variant_get(v, '$.properties.rating'), '$', 'double') AS INT)
    WHEN schema_of_variant(variant_get(v, '$.properties.rating')) = 'STRING'
         AND regexp_like(variant_get(variant_get(v, '$.properties.rating'), '$', 'string'), '(?U)^\\s*0*([0-9]|10)\\s*\\z')
      THEN CAST(regexp_extract(variant_get(variant_get(v, '$.properties.rating'), '$', 'string'), '(?U)^\\s*0*([0-9]+)', 1) AS INT) END
END
-- fb_decl:
CASE WHEN FALSE THEN CAST(NULL AS INT) END
-- tz:
NULLIF(CASE WHEN schema_of_variant(variant_get(v, '$.context.timezone')) = 'STRING' THEN variant_get(v, '$.context.timezone', 'string') END, '')

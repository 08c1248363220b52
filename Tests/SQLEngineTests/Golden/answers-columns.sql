-- fb_ans:
CASE WHEN type_text = 'track' AND event_text IN ('Survey Sent', 'survey sent') AND NOT event_text IN ('Survey Shown', 'survey shown') THEN transform(array(try_parse_json(array_join(transform(split(get_json_object(regexp_replace(line, '\\\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\\\u[dD][c-fC-F][0-9a-fA-F]{2})|(?<!\\\\u[dD][89abAB][0-9a-fA-F]{2})\\\\u[dD][c-fC-F][0-9a-fA-F]{2}', '\\\\uFFFD'), '$'),
                                          '(?<=[{,])(?="(?:\\Q$survey_response\\E(?:[^"\\\\]|\\\\.)*|\\Qanswers\\E|\\Qwhy\\E)":)'),
    (s, i) -> CASE WHEN i = 0 THEN s ELSE concat('"', CAST(i AS STRING), '\\u0001', substr(s, 2)) END), ''))), rv -> flatten(transform(array_sort(concat(COALESCE(filter(transform(filter(map_entries(try_variant_get(rv, '$.properties', 'map<string,variant>')), e -> instr(e.key, '\u0001') > 0),
    e -> named_struct('i', try_cast(substring_index(e.key, '\u0001', 1) AS INT),
                      'k', substr(e.key, instr(e.key, '\u0001') + 1), 'x', e.value)),
  e -> e.i IS NOT NULL AND (startswith(e.k, '$survey_response') OR e.k = 'answers')), CAST(array() AS array<struct<i: int, k: string, x: variant>>)),
COALESCE(filter(transform(filter(map_entries(try_variant_get(rv, '$.properties.form', 'map<string,variant>')), e -> instr(e.key, '\u0001') > 0),
    e -> named_struct('i', try_cast(substring_index(e.key, '\u0001', 1) AS INT),
                      'k', substr(e.key, instr(e.key, '\u0001') + 1), 'x', e.value)),
  e -> e.i IS NOT NULL AND (e.k = 'why')), CAST(array() AS array<struct<i: int, k: string, x: variant>>))),
    (a, b) -> CASE WHEN a.i < b.i THEN -1 WHEN a.i > b.i THEN 1 ELSE 0 END),
  e -> CASE WHEN schema_of_variant(e.x) LIKE 'ARRAY%' THEN flatten(transform(try_variant_get(e.x, '$', 'array<variant>'), y ->
       CASE WHEN schema_of_variant(y) LIKE 'OBJECT%' THEN
              CASE WHEN COALESCE(CASE WHEN schema_of_variant(variant_get(y, '$.id')) = 'STRING' THEN variant_get(y, '$.id', 'string') END, '') <> ''
                   THEN transform(CASE WHEN variant_get(y, '$.value') IS NULL OR is_variant_null(variant_get(y, '$.value'))
          OR schema_of_variant(variant_get(y, '$.value')) LIKE 'OBJECT%' THEN CAST(array() AS array<variant>)
     WHEN schema_of_variant(variant_get(y, '$.value')) LIKE 'ARRAY%'
       THEN filter(try_variant_get(variant_get(y, '$.value'), '$', 'array<variant>'), z -> NOT (schema_of_variant(z) LIKE 'OBJECT%' OR schema_of_variant(z) LIKE 'ARRAY%' OR is_variant_null(z)))
     ELSE array(variant_get(y, '$.value')) END, z -> named_struct('key', CASE WHEN schema_of_variant(variant_get(y, '$.id')) = 'STRING' THEN variant_get(y, '$.id', 'string') END, 'val', z))
                   ELSE CAST(array() AS array<struct<key: string, val: variant>>) END
            WHEN (schema_of_variant(y) LIKE 'OBJECT%' OR schema_of_variant(y) LIKE 'ARRAY%' OR is_variant_null(y)) THEN CAST(array() AS array<struct<key: string, val: variant>>)
            ELSE array(named_struct('key', e.k, 'val', y)) END))
     WHEN (schema_of_variant(e.x) LIKE 'OBJECT%' OR schema_of_variant(e.x) LIKE 'ARRAY%' OR is_variant_null(e.x)) THEN CAST(array() AS array<struct<key: string, val: variant>>)
     ELSE array(named_struct('key', e.k, 'val', e.x)) END)))[0] END
-- fb_pscore:
CASE WHEN type_text = 'track' AND event_text IN ('Survey Sent', 'survey sent') AND NOT event_text IN ('Survey Shown', 'survey shown') THEN CASE
  WHEN variant_get(v, '$.properties.score') IS NOT NULL AND NOT is_variant_null(variant_get(v, '$.properties.score')) THEN variant_get(v, '$.properties.score')
  WHEN variant_get(v, '$.properties.survey_response') IS NOT NULL AND NOT is_variant_null(variant_get(v, '$.properties.survey_response')) THEN variant_get(v, '$.properties.survey_response')
  WHEN variant_get(v, '$.properties[\'$survey_response\']') IS NOT NULL AND NOT is_variant_null(variant_get(v, '$.properties[\'$survey_response\']')) THEN variant_get(v, '$.properties[\'$survey_response\']') END END
-- fb_ptext:
CASE WHEN type_text = 'track' AND event_text IN ('Survey Sent', 'survey sent') AND NOT event_text IN ('Survey Shown', 'survey shown') THEN COALESCE(CASE WHEN NOT regexp_like(CASE WHEN schema_of_variant(variant_get(v, '$.properties.survey_response')) = 'STRING' THEN variant_get(v, '$.properties.survey_response', 'string') END, '(?U)^\\s*\\z') AND NOT regexp_like(CASE WHEN schema_of_variant(variant_get(v, '$.properties.survey_response')) = 'STRING' THEN variant_get(v, '$.properties.survey_response', 'string') END, '(?U)(?i)^\\s*[+-]?(?:(?:[0-9]+[.]?[0-9]*|[.][0-9]+)(?:e[+-]?[0-9]+)?|0x(?:[0-9a-f]+[.]?[0-9a-f]*|[.][0-9a-f]+)(?:p[+-]?[0-9]+)?|inf|infinity|nan)\\s*\\z') THEN CASE WHEN schema_of_variant(variant_get(v, '$.properties.survey_response')) = 'STRING' THEN variant_get(v, '$.properties.survey_response', 'string') END END) END
-- ft:
COALESCE(CASE
  WHEN CASE WHEN schema_of_variant(variant_get(v, '$.properties.survey_response')) = 'STRING' THEN variant_get(v, '$.properties.survey_response', 'string') END IS NOT NULL THEN CASE WHEN regexp_like(CASE WHEN schema_of_variant(variant_get(v, '$.properties.survey_response')) = 'STRING' THEN variant_get(v, '$.properties.survey_response', 'string') END, '^ *[+-]?[0-9]+ *\\z')
       AND try_cast(regexp_replace(CASE WHEN schema_of_variant(variant_get(v, '$.properties.survey_response')) = 'STRING' THEN variant_get(v, '$.properties.survey_response', 'string') END, '^ +| +\\z', '') AS BIGINT) IS NOT NULL THEN NULL ELSE CASE WHEN schema_of_variant(variant_get(v, '$.properties.survey_response')) = 'STRING' THEN variant_get(v, '$.properties.survey_response', 'string') END END
  WHEN CASE WHEN schema_of_variant(variant_get(v, '$.properties.answers')) = 'STRING' THEN variant_get(v, '$.properties.answers', 'string') END IS NOT NULL THEN CASE WHEN regexp_like(CASE WHEN schema_of_variant(variant_get(v, '$.properties.answers')) = 'STRING' THEN variant_get(v, '$.properties.answers', 'string') END, '^ *[+-]?[0-9]+ *\\z')
       AND try_cast(regexp_replace(CASE WHEN schema_of_variant(variant_get(v, '$.properties.answers')) = 'STRING' THEN variant_get(v, '$.properties.answers', 'string') END, '^ +| +\\z', '') AS BIGINT) IS NOT NULL THEN NULL ELSE CASE WHEN schema_of_variant(variant_get(v, '$.properties.answers')) = 'STRING' THEN variant_get(v, '$.properties.answers', 'string') END END
  WHEN CASE WHEN schema_of_variant(variant_get(v, '$.properties.form.why')) = 'STRING' THEN variant_get(v, '$.properties.form.why', 'string') END IS NOT NULL THEN CASE WHEN regexp_like(CASE WHEN schema_of_variant(variant_get(v, '$.properties.form.why')) = 'STRING' THEN variant_get(v, '$.properties.form.why', 'string') END, '^ *[+-]?[0-9]+ *\\z')
       AND try_cast(regexp_replace(CASE WHEN schema_of_variant(variant_get(v, '$.properties.form.why')) = 'STRING' THEN variant_get(v, '$.properties.form.why', 'string') END, '^ +| +\\z', '') AS BIGINT) IS NOT NULL THEN NULL ELSE CASE WHEN schema_of_variant(variant_get(v, '$.properties.form.why')) = 'STRING' THEN variant_get(v, '$.properties.form.why', 'string') END END
END,
  CASE WHEN CASE WHEN type_text = 'track' THEN event_text WHEN type_text IN ('page', 'screen') THEN name_text END IN ('Live Chat Message Sent', 'Live Chat Conversation Started')
            AND NOT COALESCE(lower(CASE WHEN schema_of_variant(variant_get(v, '$.properties.sender')) = 'STRING' THEN variant_get(v, '$.properties.sender', 'string') END) IN ('agent', 'assistant', 'bot', 'operator', 'staff', 'system'), FALSE)
       THEN COALESCE(CASE WHEN schema_of_variant(variant_get(v, '$.properties.message_body')) = 'STRING' THEN variant_get(v, '$.properties.message_body', 'string') END, CASE WHEN schema_of_variant(variant_get(v, '$.properties.message')) = 'STRING' THEN variant_get(v, '$.properties.message', 'string') END) END)

-- rules:
--   segment "S": trait children[].age < 3 or trait tags[] = "vip"
-- segment S:
(COALESCE(exists(try_variant_get(p.tl0, '$', 'array<variant>'), el -> COALESCE(((CASE WHEN variant_get(el, '$.age') IS NULL THEN NULL ELSE named_struct(
    't', CASE WHEN schema_of_variant(variant_get(el, '$.age')) = 'STRING' THEN 's' WHEN schema_of_variant(variant_get(el, '$.age')) = 'BOOLEAN' THEN 'b'
              WHEN schema_of_variant(variant_get(el, '$.age')) = 'VOID' THEN 'z'
              WHEN schema_of_variant(variant_get(el, '$.age')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN 'n'
              ELSE 'c' END,
    's', CASE WHEN schema_of_variant(variant_get(el, '$.age')) = 'STRING' THEN variant_get(variant_get(el, '$.age'), '$', 'string') END,
    'n', CASE WHEN schema_of_variant(variant_get(el, '$.age')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
              THEN try_variant_get(variant_get(el, '$.age'), '$', 'double') END,
    'b', CASE WHEN schema_of_variant(variant_get(el, '$.age')) = 'BOOLEAN' THEN variant_get(variant_get(el, '$.age'), '$', 'boolean') END) END).t = 'n' AND (CASE WHEN variant_get(el, '$.age') IS NULL THEN NULL ELSE named_struct(
    't', CASE WHEN schema_of_variant(variant_get(el, '$.age')) = 'STRING' THEN 's' WHEN schema_of_variant(variant_get(el, '$.age')) = 'BOOLEAN' THEN 'b'
              WHEN schema_of_variant(variant_get(el, '$.age')) = 'VOID' THEN 'z'
              WHEN schema_of_variant(variant_get(el, '$.age')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN 'n'
              ELSE 'c' END,
    's', CASE WHEN schema_of_variant(variant_get(el, '$.age')) = 'STRING' THEN variant_get(variant_get(el, '$.age'), '$', 'string') END,
    'n', CASE WHEN schema_of_variant(variant_get(el, '$.age')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
              THEN try_variant_get(variant_get(el, '$.age'), '$', 'double') END,
    'b', CASE WHEN schema_of_variant(variant_get(el, '$.age')) = 'BOOLEAN' THEN variant_get(variant_get(el, '$.age'), '$', 'boolean') END) END).n < CAST('3.0' AS DOUBLE)), FALSE)), FALSE) OR COALESCE(exists(try_variant_get(p.tl1, '$', 'array<variant>'), el -> COALESCE((((CASE WHEN variant_get(el, '$') IS NULL THEN NULL ELSE named_struct(
    't', CASE WHEN schema_of_variant(variant_get(el, '$')) = 'STRING' THEN 's' WHEN schema_of_variant(variant_get(el, '$')) = 'BOOLEAN' THEN 'b'
              WHEN schema_of_variant(variant_get(el, '$')) = 'VOID' THEN 'z'
              WHEN schema_of_variant(variant_get(el, '$')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN 'n'
              ELSE 'c' END,
    's', CASE WHEN schema_of_variant(variant_get(el, '$')) = 'STRING' THEN variant_get(variant_get(el, '$'), '$', 'string') END,
    'n', CASE WHEN schema_of_variant(variant_get(el, '$')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
              THEN try_variant_get(variant_get(el, '$'), '$', 'double') END,
    'b', CASE WHEN schema_of_variant(variant_get(el, '$')) = 'BOOLEAN' THEN variant_get(variant_get(el, '$'), '$', 'boolean') END) END).t = 's' AND (CASE WHEN variant_get(el, '$') IS NULL THEN NULL ELSE named_struct(
    't', CASE WHEN schema_of_variant(variant_get(el, '$')) = 'STRING' THEN 's' WHEN schema_of_variant(variant_get(el, '$')) = 'BOOLEAN' THEN 'b'
              WHEN schema_of_variant(variant_get(el, '$')) = 'VOID' THEN 'z'
              WHEN schema_of_variant(variant_get(el, '$')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN 'n'
              ELSE 'c' END,
    's', CASE WHEN schema_of_variant(variant_get(el, '$')) = 'STRING' THEN variant_get(variant_get(el, '$'), '$', 'string') END,
    'n', CASE WHEN schema_of_variant(variant_get(el, '$')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
              THEN try_variant_get(variant_get(el, '$'), '$', 'double') END,
    'b', CASE WHEN schema_of_variant(variant_get(el, '$')) = 'BOOLEAN' THEN variant_get(variant_get(el, '$'), '$', 'boolean') END) END).s = 'vip')), FALSE)), FALSE))
-- list traits: children, tags

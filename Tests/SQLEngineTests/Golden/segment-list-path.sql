-- rules:
--   segment "S": did "Order Completed" where products[].category = "baby" and products[].price > 50 and tags[] = "gift"
-- segment S:
p.c0 >= 1L
-- per-person column c0:
count_if(e.name = 'Order Completed' AND COALESCE(exists(e.pl0, el -> COALESCE((((CASE WHEN variant_get(el, '$.category') IS NULL THEN NULL ELSE named_struct(
    't', CASE WHEN schema_of_variant(variant_get(el, '$.category')) = 'STRING' THEN 's' WHEN schema_of_variant(variant_get(el, '$.category')) = 'BOOLEAN' THEN 'b'
              WHEN schema_of_variant(variant_get(el, '$.category')) = 'VOID' THEN 'z'
              WHEN schema_of_variant(variant_get(el, '$.category')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN 'n'
              ELSE 'c' END,
    's', CASE WHEN schema_of_variant(variant_get(el, '$.category')) = 'STRING' THEN variant_get(variant_get(el, '$.category'), '$', 'string') END,
    'n', CASE WHEN schema_of_variant(variant_get(el, '$.category')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
              THEN try_variant_get(variant_get(el, '$.category'), '$', 'double') END,
    'b', CASE WHEN schema_of_variant(variant_get(el, '$.category')) = 'BOOLEAN' THEN variant_get(variant_get(el, '$.category'), '$', 'boolean') END) END).t = 's' AND (CASE WHEN variant_get(el, '$.category') IS NULL THEN NULL ELSE named_struct(
    't', CASE WHEN schema_of_variant(variant_get(el, '$.category')) = 'STRING' THEN 's' WHEN schema_of_variant(variant_get(el, '$.category')) = 'BOOLEAN' THEN 'b'
              WHEN schema_of_variant(variant_get(el, '$.category')) = 'VOID' THEN 'z'
              WHEN schema_of_variant(variant_get(el, '$.category')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN 'n'
              ELSE 'c' END,
    's', CASE WHEN schema_of_variant(variant_get(el, '$.category')) = 'STRING' THEN variant_get(variant_get(el, '$.category'), '$', 'string') END,
    'n', CASE WHEN schema_of_variant(variant_get(el, '$.category')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
              THEN try_variant_get(variant_get(el, '$.category'), '$', 'double') END,
    'b', CASE WHEN schema_of_variant(variant_get(el, '$.category')) = 'BOOLEAN' THEN variant_get(variant_get(el, '$.category'), '$', 'boolean') END) END).s = 'baby')), FALSE) AND COALESCE(((CASE WHEN variant_get(el, '$.price') IS NULL THEN NULL ELSE named_struct(
    't', CASE WHEN schema_of_variant(variant_get(el, '$.price')) = 'STRING' THEN 's' WHEN schema_of_variant(variant_get(el, '$.price')) = 'BOOLEAN' THEN 'b'
              WHEN schema_of_variant(variant_get(el, '$.price')) = 'VOID' THEN 'z'
              WHEN schema_of_variant(variant_get(el, '$.price')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN 'n'
              ELSE 'c' END,
    's', CASE WHEN schema_of_variant(variant_get(el, '$.price')) = 'STRING' THEN variant_get(variant_get(el, '$.price'), '$', 'string') END,
    'n', CASE WHEN schema_of_variant(variant_get(el, '$.price')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
              THEN try_variant_get(variant_get(el, '$.price'), '$', 'double') END,
    'b', CASE WHEN schema_of_variant(variant_get(el, '$.price')) = 'BOOLEAN' THEN variant_get(variant_get(el, '$.price'), '$', 'boolean') END) END).t = 'n' AND (CASE WHEN variant_get(el, '$.price') IS NULL THEN NULL ELSE named_struct(
    't', CASE WHEN schema_of_variant(variant_get(el, '$.price')) = 'STRING' THEN 's' WHEN schema_of_variant(variant_get(el, '$.price')) = 'BOOLEAN' THEN 'b'
              WHEN schema_of_variant(variant_get(el, '$.price')) = 'VOID' THEN 'z'
              WHEN schema_of_variant(variant_get(el, '$.price')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN 'n'
              ELSE 'c' END,
    's', CASE WHEN schema_of_variant(variant_get(el, '$.price')) = 'STRING' THEN variant_get(variant_get(el, '$.price'), '$', 'string') END,
    'n', CASE WHEN schema_of_variant(variant_get(el, '$.price')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
              THEN try_variant_get(variant_get(el, '$.price'), '$', 'double') END,
    'b', CASE WHEN schema_of_variant(variant_get(el, '$.price')) = 'BOOLEAN' THEN variant_get(variant_get(el, '$.price'), '$', 'boolean') END) END).n > CAST('50.0' AS DOUBLE)), FALSE)), FALSE) AND COALESCE(exists(e.pl1, el -> COALESCE((((CASE WHEN variant_get(el, '$') IS NULL THEN NULL ELSE named_struct(
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
    'b', CASE WHEN schema_of_variant(variant_get(el, '$')) = 'BOOLEAN' THEN variant_get(variant_get(el, '$'), '$', 'boolean') END) END).s = 'gift')), FALSE)), FALSE))
-- lists: properties.products, properties.tags

-- rules:
--   score spread = max(revenue of "Order Completed") - min(products[].price of "Order Completed" where every products[].category = "baby")
--   segment "S": spread >= 10
-- segment S:
((COALESCE(p.c0, CAST('0.0' AS DOUBLE)) - COALESCE(p.c1, CAST('0.0' AS DOUBLE))) >= CAST('10.0' AS DOUBLE))
-- per-person column c0:
max(CASE WHEN e.name = 'Order Completed' THEN (CASE WHEN abs(CASE WHEN (CASE WHEN e.pv0.t = 'n' THEN e.pv0.n END) IS NOT NULL THEN (CASE WHEN e.pv0.t = 'n' THEN e.pv0.n END) END) < CAST('Infinity' AS DOUBLE) THEN CASE WHEN (CASE WHEN e.pv0.t = 'n' THEN e.pv0.n END) IS NOT NULL THEN (CASE WHEN e.pv0.t = 'n' THEN e.pv0.n END) END END) END)
-- per-person column c1:
min(CASE WHEN e.name = 'Order Completed' AND COALESCE(size(e.pl0) > 0 AND forall(e.pl0, el -> COALESCE((((CASE WHEN variant_get(el, '$.category') IS NULL THEN NULL ELSE named_struct(
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
    'b', CASE WHEN schema_of_variant(variant_get(el, '$.category')) = 'BOOLEAN' THEN variant_get(variant_get(el, '$.category'), '$', 'boolean') END) END).s = 'baby')), FALSE)), FALSE) THEN array_min(transform(e.pl0, el -> (CASE WHEN abs(CASE WHEN (CASE WHEN schema_of_variant(variant_get(el, '$.price')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN try_variant_get(variant_get(el, '$.price'), '$', 'double') END) IS NOT NULL THEN (CASE WHEN schema_of_variant(variant_get(el, '$.price')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN try_variant_get(variant_get(el, '$.price'), '$', 'double') END) END) < CAST('Infinity' AS DOUBLE) THEN CASE WHEN (CASE WHEN schema_of_variant(variant_get(el, '$.price')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN try_variant_get(variant_get(el, '$.price'), '$', 'double') END) IS NOT NULL THEN (CASE WHEN schema_of_variant(variant_get(el, '$.price')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN try_variant_get(variant_get(el, '$.price'), '$', 'double') END) END END))) END)
-- properties: properties.revenue
-- lists: properties.products

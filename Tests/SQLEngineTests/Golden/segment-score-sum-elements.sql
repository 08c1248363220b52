-- rules:
--   score basket = sum(products[].price * products[].quantity / rate of "Order Completed" where products[].category = "baby" and currency = "EUR" in last 90d)
--   segment "S": basket > 20.5
-- segment S:
((CAST(COALESCE(p.c0, CAST(0 AS DECIMAL(38,0))) AS DOUBLE) / CAST('1000000.0' AS DOUBLE)) > CAST('20.5' AS DOUBLE))
-- per-person column c0:
sum(CASE WHEN e.name = 'Order Completed' AND COALESCE(((e.pv1.t = 's' AND e.pv1.s = 'EUR')), FALSE) AND COALESCE(exists(e.pl0, el -> COALESCE((((CASE WHEN variant_get(el, '$.category') IS NULL THEN NULL ELSE named_struct(
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
    'b', CASE WHEN schema_of_variant(variant_get(el, '$.category')) = 'BOOLEAN' THEN variant_get(variant_get(el, '$.category'), '$', 'boolean') END) END).s = 'baby')), FALSE)), FALSE) AND e.time >= n.now - 7776000000L THEN aggregate(filter(e.pl0, el -> COALESCE((((CASE WHEN variant_get(el, '$.category') IS NULL THEN NULL ELSE named_struct(
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
    'b', CASE WHEN schema_of_variant(variant_get(el, '$.category')) = 'BOOLEAN' THEN variant_get(variant_get(el, '$.category'), '$', 'boolean') END) END).s = 'baby')), FALSE)), CAST(0 AS DECIMAL(38,0)), (acc, el) -> acc + COALESCE(CAST(CAST(round((CASE WHEN abs(CASE WHEN (CASE WHEN schema_of_variant(variant_get(el, '$.price')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN try_variant_get(variant_get(el, '$.price'), '$', 'double') END) IS NOT NULL AND (CASE WHEN e.pv0.t = 'n' THEN e.pv0.n END) IS NOT NULL THEN COALESCE(try_divide(((CASE WHEN schema_of_variant(variant_get(el, '$.price')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN try_variant_get(variant_get(el, '$.price'), '$', 'double') END) * COALESCE(CASE WHEN schema_of_variant(variant_get(el, '$.quantity')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN try_variant_get(variant_get(el, '$.quantity'), '$', 'double') END, CAST('1.0' AS DOUBLE))), (CASE WHEN e.pv0.t = 'n' THEN e.pv0.n END)), CAST('0.0' AS DOUBLE)) END) < CAST('Infinity' AS DOUBLE) THEN least(greatest(CASE WHEN (CASE WHEN schema_of_variant(variant_get(el, '$.price')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN try_variant_get(variant_get(el, '$.price'), '$', 'double') END) IS NOT NULL AND (CASE WHEN e.pv0.t = 'n' THEN e.pv0.n END) IS NOT NULL THEN COALESCE(try_divide(((CASE WHEN schema_of_variant(variant_get(el, '$.price')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN try_variant_get(variant_get(el, '$.price'), '$', 'double') END) * COALESCE(CASE WHEN schema_of_variant(variant_get(el, '$.quantity')) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$' THEN try_variant_get(variant_get(el, '$.quantity'), '$', 'double') END, CAST('1.0' AS DOUBLE))), (CASE WHEN e.pv0.t = 'n' THEN e.pv0.n END)), CAST('0.0' AS DOUBLE)) END, - CAST('1000000000000.0' AS DOUBLE)), CAST('1000000000000.0' AS DOUBLE)) END) * CAST('1000000.0' AS DOUBLE)) AS BIGINT) AS DECIMAL(38,0)), CAST(0 AS DECIMAL(38,0)))) END)
-- properties: properties.rate, properties.currency
-- lists: properties.products

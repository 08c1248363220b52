-- rules:
--   score spend = sum(revenue of "Order Completed")
--   segment "S": spend >= 100
-- segment S:
((CAST(COALESCE(p.c0, CAST(0 AS DECIMAL(38,0))) AS DOUBLE) / CAST('1000000.0' AS DOUBLE)) >= CAST('100.0' AS DOUBLE))
-- per-person column c0:
sum(CASE WHEN e.name = 'Order Completed' THEN CAST(CAST(round((CASE WHEN abs(CASE WHEN (CASE WHEN e.pv0.t = 'n' THEN e.pv0.n END) IS NOT NULL THEN (CASE WHEN e.pv0.t = 'n' THEN e.pv0.n END) END) < CAST('Infinity' AS DOUBLE) THEN least(greatest(CASE WHEN (CASE WHEN e.pv0.t = 'n' THEN e.pv0.n END) IS NOT NULL THEN (CASE WHEN e.pv0.t = 'n' THEN e.pv0.n END) END, - CAST('1000000000000.0' AS DOUBLE)), CAST('1000000000000.0' AS DOUBLE)) END) * CAST('1000000.0' AS DOUBLE)) AS BIGINT) AS DECIMAL(38,0)) END)
-- properties: properties.revenue

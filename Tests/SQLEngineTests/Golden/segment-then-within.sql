-- rules:
--   segment "S": did "Signed Up" then did "Product Viewed" where category = "baby" in last 7d then did "Order Completed" within 2d
-- segment S:
COALESCE(q0.done, FALSE)
-- chain q0:
SELECT person, bool_or(s2 IS NOT NULL AND time - s2 <= 172800000L) AS done
FROM (SELECT *, CASE WHEN m2 THEN max(s1) OVER (PARTITION BY person ORDER BY time
                                            RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) END AS s2
FROM (SELECT *, CASE WHEN m1 THEN max(s0) OVER (PARTITION BY person ORDER BY time
                                            RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) END AS s1
FROM (SELECT *, CASE WHEN m0 THEN time END AS s0 FROM (SELECT e.person, e.time, e.name = 'Signed Up' AS m0, e.name = 'Product Viewed' AND COALESCE(((e.pv0.t = 's' AND e.pv0.s = 'baby')), FALSE) AND e.time >= n.now - 604800000L AS m1, e.name = 'Order Completed' AS m2
  FROM es_scope e CROSS JOIN es_now n))))
GROUP BY person
-- properties: properties.category

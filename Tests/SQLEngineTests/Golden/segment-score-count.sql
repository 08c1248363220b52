-- rules:
--   score engaged = count("Product Viewed" in last 30d) * 2 - count("Survey Dismissed") / 4
--   segment "S": engaged >= 3
-- segment S:
(((CAST(p.c0 AS DOUBLE) * CAST('2.0' AS DOUBLE)) - COALESCE(try_divide(CAST(p.c1 AS DOUBLE), CAST('4.0' AS DOUBLE)), CAST('0.0' AS DOUBLE))) >= CAST('3.0' AS DOUBLE))
-- per-person column c0:
count_if(e.name = 'Product Viewed' AND e.time >= n.now - 2592000000L)
-- per-person column c1:
count_if(e.name = 'Survey Dismissed')

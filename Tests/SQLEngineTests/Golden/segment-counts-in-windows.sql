-- rules:
--   segment "S": did "Order Completed" at least 2 times in last 30d
-- segment S:
p.c0 >= 2L
-- per-person column c0:
count_if(e.name = 'Order Completed' AND e.time >= n.now - 2592000000L)

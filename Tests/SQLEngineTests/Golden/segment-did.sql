-- rules:
--   segment "S": did "Order Completed"
-- segment S:
p.c0 >= 1L
-- per-person column c0:
count_if(e.name = 'Order Completed')

-- rules:
--   segment "S": did page where section = "Sale"
-- segment S:
p.c0 >= 1L
-- per-person column c0:
count_if(e.kind IN ('page', 'screen') AND (e.section = 'sale'))
-- reads the page section

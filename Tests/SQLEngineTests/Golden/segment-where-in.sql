-- rules:
--   segment "S": did "V" where size in ["S", 2, true]
-- segment S:
p.c0 >= 1L
-- per-person column c0:
count_if(e.name = 'V' AND COALESCE(((e.pv0.t = 's' AND e.pv0.s = 'S') OR (e.pv0.t = 'n' AND e.pv0.n = CAST('2.0' AS DOUBLE)) OR (e.pv0.t = 'b' AND e.pv0.b = TRUE)), FALSE))
-- properties: properties.size

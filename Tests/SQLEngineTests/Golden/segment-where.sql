-- rules:
--   segment "S": did "V" where category = "baby" and price >= 20 and gift != true and name contains "Set"
-- segment S:
p.c0 >= 1L
-- per-person column c0:
count_if(e.name = 'V' AND COALESCE(((e.pv0.t = 's' AND e.pv0.s = 'baby')), FALSE) AND COALESCE((e.pv1.t = 'n' AND e.pv1.n >= CAST('20.0' AS DOUBLE)), FALSE) AND COALESCE((e.pv2.t = 'b' AND e.pv2.b <> TRUE), FALSE) AND COALESCE((e.pv3.t = 's' AND instr(e.pv3.s, 'Set') > 0), FALSE))
-- properties: properties.category, properties.price, properties.gift, properties.name

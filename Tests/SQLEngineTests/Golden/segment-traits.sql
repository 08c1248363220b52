-- rules:
--   segment "S": trait region = "coastal" and trait plan in ["pro", "plus"] and trait age >= 30
-- segment S:
(COALESCE(((p.tr0.t = 's' AND p.tr0.s = 'coastal')), FALSE) AND COALESCE(((p.tr1.t = 's' AND p.tr1.s = 'pro') OR (p.tr1.t = 's' AND p.tr1.s = 'plus')), FALSE) AND COALESCE((p.tr2.t = 'n' AND p.tr2.n >= CAST('30.0' AS DOUBLE)), FALSE))
-- traits: region, plan, age

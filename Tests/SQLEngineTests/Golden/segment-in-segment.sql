-- rules:
--   segment "A": did "X"
--   segment "S": in "A" and not did "Y"
-- segment S:
((p.c0 >= 1L) AND NOT (p.c1 >= 1L))
-- per-person column c0:
count_if(e.name = 'X')
-- per-person column c1:
count_if(e.name = 'Y')

-- rules:
--   segment "S": not did "X" and (did "Y" at most 1 times or did "Z")
-- segment S:
(NOT (p.c0 >= 1L) AND (p.c1 <= 1L OR p.c2 >= 1L))
-- per-person column c0:
count_if(e.name = 'X')
-- per-person column c1:
count_if(e.name = 'Y')
-- per-person column c2:
count_if(e.name = 'Z')

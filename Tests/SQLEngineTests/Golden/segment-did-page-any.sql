-- rules:
--   segment "S": did page at least 3 times and did any exactly 2 times
-- segment S:
(p.c0 >= 3L AND p.c1 = 2L)
-- per-person column c0:
count_if(e.kind IN ('page', 'screen'))
-- per-person column c1:
count_if(TRUE)

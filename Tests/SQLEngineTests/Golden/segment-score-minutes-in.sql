-- rules:
--   score dwell = minutes_in(section "sale" in last 7d) + -engaged
--   score engaged = count(page)
--   segment "S": dwell > 1.5
-- segment S:
(((CAST(COALESCE(p.c0, 0L) AS DOUBLE) / CAST('60000.0' AS DOUBLE)) + (- CAST(p.c1 AS DOUBLE))) > CAST('1.5' AS DOUBLE))
-- per-person column c0:
sum(CASE WHEN e.kind IN ('page', 'screen') AND (e.section = 'sale') AND e.time >= n.now - 604800000L AND e.next_time <= n.now AND e.next_time - e.time < 1800000L THEN e.next_time - e.time ELSE 0L END)
-- per-person column c1:
count_if(e.kind IN ('page', 'screen'))
-- reads the page section
-- reads each event's next event time

-- V10 re-added search_keys as a new generated column, which leaves it without planner statistics until the next
-- ANALYZE, and autovacuum does not count the rewrite as changes. Measured at a million orders: without statistics the
-- planner took a store's visibility keys for 1% of orders instead of 82% and planned common-name searches badly
-- (0.4–2.2 s instead of 7–51 ms). ANALYZE samples the table (a few seconds at a million orders) and runs once.
ANALYZE customer_order;

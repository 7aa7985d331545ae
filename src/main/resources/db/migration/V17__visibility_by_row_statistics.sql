-- Next to a customer name, OrderSearchRepository tests a store's visibility as (search_keys || ARRAY[]::text[]) so
-- that the GIN index is not used for it (a bitmap of 82% of the orders that removes nothing). PostgreSQL has no
-- statistics for that expression and guesses it matches 0.5% of the orders, so it never expects a count stopped at
-- the count limit to stop early: for a common fragment ("ber", 152,000 of a million names) it built the whole trigram
-- bitmap instead of reading the table until the limit was reached. Statistics on the expression give it the real
-- share. Measured at a million orders, the count of "ber" at one store 49 ms -> 15 ms, "lin" 34 ms -> 17 ms; names
-- with fewer matches keep their trigram plans. Autovacuum's ANALYZE keeps them current; the one below fills them now
-- (a few seconds at a million orders).
CREATE STATISTICS customer_order_visible_by_row ON ((search_keys || ARRAY[]::text[])) FROM customer_order;
ANALYZE customer_order;

-- search_keys stops being a generated column: the hub writes it with the order (OrderRepository.save, keys from
-- OrderSearchRepository.SearchKeys). Measured on the apply path (issue 2 benchmark, pg_stat_statements): the
-- generated column ran customer_order_search_keys twice per upsert (for the row proposed and for the row updated on
-- conflict), each time casting the whole document to jsonb and planning the function's query again; that made the
-- order upsert 0.5 ms of PostgreSQL time, more than every other statement of an apply together. The hub has the
-- document parsed already.
-- Stored keys stay as they are. The function stays too: bulk loads straight into the table (bench/search-seed.sql)
-- and a repair in SQL use it, and a test holds it and the hub's keys to the same result.
ALTER TABLE customer_order ALTER COLUMN search_keys DROP EXPRESSION;

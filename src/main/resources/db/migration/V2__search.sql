-- Order search (api.md "Search"): what its filters and its visibility scope need to stay index-driven at a million
-- orders. Queries: orders/OrderSearchRepository.java.

-- ---------------------------------------------------------------- customerName: case-insensitive substring
-- A substring match ('%jakob%') cannot use a btree; trigram GIN can. pg_trgm ships with PostgreSQL (also in the
-- embedded binaries) and is a trusted extension, so a database owner without superuser may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX customer_order_name_trgm ON customer_order USING gin (lower(customer_name) gin_trgm_ops);

-- ---------------------------------------------------------------- visibility and fulfilment filters
-- Why a derived column and not a join: visibility (domain.md) is "placed at bu OR a fulfilment at bu OR any
-- FULFILLED fulfilment". Written as EXISTS on order_fulfillment, the only plans are a walk of customer_order in
-- changed_at order probing each row (seconds when few orders match: a small store, "ready for pickup"), or a UNION
-- whose FULFILLED branch the planner misjudges (it cannot know FULFILLED is rare among "ready for pickup" orders) and
-- scans a million rows for. Measured on 2 x 1M orders: 0.5-13 s. As keys of one GIN-indexed array on the order row,
-- visibility and the fulfilment filters become one indexable condition with per-element statistics: dense matches
-- walk changed_at and stop at the page, sparse ones come from the index, counts come from bitmaps (1-170 ms).
--
-- The keys are derived from the stored document, the order's source of truth, by the database itself (a generated
-- column), so every writer keeps them right without knowing about them. Each key starts with the tenant, so a posting
-- list and its statistics are per tenant:
--   <tenant>/bu/<bu>                 placed at bu (the column, set from the path), or a fulfilment's business unit
--   <tenant>/bu/*                    some fulfilment is FULFILLED: visible to every business unit (returns, BORIS)
--   <tenant>/fm/<method>             some fulfilment has this fulfillmentMethod
--   <tenant>/fs/<status>             some fulfilment has this status
--   <tenant>/f/<method>/<status>     one fulfilment has both (fulfillmentMethod and fulfillmentStatus filters together)
-- Ids and enum values never contain '/', and '*' is not an id, so keys cannot collide.
CREATE FUNCTION customer_order_search_keys(tenant_id text, business_unit_id text, document text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT array_agg(DISTINCT tenant_id || '/' || key ORDER BY tenant_id || '/' || key)
    FROM (
        SELECT 'bu/' || business_unit_id
        UNION ALL
        SELECT k
        -- jsonb refuses the escape \u0000, which the v2 schema allows in strings: drop it for the keys only
        FROM (SELECT replace(document, '\u0000', '')::jsonb -> 'customerOrder' -> 'fulfillments' AS list) AS d,
             jsonb_array_elements(CASE WHEN jsonb_typeof(d.list) = 'array' THEN d.list ELSE '[]'::jsonb END) AS f,
             LATERAL (VALUES
                 ('bu/' || (f ->> 'fulfillmentBusinessUnitId')),
                 (CASE WHEN f -> 'status' ->> 'status' = 'FULFILLED' THEN 'bu/*' END),
                 ('fm/' || (f ->> 'fulfillmentMethod')),
                 ('fs/' || (f -> 'status' ->> 'status')),
                 ('f/' || (f ->> 'fulfillmentMethod') || '/' || (f -> 'status' ->> 'status'))) AS keys (k)
    ) AS all_keys (key)
    WHERE key IS NOT NULL
$$;

ALTER TABLE customer_order
    ADD COLUMN search_keys text[] GENERATED ALWAYS AS (customer_order_search_keys(tenant_id, business_unit_id, document)) STORED;
CREATE INDEX customer_order_search_keys ON customer_order USING gin (search_keys);

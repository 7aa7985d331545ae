-- One batch of the search benchmark's orders (bench/search-run): orders n = :lo .. :hi of tenant :tenant, written
-- straight into customer_order and order_fulfillment, as the hub would store them after applying an OMS snapshot.
-- Everything is derived from n by hashing, so a run is reproducible and orderCodes are unique per tenant.
-- psql variables: tenant, lo, hi, now (an RFC 3339 time: changes are spread over the year before it).
--
-- Mix, per order: 82% FULFILLED, 10% CANCELLED (history, changed within the last 365 days); 3% CREATED, 3% IN_PROGRESS
-- (being picked), 2% IN_PROGRESS with a pickup READY_FOR_PICKUP (active, changed within the last 14 days). Placed at
-- one of S1..S200 (uniform). First fulfilment: 55% PICKUP_IN_STORE, 15% HOME_DELIVERY_FROM_STORE (at the placing
-- store 85% of the time, another store otherwise), 30% HOME_DELIVERY_FROM_WAREHOUSE (DC1); one store-fulfilled order in
-- ten with 2+ lines has a second, warehouse, fulfilment. 1-4 lines. 300,000 customers (about 3 orders each), names from
-- 60 first names and 120 last names, the last names skewed (the commonest ~3.5% of customers, the rarest ~0.3%).
-- A store-fulfilled fulfilment has an orderCode: 'C' + 6 characters of 0-9A-Z without I L O U, the base-32 digits of
-- (n * 0x2545F491 + 0x1234567) mod 2^30, a bijection of n.

BEGIN;

INSERT INTO customer_order (tenant_id, customer_order_id, business_unit_id, document, status, customer_id,
                            customer_name, origin, applied_seq, oms_snapshot_time, created_at, changed_at,
                            search_keys)
SELECT :'tenant', b.order_id, b.bu, d.document, b.order_status, b.customer_id, b.customer_name, 'OMS', NULL,
       b.changed_at, b.changed_at - (b.u_created * interval '10 days'), b.changed_at,
       customer_order_search_keys(:'tenant', b.bu, d.document)
FROM generate_series(:lo::bigint, :hi::bigint) AS n
CROSS JOIN LATERAL (
    SELECT n,
           'CO' || lpad(n::text, 8, '0') AS order_id,
           'S' || (1 + (hashint8extended(n, 1) & 2147483647) % 200) AS bu,
           (hashint8extended(n, 2) & 2147483647) % 300000 AS cust,
           (hashint8extended(n, 5) & 2147483647) % 1000 AS sb,
           (hashint8extended(n, 6) & 2147483647) % 100 AS mb,
           (hashint8extended(n, 7) & 2147483647) % 10 AS two_b,
           (hashint8extended(n, 8) & 2147483647) % 100 AS other_store_b,
           'S' || (1 + (hashint8extended(n, 11) & 2147483647) % 200) AS other_store,
           (hashint8extended(n, 9) & 2147483647)::float8 / 2147483648.0 AS u_age,
           (hashint8extended(n, 14) & 2147483647)::float8 / 2147483648.0 AS u_created,
           1 + (hashint8extended(n, 10) & 2147483647) % 4 AS nlines
) AS r
CROSS JOIN LATERAL (
    SELECT r.*,
           CASE WHEN r.sb < 820 THEN 'FULFILLED' WHEN r.sb < 920 THEN 'CANCELLED' WHEN r.sb < 950 THEN 'CREATED'
                ELSE 'IN_PROGRESS' END AS order_status,
           CASE WHEN r.sb < 820 THEN 'FULFILLED' WHEN r.sb < 920 THEN 'CANCELLED' WHEN r.sb < 980 THEN 'CREATED'
                ELSE 'READY_FOR_PICKUP' END AS f_status,
           CASE WHEN r.sb >= 980 OR r.mb < 55 THEN 'PICKUP_IN_STORE' WHEN r.mb < 70 THEN 'HOME_DELIVERY_FROM_STORE'
                ELSE 'HOME_DELIVERY_FROM_WAREHOUSE' END AS method1,
           'CUST-' || lpad(r.cust::text, 7, '0') AS customer_id,
           (ARRAY['Anna','Eva','Maria','Karin','Sara','Lena','Emma','Kristina','Johanna','Elin','Ida','Linnea','Hanna',
                  'Maja','Elsa','Alice','Julia','Sofia','Ebba','Wilma','Astrid','Ingrid','Sigrid','Klara','Erik','Lars',
                  'Karl','Anders','Johan','Per','Nils','Mikael','Jan','Hans','Peter','Fredrik','Daniel','Oscar','Lucas',
                  'William','Liam','Hugo','Elias','Alexander','Olof','Gustav','Axel','Viktor','Filip','Anton','Mohammed',
                  'Ali','Ahmed','Fatima','Yasmin','Noah','Leo','Adam','Mia','Nora'])
               [1 + (hashint8extended(r.cust, 3) & 2147483647) % 60] AS first_name,
           (ARRAY['Andersson','Johansson','Karlsson','Nilsson','Eriksson','Larsson','Olsson','Persson','Svensson',
                  'Gustafsson','Pettersson','Jonsson','Jansson','Hansson','Bengtsson','Jönsson','Lindberg','Jakobsson',
                  'Magnusson','Olofsson','Lindström','Lindqvist','Lindgren','Berg','Axelsson','Bergström','Lundberg',
                  'Lind','Lundgren','Lundqvist','Mattsson','Berglund','Fredriksson','Sandberg','Henriksson','Forsberg',
                  'Sjöberg','Wallin','Ali','Engström','Mohamed','Eklund','Danielsson','Lundin','Håkansson','Björk',
                  'Bergman','Gunnarsson','Holm','Wikström','Samuelsson','Isaksson','Fransson','Bergqvist','Nyström',
                  'Holmberg','Arvidsson','Löfgren','Söderberg','Nyberg','Blomqvist','Claesson','Nordström','Mårtensson',
                  'Lundström','Viklund','Björklund','Ahmed','Eliasson','Pålsson','Berggren','Sandström','Lund','Nordin',
                  'Ström','Åberg','Ekström','Holmgren','Sundberg','Hermansson','Dahlberg','Hedlund','Hassan','Sundström',
                  'Sjögren','Ek','Abrahamsson','Martinsson','Öberg','Andreasson','Strömberg','Månsson','Hansen',
                  'Åkesson','Dahl','Lindholm','Norberg','Holmqvist','Nordqvist','Sundqvist','Ekman','Jensen',
                  'Hellström','Nielsen','Lindh','Kaya','Virtanen','Yilmaz','Nguyen','Kowalski','Novak','Müller',
                  'Schmidt','Rossi','García','Silva','Smith','Brown','Murphy','Kovács'])
               [1 + floor(120 * power((hashint8extended(r.cust, 4) & 2147483647)::float8 / 2147483648.0, 1.5))::int]
               AS last_name
) AS q
CROSS JOIN LATERAL (
    SELECT q.*,
           q.first_name || ' ' || q.last_name AS customer_name,
           timestamptz :'now' - (CASE WHEN q.sb < 920 THEN interval '365 days' ELSE interval '14 days' END) * q.u_age
               AS changed_at,
           CASE WHEN q.method1 = 'HOME_DELIVERY_FROM_WAREHOUSE' THEN 'DC1'
                WHEN q.other_store_b < 85 THEN q.bu ELSE q.other_store END AS fbu1,
           q.method1 <> 'HOME_DELIVERY_FROM_WAREHOUSE' AND q.nlines >= 2 AND q.two_b = 0 AS two,
           (q.n * 625341585 + 19088743) & 1073741823 AS code_x
) AS b
CROSS JOIN LATERAL (
    SELECT to_char(b.changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS ts,
           'C' || (SELECT string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((b.code_x >> (5 * (5 - i))) & 31)::int + 1, 1), '' ORDER BY i)
                   FROM generate_series(0, 5) AS i) AS order_code,
           (ARRAY['Stockholm','Göteborg','Malmö','Uppsala','Västerås','Örebro','Linköping','Helsingborg','Jönköping',
                  'Norrköping','Lund','Umeå'])[1 + (hashint8extended(b.cust, 15) & 2147483647) % 12] AS city,
           (ARRAY['Storgatan','Drottninggatan','Kungsgatan','Skolgatan','Järnvägsgatan','Parkvägen','Björkvägen',
                  'Ringvägen','Nygatan','Kyrkogatan'])[1 + (hashint8extended(b.cust, 16) & 2147483647) % 10]
               || ' ' || (1 + (hashint8extended(b.cust, 17) & 2147483647) % 80) AS line1,
           lpad((10000 + (hashint8extended(b.cust, 18) & 2147483647) % 90000)::text, 5, '0') AS postal_code,
           '+467' || lpad(((hashint8extended(b.cust, 19) & 2147483647) % 100000000)::text, 8, '0') AS phone
) AS a
CROSS JOIN LATERAL (
    -- the lines: product, quantity; which fulfilment takes them (the second takes the even lines)
    SELECT jsonb_agg(jsonb_build_object(
               'lineItemId', l.l::text, 'itemId', 'SKU-' || lpad(l.p::text, 5, '0'), 'itemName', l.pname,
               'itemType', 'STOCK', 'quantity', jsonb_build_object('value', l.qty, 'unitOfMeasure', 'EA'),
               'unitPrice', l.price, 'taxableGroupId', 'VAT25', 'itemCategoryId', 'CAT-' || (l.p % 12),
               'isBonusEligible', true) ORDER BY l.l) AS items,
           jsonb_agg(l.fline ORDER BY l.l) FILTER (WHERE NOT b.two OR l.l % 2 = 1) AS f1_lines,
           jsonb_agg(l.fline ORDER BY l.l) FILTER (WHERE b.two AND l.l % 2 = 0) AS f2_lines,
           sum(l.qty * l.price) AS total
    FROM (
        SELECT ll AS l, p, pname, price, qty,
               jsonb_build_object('lineItemId', ll::text, 'itemId', 'SKU-' || lpad(p::text, 5, '0'),
                   'orderedQuantity', qty,
                   'quantity', CASE WHEN line_status IN ('FULFILLED', 'READY_FOR_PICKUP') THEN qty ELSE 0 END,
                   'status', jsonb_build_object('status', line_status,
                       'changedDateTime', to_char(b.changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))) AS fline
        FROM generate_series(1, b.nlines) AS ll
        CROSS JOIN LATERAL (SELECT (hashint8extended(b.n * 8 + ll, 12) & 2147483647) % 40 AS p,
                                   1 + (hashint8extended(b.n * 8 + ll, 13) & 2147483647) % 3 AS qty,
                                   -- a second (warehouse) fulfilment never waits for pickup
                                   CASE WHEN b.two AND ll % 2 = 0 AND b.f_status = 'READY_FOR_PICKUP' THEN 'CREATED'
                                        ELSE b.f_status END AS line_status) AS pq
        CROSS JOIN LATERAL (SELECT
            (ARRAY['Rain jacket','Trail running shoes','Wool socks 3-pack','Fleece sweater','Hiking backpack 30 l',
                   'Down jacket','Thermal base layer','Beanie','Softshell trousers','Gore-Tex boots','Sleeping bag',
                   'Camping stove','Headlamp','Water bottle 1 l','Trekking poles','Sun hat','Insulated gloves',
                   'Merino t-shirt','Tent 2 persons','Sleeping mat','Rain trousers','Kids rain suit','Fleece gloves',
                   'Neck gaiter','Travel towel','First aid kit','Compass','Multitool','Thermos 0.5 l','Dry bag 20 l',
                   'Windbreaker','Shorts','Sandals','Cap','Belt','Day pack 18 l','Running tights','Sports bra',
                   'Swimsuit','Sunglasses'])[pq.p + 1] AS pname,
            (ARRAY[1299.00,1499.00,199.00,599.00,899.00,2499.00,449.00,199.00,999.00,2199.00,1799.00,699.00,399.00,
                   149.00,799.00,249.00,349.00,499.00,2999.00,599.00,799.00,599.00,199.00,149.00,199.00,249.00,
                   299.00,599.00,299.00,199.00,899.00,399.00,499.00,199.00,249.00,599.00,499.00,349.00,449.00,
                   699.00])[pq.p + 1] AS price) AS pp
    ) AS l
) AS li
CROSS JOIN LATERAL (
    SELECT jsonb_build_object('customerOrder', jsonb_build_object(
               'customerOrderId', b.order_id,
               'businessUnitId', b.bu,
               'status', jsonb_build_object('status', b.order_status, 'changedDateTime', a.ts),
               'currencyId', 'SEK',
               'orderOrigin', CASE WHEN b.mb % 3 = 0 THEN 'STORE' ELSE 'WEB' END,
               'items', li.items,
               'fulfillments',
                   jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
                       'fulfillmentId', 'F1',
                       'fulfillmentMethod', b.method1,
                       'fulfillmentBusinessUnitId', b.fbu1,
                       'status', jsonb_build_object('status', b.f_status, 'changedDateTime', a.ts),
                       'lineItems', li.f1_lines,
                       'deliveryAddress', CASE WHEN b.method1 <> 'PICKUP_IN_STORE' THEN jsonb_build_object(
                           'name', b.customer_name, 'line1', a.line1, 'city', a.city, 'countryCode', 'SE',
                           'postalCode', a.postal_code, 'daytimePhoneNumber', a.phone,
                           'email', lower(translate(b.first_name || '.' || b.last_name, 'åäöÅÄÖéáüóí', 'aaoAAOeauoi'))
                                    || b.cust || '@example.com') END,
                       'orderCode', CASE WHEN b.method1 <> 'HOME_DELIVERY_FROM_WAREHOUSE' THEN a.order_code END)))
                   || CASE WHEN b.two THEN jsonb_build_array(jsonb_build_object(
                       'fulfillmentId', 'F2',
                       'fulfillmentMethod', 'HOME_DELIVERY_FROM_WAREHOUSE',
                       'fulfillmentBusinessUnitId', 'DC1',
                       'status', jsonb_build_object('status',
                           CASE WHEN b.f_status = 'READY_FOR_PICKUP' THEN 'CREATED' ELSE b.f_status END,
                           'changedDateTime', a.ts),
                       'lineItems', li.f2_lines,
                       'deliveryAddress', jsonb_build_object(
                           'name', b.customer_name, 'line1', a.line1, 'city', a.city, 'countryCode', 'SE',
                           'postalCode', a.postal_code, 'daytimePhoneNumber', a.phone))) ELSE '[]'::jsonb END,
               'tenders', jsonb_build_array(jsonb_build_object('tenderLineItemId', 'T1', 'tenderId', 'CARD',
                   'amount', li.total)),
               'customer', jsonb_build_object('customerId', b.customer_id, 'name', b.customer_name,
                   'address', jsonb_build_object('name', b.customer_name, 'line1', a.line1, 'city', a.city,
                       'countryCode', 'SE', 'postalCode', a.postal_code))))::text AS document
) AS d;

-- the fulfilment rows, from the documents just written, as OrderRepository derives them
INSERT INTO order_fulfillment (tenant_id, customer_order_id, fulfillment_id, fulfillment_method,
                               fulfillment_business_unit_id, status, order_code, email, phone)
SELECT o.tenant_id, o.customer_order_id, f ->> 'fulfillmentId', f ->> 'fulfillmentMethod',
       f ->> 'fulfillmentBusinessUnitId', f -> 'status' ->> 'status', f ->> 'orderCode',
       lower(trim(f -> 'deliveryAddress' ->> 'email')), lower(trim(f -> 'deliveryAddress' ->> 'daytimePhoneNumber'))
FROM customer_order o,
     jsonb_array_elements(o.document::jsonb -> 'customerOrder' -> 'fulfillments') AS f
WHERE o.tenant_id = :'tenant'
  AND o.customer_order_id BETWEEN 'CO' || lpad(:lo::text, 8, '0') AND 'CO' || lpad(:hi::text, 8, '0');

-- the codes, as minted ones are recorded (V4__store_side.sql), where the schema has that table
SELECT to_regclass('order_code') IS NOT NULL AS has_order_code \gset
\if :has_order_code
INSERT INTO order_code (tenant_id, order_code, customer_order_id, fulfillment_id, minted_at)
SELECT f.tenant_id, f.order_code, f.customer_order_id, f.fulfillment_id, o.created_at
FROM order_fulfillment f
JOIN customer_order o ON o.tenant_id = f.tenant_id AND o.customer_order_id = f.customer_order_id
WHERE f.tenant_id = :'tenant' AND f.order_code IS NOT NULL
  AND f.customer_order_id BETWEEN 'CO' || lpad(:lo::text, 8, '0') AND 'CO' || lpad(:hi::text, 8, '0');
\endif

COMMIT;

"""Set-based SQL for the order flow: a whole chunk of orders in a few statements.

Arrays go in through ``unnest`` on the raw asyncpg connection of the unit of work's session, so
they run in the same transaction as the inbox row and the outbox events. Per-order ORM inserts
would cap throughput far below what platforms report at peak.
"""

from __future__ import annotations

COVER_ORDERS = """
WITH incoming AS (
    SELECT * FROM unnest(
        $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
        $8::timestamptz[], $9::timestamptz[], $10::text[], $11::int8[], $12::text[], $13::text[]
    ) AS t(order_id, worker_id, person_key, industry, city_code,
           accepted_at, ended_at, end_status, contribution_fen, rate_version, month)
), written AS (
    INSERT INTO order_covers AS oc (
        platform_uscc, order_id, worker_id, person_key, industry, city_code,
        accepted_at, ended_at, end_status, contribution_fen, rate_version, month, chunk_id
    )
    SELECT $1, order_id, worker_id, person_key, industry, city_code,
           accepted_at, ended_at, end_status, contribution_fen, rate_version, month, $2
    FROM incoming
    -- A redelivered order changes nothing; an order that now reports its end closes its window.
    ON CONFLICT (platform_uscc, order_id) DO UPDATE
        SET ended_at = EXCLUDED.ended_at, end_status = EXCLUDED.end_status
        WHERE oc.ended_at IS NULL AND EXCLUDED.ended_at IS NOT NULL
    RETURNING industry, city_code, month, contribution_fen, (xmax = 0) AS inserted
), booked AS (
    INSERT INTO contribution_ledger AS l (platform_uscc, month, industry, orders, contribution_fen)
    SELECT $1, month, industry, count(*), sum(contribution_fen)
    FROM written WHERE inserted GROUP BY month, industry
    ORDER BY month, industry  -- one lock order for every writer: no deadlock between replicas
    ON CONFLICT (platform_uscc, month, industry) DO UPDATE
        SET orders = l.orders + EXCLUDED.orders,
            contribution_fen = l.contribution_fen + EXCLUDED.contribution_fen,
            updated_at = now()
)
SELECT industry, city_code, month, count(*) AS orders, sum(contribution_fen)::int8 AS fen
FROM written WHERE inserted
GROUP BY industry, city_code, month
ORDER BY industry, city_code, month
"""

# Enrol each worker of the chunk at their first order, once per (platform, worker).
ENROL_WORKERS = """
WITH firsts AS (
    SELECT DISTINCT ON (worker_id) worker_id, person_key, city_code, accepted_at
    FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[])
        AS t(worker_id, person_key, city_code, accepted_at)
    ORDER BY worker_id, accepted_at
)
INSERT INTO coverages (
    id, hire_id, person_key, masked_resident_id, enterprise_uscc, scheme, status,
    start_date, city_code, district_code, started_at, worker_id
)
SELECT gen_random_uuid(), NULL, f.person_key, coalesce(w.masked_resident_id, ''), $1,
       'occupational_injury_protection', 'active',
       (f.accepted_at AT TIME ZONE 'Asia/Shanghai')::date,
       coalesce(nullif(w.city_code, ''), f.city_code), NULL, $6, f.worker_id
FROM firsts f
LEFT JOIN gig_workers w ON w.platform_uscc = $1 AND w.worker_id = f.worker_id
ON CONFLICT (enterprise_uscc, worker_id) WHERE worker_id IS NOT NULL DO NOTHING
RETURNING *
"""

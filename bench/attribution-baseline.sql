-- The PostgreSQL baseline of the attribution benchmark: the rule-based models as the plain SQL a data team would
-- write (window functions), with the same rules as the Java engine: touches after the close or more than 365 days
-- before the opportunity excluded, milestones held by the last touch at or before them, positional weights
-- normalised, 7-day half-life, and largest-remainder rounding so credits sum exactly to the amount.
-- Input: bench_deal, bench_touch (loaded by bench/run-attribution.sh). Output: bench_credit.
SET work_mem = '512MB';
\timing on
\echo 'SQL: rule-based full recompute (8 models) into bench_credit'
CREATE UNLOGGED TABLE bench_credit AS
WITH elig AS (
    SELECT t.id, t.deal_id, t.at, t.channel, t.campaign, d.amount, d.lead_at, d.opp_at, d.qual_at, d.closed_at,
           d.won,
           row_number() OVER (PARTITION BY t.deal_id ORDER BY t.at, t.id) AS rn,
           count(*) OVER (PARTITION BY t.deal_id) AS n
      FROM bench_touch t JOIN bench_deal d ON d.id = t.deal_id
     WHERE (d.closed_at IS NULL OR t.at <= d.closed_at) AND t.at >= d.opp_at - interval '365 days'
), ms AS (
    SELECT e.*,
           max(rn) FILTER (WHERE at <= lead_at) OVER (PARTITION BY deal_id) AS lead_rn,
           max(rn) FILTER (WHERE at <= opp_at) OVER (PARTITION BY deal_id) AS opp_rn,
           max(rn) FILTER (WHERE at <= qual_at) OVER (PARTITION BY deal_id) AS qual_rn,
           max(rn) FILTER (WHERE won AND at <= closed_at) OVER (PARTITION BY deal_id) AS won_rn
      FROM elig e
), holders AS (
    -- milestone weight of each touch per positional model, and whether it is a middle touch for that model
    SELECT ms.*,
           0.4 * (rn = 1)::int + 0.4 * coalesce((rn = lead_rn)::int, 0) AS u_m,
           0.3 * (rn = 1)::int + 0.3 * coalesce((rn = lead_rn)::int, 0) + 0.3 * coalesce((rn = opp_rn)::int, 0)
               AS w_m,
           0.225 * ((rn = 1)::int + coalesce((rn = lead_rn)::int, 0) + coalesce((rn = opp_rn)::int, 0)
                    + coalesce((rn = won_rn)::int, 0)) AS f_m,
           0.5 * coalesce((rn = qual_rn)::int, 0) + 0.3 * coalesce((rn = won_rn)::int, 0) AS c_m
      FROM ms
), middles AS (
    SELECT h.*,
           count(*) FILTER (WHERE u_m = 0) OVER (PARTITION BY deal_id) AS u_mid,
           count(*) FILTER (WHERE w_m = 0) OVER (PARTITION BY deal_id) AS w_mid,
           count(*) FILTER (WHERE f_m = 0) OVER (PARTITION BY deal_id) AS f_mid,
           count(*) FILTER (WHERE c_m = 0) OVER (PARTITION BY deal_id) AS c_mid
      FROM holders h
), weighted AS (
    SELECT m.model, x.id, x.deal_id, x.channel, x.campaign, x.amount, x.rn,
           CASE m.model
               WHEN 'first_touch' THEN (x.rn = 1)::int::float8
               WHEN 'last_touch' THEN (x.rn = x.n)::int::float8
               WHEN 'linear' THEN 1.0
               WHEN 'time_decay' THEN power(2.0, -extract(epoch FROM coalesce(x.closed_at, now()) - x.at)
                                                 / (7 * 86400.0))
               WHEN 'u_shaped' THEN CASE WHEN x.u_m > 0 THEN x.u_m ELSE 0.2 / x.u_mid END
               WHEN 'w_shaped' THEN CASE WHEN x.w_m > 0 THEN x.w_m ELSE 0.1 / x.w_mid END
               WHEN 'full_path' THEN CASE WHEN x.f_m > 0 THEN x.f_m ELSE 0.1 / x.f_mid END
               WHEN 'custom' THEN CASE WHEN x.c_m > 0 THEN x.c_m ELSE 0.2 / x.c_mid END
           END AS w
      FROM middles x
     CROSS JOIN unnest(ARRAY['first_touch', 'last_touch', 'linear', 'time_decay', 'u_shaped', 'w_shaped',
                             'full_path', 'custom']) AS m(model)
), floored AS (
    SELECT q.*, floor(q.quota)::bigint AS fl, q.quota - floor(q.quota) AS rem
      FROM (SELECT weighted.*, amount * w / sum(w) OVER (PARTITION BY model, deal_id) AS quota FROM weighted) q
), ranked AS (
    SELECT f.*,
           amount - sum(fl) OVER (PARTITION BY model, deal_id) AS leftover,
           row_number() OVER (PARTITION BY model, deal_id ORDER BY (w > 0) DESC, round(rem::numeric, 6) DESC, rn)
               AS rrank
      FROM floored f
)
SELECT model, deal_id, id AS touch_id, channel, campaign, fl + (rrank <= leftover)::int AS credit
  FROM ranked
UNION ALL
SELECT m.model, d.id, NULL, 'UNATTRIBUTED', NULL, d.amount
  FROM bench_deal d
 CROSS JOIN unnest(ARRAY['first_touch', 'last_touch', 'linear', 'time_decay', 'u_shaped', 'w_shaped', 'full_path',
                         'custom']) AS m(model)
 WHERE NOT EXISTS (SELECT 1 FROM bench_touch t WHERE t.deal_id = d.id AND (d.closed_at IS NULL OR t.at <= d.closed_at)
                      AND t.at >= d.opp_at - interval '365 days');
\timing off
\echo 'SQL check: deals whose credits do not add up to the amount (must be 0)'
SELECT count(*) AS wrong_sums
  FROM (SELECT c.model, c.deal_id, sum(c.credit) AS s FROM bench_credit c GROUP BY 1, 2) x
  JOIN bench_deal d ON d.id = x.deal_id
 WHERE x.s <> d.amount;
SELECT count(*) AS credit_rows, count(DISTINCT deal_id) AS deals FROM bench_credit;
\echo 'SQL vs Java: credits of the first 1,000 deals that differ (must be 0)'
SELECT count(*) AS differing_credits
  FROM bench_java_credit j
  LEFT JOIN bench_credit c ON c.model = j.model AND c.deal_id = j.deal_id AND c.touch_id = j.touch_id
 WHERE c.credit IS DISTINCT FROM j.credit;

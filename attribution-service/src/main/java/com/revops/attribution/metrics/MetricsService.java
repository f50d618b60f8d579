package com.revops.attribution.metrics;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.attribution.definitions.Definition;
import com.revops.attribution.definitions.DefinitionService;
import com.revops.attribution.models.ModelType;
import com.revops.platform.web.Problem;
import com.revops.platform.web.ProblemException;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The shared revenue model's metrics, computed in SQL from the deals, their stage history and the live credits,
 * under the signed definition. Every answer names the definition version and the freshness of each source.
 * Amounts are in the definition's reporting currency, minor units.
 */
@ApplicationScoped
public class MetricsService {

    public static final Set<String> QPC_GROUPS = Set.of("period", "source", "channel", "campaign", "team");
    public static final Set<String> PERIODS = Set.of("day", "week", "month", "quarter", "year");

    /** Stage history, with the current stage at creation for deals whose history we never saw. */
    static final String STAGES = """
            stages AS (SELECT deal_id, changed_at, stage FROM deal_stage_change
                       UNION ALL
                       SELECT d.id, d.created_at, d.stage FROM deal d
                        WHERE d.stage IS NOT NULL
                          AND NOT EXISTS (SELECT 1 FROM deal_stage_change s WHERE s.deal_id = d.id)),
            qualified AS (SELECT s.deal_id, min(s.changed_at) AS qualified_at FROM stages s
                            JOIN deal d ON d.id = s.deal_id AND NOT d.deleted
                           WHERE s.stage = ANY($1) GROUP BY s.deal_id)""";

    private final Pool pool;
    private final DefinitionService definitions;
    private final com.revops.attribution.deals.DealLoader loader;

    public MetricsService(Pool pool, DefinitionService definitions, com.revops.attribution.deals.DealLoader loader) {
        this.pool = pool;
        this.definitions = definitions;
        this.loader = loader;
    }

    /** Stage conversion: deals created in the period that reached each stage (or a later one). */
    public record StageRow(String stage, long reached, double conversionToNext) {
    }

    /** Pipeline velocity of the QPC cohort and its components. */
    public record VelocityRow(long qualifiedDeals, long won, long lost, long open, double winRate,
            long averageWonMinor, double averageCycleDays, long velocityPerDayMinor) {
    }

    /** CAC payback of a segment. */
    public record PaybackRow(String segment, long spendMinor, long sourcedWonMinor, long spendWithoutRate,
            Double paybackMonths) {
    }

    public Uni<Answer<StageRow>> stageConversion(Instant from, Instant to) {
        check(from, to);
        return definitions.active().chain(def -> {
            List<String> order = def.body().pipelineStages();
            String sql = "WITH " + STAGES + """
                    , reach AS (SELECT s.deal_id,
                                       max(CASE WHEN s.stage = ANY($4) THEN $5 ELSE array_position($6, s.stage) END)
                                           AS idx
                                  FROM stages s JOIN deal d ON d.id = s.deal_id AND NOT d.deleted
                                 WHERE d.created_at >= $2 AND d.created_at < $3 GROUP BY s.deal_id)
                    SELECT coalesce(idx, 0) AS idx, count(*) AS n FROM reach
                     WHERE cardinality($1) >= 0 GROUP BY 1""";
            return pool.preparedQuery(sql).execute(Tuple.from(new Object[] {qualifiedStages(def), utc(from), utc(to),
                    def.body().wonStages().toArray(new String[0]), order.size() + 1, order.toArray(new String[0])}))
                    .map(rows -> {
                        long[] at = new long[order.size() + 2];
                        rows.forEach(r -> at[r.getInteger("idx")] += r.getLong("n"));
                        long[] reached = new long[order.size() + 2];
                        for (int i = order.size() + 1; i >= 1; i--) {
                            reached[i] = at[i] + (i + 1 < reached.length ? reached[i + 1] : 0);
                        }
                        List<StageRow> out = new ArrayList<>();
                        for (int i = 1; i <= order.size() + 1; i++) {
                            String name = i <= order.size() ? order.get(i - 1) : "won";
                            double next = i <= order.size() && reached[i] > 0 ? reached[i + 1] / (double) reached[i]
                                    : 0;
                            out.add(new StageRow(name, reached[i], next));
                        }
                        return out;
                    }).chain(rows -> answer("stage-conversion", def, params("from", from, "to", to, "stageOrder",
                            order), "deals created in the period that reached each stage or a later one (won "
                            + "counts as the last); conversionToNext = share that went on to the next stage", rows));
        });
    }

    public Uni<Answer<VelocityRow>> velocity(Instant from, Instant to) {
        check(from, to);
        return definitions.active().chain(def -> {
            String sql = "WITH " + STAGES + """
                    , won AS (SELECT deal_id, min(changed_at) AS won_at FROM stages WHERE stage = ANY($4)
                               GROUP BY deal_id),
                    amt AS (SELECT deal_id, sum(coalesce(reporting_minor, 0)) AS total FROM live_credit
                             WHERE model = 'FIRST_TOUCH' GROUP BY deal_id)
                    SELECT count(*) AS n,
                           count(*) FILTER (WHERE d.stage = ANY($4)) AS won,
                           count(*) FILTER (WHERE d.stage = ANY($5)) AS lost,
                           coalesce(avg(a.total) FILTER (WHERE d.stage = ANY($4)), 0) AS avg_won,
                           coalesce(avg(extract(epoch FROM w.won_at - d.created_at) / 86400.0)
                               FILTER (WHERE d.stage = ANY($4)), 0) AS cycle_days
                      FROM qualified q JOIN deal d ON d.id = q.deal_id
                      LEFT JOIN won w ON w.deal_id = q.deal_id LEFT JOIN amt a ON a.deal_id = q.deal_id
                     WHERE q.qualified_at >= $2 AND q.qualified_at < $3""";
            return pool.preparedQuery(sql).execute(Tuple.from(new Object[] {qualifiedStages(def), utc(from), utc(to),
                    def.body().wonStages().toArray(new String[0]), def.body().lostStages().toArray(new String[0])}))
                    .map(rows -> {
                        Row r = rows.iterator().next();
                        long n = r.getLong("n");
                        long won = r.getLong("won");
                        long lost = r.getLong("lost");
                        double winRate = won + lost == 0 ? 0 : won / (double) (won + lost);
                        long avgWon = r.getNumeric("avg_won").longValue();
                        double cycle = r.getNumeric("cycle_days").doubleValue();
                        long velocity = cycle <= 0 ? 0 : Math.round(n * avgWon * winRate / cycle);
                        return List.of(new VelocityRow(n, won, lost, n - won - lost, winRate, avgWon, cycle,
                                velocity));
                    }).chain(rows -> answer("pipeline-velocity", def, params("from", from, "to", to),
                            "QPC cohort of the period: qualified deals x average won amount x win rate (won / "
                            + "closed) / average days from creation to win", rows));
        });
    }

    public Uni<Answer<PaybackRow>> cacPayback(Instant from, Instant to) {
        check(from, to);
        return definitions.active().chain(def -> loader.rates(pool, def.body().reportingCurrency()).chain(rates -> {
            String reporting = def.body().reportingCurrency();
            Map<String, long[]> bySegment = new java.util.TreeMap<>();
            Map<String, String> segmentOfCampaign = new java.util.HashMap<>();
            return pool.preparedQuery("""
                    SELECT coalesce(segment, '(none)') AS segment, campaign, amount_minor, currency, period_start
                      FROM campaign_spend WHERE period_start >= $1::date AND period_start < $2::date""")
                    .execute(Tuple.of(utc(from).toLocalDate(), utc(to).toLocalDate()))
                    .invoke(rows -> rows.forEach(r -> {
                        long[] agg = bySegment.computeIfAbsent(r.getString("segment"), k -> new long[3]);
                        segmentOfCampaign.put(r.getString("campaign"), r.getString("segment"));
                        java.math.BigDecimal rate = rates.rate(r.getString("currency"), r.getLocalDate("period_start"));
                        if (rate == null) {
                            agg[2] += 1;
                        } else {
                            agg[0] += com.revops.attribution.models.Money.convert(r.getLong("amount_minor"),
                                    r.getString("currency"), reporting, rate);
                        }
                    }))
                    .chain(() -> pool.preparedQuery("WITH " + STAGES + """
                            , won AS (SELECT s.deal_id FROM stages s
                                        JOIN deal d ON d.id = s.deal_id AND NOT d.deleted AND d.stage = ANY($4)
                                       WHERE s.stage = ANY($4) GROUP BY s.deal_id
                                      HAVING max(s.changed_at) >= $2 AND max(s.changed_at) < $3)
                            SELECT lc.campaign, sum(coalesce(lc.reporting_minor, 0)) AS revenue
                              FROM live_credit lc JOIN won USING (deal_id)
                             WHERE lc.model = 'FIRST_TOUCH' AND lc.campaign IS NOT NULL AND cardinality($1) >= 0
                             GROUP BY lc.campaign""").execute(Tuple.from(new Object[] {qualifiedStages(def), utc(from),
                            utc(to), def.body().wonStages().toArray(new String[0])})))
                    .map(rows -> {
                        rows.forEach(r -> {
                            String segment = segmentOfCampaign.get(r.getString("campaign"));
                            if (segment != null) {
                                bySegment.get(segment)[1] += r.getLong("revenue");
                            }
                        });
                        int months = def.body().contractMonthsOrDefault();
                        int margin = def.body().grossMarginOrDefault();
                        List<PaybackRow> out = new ArrayList<>();
                        bySegment.forEach((segment, agg) -> {
                            double monthlyGross = agg[1] / (double) months * margin / 100.0;
                            out.add(new PaybackRow(segment, agg[0], agg[1], agg[2],
                                    monthlyGross <= 0 ? null : agg[0] / monthlyGross));
                        });
                        return out;
                    })
                    .chain(rows -> answer("cac-payback", def, params("from", from, "to", to, "contractMonths",
                            def.body().contractMonthsOrDefault(), "grossMarginPercent",
                            def.body().grossMarginOrDefault()), "per segment: spend of its campaigns starting in the "
                            + "period / monthly gross revenue of the deals those campaigns sourced (first touch) and "
                            + "won in the period (amount / contractMonths x gross margin); null = no sourced revenue. "
                            + "spendWithoutRate counts spend rows left out for lack of an exchange rate", rows));
        }));
    }

    /** When each source last changed, and how many deals still wait for their recompute. */
    public record Freshness(Instant dealsUpdatedAt, Instant touchpointsRecordedAt, Instant leadsUpdatedAt,
            Instant firstTouchesAt, Instant creditsComputedAt, long dealsPendingRecompute, Instant answeredAt) {
    }

    /** Every metric answer: what it is, under which definition, how fresh, and its rows. */
    public record Answer<T>(String metric, Definition.Ref definition, String model, String currency,
            Map<String, Object> parameters, String note, Freshness freshness, List<T> rows) {
    }

    /** A QPC row. */
    public record QpcRow(String key, long amountMinor, long deals) {
    }

    /** A deal behind a metric value. */
    public record QpcRecord(UUID dealId, String name, Instant qualifiedAt, String stage, long creditMinor,
            long dealAmountMinor) {
    }

    /** Pipeline-to-revenue by sourcing team. */
    public record ConversionRow(String key, long qualifiedMinor, long wonWithinCycleMinor, long qualifiedDeals,
            long wonDeals, double rate) {
    }

    /** Lead-to-opportunity by source. */
    public record LeadConversionRow(String source, long leads, long opportunities, double rate) {
    }

    /** TTFT by channel. */
    public record TtftRow(String channel, long leads, double averageSeconds, double medianSeconds,
            double p90Seconds) {
    }

    /** Sourced (exclusive), influenced (non-additive) and last touch, per channel. */
    public record SourcedRow(String channel, long sourcedMinor, double sourcedShare, long influencedMinor,
            long lastTouchMinor) {
    }

    public Uni<Freshness> freshness() {
        return pool.query("""
                SELECT (SELECT max(updated_at) FROM deal) AS deals,
                       (SELECT max(recorded_at) FROM touchpoint) AS touches,
                       (SELECT max(updated_at) FROM lead_fact WHERE created_at IS NOT NULL) AS leads,
                       (SELECT max(first_touched_at) FROM lead_fact) AS first_touches,
                       (SELECT max(computed_at) FROM live_credit) AS credits,
                       (SELECT count(*) FROM deal_dirty) AS pending""").execute().map(rows -> {
            Row r = rows.iterator().next();
            return new Freshness(t(r, "deals"), t(r, "touches"), t(r, "leads"), t(r, "first_touches"),
                    t(r, "credits"), r.getLong("pending"), Instant.now());
        });
    }

    public Uni<Answer<QpcRow>> qpc(Instant from, Instant to, String groupBy, String period) {
        String group = groupBy == null ? "channel" : groupBy;
        String unit = period == null ? "month" : period;
        check(from, to);
        if (!QPC_GROUPS.contains(group)) {
            throw bad("groupBy", "one of " + QPC_GROUPS);
        }
        if (!PERIODS.contains(unit)) {
            throw bad("period", "one of " + PERIODS);
        }
        return definitions.active().chain(def -> {
            String key = qpcKey(group);
            String sql = "WITH " + STAGES + """
                    SELECT %s AS key, sum(coalesce(lc.reporting_minor, 0)) AS amount, count(DISTINCT q.deal_id) AS deals
                      FROM qualified q
                      JOIN live_credit lc ON lc.deal_id = q.deal_id AND lc.model = $4
                      JOIN deal d ON d.id = q.deal_id
                     WHERE q.qualified_at >= $2 AND q.qualified_at < $3 AND $5::text IS NOT NULL
                     GROUP BY 1 ORDER BY 2 DESC, 1""".formatted(key);
            return pool.preparedQuery(sql).execute(Tuple.from(new Object[] {qualifiedStages(def), utc(from), utc(to),
                    liveModel(def), unit}))
                    .map(rows -> {
                        List<QpcRow> out = new ArrayList<>();
                        rows.forEach(r -> out.add(new QpcRow(r.getString("key"), r.getLong("amount"),
                                r.getLong("deals"))));
                        return out;
                    })
                    .chain(rows -> answer("qualified-pipeline-created", def, params("from", from, "to", to, "groupBy",
                            group, "period", unit), "deals that first passed the signed qualification bar in the "
                            + "period, current amount, split by the signed model's credits (sums to the QPC total)",
                            rows));
        });
    }

    public Uni<Answer<QpcRecord>> qpcRecords(Instant from, Instant to, String groupBy, String period, String key,
            int page, int size) {
        String group = groupBy == null ? "channel" : groupBy;
        String unit = period == null ? "month" : period;
        check(from, to);
        if (!QPC_GROUPS.contains(group) || !PERIODS.contains(unit)) {
            throw bad("groupBy", "one of " + QPC_GROUPS + " with period one of " + PERIODS);
        }
        return definitions.active().chain(def -> {
            String sql = "WITH " + STAGES + """
                    SELECT q.deal_id, d.name, q.qualified_at, d.stage,
                           sum(coalesce(lc.reporting_minor, 0)) FILTER (WHERE %1$s = $6) AS credit,
                           sum(coalesce(lc.reporting_minor, 0)) AS total
                      FROM qualified q
                      JOIN live_credit lc ON lc.deal_id = q.deal_id AND lc.model = $4
                      JOIN deal d ON d.id = q.deal_id
                     WHERE q.qualified_at >= $2 AND q.qualified_at < $3 AND $5::text IS NOT NULL
                     GROUP BY q.deal_id, d.name, q.qualified_at, d.stage
                    HAVING bool_or(%1$s = $6)
                     ORDER BY q.qualified_at, q.deal_id LIMIT $7 OFFSET $8""".formatted(qpcKey(group));
            return pool.preparedQuery(sql).execute(Tuple.from(new Object[] {qualifiedStages(def), utc(from), utc(to),
                    liveModel(def), unit, key, size, page * size})).map(rows -> {
                        List<QpcRecord> out = new ArrayList<>();
                        rows.forEach(r -> out.add(new QpcRecord(r.getUUID("deal_id"), r.getString("name"),
                                t(r, "qualified_at"), r.getString("stage"), r.getLong("credit"), r.getLong("total"))));
                        return out;
                    }).chain(rows -> answer("qualified-pipeline-created/records", def, params("from", from, "to", to,
                            "groupBy", group, "period", unit, "key", key, "page", page, "size", size),
                            "the deals behind one QPC value, with the credit each gives to it", rows));
        });
    }

    public Uni<Answer<ConversionRow>> pipelineToRevenue(Instant from, Instant to) {
        check(from, to);
        return definitions.active().chain(def -> {
            String sql = "WITH " + STAGES + """
                    , won AS (SELECT s.deal_id, min(s.changed_at) AS won_at FROM stages s WHERE s.stage = ANY($4)
                               GROUP BY s.deal_id),
                    sourced AS (SELECT lc.deal_id, max(lc.team) AS team, sum(coalesce(lc.reporting_minor, 0)) AS amount
                                  FROM live_credit lc WHERE lc.model = 'FIRST_TOUCH' GROUP BY lc.deal_id)
                    SELECT CASE WHEN s.team IN ('marketing', 'partner') THEN 'marketing-sourced'
                                WHEN s.team IN ('sdr', 'ae') THEN 'sales-sourced'
                                ELSE 'unattributed' END AS key,
                           sum(s.amount) AS qualified, count(*) AS qualified_deals,
                           coalesce(sum(s.amount) FILTER (WHERE d.stage = ANY($4)
                               AND w.won_at <= q.qualified_at + make_interval(days => $5)), 0) AS won,
                           count(*) FILTER (WHERE d.stage = ANY($4)
                               AND w.won_at <= q.qualified_at + make_interval(days => $5)) AS won_deals
                      FROM qualified q JOIN deal d ON d.id = q.deal_id
                      JOIN sourced s ON s.deal_id = q.deal_id
                      LEFT JOIN won w ON w.deal_id = q.deal_id
                     WHERE q.qualified_at >= $2 AND q.qualified_at < $3
                     GROUP BY 1 ORDER BY 1""";
            return pool.preparedQuery(sql).execute(Tuple.from(new Object[] {qualifiedStages(def), utc(from), utc(to),
                    def.body().wonStages().toArray(new String[0]), def.body().expectedCycleDays()})).map(rows -> {
                        List<ConversionRow> out = new ArrayList<>();
                        long q = 0;
                        long w = 0;
                        long qd = 0;
                        long wd = 0;
                        for (Row r : rows) {
                            out.add(conversion(r.getString("key"), r.getLong("qualified"), r.getLong("won"),
                                    r.getLong("qualified_deals"), r.getLong("won_deals")));
                            q += r.getLong("qualified");
                            w += r.getLong("won");
                            qd += r.getLong("qualified_deals");
                            wd += r.getLong("won_deals");
                        }
                        out.add(conversion("all", q, w, qd, wd));
                        return out;
                    }).chain(rows -> answer("pipeline-to-revenue", def, params("from", from, "to", to,
                            "expectedCycleDays", def.body().expectedCycleDays()), "share of QPC of the period that "
                            + "closed won within the expected cycle, by sourcing team (team of the first touch)",
                            rows));
        });
    }

    public Uni<Answer<LeadConversionRow>> leadToOpportunity(Instant from, Instant to) {
        check(from, to);
        return definitions.active().chain(def -> pool.preparedQuery("""
                SELECT coalesce(lf.source, '(unknown)') AS source, count(*) AS leads,
                       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM deal_contact dc JOIN deal d ON d.id = dc.deal_id
                                                       AND NOT d.deleted WHERE dc.lead_id = lf.lead_id)) AS opps
                  FROM lead_fact lf WHERE lf.created_at >= $1 AND lf.created_at < $2
                 GROUP BY 1 ORDER BY 2 DESC, 1""").execute(Tuple.of(utc(from), utc(to))).map(rows -> {
            List<LeadConversionRow> out = new ArrayList<>();
            rows.forEach(r -> out.add(new LeadConversionRow(r.getString("source"), r.getLong("leads"),
                    r.getLong("opps"),
                    r.getLong("leads") == 0 ? 0 : r.getLong("opps") / (double) r.getLong("leads"))));
            return out;
        }).chain(rows -> answer("lead-to-opportunity", def, params("from", from, "to", to),
                "leads created in the period that became a contact of a deal, by lead source", rows)));
    }

    public Uni<Answer<TtftRow>> ttftByChannel(Instant from, Instant to) {
        check(from, to);
        return definitions.active().chain(def -> pool.preparedQuery("""
                SELECT coalesce(channel, '(none)') AS channel, count(*) AS leads, avg(ttft_seconds) AS avg,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY ttft_seconds) AS p50,
                       percentile_cont(0.9) WITHIN GROUP (ORDER BY ttft_seconds) AS p90
                  FROM lead_fact WHERE first_touched_at >= $1 AND first_touched_at < $2 AND ttft_seconds IS NOT NULL
                 GROUP BY 1 ORDER BY 1""").execute(Tuple.of(utc(from), utc(to))).map(rows -> {
            List<TtftRow> out = new ArrayList<>();
            rows.forEach(r -> out.add(new TtftRow(r.getString("channel"), r.getLong("leads"),
                    r.getNumeric("avg").doubleValue(), r.getDouble("p50"), r.getDouble("p90"))));
            return out;
        }).chain(rows -> answer("time-to-first-touch", def, params("from", from, "to", to),
                "lead created -> first touch (from routing), by lead channel", rows)));
    }

    public Uni<Answer<SourcedRow>> sourcedInfluenced(Instant from, Instant to) {
        check(from, to);
        return definitions.active().chain(def -> {
            String sql = "WITH " + STAGES + """
                    , won AS (SELECT s.deal_id, max(s.changed_at) AS won_at FROM stages s
                                JOIN deal d ON d.id = s.deal_id AND NOT d.deleted AND d.stage = ANY($4)
                               WHERE s.stage = ANY($4) GROUP BY s.deal_id
                              HAVING max(s.changed_at) >= $2 AND max(s.changed_at) < $3),
                    amt AS (SELECT lc.deal_id, sum(coalesce(lc.reporting_minor, 0)) AS total FROM live_credit lc
                              JOIN won USING (deal_id) WHERE lc.model = 'FIRST_TOUCH' GROUP BY lc.deal_id),
                    lines AS (SELECT lc.* FROM live_credit lc JOIN won USING (deal_id))
                    SELECT c.channel,
                           coalesce((SELECT sum(coalesce(l.reporting_minor, 0)) FROM lines l
                                      WHERE l.model = 'FIRST_TOUCH' AND l.channel = c.channel), 0) AS sourced,
                           coalesce((SELECT sum(coalesce(l.reporting_minor, 0)) FROM lines l
                                      WHERE l.model = 'LAST_TOUCH' AND l.channel = c.channel), 0) AS last_touch,
                           coalesce((SELECT sum(a.total) FROM amt a WHERE EXISTS (
                                      SELECT 1 FROM lines l WHERE l.deal_id = a.deal_id AND l.model = 'LINEAR'
                                         AND l.channel = c.channel)), 0) AS influenced
                      FROM (SELECT DISTINCT channel FROM lines) c ORDER BY 2 DESC, 1""";
            return pool.preparedQuery(sql).execute(Tuple.from(new Object[] {qualifiedStages(def), utc(from), utc(to),
                    def.body().wonStages().toArray(new String[0])})).map(rows -> {
                        List<Row> all = new ArrayList<>();
                        rows.forEach(all::add);
                        long total = all.stream().mapToLong(r -> r.getLong("sourced")).sum();
                        List<SourcedRow> out = new ArrayList<>();
                        all.forEach(r -> out.add(new SourcedRow(r.getString("channel"), r.getLong("sourced"),
                                total == 0 ? 0 : r.getLong("sourced") / (double) total, r.getLong("influenced"),
                                r.getLong("last_touch"))));
                        return out;
                    }).chain(rows -> answer("sourced-vs-influenced", def, params("from", from, "to", to),
                            "won revenue closed in the period. sourced: first touch, exclusive, sums to 100%. "
                            + "influenced: revenue of every deal the channel touched before the close - NOT ADDITIVE, "
                            + "never add it up or on top of sourced. lastTouch: exclusive, sums to 100%", rows));
        });
    }

    /**
     * The records behind one value of a metric other than QPC (which has {@link #qpcRecords}), paginated, as
     * column -> value rows: {@code pipeline-to-revenue} (key = marketing-sourced, sales-sourced, unattributed or all:
     * the qualified deals and whether each was won within the cycle), {@code sourced-vs-influenced} (key = channel:
     * the won deals it sourced, influenced or last-touched), {@code lead-to-opportunity} (key = source: the leads and
     * their deal if any), {@code ttft} (key = channel: the first touches).
     */
    public Uni<Answer<Map<String, Object>>> records(String metric, Instant from, Instant to, String key, int page,
            int size) {
        check(from, to);
        if (key == null) {
            throw bad("key", "required: the key of the row to explain");
        }
        return definitions.active().chain(def -> {
            String sql;
            Object[] args;
            switch (metric) {
                case "pipeline-to-revenue" -> {
                    sql = "WITH " + STAGES + """
                            , won AS (SELECT s.deal_id, min(s.changed_at) AS won_at FROM stages s
                                       WHERE s.stage = ANY($4) GROUP BY s.deal_id),
                            sourced AS (SELECT lc.deal_id, max(lc.team) AS team,
                                               sum(coalesce(lc.reporting_minor, 0)) AS amount
                                          FROM live_credit lc WHERE lc.model = 'FIRST_TOUCH' GROUP BY lc.deal_id),
                            x AS (SELECT q.deal_id, d.name, q.qualified_at, d.stage, s.amount AS qualified_minor, s.team,
                                         CASE WHEN s.team IN ('marketing', 'partner') THEN 'marketing-sourced'
                                              WHEN s.team IN ('sdr', 'ae') THEN 'sales-sourced'
                                              ELSE 'unattributed' END AS sourcing,
                                         (d.stage = ANY($4) AND w.won_at <= q.qualified_at
                                             + make_interval(days => $5)) AS won_within_cycle, w.won_at
                                    FROM qualified q JOIN deal d ON d.id = q.deal_id
                                    JOIN sourced s ON s.deal_id = q.deal_id LEFT JOIN won w ON w.deal_id = q.deal_id
                                   WHERE q.qualified_at >= $2 AND q.qualified_at < $3)
                            SELECT * FROM x WHERE $6 = 'all' OR sourcing = $6
                             ORDER BY qualified_at, deal_id LIMIT $7 OFFSET $8""";
                    args = new Object[] {qualifiedStages(def), utc(from), utc(to),
                            def.body().wonStages().toArray(new String[0]), def.body().expectedCycleDays(), key, size,
                            page * size};
                }
                case "sourced-vs-influenced" -> {
                    sql = "WITH " + STAGES + """
                            , won AS (SELECT s.deal_id, max(s.changed_at) AS won_at FROM stages s
                                        JOIN deal d ON d.id = s.deal_id AND NOT d.deleted AND d.stage = ANY($4)
                                       WHERE s.stage = ANY($4) GROUP BY s.deal_id
                                      HAVING max(s.changed_at) >= $2 AND max(s.changed_at) < $3)
                            SELECT w.deal_id, d.name, w.won_at,
                                   (SELECT sum(coalesce(reporting_minor, 0)) FROM live_credit l
                                     WHERE l.deal_id = w.deal_id AND l.model = 'FIRST_TOUCH') AS deal_amount_minor,
                                   coalesce((SELECT sum(coalesce(reporting_minor, 0)) FROM live_credit l
                                     WHERE l.deal_id = w.deal_id AND l.model = 'FIRST_TOUCH' AND l.channel = $5), 0)
                                       AS sourced_minor,
                                   coalesce((SELECT sum(coalesce(reporting_minor, 0)) FROM live_credit l
                                     WHERE l.deal_id = w.deal_id AND l.model = 'LAST_TOUCH' AND l.channel = $5), 0)
                                       AS last_touch_minor
                              FROM won w JOIN deal d ON d.id = w.deal_id
                             WHERE EXISTS (SELECT 1 FROM live_credit l WHERE l.deal_id = w.deal_id
                                              AND l.model = 'LINEAR' AND l.channel = $5) AND cardinality($1) >= 0
                             ORDER BY w.won_at, w.deal_id LIMIT $6 OFFSET $7""";
                    args = new Object[] {qualifiedStages(def), utc(from), utc(to),
                            def.body().wonStages().toArray(new String[0]), key, size, page * size};
                }
                case "lead-to-opportunity" -> {
                    sql = """
                            SELECT lf.lead_id, lf.email, lf.created_at,
                                   (SELECT dc.deal_id FROM deal_contact dc JOIN deal d ON d.id = dc.deal_id
                                     AND NOT d.deleted WHERE dc.lead_id = lf.lead_id ORDER BY d.created_at LIMIT 1)
                                       AS deal_id
                              FROM lead_fact lf
                             WHERE lf.created_at >= $1 AND lf.created_at < $2 AND coalesce(lf.source, '(unknown)') = $3
                             ORDER BY lf.created_at, lf.lead_id LIMIT $4 OFFSET $5""";
                    args = new Object[] {utc(from), utc(to), key, size, page * size};
                }
                case "ttft" -> {
                    sql = """
                            SELECT lead_id, email, created_at, first_touched_at, ttft_seconds, first_touch_via
                              FROM lead_fact
                             WHERE first_touched_at >= $1 AND first_touched_at < $2 AND ttft_seconds IS NOT NULL
                               AND coalesce(channel, '(none)') = $3
                             ORDER BY first_touched_at, lead_id LIMIT $4 OFFSET $5""";
                    args = new Object[] {utc(from), utc(to), key, size, page * size};
                }
                default -> throw new ProblemException.NotFound("no records for metric " + metric);
            }
            return pool.preparedQuery(sql).execute(Tuple.from(args)).map(rows -> {
                List<Map<String, Object>> out = new ArrayList<>();
                for (Row r : rows) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    for (int i = 0; i < r.size(); i++) {
                        Object v = r.getValue(i);
                        m.put(camel(r.getColumnName(i)), v instanceof OffsetDateTime t ? t.toInstant() : v);
                    }
                    out.add(m);
                }
                return out;
            }).chain(rows -> answer(metric + "/records", def, params("from", from, "to", to, "key", key, "page", page,
                    "size", size), "the records behind one value of " + metric, rows));
        });
    }

    static String camel(String column) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : column.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }

    private <T> Uni<Answer<T>> answer(String metric, Definition def, Map<String, Object> params, String note,
            List<T> rows) {
        return freshness().map(f -> new Answer<>(metric, def.ref(), liveModel(def), def.body().reportingCurrency(),
                params, note, f, rows));
    }

    static ConversionRow conversion(String key, long q, long w, long qd, long wd) {
        return new ConversionRow(key, q, w, qd, wd, q == 0 ? 0 : w / (double) q);
    }

    static String qpcKey(String group) {
        return switch (group) {
            case "period" -> "to_char(date_trunc($5, q.qualified_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')";
            case "campaign" -> "coalesce(lc.campaign, '(none)')";
            case "team" -> "coalesce(lc.team, CASE WHEN lc.channel = 'UNATTRIBUTED' THEN 'unattributed' "
                    + "ELSE '(unknown)' END)";
            case "source" -> "coalesce(d.source, (SELECT lf.source FROM deal_contact dc JOIN lead_fact lf ON "
                    + "lf.lead_id = dc.lead_id WHERE dc.deal_id = d.id ORDER BY dc.is_primary DESC, lf.created_at "
                    + "NULLS LAST LIMIT 1), '(unknown)')";
            default -> "lc.channel";
        };
    }

    /** The model of the shared numbers: the signed one (validation keeps it rule-based, with live credits). */
    static String liveModel(Definition def) {
        ModelType m = def.body().modelType();
        return m == null ? ModelType.U_SHAPED.name() : m.name();
    }

    static String[] qualifiedStages(Definition def) {
        List<String> s = new ArrayList<>(def.body().qualifiedStages());
        s.addAll(def.body().wonStages());
        return s.toArray(new String[0]);
    }

    static void check(Instant from, Instant to) {
        if (from == null || to == null) {
            throw bad(from == null ? "from" : "to", "required (ISO instant)");
        }
        if (!from.isBefore(to)) {
            throw bad("to", "must be after from");
        }
    }

    static ProblemException bad(String field, String message) {
        return new ProblemException.Unprocessable("invalid metric parameters",
                List.of(new Problem.Violation(field, message)));
    }

    static Map<String, Object> params(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static Instant t(Row r, String c) {
        OffsetDateTime v = r.getOffsetDateTime(c);
        return v == null ? null : v.toInstant();
    }

    static OffsetDateTime utc(Instant i) {
        return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}

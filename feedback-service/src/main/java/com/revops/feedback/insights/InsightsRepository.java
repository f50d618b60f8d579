package com.revops.feedback.insights;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Counts for insights, in SQL over the lead cohort of a period (leads created in [from, to)). A lead counts as
 * disqualified when its latest disqualification still stands (ACTIVE or RECYCLED); one re-qualified by a dispute
 * or re-opened by sales does not.
 */
@ApplicationScoped
public class InsightsRepository {

    /** The leads of the cohort with the disqualification that counts for each. */
    public static final String COHORT = """
            FROM lead_context lc
            LEFT JOIN LATERAL (SELECT x.id, x.reason_code, x.reason_category
                                 FROM disqualification x
                                WHERE x.lead_id = lc.lead_id AND x.state IN ('ACTIVE', 'RECYCLED')
                                ORDER BY x.disqualified_at DESC LIMIT 1) d ON true
            WHERE coalesce(lc.crm_created_at, lc.first_seen_at) >= $1
              AND coalesce(lc.crm_created_at, lc.first_seen_at) < $2
              AND lc.merged_into IS NULL""";

    private final Pool pool;

    public InsightsRepository(Pool pool) {
        this.pool = pool;
    }

    /** Leads, disqualified leads and the reason / category mix per value of {@code dim}. */
    public Uni<List<RateTable.Cell>> cells(Dimension dim, Instant from, Instant to) {
        String sql = "SELECT coalesce(lc." + dim.column + ", '(none)') AS value, "
                + "coalesce(d.reason_code, CASE WHEN d.id IS NULL THEN NULL ELSE 'MISSING' END) AS reason, "
                + "coalesce(d.reason_category, CASE WHEN d.id IS NULL THEN NULL ELSE 'missing' END) AS category, "
                + "count(*) AS leads, count(d.id) AS disqualified " + COHORT + " GROUP BY 1, 2, 3";
        return pool.preparedQuery(sql).execute(Tuple.of(utc(from), utc(to))).map(rows -> {
            Map<String, long[]> totals = new LinkedHashMap<>();
            Map<String, Map<String, Long>> reasons = new TreeMap<>();
            Map<String, Map<String, Long>> categories = new TreeMap<>();
            for (Row r : rows) {
                String value = r.getString("value");
                long[] t = totals.computeIfAbsent(value, k -> new long[2]);
                t[0] += r.getLong("leads");
                t[1] += r.getLong("disqualified");
                if (r.getString("reason") != null) {
                    reasons.computeIfAbsent(value, k -> new TreeMap<>()).merge(r.getString("reason"),
                            r.getLong("disqualified"), Long::sum);
                    categories.computeIfAbsent(value, k -> new TreeMap<>()).merge(r.getString("category"),
                            r.getLong("disqualified"), Long::sum);
                }
            }
            List<RateTable.Cell> cells = new ArrayList<>();
            totals.forEach((value, t) -> cells.add(new RateTable.Cell(value, t[0], t[1],
                    reasons.getOrDefault(value, Map.of()), categories.getOrDefault(value, Map.of()))));
            return cells;
        });
    }

    /** Leads, disqualified and fit-negative disqualified leads per value of {@code dim}. */
    public Uni<List<ScoringAdvisor.Input>> scoringInputs(Dimension dim, Instant from, Instant to) {
        String sql = "SELECT coalesce(lc." + dim.column + ", '(none)') AS value, count(*) AS leads, "
                + "count(d.id) AS disqualified, "
                + "count(d.id) FILTER (WHERE d.reason_category IN ('fit', 'spam', 'data-quality')) AS fit_negative "
                + COHORT + " GROUP BY 1";
        return pool.preparedQuery(sql).execute(Tuple.of(utc(from), utc(to))).map(rows -> {
            List<ScoringAdvisor.Input> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new ScoringAdvisor.Input(r.getString("value"), r.getLong("leads"), r.getLong("disqualified"),
                        r.getLong("fit_negative")));
            }
            return out;
        });
    }

    /** One point of a trend. */
    public record TrendPoint(Instant bucket, long leads, long disqualified, double rate) {
    }

    /** Leads and disqualified leads per {@code interval} bucket (UTC), optionally for one value of a dimension. */
    public Uni<List<TrendPoint>> trend(Instant from, Instant to, String interval, Dimension dim, String value) {
        String filter = dim == null ? "" : " AND lc." + dim.column + " IS NOT DISTINCT FROM $4";
        String sql = "SELECT date_trunc($3, coalesce(lc.crm_created_at, lc.first_seen_at) AT TIME ZONE 'UTC') AS b, "
                + "count(*) AS leads, count(d.id) AS disqualified " + COHORT + filter + " GROUP BY 1 ORDER BY 1";
        Tuple args = Tuple.of(utc(from), utc(to), interval);
        if (dim != null) {
            args.addString(value);
        }
        return pool.preparedQuery(sql).execute(args).map(rows -> {
            List<TrendPoint> out = new ArrayList<>();
            for (Row r : rows) {
                long leads = r.getLong("leads");
                long dq = r.getLong("disqualified");
                out.add(new TrendPoint(r.getLocalDateTime("b").toInstant(ZoneOffset.UTC), leads, dq,
                        RateTable.round(leads == 0 ? 0 : (double) dq / leads)));
            }
            return out;
        });
    }

    /** One lead of the training export. */
    public record Outcome(String leadId, String crm, String crmId, String source, String channel, String campaign,
            String form, String country, String companySize, String industry, String seniority, String intentTier,
            Instant createdAt, String outcome, String reasonCode, String reasonCategory, String fitLabel,
            Boolean noContactAttempt, Instant disqualifiedAt) {
    }

    /** Every lead of the cohort with its latest outcome, up to {@code max} rows. */
    public Uni<List<Outcome>> outcomes(Instant from, Instant to, int max) {
        String sql = """
                SELECT lc.lead_id::text AS lead_id, lc.crm, lc.crm_id, lc.source, lc.channel, lc.campaign, lc.form,
                       lc.country, lc.company_size, lc.industry, lc.seniority, lc.intent_tier,
                       coalesce(lc.crm_created_at, lc.first_seen_at) AS created_at,
                       o.state, o.reason_code, o.reason_category, o.reason_state, o.no_contact_attempt, o.disqualified_at
                  FROM lead_context lc
                  LEFT JOIN LATERAL (SELECT x.state, x.reason_code, x.reason_category, x.reason_state,
                                            x.no_contact_attempt, x.disqualified_at
                                       FROM disqualification x WHERE x.lead_id = lc.lead_id AND x.state <> 'MERGED'
                                      ORDER BY x.disqualified_at DESC LIMIT 1) o ON true
                 WHERE coalesce(lc.crm_created_at, lc.first_seen_at) >= $1
                   AND coalesce(lc.crm_created_at, lc.first_seen_at) < $2
                   AND lc.merged_into IS NULL
                 ORDER BY created_at, lc.lead_id
                 LIMIT $3""";
        return pool.preparedQuery(sql).execute(Tuple.of(utc(from), utc(to), max)).map(rows -> {
            List<Outcome> out = new ArrayList<>();
            for (Row r : rows) {
                String state = r.getString("state");
                String category = r.getString("reason_category");
                String outcome = state == null ? "open" : switch (state) {
                    case "ACTIVE" -> "disqualified";
                    case "RECYCLED" -> "recycled";
                    case "REQUALIFIED" -> "requalified";
                    default -> "reopened";
                };
                boolean counts = "disqualified".equals(outcome) || "recycled".equals(outcome);
                String fit = !counts ? "none" : category == null ? "unknown"
                        : ScoringAdvisor.FIT_NEGATIVE.contains(category) ? "negative" : "neutral";
                OffsetDateTime created = r.getOffsetDateTime("created_at");
                OffsetDateTime dq = r.getOffsetDateTime("disqualified_at");
                out.add(new Outcome(r.getString("lead_id"), r.getString("crm"), r.getString("crm_id"),
                        r.getString("source"), r.getString("channel"), r.getString("campaign"), r.getString("form"),
                        r.getString("country"), r.getString("company_size"), r.getString("industry"),
                        r.getString("seniority"), r.getString("intent_tier"),
                        created == null ? null : created.toInstant(), outcome, r.getString("reason_code"), category,
                        fit, r.getBoolean("no_contact_attempt"), dq == null ? null : dq.toInstant()));
            }
            return out;
        });
    }

    /** An open lead of the cohort (no standing disqualification) with its attribute values per dimension column. */
    public record OpenLead(String crm, String crmId, java.util.Map<String, String> values) {
    }

    /** Open leads of the cohort that have a CRM identity, up to {@code max}. */
    public Uni<List<OpenLead>> openLeads(List<Dimension> dims, Instant from, Instant to, int max) {
        StringBuilder cols = new StringBuilder();
        for (Dimension d : dims) {
            cols.append(", lc.").append(d.column).append(" AS ").append(d.column);
        }
        String sql = "SELECT lc.crm, lc.crm_id" + cols + " " + COHORT
                + " AND d.id IS NULL AND lc.crm IS NOT NULL AND lc.crm_id IS NOT NULL AND lc.crm_deleted_at IS NULL"
                + " ORDER BY lc.lead_id LIMIT $3";
        return pool.preparedQuery(sql).execute(Tuple.of(utc(from), utc(to), max)).map(rows -> {
            List<OpenLead> out = new ArrayList<>();
            for (Row r : rows) {
                java.util.Map<String, String> values = new java.util.HashMap<>();
                for (Dimension d : dims) {
                    values.put(d.param, r.getString(d.column));
                }
                out.add(new OpenLead(r.getString("crm"), r.getString("crm_id"), values));
            }
            return out;
        });
    }

    /** What was last written to these CRM records ({@code crm/crmId} -> points). */
    public Uni<Map<String, Integer>> writtenScores(List<String> crmIds) {
        if (crmIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery("SELECT crm, crm_id, points FROM crm_score_written WHERE crm_id = ANY($1)")
                .execute(Tuple.of(crmIds.toArray(new String[0]))).map(rows -> {
                    Map<String, Integer> out = new java.util.HashMap<>();
                    for (Row r : rows) {
                        out.put(r.getString("crm") + "/" + r.getString("crm_id"), r.getInteger("points"));
                    }
                    return out;
                });
    }

    static OffsetDateTime utc(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}

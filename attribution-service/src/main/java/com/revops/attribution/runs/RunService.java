package com.revops.attribution.runs;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.attribution.deals.DealLoader;
import com.revops.attribution.deals.LoadedDeal;
import com.revops.attribution.definitions.Definition;
import com.revops.attribution.definitions.DefinitionService;
import com.revops.attribution.models.AttributionEngine;
import com.revops.attribution.models.AttributionSettings;
import com.revops.attribution.models.DealAttribution;
import com.revops.attribution.models.Journey;
import com.revops.attribution.models.MarkovChain;
import com.revops.attribution.models.ModelType;
import com.revops.attribution.models.RateTable;
import com.revops.attribution.models.ShapleyValues;
import com.revops.attribution.models.TouchCredit;
import com.revops.platform.web.Problem;
import com.revops.platform.web.ProblemException;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Immutable, versioned attribution runs: a full recompute of one model over every deal as of a time, under the
 * active definition. A run is written once (credits, progress, log) and never changed after it completes (a
 * database trigger refuses it); recomputing after the history changed is a new run with the next version, and
 * the diff per channel and campaign compares the two.
 */
@ApplicationScoped
public class RunService {

    static final int PAGE = 500;
    static final long SHAPLEY_SEED = 20261123L;
    static final int SHAPLEY_PERMUTATIONS = 20_000;

    private final Pool pool;
    private final DealLoader loader;
    private final DefinitionService definitions;
    private final ObjectMapper mapper;

    public RunService(Pool pool, DealLoader loader, DefinitionService definitions, ObjectMapper mapper) {
        this.pool = pool;
        this.loader = loader;
        this.definitions = definitions;
        this.mapper = mapper;
    }

    /** A run as answered. */
    public record RunView(UUID id, String model, int version, Map<String, Object> settings, int definitionVersion,
            Instant dataAsOf, String status, int dealsTotal, int dealsDone, double progress, UUID previousRunId,
            String startedBy, Instant startedAt, Instant finishedAt, String error) {
    }

    static final String COLUMNS = "id, model, run_version, settings::text AS settings, definition_version, data_as_of,"
            + " status, deals_total, deals_done, previous_run_id, started_by, started_at, finished_at, error";

    /** Starts a full recompute; answers at once with the RUNNING run, the work continues in the background. */
    public Uni<RunView> start(String modelName, Instant asOf, String user) {
        ModelType model = ModelType.parse(modelName);
        if (model == null) {
            return Uni.createFrom().failure(new ProblemException.Unprocessable("unknown model",
                    List.of(new Problem.Violation("model", "one of " + List.of(ModelType.values())))));
        }
        Instant dataAsOf = asOf != null ? asOf : Instant.now();
        if (dataAsOf.isAfter(Instant.now().plusSeconds(60))) {
            return Uni.createFrom().failure(new ProblemException.Unprocessable("asOf is in the future",
                    List.of(new Problem.Violation("asOf", "must not be in the future"))));
        }
        UUID id = UUID.randomUUID();
        // the run computes under the definition it records, even if another is signed meanwhile
        var used = new java.util.concurrent.atomic.AtomicReference<Definition>();
        return pool.withTransaction(conn -> definitions.active(conn).invoke(used::set).chain(def -> {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("model", model.name());
            settings.put("definition", def.body());
            return conn.preparedQuery("""
                    INSERT INTO attribution_run (id, model, run_version, settings, definition_version, data_as_of,
                                                 status, previous_run_id, started_by)
                    SELECT $1, $2, coalesce((SELECT max(run_version) FROM attribution_run WHERE model = $2), 0) + 1,
                           $3::text::jsonb, $4, $5, 'RUNNING',
                           (SELECT id FROM attribution_run WHERE model = $2 AND status = 'COMPLETED'
                             ORDER BY run_version DESC LIMIT 1), $6""")
                    .execute(Tuple.from(new Object[] {id, model.name(), json(settings), def.version(),
                            OffsetDateTime.ofInstant(dataAsOf, ZoneOffset.UTC), user}))
                    .chain(() -> log(conn, id, "run started by " + user + ": model " + model + ", definition v"
                            + def.version() + ", data as of " + dataAsOf));
        })).chain(() -> get(id)).invoke(run -> execute(id, model, used.get(), dataAsOf).subscribe().with(
                ok -> { },
                failure -> {
                    Log.errorf(failure, "attribution run %s failed", id);
                    fail(id, failure).subscribe().with(x -> { }, e -> Log.error("cannot mark run failed", e));
                }));
    }

    Uni<Void> execute(UUID runId, ModelType model, Definition def, Instant asOf) {
        return Uni.createFrom().item(def).chain(d -> loader.rates(pool, def.body().reportingCurrency())
                .chain(rates -> loader.countDeals(pool, asOf)
                        .call(total -> pool.preparedQuery("UPDATE attribution_run SET deals_total = $2 WHERE id = $1")
                                .execute(Tuple.of(runId, total)))
                        .chain(total -> settingsFor(runId, model, def, rates, asOf)
                                .chain(settings -> page(runId, model, def, settings, asOf, null, 0, total)))));
    }

    /** Rule-based settings come from the definition; data-driven ones are fitted on every journey first. */
    private Uni<AttributionSettings> settingsFor(UUID runId, ModelType model, Definition def, RateTable rates,
            Instant asOf) {
        AttributionSettings base = def.body().settings(rates);
        if (!model.dataDriven()) {
            return Uni.createFrom().item(base);
        }
        List<Journey> journeys = new ArrayList<>();
        return collectJourneys(def, base, asOf, null, journeys)
                // fitting is CPU work: off the event loop
                .emitOn(Infrastructure.getDefaultWorkerPool()).chain(() -> {
            Map<String, Double> weights;
            String detail;
            if (model == ModelType.MARKOV) {
                MarkovChain.Result r = MarkovChain.fit(journeys);
                weights = r.weights();
                detail = "Markov fitted on " + r.journeys() + " journeys, P(conversion) " + r.conversionProbability()
                        + ", removal effects " + r.removalEffects();
            } else {
                ShapleyValues.Result r = ShapleyValues.compute(journeys, SHAPLEY_SEED, SHAPLEY_PERMUTATIONS);
                weights = r.weights();
                detail = "Shapley " + (r.exact() ? "exact" : "sampled (" + r.permutations() + " permutations, seed "
                        + SHAPLEY_SEED + ")") + " on " + journeys.size() + " journeys, values " + r.values();
            }
            Map<String, Object> fitted = new LinkedHashMap<>();
            fitted.put("channelWeights", weights);
            return pool.preparedQuery("UPDATE attribution_run SET settings = settings || $2::text::jsonb, "
                    + "heartbeat_at = now() WHERE id = $1")
                    .execute(Tuple.of(runId, json(fitted)))
                    .chain(() -> log(pool, runId, detail))
                    .replaceWith(base.withChannelWeights(weights));
        });
    }

    private Uni<Void> collectJourneys(Definition def, AttributionSettings settings, Instant asOf, UUID after,
            List<Journey> out) {
        return loader.dealIds(pool, asOf, after, PAGE).chain(ids -> {
            if (ids.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            return loader.load(pool, ids, def.body(), asOf).chain(deals -> {
                for (LoadedDeal d : deals) {
                    DealAttribution a = AttributionEngine.attribute(ModelType.LINEAR, d.input(), d.touches(),
                            settings, false);
                    List<String> path = new ArrayList<>();
                    a.touches().stream().filter(TouchCredit::included).forEach(t -> path.add(t.touch().channelKey()));
                    out.add(new Journey(path, d.input().won()));
                }
                return collectJourneys(def, settings, asOf, ids.get(ids.size() - 1), out);
            });
        });
    }

    private Uni<Void> page(UUID runId, ModelType model, Definition def, AttributionSettings settings, Instant asOf,
            UUID after, int done, int total) {
        return loader.dealIds(pool, asOf, after, PAGE).chain(ids -> {
            if (ids.isEmpty()) {
                return pool.withTransaction(conn -> conn.preparedQuery("""
                        UPDATE attribution_run SET status = 'COMPLETED', finished_at = now(), deals_done = $2
                         WHERE id = $1 AND status = 'RUNNING'""").execute(Tuple.of(runId, done))
                        .chain(() -> log(conn, runId, "completed: " + done + " deals attributed")));
            }
            return loader.load(pool, ids, def.body(), asOf)
                    // the models are CPU work: off the event loop
                    .emitOn(Infrastructure.getDefaultWorkerPool())
                    .map(deals -> rows(runId, model, deals, settings))
                    .chain(rows -> {
                        int now = done + ids.size();
                        return pool.withTransaction(conn -> (rows.isEmpty() ? Uni.createFrom().voidItem()
                                : conn.preparedQuery("""
                                        INSERT INTO attribution_credit (run_id, deal_id, touchpoint_id, line, channel,
                                            campaign, source, team, roles, rule, exclusion, amount_minor, currency,
                                            reporting_minor)
                                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)""")
                                        .executeBatch(rows).replaceWithVoid())
                                // progress and heartbeat; a run the reaper failed meanwhile stops here
                                .chain(() -> conn.preparedQuery("""
                                        UPDATE attribution_run SET deals_done = $2, heartbeat_at = now()
                                         WHERE id = $1 AND status = 'RUNNING'""").execute(Tuple.of(runId, now)))
                                .invoke(updated -> {
                                    if (updated.rowCount() == 0) {
                                        throw new IllegalStateException("run " + runId + " is no longer RUNNING");
                                    }
                                })
                                .chain(() -> log(conn, runId, "progress " + now + "/" + total + " deals")))
                                .chain(() -> page(runId, model, def, settings, asOf, ids.get(ids.size() - 1), now,
                                        total));
                    });
        });
    }

    private static List<Tuple> rows(UUID runId, ModelType model, List<LoadedDeal> deals, AttributionSettings s) {
        List<Tuple> rows = new ArrayList<>();
        for (LoadedDeal d : deals) {
            DealAttribution a = AttributionEngine.attribute(model, d.input(), d.touches(), s, true);
            int line = 0;
            for (TouchCredit t : a.touches()) {
                rows.add(Tuple.from(new Object[] {runId, d.id(), UUID.fromString(t.touch().id()), line++,
                        t.touch().channelKey(), t.touch().campaign(), t.touch().source(), t.touch().team(),
                        LiveAttributionJob.roles(t), t.rule(), t.exclusion() == null ? null : t.exclusion().name(),
                        t.amountMinor(), a.currency(), t.reportingMinor() < 0 ? null : t.reportingMinor()}));
            }
            if (a.touches().stream().noneMatch(TouchCredit::included)) {
                rows.add(Tuple.from(new Object[] {runId, d.id(), null, line, DealAttribution.UNATTRIBUTED, null, null,
                        null, null, "no eligible touch: the whole amount is UNATTRIBUTED", null, a.unattributedMinor(),
                        a.currency(), a.unattributedReportingMinor() < 0 ? null : a.unattributedReportingMinor()}));
            }
        }
        return rows;
    }

    private Uni<Void> fail(UUID runId, Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return pool.withTransaction(conn -> conn.preparedQuery("""
                UPDATE attribution_run SET status = 'FAILED', finished_at = now(), error = $2
                 WHERE id = $1 AND status = 'RUNNING'""")
                .execute(Tuple.of(runId, message)).chain(() -> log(conn, runId, "failed: " + message)));
    }

    private Uni<Void> log(io.vertx.mutiny.sqlclient.SqlClient client, UUID runId, String line) {
        return client.preparedQuery("INSERT INTO attribution_run_log (run_id, line) VALUES ($1, $2)")
                .execute(Tuple.of(runId, line)).replaceWithVoid();
    }

    public Uni<RunView> get(UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM attribution_run WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> {
                    for (Row r : rows) {
                        return map(r);
                    }
                    throw new ProblemException.NotFound("run " + id + " does not exist");
                });
    }

    public Uni<List<RunView>> list(String model, String status, int page, int size) {
        return pool.preparedQuery("SELECT " + COLUMNS + """
                 FROM attribution_run WHERE ($1::text IS NULL OR model = $1) AND ($2::text IS NULL OR status = $2)
                 ORDER BY started_at DESC, id LIMIT $3 OFFSET $4""")
                .execute(Tuple.of(model == null ? null : model.toUpperCase(java.util.Locale.ROOT), status, size,
                        page * size))
                .map(rows -> {
                    List<RunView> out = new ArrayList<>();
                    rows.forEach(r -> out.add(map(r)));
                    return out;
                });
    }

    /** One log line of a run. */
    public record LogLine(long seq, Instant at, String line) {
    }

    public Uni<List<LogLine>> log(UUID id) {
        return get(id).chain(run -> pool.preparedQuery(
                "SELECT seq, at, line FROM attribution_run_log WHERE run_id = $1 ORDER BY seq").execute(Tuple.of(id))
                .map(rows -> {
                    List<LogLine> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new LogLine(r.getLong("seq"), r.getOffsetDateTime("at").toInstant(),
                            r.getString("line"))));
                    return out;
                }));
    }

    /** The change per channel and campaign between two runs, in the reporting currency. */
    public record DiffLine(String channel, String campaign, long beforeMinor, long afterMinor, long deltaMinor) {
    }

    /** A diff between a run and an earlier one. */
    public record Diff(UUID runId, int runVersion, UUID againstRunId, Integer againstVersion, String model,
            List<DiffLine> lines, long totalBeforeMinor, long totalAfterMinor) {
    }

    public Uni<Diff> diff(UUID id, UUID against) {
        return get(id).chain(run -> {
            UUID other = against != null ? against : run.previousRunId();
            if (other == null) {
                return Uni.createFrom().item(new Diff(id, run.version(), null, null, run.model(), List.of(), 0,
                        total(List.of())));
            }
            return get(other).chain(prev -> pool.preparedQuery("""
                    WITH a AS (SELECT channel, coalesce(campaign, '') AS campaign,
                                      sum(coalesce(reporting_minor, 0)) AS s
                                 FROM attribution_credit WHERE run_id = $1 GROUP BY 1, 2),
                         b AS (SELECT channel, coalesce(campaign, '') AS campaign,
                                      sum(coalesce(reporting_minor, 0)) AS s
                                 FROM attribution_credit WHERE run_id = $2 GROUP BY 1, 2)
                    SELECT coalesce(a.channel, b.channel) AS channel, coalesce(a.campaign, b.campaign) AS campaign,
                           coalesce(b.s, 0) AS before, coalesce(a.s, 0) AS after
                      FROM a FULL JOIN b ON a.channel = b.channel AND a.campaign = b.campaign
                     ORDER BY 1, 2""").execute(Tuple.of(id, other)).map(rows -> {
                List<DiffLine> lines = new ArrayList<>();
                long before = 0;
                long after = 0;
                for (Row r : rows) {
                    long b = r.getLong("before");
                    long a = r.getLong("after");
                    before += b;
                    after += a;
                    if (a != b) {
                        String campaign = r.getString("campaign");
                        lines.add(new DiffLine(r.getString("channel"), campaign.isEmpty() ? null : campaign, b, a,
                                a - b));
                    }
                }
                return new Diff(id, run.version(), other, prev.version(), run.model(), lines, before, after);
            }));
        });
    }

    private static long total(List<DiffLine> lines) {
        return lines.stream().mapToLong(DiffLine::afterMinor).sum();
    }

    /** One stored credit line of a run. */
    public record CreditLine(UUID dealId, UUID touchpointId, int line, String channel, String campaign, String source,
            String team, String roles, String rule, String exclusion, long amountMinor, String currency,
            Long reportingMinor) {
    }

    public Uni<List<CreditLine>> credits(UUID runId, UUID dealId, String channel, String campaign, int page,
            int size) {
        return get(runId).chain(run -> pool.preparedQuery("""
                SELECT deal_id, touchpoint_id, line, channel, campaign, source, team, roles, rule, exclusion,
                       amount_minor, currency, reporting_minor
                  FROM attribution_credit
                 WHERE run_id = $1 AND ($2::uuid IS NULL OR deal_id = $2) AND ($3::text IS NULL OR channel = $3)
                   AND ($4::text IS NULL OR campaign = $4)
                 ORDER BY deal_id, line LIMIT $5 OFFSET $6""")
                .execute(Tuple.from(new Object[] {runId, dealId, channel, campaign, size, page * size}))
                .map(rows -> {
                    List<CreditLine> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new CreditLine(r.getUUID("deal_id"), r.getUUID("touchpoint_id"), r.getInteger("line"),
                                r.getString("channel"), r.getString("campaign"), r.getString("source"),
                                r.getString("team"), r.getString("roles"), r.getString("rule"),
                                r.getString("exclusion"), r.getLong("amount_minor"), r.getString("currency"),
                                r.getLong("reporting_minor")));
                    }
                    return out;
                }));
    }

    @SuppressWarnings("unchecked")
    RunView map(Row r) {
        Map<String, Object> settings;
        try {
            settings = mapper.readValue(r.getString("settings"), Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        int total = r.getInteger("deals_total");
        int done = r.getInteger("deals_done");
        String status = r.getString("status");
        double progress = "COMPLETED".equals(status) ? 1.0 : total == 0 ? 0.0 : Math.min(1.0, done / (double) total);
        return new RunView(r.getUUID("id"), r.getString("model"), r.getInteger("run_version"), settings,
                r.getInteger("definition_version"), r.getOffsetDateTime("data_as_of").toInstant(), status, total,
                done, progress, r.getUUID("previous_run_id"), r.getString("started_by"),
                r.getOffsetDateTime("started_at").toInstant(),
                r.getOffsetDateTime("finished_at") == null ? null : r.getOffsetDateTime("finished_at").toInstant(),
                r.getString("error"));
    }

    String json(Object o) {
        try {
            return mapper.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

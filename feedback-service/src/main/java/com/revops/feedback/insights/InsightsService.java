package com.revops.feedback.insights;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.hibernate.reactive.mutiny.Mutiny;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.feedback.config.FeedbackConfig;
import com.revops.feedback.events.FeedbackEvents;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** Aggregates, trends and scoring feedback over the lead cohort of a period. */
@ApplicationScoped
public class InsightsService {

    private final InsightsRepository repository;
    private final FeedbackEvents events;
    private final FeedbackConfig config;
    private final com.revops.feedback.commands.CrmCommands commands;

    /**
     * Aggregates, trends and scoring reads for the API, for a short TTL (FEEDBACK_INSIGHTS_CACHE_TTL): the cohort
     * queries take seconds on large tables and dashboards repeat them. Cleared on every new disqualification or
     * reason in this replica; changes made through another replica show after the TTL at most. Publications
     * always compute afresh.
     */
    private final TtlCache<List<Object>, Object> cache;

    public InsightsService(InsightsRepository repository, FeedbackEvents events, FeedbackConfig config,
            com.revops.feedback.commands.CrmCommands commands) {
        this.commands = commands;
        this.cache = new TtlCache<>(config.insightsCacheTtl(), 1000);
        this.repository = repository;
        this.events = events;
        this.config = config;
    }

    /** Disqualification rate and reason mix per value of a dimension, against the period's baseline. */
    public record Aggregates(String dimension, Instant from, Instant to, long leads, long disqualified,
            double baselineRate, WilsonInterval baselineInterval, java.util.Map<String, Long> baselineReasons,
            java.util.Map<String, Double> baselineCategoryShare, List<RateTable.Row> values) {
    }

    /** Scoring feedback for one dimension. */
    public record ScoringDimension(String dimension, Instant from, Instant to, long leads, long disqualified,
            long fitNegative, double baselineRate, double baselineFitRate, List<ScoringAdvisor.Suggestion> values) {
    }

    /** Forgets every cached read (a disqualification or a reason changed). */
    public void invalidateCache() {
        cache.invalidate();
    }

    @SuppressWarnings("unchecked")
    private <T> Uni<T> cached(List<Object> key, java.util.function.Supplier<Uni<T>> compute) {
        Object hit = cache.get(key, Instant.now());
        if (hit != null) {
            return Uni.createFrom().item((T) hit);
        }
        long generation = cache.generation();
        return compute.get().invoke(v -> cache.put(key, v, generation, Instant.now()));
    }

    public Uni<Aggregates> aggregates(Dimension dim, Instant from, Instant to) {
        return cached(List.of("aggregates", dim.param, from, to), () -> computeAggregates(dim, from, to));
    }

    private Uni<Aggregates> computeAggregates(Dimension dim, Instant from, Instant to) {
        return repository.cells(dim, from, to).map(cells -> {
            RateTable.Table t = RateTable.compute(cells, config.scoring().z());
            return new Aggregates(dim.param, from, to, t.leads(), t.disqualified(), t.baselineRate(),
                    t.baselineInterval(), t.baselineReasons(), t.baselineCategoryShare(), t.rows());
        });
    }

    public Uni<List<InsightsRepository.TrendPoint>> trend(Instant from, Instant to, String interval, Dimension dim,
            String value) {
        return cached(java.util.Arrays.asList("trend", from, to, interval, dim == null ? null : dim.param, value),
                () -> repository.trend(from, to, interval, dim, value));
    }

    /** The scoring feedback of one dimension as the API reads it (cached). */
    public Uni<ScoringDimension> scoring(Dimension dim, Instant from, Instant to) {
        return cached(List.of("scoring", dim.param, from, to), () -> computeScoring(dim, from, to));
    }

    private Uni<ScoringDimension> computeScoring(Dimension dim, Instant from, Instant to) {
        ScoringAdvisor.Settings settings = new ScoringAdvisor.Settings(config.scoring().z(),
                config.scoring().minSample(), config.scoring().pointsPerUnit(), config.scoring().maxPoints());
        return repository.scoringInputs(dim, from, to).map(inputs -> {
            ScoringAdvisor.Advice a = ScoringAdvisor.advise(inputs, settings);
            return new ScoringDimension(dim.param, from, to, a.leads(), a.disqualified(), a.fitNegative(),
                    a.baselineRate(), a.baselineFitRate(), a.values());
        });
    }

    public Uni<List<ScoringDimension>> scoring(List<Dimension> dims, Instant from, Instant to) {
        return Multi.createFrom().iterable(dims).onItem().transformToUniAndConcatenate(d -> scoring(d, from, to))
                .collect().asList();
    }

    private Uni<List<ScoringDimension>> computeScoring(List<Dimension> dims, Instant from, Instant to) {
        return Multi.createFrom().iterable(dims).onItem()
                .transformToUniAndConcatenate(d -> computeScoring(d, from, to)).collect().asList();
    }

    /**
     * What a publication did: the feedback per published dimension, the dimensions skipped as unchanged, and the
     * CRM records that got a new adjustment or a cleanup (0) because theirs went back to zero.
     */
    public record Publication(List<ScoringDimension> dimensions, List<String> unchanged, int crmWrites,
            int crmCleared, boolean crmWritesCapped) {
    }

    /**
     * Publishes one {@code scoring.feedback} event per dimension and, with {@code writeToCrm}, writes the open leads'
     * summed adjustments to their CRM records (changes only, and a cleanup for those back at zero), in one
     * transaction.
     */
    @WithTransaction
    public Uni<Publication> publish(List<Dimension> dims, Instant from, Instant to, boolean writeToCrm) {
        return publishInTransaction(dims, from, to, writeToCrm, false);
    }

    /**
     * The publication, inside the caller's transaction. {@code skipUnchanged}: a dimension whose content digest
     * equals the last published one is not published again (the scheduled run); every publication records the
     * digests it published.
     */
    public Uni<Publication> publishInTransaction(List<Dimension> dims, Instant from, Instant to, boolean writeToCrm,
            boolean skipUnchanged) {
        return computeScoring(dims, from, to).chain(all -> Panache.getSession().chain(session -> session.createNativeQuery(
                "SELECT dimension, content_hash FROM scoring_publication", Object[].class).getResultList()
                .chain(rows -> {
                    Map<String, String> last = new HashMap<>();
                    rows.forEach(r -> last.put((String) r[0], (String) r[1]));
                    List<ScoringDimension> publish = new ArrayList<>();
                    List<String> unchanged = new ArrayList<>();
                    Map<String, String> digests = new HashMap<>();
                    for (ScoringDimension s : all) {
                        String digest = ScoringSchedule.digest(s.baselineRate(), s.baselineFitRate(), s.values());
                        if (skipUnchanged && digest.equals(last.get(s.dimension()))) {
                            unchanged.add(s.dimension());
                        } else {
                            publish.add(s);
                            digests.put(s.dimension(), digest);
                        }
                    }
                    Instant now = Instant.now();
                    return Multi.createFrom().iterable(publish).onItem().transformToUniAndConcatenate(s -> events
                            .publish(FeedbackEvents.SCORING_FEEDBACK, "scoring/" + s.dimension(),
                                    new FeedbackEvents.ScoringFeedback(s.dimension(), from, to, s.leads(),
                                            s.baselineRate(), s.baselineFitRate(), s.values(), now))
                            .chain(() -> session.createNativeQuery("""
                                    INSERT INTO scoring_publication (dimension, content_hash, period_from, period_to,
                                      published_at) VALUES (:d, :h, :f, :t, now())
                                    ON CONFLICT (dimension) DO UPDATE SET content_hash = excluded.content_hash,
                                      period_from = excluded.period_from, period_to = excluded.period_to,
                                      published_at = excluded.published_at""")
                                    .setParameter("d", s.dimension()).setParameter("h", digests.get(s.dimension()))
                                    .setParameter("f", from).setParameter("t", to).executeUpdate()))
                            .collect().asList()
                            .chain(() -> writeToCrm ? writeBack(session, all, dims, from, to, publish, unchanged)
                                    : Uni.createFrom().item(new Publication(publish, unchanged, 0, 0, false)));
                })));
    }

    /**
     * Each open lead's summed adjustment (over every dimension, published or unchanged) to its CRM record: written
     * when it differs from what was last written; 0 once when it went back to zero.
     */
    private Uni<Publication> writeBack(Mutiny.Session session, List<ScoringDimension> all, List<Dimension> dims,
            Instant from, Instant to, List<ScoringDimension> published, List<String> unchanged) {
        Map<String, Map<String, Integer>> adjustments = new HashMap<>();
        for (ScoringDimension s : all) {
            Map<String, Integer> byValue = new HashMap<>();
            s.values().forEach(v -> byValue.put(v.value(), v.adjustment()));
            adjustments.put(s.dimension(), byValue);
        }
        int max = config.scoring().crmWriteMax();
        return repository.openLeads(dims, from, to, max + 1).chain(leads -> {
            List<InsightsRepository.OpenLead> scored = leads.subList(0, Math.min(leads.size(), max)).stream()
                    .filter(l -> config.scoring().crmField().containsKey(l.crm())).toList();
            return repository.writtenScores(scored.stream().map(InsightsRepository.OpenLead::crmId).toList())
                    .chain(written -> {
                        List<InsightsRepository.OpenLead> targets = new ArrayList<>();
                        List<Integer> points = new ArrayList<>();
                        int[] cleared = {0};
                        for (InsightsRepository.OpenLead lead : scored) {
                            int p = ScoringAdvisor.leadAdjustment(lead.values(), adjustments,
                                    config.scoring().maxPoints());
                            ScoringSchedule.Write w = ScoringSchedule.decide(p,
                                    written.get(lead.crm() + "/" + lead.crmId()));
                            if (w != ScoringSchedule.Write.NONE) {
                                targets.add(lead);
                                points.add(p);
                                if (w == ScoringSchedule.Write.CLEAR) {
                                    cleared[0]++;
                                }
                            }
                        }
                        // one after the other on the transaction's connection (a Multi, not a chain of thousands)
                        return Multi.createFrom().range(0, targets.size()).onItem().transformToUniAndConcatenate(i -> {
                            InsightsRepository.OpenLead lead = targets.get(i);
                            int p = points.get(i);
                            return commands.setFields(lead.crm(), lead.crmId(), Map.of(
                                    config.scoring().crmField().get(lead.crm()), Integer.toString(p)))
                                    .chain(sent -> sent == null ? Uni.createFrom().item(0) : (p == 0
                                            ? session.createNativeQuery("DELETE FROM crm_score_written "
                                                    + "WHERE crm = :c AND crm_id = :i")
                                            : session.createNativeQuery("""
                                                    INSERT INTO crm_score_written (crm, crm_id, points, written_at)
                                                    VALUES (:c, :i, :p, now()) ON CONFLICT (crm, crm_id)
                                                    DO UPDATE SET points = excluded.points, written_at = now()""")
                                                    .setParameter("p", p))
                                            .setParameter("c", lead.crm()).setParameter("i", lead.crmId())
                                            .executeUpdate());
                        }).collect().asList().map(done -> new Publication(published, unchanged,
                                done.size() - cleared[0], cleared[0], leads.size() > max));
                    });
        });
    }

    public Uni<List<InsightsRepository.Outcome>> outcomes(Instant from, Instant to) {
        return repository.outcomes(from, to, config.exportMaxRows() + 1);
    }
}

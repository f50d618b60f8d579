package com.revops.feedback.insights;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.feedback.config.FeedbackConfig;
import com.revops.feedback.events.FeedbackEvents;

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

    public InsightsService(InsightsRepository repository, FeedbackEvents events, FeedbackConfig config,
            com.revops.feedback.commands.CrmCommands commands) {
        this.commands = commands;
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

    public Uni<Aggregates> aggregates(Dimension dim, Instant from, Instant to) {
        return repository.cells(dim, from, to).map(cells -> {
            RateTable.Table t = RateTable.compute(cells, config.scoring().z());
            return new Aggregates(dim.param, from, to, t.leads(), t.disqualified(), t.baselineRate(),
                    t.baselineInterval(), t.baselineReasons(), t.baselineCategoryShare(), t.rows());
        });
    }

    public Uni<List<InsightsRepository.TrendPoint>> trend(Instant from, Instant to, String interval, Dimension dim,
            String value) {
        return repository.trend(from, to, interval, dim, value);
    }

    public Uni<ScoringDimension> scoring(Dimension dim, Instant from, Instant to) {
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

    /** What a publication did: the feedback per dimension and how many CRM records get their adjustment. */
    public record Publication(List<ScoringDimension> dimensions, int crmWrites, boolean crmWritesCapped) {
    }

    /**
     * Publishes one {@code scoring.feedback} event per dimension and, with {@code writeToCrm}, a
     * {@code record.fields.set} per open lead of the cohort whose summed adjustment is not zero, all in one
     * transaction.
     */
    @WithTransaction
    public Uni<Publication> publish(List<Dimension> dims, Instant from, Instant to, boolean writeToCrm) {
        return publishEvents(dims, from, to).chain(list -> {
            if (!writeToCrm) {
                return Uni.createFrom().item(new Publication(list, 0, false));
            }
            java.util.Map<String, java.util.Map<String, Integer>> adjustments = new java.util.HashMap<>();
            for (ScoringDimension s : list) {
                java.util.Map<String, Integer> byValue = new java.util.HashMap<>();
                s.values().forEach(v -> byValue.put(v.value(), v.adjustment()));
                adjustments.put(s.dimension(), byValue);
            }
            int max = config.scoring().crmWriteMax();
            return repository.openLeads(dims, from, to, max + 1).chain(leads -> {
                List<InsightsRepository.OpenLead> writes = new ArrayList<>();
                List<Integer> points = new ArrayList<>();
                for (InsightsRepository.OpenLead lead : leads.subList(0, Math.min(leads.size(), max))) {
                    int p = ScoringAdvisor.leadAdjustment(lead.values(), adjustments, config.scoring().maxPoints());
                    if (p != 0 && config.scoring().crmField().containsKey(lead.crm())) {
                        writes.add(lead);
                        points.add(p);
                    }
                }
                // one after the other on the transaction's connection (a Multi, not a nested chain of thousands)
                return Multi.createFrom().range(0, writes.size()).onItem().transformToUniAndConcatenate(i ->
                        commands.setFields(writes.get(i).crm(), writes.get(i).crmId(), java.util.Map.of(
                                config.scoring().crmField().get(writes.get(i).crm()), Integer.toString(points.get(i)))))
                        .collect().asList()
                        .map(done -> new Publication(list, done.size(), leads.size() > max));
            });
        });
    }

    private Uni<List<ScoringDimension>> publishEvents(List<Dimension> dims, Instant from, Instant to) {
        return scoring(dims, from, to).call(list -> {
            Instant now = Instant.now();
            List<Uni<?>> writes = new ArrayList<>();
            for (ScoringDimension s : list) {
                writes.add(events.publish(FeedbackEvents.SCORING_FEEDBACK, "scoring/" + s.dimension(),
                        new FeedbackEvents.ScoringFeedback(s.dimension(), from, to, s.leads(), s.baselineRate(),
                                s.baselineFitRate(), s.values(), now)));
            }
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Uni<?> w : writes) {
                chain = chain.chain(() -> w).replaceWithVoid();
            }
            return chain;
        });
    }

    public Uni<List<InsightsRepository.Outcome>> outcomes(Instant from, Instant to) {
        return repository.outcomes(from, to, config.exportMaxRows() + 1);
    }
}

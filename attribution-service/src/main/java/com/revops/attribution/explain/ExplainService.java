package com.revops.attribution.explain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.attribution.deals.DealLoader;
import com.revops.attribution.deals.LoadedDeal;
import com.revops.attribution.definitions.Definition;
import com.revops.attribution.definitions.DefinitionService;
import com.revops.attribution.models.AttributionEngine;
import com.revops.attribution.models.DealAttribution;
import com.revops.attribution.models.ModelType;
import com.revops.attribution.models.Money;
import com.revops.attribution.models.TouchCredit;
import com.revops.platform.web.Problem;
import com.revops.platform.web.ProblemException;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * "How was this deal credited?": the deal is loaded and run through the model under the active definition (a pure
 * function, so the answer is exactly what the live credits and a run at the same data hold), with each touch's
 * milestones, the rule applied and its amount, and why any touch was excluded.
 */
@ApplicationScoped
public class ExplainService {

    private final Pool pool;
    private final DealLoader loader;
    private final DefinitionService definitions;

    public ExplainService(Pool pool, DealLoader loader, DefinitionService definitions) {
        this.pool = pool;
        this.loader = loader;
        this.definitions = definitions;
    }

    /** One touch in an explanation. */
    public record TouchLine(String touchpointId, Instant at, String channel, String campaign, String source,
            String type, String team, List<String> roles, String rule, double weight, long amountMinor,
            BigDecimal amount, Long reportingMinor, boolean included, String exclusion) {
    }

    /** A deal's explanation under one model. */
    public record DealExplanation(UUID dealId, String name, String stage, String source, ModelType model,
            Definition.Ref definition, Instant dataAsOf, String currency, long amountMinor, BigDecimal amount,
            String reportingCurrency, Long reportingAmountMinor, boolean reopened, Instant opportunityCreatedAt,
            Instant leadCreatedAt, Instant qualifiedAt, Instant closedAt, boolean won, List<TouchLine> touches,
            long unattributedMinor, List<String> notes) {
    }

    public Uni<DealExplanation> explain(UUID dealId, String modelName, Instant asOf) {
        Instant at = asOf != null ? asOf : Instant.now();
        return definitions.active().chain(def -> {
            ModelType model = modelName == null ? def.body().modelType() : ModelType.parse(modelName);
            if (model == null) {
                throw new ProblemException.Unprocessable("unknown model",
                        List.of(new Problem.Violation("model", "one of " + List.of(ModelType.values()))));
            }
            if (model.dataDriven()) {
                throw new ProblemException.Unprocessable("data-driven models are fitted on all journeys: explain "
                        + "a deal of a MARKOV or SHAPLEY run with GET /runs/{id}/credits?dealId=",
                        List.of(new Problem.Violation("model", "a rule-based model")));
            }
            return loader.rates(pool, def.body().reportingCurrency())
                    .chain(rates -> loader.load(pool, List.of(dealId), def.body(), at).map(deals -> {
                        if (deals.isEmpty()) {
                            throw new ProblemException.NotFound("deal " + dealId + " does not exist (as of " + at
                                    + ")");
                        }
                        LoadedDeal d = deals.get(0);
                        DealAttribution a = AttributionEngine.attribute(model, d.input(), d.touches(),
                                def.body().settings(rates), true);
                        List<TouchLine> lines = new ArrayList<>();
                        for (TouchCredit t : a.touches()) {
                            lines.add(new TouchLine(t.touch().id(), t.touch().at(), t.touch().channelKey(),
                                    t.touch().campaign(), t.touch().source(), t.touch().type(), t.touch().team(),
                                    t.roles().stream().map(Enum::name).toList(), t.rule(), t.weight(), t.amountMinor(),
                                    Money.toDecimal(t.amountMinor(), a.currency()),
                                    t.reportingMinor() < 0 ? null : t.reportingMinor(), t.included(),
                                    t.exclusion() == null ? null : t.exclusion().name()));
                        }
                        List<String> notes = new ArrayList<>(d.notes());
                        notes.addAll(a.notes());
                        return new DealExplanation(d.id(), d.name(), d.stage(), d.source(), model, def.ref(), at,
                                a.currency(), a.amountMinor(), Money.toDecimal(a.amountMinor(), a.currency()),
                                a.reportingCurrency(), a.reportingAmountMinor() < 0 ? null : a.reportingAmountMinor(),
                                d.reopened(), d.input().opportunityCreatedAt(), d.input().leadCreatedAt(),
                                d.input().qualifiedAt(), d.input().closedAt(), d.input().won(), lines,
                                a.unattributedMinor(), notes);
                    }));
        });
    }
}

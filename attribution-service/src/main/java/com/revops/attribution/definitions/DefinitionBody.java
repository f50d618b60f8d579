package com.revops.attribution.definitions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.revops.attribution.models.AttributionSettings;
import com.revops.attribution.models.DealHistory;
import com.revops.attribution.models.Milestone;
import com.revops.attribution.models.MilestoneWeights;
import com.revops.attribution.models.ModelType;
import com.revops.attribution.models.Money;
import com.revops.attribution.models.RateTable;
import com.revops.platform.web.Problem;

/**
 * The content of a revenue-model definition both teams sign: what "qualified" means (the QPC gate), which stages
 * are won and lost, the expected sales cycle, the attribution model and its settings, the attribution scope and
 * the reporting currency.
 *
 * @param qualifiedStages   CRM stages that pass the qualification bar (a won stage always does)
 * @param wonStages         stages that mean closed won
 * @param lostStages        stages that mean closed lost
 * @param expectedCycleDays pipeline-to-revenue counts wins within this many days of qualification
 * @param model             the attribution model the shared numbers use (QPC by channel/campaign/team)
 * @param scope             whose touches count for a deal: CONTACT_ROLES, ACCOUNT or PRIMARY_CONTACT
 * @param lookbackDays      touches earlier than this before the opportunity was created are excluded
 * @param halfLifeDays      time-decay half-life
 * @param reportingCurrency the currency of every metric
 * @param customWeights     milestone -> weight for the CUSTOM model (optional)
 * @param customSpread      spread weight of the CUSTOM model (optional)
 * @param stageOrder        the pipeline's open stages in order, for stage conversion (optional; default: the
 *                          qualified stages)
 * @param contractMonths    months of revenue a deal amount stands for, for CAC payback (optional; default 12)
 * @param grossMarginPercent gross margin applied to revenue in CAC payback (optional; default 100)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DefinitionBody(List<String> qualifiedStages, List<String> wonStages, List<String> lostStages,
        Integer expectedCycleDays, String model, String scope, Integer lookbackDays, Integer halfLifeDays,
        String reportingCurrency, Map<String, Double> customWeights, Double customSpread, List<String> stageOrder,
        Integer contractMonths, Integer grossMarginPercent) {

    public static final Set<String> SCOPES = Set.of("CONTACT_ROLES", "ACCOUNT", "PRIMARY_CONTACT");

    /** The built-in, unsigned defaults (HubSpot's default sales pipeline), used until a definition is signed. */
    public static final DefinitionBody BUILT_IN = new DefinitionBody(
            List.of("qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin", "contractsent"),
            List.of("closedwon"), List.of("closedlost"), 90, "U_SHAPED", "CONTACT_ROLES", 365, 7, "USD", null, null,
            List.of("appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin",
                    "contractsent"), 12, 100);

    /** Every rule broken, empty when valid. */
    public List<Problem.Violation> violations() {
        List<Problem.Violation> v = new ArrayList<>();
        if (qualifiedStages == null || qualifiedStages.isEmpty()) {
            v.add(new Problem.Violation("qualifiedStages", "at least one stage must pass the qualification bar"));
        }
        if (wonStages == null || wonStages.isEmpty()) {
            v.add(new Problem.Violation("wonStages", "at least one won stage is needed"));
        }
        if (lostStages == null) {
            v.add(new Problem.Violation("lostStages", "required (may be empty)"));
        }
        if (wonStages != null && lostStages != null && wonStages.stream().anyMatch(lostStages::contains)) {
            v.add(new Problem.Violation("wonStages", "a stage cannot be both won and lost"));
        }
        if (expectedCycleDays == null || expectedCycleDays < 1 || expectedCycleDays > 3650) {
            v.add(new Problem.Violation("expectedCycleDays", "between 1 and 3650"));
        }
        ModelType m = ModelType.parse(model);
        if (m == null) {
            v.add(new Problem.Violation("model", "one of " + List.of(ModelType.values())));
        } else if (m.dataDriven()) {
            v.add(new Problem.Violation("model", "the shared numbers need a rule-based model (credits kept live per "
                    + "deal); MARKOV and SHAPLEY are fitted on all journeys and available as runs"));
        }
        if (scope == null || !SCOPES.contains(scope)) {
            v.add(new Problem.Violation("scope", "one of " + SCOPES));
        }
        if (lookbackDays == null || lookbackDays < 1 || lookbackDays > 3650) {
            v.add(new Problem.Violation("lookbackDays", "between 1 and 3650"));
        }
        if (halfLifeDays == null || halfLifeDays < 1 || halfLifeDays > 365) {
            v.add(new Problem.Violation("halfLifeDays", "between 1 and 365"));
        }
        if (!Money.isKnownCurrency(reportingCurrency)) {
            v.add(new Problem.Violation("reportingCurrency", "an ISO 4217 currency code"));
        }
        if (contractMonths != null && (contractMonths < 1 || contractMonths > 120)) {
            v.add(new Problem.Violation("contractMonths", "between 1 and 120"));
        }
        if (grossMarginPercent != null && (grossMarginPercent < 1 || grossMarginPercent > 100)) {
            v.add(new Problem.Violation("grossMarginPercent", "between 1 and 100"));
        }
        if (customWeights != null) {
            try {
                customMilestoneWeights();
            } catch (IllegalArgumentException e) {
                v.add(new Problem.Violation("customWeights", "milestones " + List.of(Milestone.values())
                        + " with finite non-negative weights, at least one positive: " + e.getMessage()));
            }
        }
        return v;
    }

    /** Open stages in pipeline order (won stages come after them). */
    public List<String> pipelineStages() {
        return stageOrder != null && !stageOrder.isEmpty() ? stageOrder : qualifiedStages;
    }

    public int contractMonthsOrDefault() {
        return contractMonths == null ? 12 : contractMonths;
    }

    public int grossMarginOrDefault() {
        return grossMarginPercent == null ? 100 : grossMarginPercent;
    }

    public ModelType modelType() {
        return ModelType.parse(model);
    }

    public DealHistory.StageRules stageRules() {
        return new DealHistory.StageRules(new LinkedHashSet<>(qualifiedStages), new LinkedHashSet<>(wonStages),
                new LinkedHashSet<>(lostStages));
    }

    MilestoneWeights customMilestoneWeights() {
        if (customWeights == null) {
            return null;
        }
        Map<Milestone, Double> map = new EnumMap<>(Milestone.class);
        customWeights.forEach((k, w) -> map.put(Milestone.valueOf(k), w));
        return new MilestoneWeights(map, customSpread == null ? 0 : customSpread);
    }

    /** The model settings this definition implies, with the given dated rates. */
    public AttributionSettings settings(RateTable rates) {
        return new AttributionSettings(Duration.ofDays(lookbackDays), Duration.ofDays(halfLifeDays), null, null, null,
                customMilestoneWeights(), rates, null);
    }
}

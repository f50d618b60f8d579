package com.revops.attribution.models;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The attribution models as one pure function of (model, deal, touches, settings). No framework types, no clock,
 * no randomness: the same input gives the same credits, whatever order the touches come in.
 *
 * <p>Rules, in order (also in the README):
 * <ol>
 * <li>Touches are put in canonical order: time, then id.</li>
 * <li>Exclusions: a touch after the close ({@code AFTER_CLOSE}), after the data-as-of time
 * ({@code AFTER_DATA_AS_OF}) or more than the lookback before the opportunity was created ({@code BEFORE_LOOKBACK})
 * gets nothing. A reopened deal has no close (its {@code closedAt} is null), so its later touches count.</li>
 * <li>No eligible touch: the whole amount is one UNATTRIBUTED line.</li>
 * <li>Milestones: first touch is the earliest eligible touch; every other milestone is held by the last eligible
 * touch at or before the milestone's time. A milestone that did not happen (or has no eligible touch at or before
 * it) is absent. One touch may hold several milestones: its weights add up.</li>
 * <li>Position-based models (U, W, full path, custom): each present milestone gives its weight to its touch; the
 * spread weight is shared evenly by the middle touches (those holding none of the model's weighted milestones).
 * Weights of absent milestones, and the spread when there are no middle touches, are redistributed over what is
 * present in proportion to its weight (the weights are normalised).</li>
 * <li>Time decay: weight 2^(-age / half-life), age measured back from the close (or from as-of while open).</li>
 * <li>Markov and Shapley: the deal's channels share the amount in proportion to their fitted weights; within a
 * channel its touches share evenly. A deal whose channels all have zero fitted weight falls back to linear.</li>
 * <li>Money: the amount (deal currency) and its conversion into the reporting currency (rate dated on the close
 * day, or the as-of day while open, converted once on the total) are each split by largest remainder, ties to the
 * earliest touch, then the smallest id: credits sum exactly to the amount.</li>
 * </ol>
 */
public final class AttributionEngine {

    /** Milestone bit mask -> the milestones in declaration order, built once. */
    private static final List<List<Milestone>> ROLE_LISTS_BUILT = buildRoleLists();
    @SuppressWarnings("unchecked")
    private static final List<Milestone>[] ROLE_LISTS = ROLE_LISTS_BUILT.toArray(new List[0]);

    private static List<List<Milestone>> buildRoleLists() {
        List<List<Milestone>> out = new ArrayList<>();
        for (int mask = 0; mask < 1 << Milestone.values().length; mask++) {
            List<Milestone> l = new ArrayList<>();
            for (Milestone m : Milestone.values()) {
                if ((mask & (1 << m.ordinal())) != 0) {
                    l.add(m);
                }
            }
            out.add(List.copyOf(l));
        }
        return out;
    }

    static final Comparator<TouchInput> CANONICAL = Comparator.comparing(TouchInput::at).thenComparing(TouchInput::id);

    private AttributionEngine() {
    }

    public static DealAttribution attribute(ModelType model, DealInput deal, List<TouchInput> touches,
            AttributionSettings settings) {
        return attribute(model, deal, touches, settings, true);
    }

    /**
     * @param explain false skips building the rule texts (the credits are identical); bulk recomputes that only
     *                store amounts use it
     */
    public static DealAttribution attribute(ModelType model, DealInput deal, List<TouchInput> touches,
            AttributionSettings settings, boolean explain) {
        return attributeAll(List.of(model), deal, touches, settings, explain).get(0);
    }

    /**
     * Several models over the same deal: sorting, exclusions, milestones and currency conversion are done once.
     * Each result equals what {@link #attribute} gives for that model.
     */
    public static List<DealAttribution> attributeAll(List<ModelType> models, DealInput deal,
            List<TouchInput> touches, AttributionSettings settings, boolean explain) {
        TouchInput[] sorted = touches.toArray(new TouchInput[0]);
        Arrays.sort(sorted, CANONICAL);
        List<String> common = explain ? new ArrayList<>() : new NoNotes();

        // reporting currency: converted once on the total
        Instant rateInstant = deal.closedAt() != null ? deal.closedAt() : deal.asOf() != null ? deal.asOf()
                : deal.opportunityCreatedAt();
        String reporting = settings.rates().reportingCurrency();
        long reportingTotal = -1;
        if (deal.currency().equals(reporting)) {
            reportingTotal = deal.amountMinor();
        } else if (rateInstant != null) {
            LocalDate day = LocalDate.ofInstant(rateInstant, ZoneOffset.UTC);
            BigDecimal rate = settings.rates().rate(deal.currency(), day);
            if (rate != null) {
                reportingTotal = Money.convert(deal.amountMinor(), deal.currency(), reporting, rate);
                if (explain) {
                    common.add("converted " + deal.currency() + " to " + reporting + " at " + rate.toPlainString()
                            + " (rate valid on " + day + ")");
                }
            }
        }
        if (reportingTotal < 0 && explain) {
            common.add("no " + deal.currency() + "->" + reporting + " rate dated on or before the close: reporting"
                    + " amounts unavailable");
        }

        // exclusions
        Instant lookbackAnchor = deal.opportunityCreatedAt() != null ? deal.opportunityCreatedAt()
                : deal.closedAt() != null ? deal.closedAt() : deal.asOf();
        Instant lookbackStart = lookbackAnchor == null ? null : lookbackAnchor.minus(settings.lookback());
        Exclusion[] excluded = new Exclusion[sorted.length];
        int[] eligible = new int[sorted.length];
        int n = 0;
        for (int i = 0; i < sorted.length; i++) {
            Instant at = sorted[i].at();
            if (deal.closedAt() != null && at.isAfter(deal.closedAt())) {
                excluded[i] = Exclusion.AFTER_CLOSE;
            } else if (deal.asOf() != null && at.isAfter(deal.asOf())) {
                excluded[i] = Exclusion.AFTER_DATA_AS_OF;
            } else if (lookbackStart != null && at.isBefore(lookbackStart)) {
                excluded[i] = Exclusion.BEFORE_LOOKBACK;
            } else {
                eligible[n++] = i;
            }
        }

        List<DealAttribution> results = new ArrayList<>(models.size());
        if (n == 0) {
            List<TouchCredit> lines = new ArrayList<>(sorted.length);
            for (int i = 0; i < sorted.length; i++) {
                lines.add(new TouchCredit(sorted[i], List.of(), exclusionRule(excluded[i]), 0, 0,
                        reportingTotal < 0 ? -1 : 0, excluded[i]));
            }
            common.add("no eligible touch: the whole amount is UNATTRIBUTED");
            List<TouchCredit> frozen = List.copyOf(lines);
            for (ModelType model : models) {
                results.add(new DealAttribution(deal.id(), model, deal.currency(), deal.amountMinor(), reporting,
                        reportingTotal, frozen, deal.amountMinor(), reportingTotal, List.copyOf(common)));
            }
            return results;
        }

        // milestones over the eligible touches (positions 0..n-1 in eligible order), as bit masks
        int[] roles = new int[n];
        int[] holder = new int[Milestone.values().length];
        Arrays.fill(holder, -1);
        holder[Milestone.FIRST_TOUCH.ordinal()] = 0;
        holder[Milestone.LEAD_CREATION.ordinal()] = lastAtOrBefore(sorted, eligible, n, deal.leadCreatedAt());
        holder[Milestone.OPPORTUNITY_CREATION.ordinal()] = lastAtOrBefore(sorted, eligible, n,
                deal.opportunityCreatedAt());
        holder[Milestone.QUALIFICATION.ordinal()] = lastAtOrBefore(sorted, eligible, n, deal.qualifiedAt());
        holder[Milestone.CLOSED_WON.ordinal()] = deal.won() ? lastAtOrBefore(sorted, eligible, n, deal.closedAt())
                : -1;
        for (Milestone m : Milestone.values()) {
            if (holder[m.ordinal()] >= 0) {
                roles[holder[m.ordinal()]] |= 1 << m.ordinal();
            }
        }

        for (ModelType model : models) {
            List<String> notes = explain ? new ArrayList<>(common) : common;
            double[] w = new double[n];
            String[] rule = new String[n];
            weigh(model, deal, sorted, eligible, n, roles, holder, settings, w, rule, notes, explain);

            long[] credit = LargestRemainder.allocate(deal.amountMinor(), w);
            long[] reportingCredit = reportingTotal < 0 ? null : LargestRemainder.allocate(reportingTotal, w);
            double sum = 0;
            for (double x : w) {
                sum += x;
            }
            TouchCredit[] lines = new TouchCredit[sorted.length];
            int k = 0;
            for (int i = 0; i < sorted.length; i++) {
                if (excluded[i] != null) {
                    lines[i] = new TouchCredit(sorted[i], List.of(), exclusionRule(excluded[i]), 0, 0,
                            reportingCredit == null ? -1 : 0, excluded[i]);
                } else {
                    lines[i] = new TouchCredit(sorted[i], ROLE_LISTS[roles[k]], rule[k], w[k] / sum, credit[k],
                            reportingCredit == null ? -1 : reportingCredit[k], null);
                    k++;
                }
            }
            results.add(new DealAttribution(deal.id(), model, deal.currency(), deal.amountMinor(), reporting,
                    reportingTotal, List.of(lines), 0, reportingTotal < 0 ? -1 : 0,
                    explain ? List.copyOf(notes) : List.of()));
        }
        return results;
    }

    private static void weigh(ModelType model, DealInput deal, TouchInput[] sorted, int[] eligible, int n,
            int[] roles, int[] holder, AttributionSettings settings, double[] w, String[] rule,
            List<String> notes, boolean explain) {
        switch (model) {
            case FIRST_TOUCH -> {
                w[0] = 1;
                Arrays.fill(rule, "first touch: not the earliest eligible touch, 0%");
                rule[0] = "first touch: earliest eligible touch, 100%";
            }
            case LAST_TOUCH -> {
                w[n - 1] = 1;
                Arrays.fill(rule, "last touch: not the latest eligible touch, 0%");
                rule[n - 1] = "last touch: latest eligible touch" + (deal.closed() ? " before the close" : "")
                        + ", 100%";
            }
            case LINEAR -> {
                Arrays.fill(w, 1);
                Arrays.fill(rule, "linear: 1/" + n + " of the deal");
            }
            case TIME_DECAY -> {
                Instant anchor = deal.closedAt() != null ? deal.closedAt() : deal.asOf() != null ? deal.asOf()
                        : sorted[eligible[n - 1]].at();
                double halfLifeSeconds = settings.halfLife().toMillis() / 1000.0;
                for (int k = 0; k < n; k++) {
                    double ageSeconds = Math.max(0, (anchor.toEpochMilli() - sorted[eligible[k]].at().toEpochMilli())
                            / 1000.0);
                    w[k] = Math.pow(2, -ageSeconds / halfLifeSeconds);
                    rule[k] = !explain ? "time decay" : "time decay: 2^(-" + fmt(ageSeconds / 86400.0) + "d / "
                            + fmt(halfLifeSeconds / 86400.0)
                            + "d half-life)";
                }
                double max = 0;
                for (double x : w) {
                    max = Math.max(max, x);
                }
                if (max < 1e-300) {
                    // every touch is hundreds of half-lives old: no usable signal, treat them alike
                    Arrays.fill(w, 1);
                    notes.add("time decay underflow: all touches far older than the half-life, split evenly");
                }
            }
            case U_SHAPED, W_SHAPED, FULL_PATH, CUSTOM -> positional(model, settings.weightsFor(model), n, roles,
                    holder, w, rule, notes, explain);
            case MARKOV, SHAPLEY -> dataDriven(model, sorted, eligible, n, settings.channelWeights(), w, rule, notes,
                    explain);
            default -> throw new IllegalArgumentException("unsupported model " + model);
        }
    }

    private static void positional(ModelType model, MilestoneWeights mw, int n, int[] roles,
            int[] holder, double[] w, String[] rule, List<String> notes, boolean explain) {
        String name = label(model);
        StringBuilder[] why = new StringBuilder[n];
        boolean[] weighted = new boolean[n];
        for (Milestone m : Milestone.values()) {
            double mwt = mw.weight(m);
            if (mwt <= 0) {
                continue;
            }
            int h = holder[m.ordinal()];
            if (h < 0) {
                if (explain) {
                    notes.add(name + ": milestone " + m + " absent, its " + pct(mwt) + " redistributed pro rata");
                }
                continue;
            }
            w[h] += mwt;
            weighted[h] = true;
            if (!explain) {
                continue;
            }
            why[h] = (why[h] == null ? new StringBuilder(name + ": ") : why[h].append(" + "))
                    .append(m.name().toLowerCase().replace('_', ' ')).append(' ').append(pct(mwt));
        }
        int middle = 0;
        for (int k = 0; k < n; k++) {
            if (!weighted[k]) {
                middle++;
            }
        }
        if (middle > 0 && mw.spread() > 0) {
            double each = mw.spread() / middle;
            for (int k = 0; k < n; k++) {
                if (!weighted[k]) {
                    w[k] = each;
                    why[k] = !explain ? null : new StringBuilder(name + ": middle touch, " + pct(mw.spread())
                            + " spread over "
                            + middle);
                }
            }
        } else if (mw.spread() > 0 && explain) {
            notes.add(name + ": no middle touches, the " + pct(mw.spread())
                    + " spread is redistributed over the milestone touches pro rata");
        }
        double sum = 0;
        for (double x : w) {
            sum += x;
        }
        if (sum <= 0) {
            Arrays.fill(w, 1);
            Arrays.fill(rule, name + ": no weighted milestone present and no spread, split evenly");
            notes.add(name + ": none of the weighted milestones is present, fell back to linear");
            return;
        }
        for (int k = 0; k < n; k++) {
            if (!explain) {
                rule[k] = name;
                continue;
            }
            rule[k] = why[k] == null ? name + ": middle touch, no spread weight, 0%"
                    : why[k].append(", normalised to ").append(pct(w[k] / sum)).toString();
        }
    }

    private static void dataDriven(ModelType model, TouchInput[] sorted, int[] eligible, int n,
            Map<String, Double> fitted, double[] w, String[] rule, List<String> notes, boolean explain) {
        String name = label(model);
        Map<String, Integer> count = new HashMap<>();
        for (int k = 0; k < n; k++) {
            count.merge(sorted[eligible[k]].channelKey(), 1, Integer::sum);
        }
        double total = 0;
        for (String c : count.keySet()) {
            total += Math.max(0, fitted.getOrDefault(c, 0.0));
        }
        if (total <= 0) {
            Arrays.fill(w, 1);
            Arrays.fill(rule, name + ": no fitted weight for this deal's channels, split evenly");
            notes.add(name + ": channels without fitted weight, fell back to linear");
            return;
        }
        for (int k = 0; k < n; k++) {
            String c = sorted[eligible[k]].channelKey();
            double cw = Math.max(0, fitted.getOrDefault(c, 0.0));
            int cnt = count.get(c);
            w[k] = cw / cnt;
            rule[k] = !explain ? name : name + ": channel " + c + " weight " + fmt(cw) + " of " + fmt(total)
                    + " shared by " + cnt
                    + " touch" + (cnt == 1 ? "" : "es");
        }
    }

    /** Position (in eligible order) of the last eligible touch at or before {@code t}; -1 if none or t null. */
    private static int lastAtOrBefore(TouchInput[] sorted, int[] eligible, int n, Instant t) {
        if (t == null) {
            return -1;
        }
        int lo = 0;
        int hi = n - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (!sorted[eligible[mid]].at().isAfter(t)) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Swallows notes when no explanation is wanted (bulk recomputes). */
    private static final class NoNotes extends java.util.AbstractList<String> {
        @Override
        public boolean add(String s) {
            return false;
        }

        @Override
        public String get(int index) {
            throw new IndexOutOfBoundsException(index);
        }

        @Override
        public int size() {
            return 0;
        }
    }

    private static String exclusionRule(Exclusion e) {
        return switch (e) {
            case AFTER_CLOSE -> "excluded: after the deal closed";
            case AFTER_DATA_AS_OF -> "excluded: after the data-as-of time of this computation";
            case BEFORE_LOOKBACK -> "excluded: before the lookback window";
        };
    }

    static String label(ModelType m) {
        return switch (m) {
            case U_SHAPED -> "U-shaped";
            case W_SHAPED -> "W-shaped";
            case FULL_PATH -> "full path";
            case CUSTOM -> "custom weights";
            case MARKOV -> "Markov removal effect";
            case SHAPLEY -> "Shapley";
            default -> m.name().toLowerCase().replace('_', ' ');
        };
    }

    private static String pct(double share) {
        return fmt(share * 100) + "%";
    }

    private static String fmt(double v) {
        BigDecimal d = BigDecimal.valueOf(v).setScale(4, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }
}

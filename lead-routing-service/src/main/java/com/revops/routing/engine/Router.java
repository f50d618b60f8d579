package com.revops.routing.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import com.revops.routing.engine.Trace.CandidateCheck;
import com.revops.routing.engine.Trace.Step;
import com.revops.routing.engine.Trace.Verdict;

/**
 * Decides who works a lead. Plain Java and side-effect free: the caller persists the decision and the round-robin
 * advance in one transaction, holding locks that keep concurrent decisions from seeing the same state.
 *
 * <p>Order: (1) an open duplicate of the person goes to its current owner; (2) a company email whose domain
 * belongs to a known account goes to the account owner; (3) the rules in order, the first whose condition holds and
 * whose action finds an eligible rep wins; (4) the rule set's fallback queue. A rep is eligible when active, not
 * excluded (a rep who already had this lead), not out of office, within working hours and below capacity.
 *
 * <p>Weighted round robin is stride scheduling: each member has a pass, the eligible member with the lowest pass
 * is chosen and their pass advances by {@code 1/weight}. A member who was skipped (absent, full) rejoins at the
 * team's current virtual time instead of catching up with a burst, so fairness holds over time and across
 * restarts (the passes live in the database).
 */
public final class Router {

    private Router() {
    }

    public static Decision decide(LeadFacts lead, RuleSet ruleSet, RoutingSnapshot world, Instant now,
            Set<String> excluded) {
        List<Step> steps = new ArrayList<>();

        if (ruleSet.routeDuplicatesToOwner()) {
            RoutingSnapshot.OpenLead dup = world.openDuplicate(lead);
            if (dup != null && dup.owner() != null) {
                Rep owner = world.rep(dup.owner());
                if (owner != null && owner.active() && !excluded.contains(owner.username())) {
                    String summary = "open duplicate " + dup.leadId() + " is owned by " + owner.username();
                    steps.add(new Step("duplicate", null, "same email as open lead " + dup.leadId(), true,
                            "assign to its owner", List.of(new CandidateCheck(owner.username(), null, Verdict.CHOSEN,
                                    "owner of the open duplicate")), null));
                    return new Decision(Decision.Reason.DUPLICATE, owner.username(), null, null, null, null,
                            new Trace(ruleSet.version(), steps, owner.username(), null, summary));
                }
                steps.add(new Step("duplicate", null, "same email as open lead " + dup.leadId(), true, null,
                        List.of(), "its owner " + dup.owner() + " is unknown, inactive or already had this lead"));
            }
        }

        if (ruleSet.matchAccounts()) {
            Step accountStep = accountOwner(lead, world, now, excluded);
            if (accountStep != null) {
                steps.add(accountStep);
                CandidateCheck c = accountStep.candidates().isEmpty() ? null : accountStep.candidates().get(0);
                if (c != null && c.verdict() == Verdict.CHOSEN) {
                    return new Decision(Decision.Reason.ACCOUNT_OWNER, c.username(), null, null, null, null,
                            new Trace(ruleSet.version(), steps, c.username(), null,
                                    "the email domain " + lead.emailDomain() + " belongs to an account owned by "
                                            + c.username()));
                }
            }
        }

        // rules that do not match are summarised in one step (their definitions are in the rule set version the
        // trace names): describing hundreds of conditions per decision would cost more than deciding
        List<String> notMatched = new ArrayList<>();
        for (Rule rule : ruleSet.rules()) {
            boolean matched = rule.when().test(lead.attributes());
            if (!matched) {
                notMatched.add(rule.name());
                continue;
            }
            flushNotMatched(steps, notMatched);
            Attempt attempt = apply(rule, lead, world, now, excluded);
            steps.add(new Step("rule", rule.name(), rule.when().describe(), true, rule.then().describe(),
                    attempt.candidates, attempt.note));
            if (attempt.assignee != null || attempt.queue != null) {
                String summary = "rule '" + rule.name() + "' matched (" + rule.when().describe() + ") and "
                        + (attempt.assignee != null ? attempt.note : "sent the lead to queue " + attempt.queue);
                return new Decision(Decision.Reason.RULE, attempt.assignee, attempt.team, attempt.queue, rule.name(),
                        attempt.advance(), new Trace(ruleSet.version(), steps, attempt.assignee, attempt.queue,
                                summary));
            }
        }

        flushNotMatched(steps, notMatched);
        steps.add(new Step("fallback", null, null, true, "send to queue " + ruleSet.fallbackQueue(), List.of(),
                null));
        return new Decision(Decision.Reason.FALLBACK, null, null, ruleSet.fallbackQueue(), null, null,
                new Trace(ruleSet.version(), steps, null, ruleSet.fallbackQueue(),
                        "no rule placed the lead with an eligible rep; it waits in queue " + ruleSet.fallbackQueue()));
    }

    static final int NAMES_IN_SUMMARY = 50;

    private static void flushNotMatched(List<Step> steps, List<String> names) {
        if (names.isEmpty()) {
            return;
        }
        String listed = String.join(", ", names.size() <= NAMES_IN_SUMMARY ? names
                : names.subList(0, NAMES_IN_SUMMARY)) + (names.size() > NAMES_IN_SUMMARY ? ", ..." : "");
        steps.add(new Step("rules-not-matched", null, null, false, null, List.of(),
                names.size() + " rule(s) did not match: " + listed));
        names.clear();
    }

    private static Step accountOwner(LeadFacts lead, RoutingSnapshot world, Instant now, Set<String> excluded) {
        String domain = lead.emailDomain();
        if (domain == null) {
            return null;
        }
        if (FreeMailDomains.isFreeMail(domain)) {
            return new Step("account", null, "email domain " + domain, false, null, List.of(),
                    domain + " is a free-mail domain: never matched to an account");
        }
        String owner = world.accountOwner(domain);
        if (owner == null) {
            return null;
        }
        CandidateCheck check = check(world.rep(owner), owner, null, now, excluded, Set.of(), true);
        return new Step("account", null, "email domain " + domain, true, "assign to the account owner",
                List.of(check), check.verdict() == Verdict.CHOSEN ? null
                        : "the account owner is not eligible; the rules decide");
    }

    private record Attempt(String assignee, String team, String queue, Decision.RoundRobinAdvance advance,
            List<CandidateCheck> candidates, String note) {
    }

    private static Attempt apply(Rule rule, LeadFacts lead, RoutingSnapshot world, Instant now, Set<String> excluded) {
        Action action = rule.then();
        if (action instanceof Action.Queue q) {
            return new Attempt(null, null, q.name(), null, List.of(), null);
        }
        if (action instanceof Action.AssignRep named) {
            CandidateCheck c = check(world.rep(named.username()), named.username(), null, now, excluded, Set.of(),
                    true);
            return c.verdict() == Verdict.CHOSEN
                    ? new Attempt(c.username(), null, null, null, List.of(c), "named rep " + c.username())
                    : new Attempt(null, null, null, null, List.of(c), "named rep not eligible; next rule");
        }
        if (action instanceof Action.AssignAccountOwner) {
            String domain = lead.emailDomain();
            String owner = domain == null || FreeMailDomains.isFreeMail(domain) ? null : world.accountOwner(domain);
            if (owner == null) {
                return new Attempt(null, null, null, null, List.of(), "no account matches the email domain; next rule");
            }
            CandidateCheck c = check(world.rep(owner), owner, null, now, excluded, Set.of(), true);
            return c.verdict() == Verdict.CHOSEN
                    ? new Attempt(owner, null, null, null, List.of(c), "account owner " + owner)
                    : new Attempt(null, null, null, null, List.of(c), "account owner not eligible; next rule");
        }
        Action.AssignTeam assign = (Action.AssignTeam) action;
        Team team = world.team(assign.team());
        if (team == null) {
            return new Attempt(null, null, null, null, List.of(), "team " + assign.team() + " does not exist");
        }
        List<CandidateCheck> checks = new ArrayList<>();
        List<Team.Member> eligible = new ArrayList<>();
        for (Team.Member m : team.members()) {
            CandidateCheck c = check(world.rep(m.username()), m.username(), team.name(), now, excluded,
                    assign.requiredSkills(), assign.respectWorkingHours());
            checks.add(c);
            if (c.verdict() == Verdict.CHOSEN) {
                eligible.add(m);
            }
        }
        if (eligible.isEmpty()) {
            return new Attempt(null, null, null, null, List.copyOf(checks),
                    "no eligible member in team " + team.name() + "; next rule");
        }
        Comparator<Team.Member> byPass = Comparator
                .comparingDouble((Team.Member m) -> Math.max(m.pass(), team.virtualTime()))
                .thenComparing(Team.Member::username);
        Comparator<Team.Member> order = assign.strategy() == Action.Strategy.LEAST_LOADED
                ? Comparator.comparingDouble((Team.Member m) -> (double) world.rep(m.username()).openLeads()
                        / m.weight()).thenComparing(byPass)
                : byPass;
        Team.Member chosen = eligible.stream().min(order).orElseThrow();
        double effective = Math.max(chosen.pass(), team.virtualTime());
        var advance = new Decision.RoundRobinAdvance(team.name(), chosen.username(),
                effective + 1.0 / chosen.weight(), effective);
        List<CandidateCheck> finalChecks = checks.stream().map(c -> {
            if (c.verdict() != Verdict.CHOSEN || c.username().equals(chosen.username())) {
                return c;
            }
            return new CandidateCheck(c.username(), c.team(), Verdict.NOT_NEXT_IN_ROTATION,
                    (assign.strategy() == Action.Strategy.LEAST_LOADED ? "least loaded" : "round robin")
                            + " chose " + chosen.username());
        }).toList();
        return new Attempt(chosen.username(), team.name(), null, advance, finalChecks,
                (assign.strategy() == Action.Strategy.LEAST_LOADED ? "least-loaded" : "weighted round robin")
                        + " in team " + team.name() + " chose " + chosen.username() + " (weight " + chosen.weight()
                        + ", " + eligible.size() + " of " + team.members().size() + " members eligible)");
    }

    /** The eligibility verdict on one rep: {@code CHOSEN} here means "eligible". */
    private static CandidateCheck check(Rep rep, String username, String team, Instant now, Set<String> excluded,
            Set<String> requiredSkills, boolean respectHours) {
        if (rep == null) {
            return new CandidateCheck(username, team, Verdict.UNKNOWN_REP, "not a configured rep");
        }
        if (!rep.active()) {
            return new CandidateCheck(username, team, Verdict.INACTIVE, null);
        }
        if (excluded.contains(username)) {
            return new CandidateCheck(username, team, Verdict.PREVIOUSLY_ASSIGNED, "already had this lead");
        }
        if (rep.isOutOfOffice(now)) {
            return new CandidateCheck(username, team, Verdict.OUT_OF_OFFICE, null);
        }
        if (respectHours && !rep.hours().isOpen(now)) {
            return new CandidateCheck(username, team, Verdict.OUT_OF_HOURS,
                    "local time " + now.atZone(rep.hours().zone()).toLocalTime().withNano(0) + " "
                            + rep.hours().zone());
        }
        if (rep.atCapacity()) {
            return new CandidateCheck(username, team, Verdict.AT_CAPACITY,
                    rep.openLeads() + " open untouched leads, cap " + rep.capacity());
        }
        if (!rep.skills().containsAll(requiredSkills)) {
            Set<String> missing = new java.util.TreeSet<>(requiredSkills);
            missing.removeAll(rep.skills());
            return new CandidateCheck(username, team, Verdict.MISSING_SKILLS, "missing " + missing);
        }
        return new CandidateCheck(username, team, Verdict.CHOSEN, rep.openLeads() + " open untouched leads");
    }
}

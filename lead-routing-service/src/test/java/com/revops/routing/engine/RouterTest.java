package com.revops.routing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.revops.routing.engine.Action.AssignTeam;
import com.revops.routing.engine.Action.Strategy;
import com.revops.routing.engine.Trace.Verdict;

class RouterTest {

    // a Tuesday, 10:00 in New York
    static final Instant TUESDAY_10_NY = Instant.parse("2026-11-24T15:00:00Z");
    static final WorkingHours NY_9_TO_5 = WorkingHours.weekdays(ZoneId.of("America/New_York"), LocalTime.of(9, 0),
            LocalTime.of(17, 0));

    static Rep rep(String name) {
        return new Rep(name, true, NY_9_TO_5, List.of(), Set.of(), null, 0);
    }

    static Team team(String name, Team.Member... members) {
        return new Team(UUID.randomUUID().toString(), name, 0, List.of(members));
    }

    static RuleSet rules(Rule... rules) {
        return new RuleSet(1, List.of(rules), "triage", true, true);
    }

    static Rule toTeam(String name, Condition when, String team) {
        return new Rule(name, when, new AssignTeam(team, Strategy.WEIGHTED_ROUND_ROBIN, Set.of(), true));
    }

    static LeadFacts lead(String email, Map<String, Object> attrs) {
        return new LeadFacts(UUID.randomUUID(), email, attrs);
    }

    @Test
    void weightedRoundRobinStaysWithinOnePercentOfTheWeightsOver10000Leads() {
        SimulatedWorld world = new SimulatedWorld()
                .rep(rep("ann")).rep(rep("bob")).rep(rep("cid")).rep(rep("dee"))
                .team(team("east", new Team.Member("ann", 1, 0), new Team.Member("bob", 2, 0),
                        new Team.Member("cid", 3, 0), new Team.Member("dee", 4, 0)));
        RuleSet set = rules(toTeam("all", new Condition.Always(), "east"));
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            LeadFacts l = lead("p" + i + "@acme" + i + ".com", Map.of());
            Decision d = Router.decide(l, set, world, TUESDAY_10_NY, Set.of());
            world.apply(l, d);
            world.touched(d.assignee()); // keep capacity out of the picture
            counts.merge(d.assignee(), 1, Integer::sum);
        }
        // weights 1:2:3:4 of 10 -> expected 1000, 2000, 3000, 4000; 1% of 10,000 leads is 100
        assertThat(counts.get("ann")).isBetween(900, 1100);
        assertThat(counts.get("bob")).isBetween(1900, 2100);
        assertThat(counts.get("cid")).isBetween(2900, 3100);
        assertThat(counts.get("dee")).isBetween(3900, 4100);
        // stride scheduling is in fact exact to one lead
        assertThat(counts.get("dee")).isBetween(3999, 4001);
    }

    @Test
    void aRepBackFromAbsenceRejoinsTheRotationWithoutABurstOfCatchUpLeads() {
        Rep away = new Rep("bob", true, NY_9_TO_5, List.of(new Rep.Absence(TUESDAY_10_NY.minusSeconds(1),
                TUESDAY_10_NY.plusSeconds(3600))), Set.of(), null, 0);
        SimulatedWorld world = new SimulatedWorld().rep(rep("ann")).rep(away)
                .team(team("east", new Team.Member("ann", 1, 0), new Team.Member("bob", 1, 0)));
        RuleSet set = rules(toTeam("all", new Condition.Always(), "east"));
        for (int i = 0; i < 100; i++) { // bob is away: ann gets all 100
            LeadFacts l = lead(null, Map.of());
            Decision d = Router.decide(l, set, world, TUESDAY_10_NY, Set.of());
            assertThat(d.assignee()).isEqualTo("ann");
            world.apply(l, d);
        }
        Instant back = TUESDAY_10_NY.plusSeconds(7200);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            LeadFacts l = lead(null, Map.of());
            Decision d = Router.decide(l, set, world, back, Set.of());
            world.apply(l, d);
            counts.merge(d.assignee(), 1, Integer::sum);
        }
        assertThat(counts).containsEntry("ann", 5).containsEntry("bob", 5);
    }

    @Test
    void skipsRepsAtCapacityOutOfOfficeAndOutOfHoursAndSaysWhy() {
        Rep full = new Rep("full", true, NY_9_TO_5, List.of(), Set.of(), 3, 3);
        Rep ooo = new Rep("ooo", true, NY_9_TO_5, List.of(new Rep.Absence(TUESDAY_10_NY.minusSeconds(60),
                TUESDAY_10_NY.plusSeconds(60))), Set.of(), null, 0);
        Rep sydney = new Rep("syd", true, WorkingHours.weekdays(ZoneId.of("Australia/Sydney"), LocalTime.of(9, 0),
                LocalTime.of(17, 0)), List.of(), Set.of(), null, 0);
        SimulatedWorld world = new SimulatedWorld().rep(full).rep(ooo).rep(sydney).rep(rep("ok"))
                .team(team("east", new Team.Member("full", 1, 0), new Team.Member("ooo", 1, 0),
                        new Team.Member("syd", 1, 0), new Team.Member("ok", 1, 5)));
        Decision d = Router.decide(lead(null, Map.of()), rules(toTeam("all", new Condition.Always(), "east")), world,
                TUESDAY_10_NY, Set.of());
        assertThat(d.assignee()).isEqualTo("ok");
        var candidates = d.trace().steps().get(0).candidates();
        assertThat(candidates).extracting(Trace.CandidateCheck::verdict).containsExactly(Verdict.AT_CAPACITY,
                Verdict.OUT_OF_OFFICE, Verdict.OUT_OF_HOURS, Verdict.CHOSEN);
        assertThat(d.trace().whyNot("full")).contains("at capacity").contains("3 open untouched leads, cap 3");
        assertThat(d.trace().whyNot("syd")).contains("out of hours");
    }

    @Test
    void routesToAccountOwnerWhenDomainMatchesButNeverForFreeMail() {
        SimulatedWorld world = new SimulatedWorld().rep(rep("ann")).rep(rep("owner"))
                .team(team("east", new Team.Member("ann", 1, 0)))
                .account("acme.com", "owner").account("gmail.com", "owner");
        RuleSet set = rules(toTeam("all", new Condition.Always(), "east"));
        Decision d = Router.decide(lead("jo@ACME.com", Map.of()), set, world, TUESDAY_10_NY, Set.of());
        assertThat(d.reason()).isEqualTo(Decision.Reason.ACCOUNT_OWNER);
        assertThat(d.assignee()).isEqualTo("owner");
        Decision free = Router.decide(lead("jo@gmail.com", Map.of()), set, world, TUESDAY_10_NY, Set.of());
        assertThat(free.assignee()).isEqualTo("ann");
        assertThat(free.trace().steps().get(0).note()).contains("free-mail");
    }

    @Test
    void anAccountOwnerWhoIsOutOfOfficeLetsTheRulesDecide() {
        Rep away = new Rep("owner", true, NY_9_TO_5, List.of(new Rep.Absence(TUESDAY_10_NY.minusSeconds(60),
                TUESDAY_10_NY.plusSeconds(60))), Set.of(), null, 0);
        SimulatedWorld world = new SimulatedWorld().rep(rep("ann")).rep(away)
                .team(team("east", new Team.Member("ann", 1, 0))).account("acme.com", "owner");
        Decision d = Router.decide(lead("jo@acme.com", Map.of()), rules(toTeam("all", new Condition.Always(),
                "east")), world, TUESDAY_10_NY, Set.of());
        assertThat(d.assignee()).isEqualTo("ann");
        assertThat(d.trace().whyNot("owner")).contains("out of office");
    }

    @Test
    void sendsADuplicateOfAnOpenLeadToItsCurrentOwnerEvenAtCapacity() {
        Rep busy = new Rep("sam", true, NY_9_TO_5, List.of(), Set.of(), 1, 1);
        SimulatedWorld world = new SimulatedWorld().rep(rep("ann")).rep(busy)
                .team(team("east", new Team.Member("ann", 1, 0)))
                .openLead("jo@acme.com", UUID.randomUUID(), "sam");
        Decision d = Router.decide(lead("JO@acme.com", Map.of()), rules(toTeam("all", new Condition.Always(),
                "east")), world, TUESDAY_10_NY, Set.of());
        assertThat(d.reason()).isEqualTo(Decision.Reason.DUPLICATE);
        assertThat(d.assignee()).isEqualTo("sam");
    }

    @Test
    void firstMatchingRuleWinsAndLaterRulesAreNotConsidered() {
        SimulatedWorld world = new SimulatedWorld().rep(rep("ent")).rep(rep("smb")).rep(rep("de"))
                .team(team("enterprise", new Team.Member("ent", 1, 0)))
                .team(team("smb", new Team.Member("smb", 1, 0)))
                .team(team("dach", new Team.Member("de", 1, 0)));
        RuleSet set = rules(
                toTeam("dach", new Condition.In("country", List.of("DE", "AT", "CH")), "dach"),
                toTeam("enterprise", new Condition.Range("companySize", new BigDecimal("1000"), null), "enterprise"),
                toTeam("rest", new Condition.Always(), "smb"));
        assertThat(Router.decide(lead(null, Map.of("country", "de", "companySize", 5000)), set, world,
                TUESDAY_10_NY, Set.of()).assignee()).isEqualTo("de");
        Decision ent = Router.decide(lead(null, Map.of("country", "US", "companySize", 5000)), set, world,
                TUESDAY_10_NY, Set.of());
        assertThat(ent.assignee()).isEqualTo("ent");
        assertThat(ent.rule()).isEqualTo("enterprise");
        assertThat(ent.trace().steps()).extracting(Trace.Step::matched).containsExactly(false, true);
        assertThat(Router.decide(lead(null, Map.of("country", "US", "companySize", 999)), set, world,
                TUESDAY_10_NY, Set.of()).assignee()).isEqualTo("smb");
    }

    @Test
    void aMatchingRuleWithNoEligibleRepFallsThroughToTheNextAndFinallyToTheFallbackQueue() {
        Rep full = new Rep("full", true, NY_9_TO_5, List.of(), Set.of(), 1, 1);
        SimulatedWorld world = new SimulatedWorld().rep(full).team(team("east", new Team.Member("full", 1, 0)));
        Decision d = Router.decide(lead(null, Map.of()), rules(toTeam("all", new Condition.Always(), "east")), world,
                TUESDAY_10_NY, Set.of());
        assertThat(d.assigned()).isFalse();
        assertThat(d.reason()).isEqualTo(Decision.Reason.FALLBACK);
        assertThat(d.queue()).isEqualTo("triage");
    }

    @Test
    void neverReturnsALeadToARepWhoAlreadyHadIt() {
        SimulatedWorld world = new SimulatedWorld().rep(rep("ann")).rep(rep("bob"))
                .team(team("east", new Team.Member("ann", 1, 0), new Team.Member("bob", 1, 9)));
        Decision d = Router.decide(lead(null, Map.of()), rules(toTeam("all", new Condition.Always(), "east")), world,
                TUESDAY_10_NY, Set.of("ann"));
        assertThat(d.assignee()).isEqualTo("bob");
        assertThat(d.trace().whyNot("ann")).contains("previously assigned");
    }

    @Test
    void requiredSkillsFilterTheTeam() {
        Rep german = new Rep("hans", true, NY_9_TO_5, List.of(), Set.of("lang:de"), null, 0);
        SimulatedWorld world = new SimulatedWorld().rep(rep("ann")).rep(german)
                .team(team("east", new Team.Member("ann", 1, 0), new Team.Member("hans", 1, 5)));
        Rule rule = new Rule("german speakers", new Condition.Eq("language", "de"),
                new AssignTeam("east", Strategy.WEIGHTED_ROUND_ROBIN, Set.of("lang:de"), true));
        Decision d = Router.decide(lead(null, Map.of("language", "DE")), rules(rule), world, TUESDAY_10_NY, Set.of());
        assertThat(d.assignee()).isEqualTo("hans");
        assertThat(d.trace().whyNot("ann")).contains("missing skills");
    }

    @Test
    void leastLoadedPicksTheRepWithFewestOpenLeadsPerWeight() {
        SimulatedWorld world = new SimulatedWorld()
                .rep(new Rep("a", true, null, List.of(), Set.of(), null, 4))
                .rep(new Rep("b", true, null, List.of(), Set.of(), null, 6))
                .team(team("pool", new Team.Member("a", 1, 0), new Team.Member("b", 2, 0)));
        Rule rule = new Rule("pool", new Condition.Always(), new AssignTeam("pool", Strategy.LEAST_LOADED, null,
                true));
        // a: 4/1 = 4, b: 6/2 = 3 -> b
        assertThat(Router.decide(lead(null, Map.of()), rules(rule), world, TUESDAY_10_NY, Set.of()).assignee())
                .isEqualTo("b");
    }

    @Test
    void whyNotExplainsARepWhoWasNeverACandidate() {
        SimulatedWorld world = new SimulatedWorld().rep(rep("ann")).rep(rep("zed"))
                .team(team("east", new Team.Member("ann", 1, 0)));
        Decision d = Router.decide(lead(null, Map.of()), rules(toTeam("all", new Condition.Always(), "east")), world,
                TUESDAY_10_NY, Set.of());
        assertThat(d.trace().whyNot("zed")).startsWith("zed was never a candidate").contains("rule 'all'");
    }
}

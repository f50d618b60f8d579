package com.revops.routing.bench;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import com.revops.routing.engine.Action;
import com.revops.routing.engine.Condition;
import com.revops.routing.engine.Decision;
import com.revops.routing.engine.LeadFacts;
import com.revops.routing.engine.Rep;
import com.revops.routing.engine.Router;
import com.revops.routing.engine.Rule;
import com.revops.routing.engine.RuleSet;
import com.revops.routing.engine.SimulatedWorld;
import com.revops.routing.engine.Team;
import com.revops.routing.engine.WorkingHours;

/**
 * Decision latency of the router in process: 1,000 reps in 50 teams (mixed time zones, absences, capacity caps,
 * skills) and 500 rules of mixed conditions (in-lists, ranges, regexes, and/or/not), the catch-all last, so a lead
 * typically tests hundreds of rules before one matches. Sample mode gives the percentiles. Run with
 * {@code bash bench/run-routing.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class RouterBenchmark {

    static final String[] COUNTRIES = {"US", "CA", "GB", "DE", "FR", "NL", "SE", "ES", "IT", "JP", "AU", "BR", "IN",
        "SG", "MX", "CH", "AT", "PL", "IE", "BE"};
    static final String[] INDUSTRIES = {"software", "fintech", "retail", "health", "manufacturing", "education",
        "media", "logistics"};
    static final String[] CHANNELS = {"paid-search", "organic", "webinar", "events", "partner", "outbound",
        "content", "social"};
    static final String[] ZONES = {"America/New_York", "America/Los_Angeles", "Europe/London", "Europe/Berlin",
        "Asia/Tokyo", "Australia/Sydney"};

    @Param({"1000"})
    int reps;

    @Param({"500"})
    int rules;

    SimulatedWorld world;
    RuleSet ruleSet;
    LeadFacts[] leads;
    int next;
    Instant now = Instant.parse("2026-11-24T15:00:00Z");

    @Setup
    public void setup() {
        Random random = new Random(42);
        world = new SimulatedWorld();
        int teams = 50;
        List<List<Team.Member>> members = new ArrayList<>();
        for (int t = 0; t < teams; t++) {
            members.add(new ArrayList<>());
        }
        for (int i = 0; i < reps; i++) {
            String name = "rep" + i;
            ZoneId zone = ZoneId.of(ZONES[i % ZONES.length]);
            List<Rep.Absence> away = i % 17 == 0 ? List.of(new Rep.Absence(now.minusSeconds(3600),
                    now.plusSeconds(86400))) : List.of();
            Set<String> skills = i % 3 == 0 ? Set.of("lang:de") : Set.of("lang:en");
            world.rep(new Rep(name, true, WorkingHours.weekdays(zone, LocalTime.of(0, 0), LocalTime.of(23, 59)), away,
                    skills, 1_000_000, random.nextInt(50)));
            members.get(i % teams).add(new Team.Member(name, 1 + random.nextInt(4), 0));
        }
        for (int t = 0; t < teams; t++) {
            world.team(new Team(UUID.randomUUID().toString(), "team" + t, 0, members.get(t)));
        }
        List<Rule> list = new ArrayList<>();
        for (int r = 0; r < rules - 1; r++) {
            Condition c = switch (r % 4) {
                case 0 -> new Condition.And(List.of(new Condition.In("country", List.of(COUNTRIES[r % 20],
                        COUNTRIES[(r + 7) % 20])), new Condition.Range("companySize", BigDecimal.valueOf(r * 13L),
                                BigDecimal.valueOf(r * 13L + 40)), new Condition.Eq("industry", INDUSTRIES[r % 8])));
                case 1 -> new Condition.Or(List.of(Condition.Regex.of("custom.segment", "seg-" + r + "-.*"),
                        new Condition.And(List.of(new Condition.Eq("channel", CHANNELS[r % 8]),
                                new Condition.Range("score", BigDecimal.valueOf(95 + r % 5), null),
                                new Condition.Eq("intentTier", "demo-request")))));
                case 2 -> new Condition.And(List.of(new Condition.Not(new Condition.Exists("industry")),
                        new Condition.Eq("country", COUNTRIES[r % 20])));
                default -> new Condition.And(List.of(new Condition.Eq("source", "source-" + r),
                        new Condition.In("channel", List.of(CHANNELS[r % 8], CHANNELS[(r + 3) % 8]))));
            };
            Set<String> skills = r % 10 == 0 ? Set.of("lang:de") : Set.of();
            list.add(new Rule("rule-" + r, c, new Action.AssignTeam("team" + (r % teams),
                    Action.Strategy.WEIGHTED_ROUND_ROBIN, skills, true)));
        }
        list.add(new Rule("catch-all", new Condition.Always(), new Action.AssignTeam("team0",
                Action.Strategy.WEIGHTED_ROUND_ROBIN, Set.of(), true)));
        ruleSet = new RuleSet(1, list, "triage", true, true);
        leads = new LeadFacts[4096];
        for (int i = 0; i < leads.length; i++) {
            Map<String, Object> a = new HashMap<>();
            a.put("country", COUNTRIES[random.nextInt(20)]);
            a.put("companySize", random.nextInt(10_000));
            if (random.nextInt(5) > 0) {
                a.put("industry", INDUSTRIES[random.nextInt(8)]);
            }
            a.put("channel", CHANNELS[random.nextInt(8)]);
            a.put("source", "source-" + random.nextInt(2000));
            a.put("score", random.nextInt(100));
            a.put("intentTier", random.nextInt(10) == 0 ? "demo-request" : "medium");
            a.put("custom.segment", "seg-" + random.nextInt(2000) + "-x");
            leads[i] = new LeadFacts(UUID.randomUUID(), "p" + i + "@company" + random.nextInt(500) + ".com", a);
        }
    }

    @Benchmark
    public Decision decide() {
        LeadFacts lead = leads[next++ & (leads.length - 1)];
        Decision d = Router.decide(lead, ruleSet, world, now, Set.of());
        world.apply(lead, d);
        return d;
    }
}

package com.revops.routing.assignment;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.revops.platform.security.Roles;
import com.revops.platform.web.ProblemException;
import com.revops.routing.engine.Decision;
import com.revops.routing.engine.LeadFacts;
import com.revops.routing.engine.Router;
import com.revops.routing.engine.RuleSet;
import com.revops.routing.engine.Trace;
import com.revops.routing.leads.Lead;
import com.revops.routing.rules.RuleSetService;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * Runs leads through a rule set (a draft, or the published one) without side effects: the routing model is read,
 * decisions are applied to an in-memory copy only (so round robin and capacity evolve as they would), nothing is
 * written and nothing is published.
 */
@Path("/routing/simulate")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Routing rules")
@SecurityRequirement(name = "bearer")
@RolesAllowed({Roles.REVOPS_ADMIN, Roles.SALES_MANAGER})
public class SimulationResource {

    static final int MAX_LEADS = 1000;
    static final int MAX_REPLAY = 20_000;

    /** A lead to simulate: email and the attributes rules test (country, companySize, channel, ...). */
    public record SimLead(String email, Map<String, Object> attributes) {
    }

    /** One lead, a batch, or {@code replayDays}: the leads received in the last N days, in arrival order. */
    public record SimulationRequest(Integer ruleSetVersion, List<SimLead> leads, Integer replayDays, Instant at) {
    }

    public record SimDecision(UUID leadId, String email, String reason, String rule, String assignee, String queue,
            String actualOwner, Trace trace) {
    }

    /** Decisions (the first 200) and the distribution per rep and per queue. */
    public record SimulationResult(int ruleSetVersion, int leads, Map<String, Integer> perRep,
            Map<String, Integer> perQueue, Integer changedFromActual, List<SimDecision> decisions) {
    }

    private final RuleSetService ruleSets;
    private final WorldLoader loader;

    public SimulationResource(RuleSetService ruleSets, WorldLoader loader) {
        this.ruleSets = ruleSets;
        this.loader = loader;
    }

    @POST
    @WithSession
    @Operation(summary = "Simulate routing for one lead, a batch, or a replay of the last N days")
    @APIResponse(responseCode = "200", description = "Decisions and distribution; nothing stored")
    @APIResponse(responseCode = "400", description = "Neither leads nor replayDays, or too many leads")
    @APIResponse(responseCode = "404", description = "No such rule set version")
    @APIResponse(responseCode = "422", description = "The rule set is not valid")
    public Uni<SimulationResult> simulate(SimulationRequest req) {
        if (req == null || (req.leads() == null || req.leads().isEmpty()) == (req.replayDays() == null)) {
            throw new ProblemException.BadRequest("give either leads (1.." + MAX_LEADS + ") or replayDays");
        }
        if (req.leads() != null && req.leads().size() > MAX_LEADS) {
            throw new ProblemException.BadRequest("at most " + MAX_LEADS + " leads per simulation");
        }
        if (req.replayDays() != null && (req.replayDays() < 1 || req.replayDays() > 90)) {
            throw new ProblemException.BadRequest("replayDays is between 1 and 90");
        }
        Uni<RuleSet> rules = req.ruleSetVersion() == null ? ruleSets.published()
                : ruleSets.parseForSimulation(req.ruleSetVersion());
        Instant at = req.at() == null ? Instant.now() : req.at();
        return rules.chain(set -> {
            if (set == null) {
                throw new ProblemException.Unprocessable("no rule set is published; name a ruleSetVersion",
                        List.of());
            }
            Uni<List<Lead>> actual = req.replayDays() == null ? Uni.createFrom().item(List.of())
                    : Panache.getSession().chain(s -> s.createSelectionQuery(
                            "from Lead where receivedAt >= :from order by receivedAt, id", Lead.class)
                            .setParameter("from", at.minus(Duration.ofDays(req.replayDays())))
                            .setMaxResults(MAX_REPLAY).getResultList());
            return actual.chain(replay -> {
                List<LeadFacts> facts = new ArrayList<>();
                List<String> actualOwners = new ArrayList<>();
                if (req.leads() != null) {
                    req.leads().forEach(l -> facts.add(new LeadFacts(UUID.randomUUID(), l.email(), l.attributes())));
                } else {
                    replay.forEach(l -> {
                        facts.add(LeadFactsMapper.of(l));
                        actualOwners.add(l.ownerUsername);
                    });
                }
                // one world for the whole run, read without locks: every decision sees the effects of the earlier
                // ones, as in production
                return Panache.getSession().chain(s -> loader.load(s, set, facts, false, at)).map(loaded -> {
                    Map<String, Integer> perRep = new TreeMap<>();
                    Map<String, Integer> perQueue = new TreeMap<>();
                    List<SimDecision> out = new ArrayList<>();
                    int changed = 0;
                    for (int i = 0; i < facts.size(); i++) {
                        LeadFacts f = facts.get(i);
                        Decision d = Router.decide(f, set, loaded.world(), at, java.util.Set.of());
                        loaded.world().apply(f, d);
                        if (d.assigned()) {
                            perRep.merge(d.assignee(), 1, Integer::sum);
                        } else {
                            perQueue.merge(d.queue(), 1, Integer::sum);
                        }
                        String was = actualOwners.isEmpty() ? null : actualOwners.get(i);
                        if (!actualOwners.isEmpty() && !java.util.Objects.equals(was, d.assignee())) {
                            changed++;
                        }
                        if (out.size() < 200) {
                            out.add(new SimDecision(f.leadId(), f.email(), d.reason().name(), d.rule(), d.assignee(),
                                    d.queue(), was, d.trace()));
                        }
                    }
                    return new SimulationResult(set.version(), facts.size(), perRep, perQueue,
                            actualOwners.isEmpty() ? null : changed, out);
                });
            });
        });
    }
}

package com.revops.routing.leads;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.platform.security.Roles;
import com.revops.platform.web.Problem;
import com.revops.platform.web.ProblemException;
import com.revops.routing.assignment.RoutingDecision;
import com.revops.routing.assignment.RoutingService;
import com.revops.routing.engine.Trace;
import com.revops.routing.sla.SlaService;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Leads as the people who work them see them: an SDR their own queue with SLA countdowns, a manager their teams',
 * an admin all. A lead the caller may not see answers 404, exactly like a lead that does not exist.
 */
@Path("/leads")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Leads")
@SecurityRequirement(name = "bearer")
@RolesAllowed({Roles.SDR, Roles.SALES_MANAGER, Roles.REVOPS_ADMIN})
public class LeadResource {

    private final SecurityIdentity identity;
    private final SlaService sla;
    private final RoutingService routing;
    private final ObjectMapper json;

    public LeadResource(SecurityIdentity identity, SlaService sla, RoutingService routing, ObjectMapper json) {
        this.identity = identity;
        this.sla = sla;
        this.routing = routing;
        this.json = json;
    }

    /** One lead in an answer, with its SLA countdown. */
    public record LeadView(UUID id, String crm, String crmId, String email, String firstName, String lastName,
            String company, String country, String source, String channel, String intentTier, String status,
            String owner, UUID teamId, String queue, Instant receivedAt, Instant assignedAt, Instant firstTouchedAt,
            String slaPolicy, Instant slaDueAt, String slaState, Long slaSecondsLeft, int reassignmentCount) {
        static LeadView of(Lead l, Instant now) {
            Long left = l.slaDueAt != null && "RUNNING".equals(l.slaState)
                    ? Duration.between(now, l.slaDueAt).toSeconds() : null;
            return new LeadView(l.id, l.crm, l.crmId, l.email, l.firstName, l.lastName, l.company, l.country,
                    l.source, l.channel, l.intentTier, l.status, l.ownerUsername, l.teamId, l.queue, l.receivedAt,
                    l.assignedAt, l.firstTouchedAt, l.slaPolicy, l.slaDueAt, l.slaState, left, l.reassignmentCount);
        }
    }

    /** A page of leads. */
    public record LeadPage(List<LeadView> items, int page, int size, long total) {
    }

    /** A manual first touch (a call logged outside the CRM, for example). */
    public record TouchRequest(Instant at, String activityType) {
    }

    /** A manual reassignment. */
    public record ReassignRequest(String toUsername, String reason) {
    }

    /** The routing history of a lead, newest first, and the answer to "why not rep X" when asked. */
    public record TraceView(UUID leadId, String owner, String whyNot, List<DecisionView> decisions) {
    }

    public record DecisionView(UUID id, Instant decidedAt, String trigger, String reason, Integer ruleSetVersion,
            String ruleName, String chosen, String queue, String decidedBy, String comment, Trace trace) {
    }

    @GET
    @WithSession
    @Operation(summary = "List leads: an SDR gets their own queue, a manager their teams', an admin all")
    @APIResponse(responseCode = "200", description = "A page of leads")
    @APIResponse(responseCode = "400", description = "Invalid paging, filter or sort")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<LeadPage> list(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size,
            @QueryParam("status") String status, @QueryParam("channel") String channel,
            @QueryParam("owner") String owner, @QueryParam("team") UUID team,
            @QueryParam("sort") @DefaultValue("newest") String sort) {
        Viewer v = Viewer.of(identity);
        StringBuilder q = new StringBuilder("from Lead l where 1 = 1");
        java.util.Map<String, Object> params = new java.util.HashMap<>();
        if (v.sdrOnly()) {
            q.append(" and l.ownerUsername = :me");
            params.put("me", v.username());
        } else if (!v.admin()) {
            q.append(" and l.teamId in (select t.id from SalesTeam t where t.keycloakGroup in :groups)");
            params.put("groups", v.teams().isEmpty() ? Set.of("") : v.teams());
        }
        if (owner != null && !owner.isBlank() && !v.sdrOnly()) {
            q.append(" and l.ownerUsername = :owner");
            params.put("owner", owner);
        }
        if (status != null && !status.isBlank()) {
            if (!Set.of("NEW", "ASSIGNED", "QUEUED", "TOUCHED", "CLOSED", "HISTORIC").contains(status)) {
                throw new ProblemException.BadRequest(
                        "status is one of NEW, ASSIGNED, QUEUED, TOUCHED, CLOSED, HISTORIC");
            }
            q.append(" and l.status = :status");
            params.put("status", status);
        }
        if (channel != null && !channel.isBlank()) {
            q.append(" and l.channel = :channel");
            params.put("channel", channel);
        }
        if (team != null) {
            q.append(" and l.teamId = :team");
            params.put("team", team);
        }
        String order = switch (sort) {
            case "newest" -> " order by l.receivedAt desc, l.id";
            case "due" -> " order by l.slaDueAt asc nulls last, l.id";
            default -> throw new ProblemException.BadRequest("sort is newest or due");
        };
        Instant now = Instant.now();
        return Panache.getSession().chain(s -> {
            var list = s.createSelectionQuery(q + order, Lead.class);
            var count = s.createSelectionQuery("select count(*) " + q, Long.class);
            params.forEach((k, val) -> {
                list.setParameter(k, val);
                count.setParameter(k, val);
            });
            return list.setFirstResult(page * size).setMaxResults(size).getResultList()
                    .chain(items -> count.getSingleResult().map(total -> new LeadPage(
                            items.stream().map(l -> LeadView.of(l, now)).toList(), page, size, total)));
        });
    }

    @GET
    @Path("/{id}")
    @WithSession
    @Operation(summary = "One lead")
    @APIResponse(responseCode = "200", description = "The lead")
    @APIResponse(responseCode = "404", description = "No such lead, or not one the caller may see")
    public Uni<LeadView> get(@PathParam("id") UUID id) {
        return visible(id, false).map(l -> LeadView.of(l, Instant.now()));
    }

    @POST
    @Path("/{id}/touch")
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    @Operation(summary = "Record the first touch of the owner (stops the SLA clock)")
    @APIResponse(responseCode = "200", description = "Recorded; the lead with its SLA outcome")
    @APIResponse(responseCode = "404", description = "No such lead, or not the caller's")
    @APIResponse(responseCode = "409", description = "Not waiting for a first touch (already touched or queued)")
    public Uni<LeadView> touch(@PathParam("id") UUID id, TouchRequest req) {
        Instant at = req == null || req.at() == null ? Instant.now() : req.at();
        if (at.isAfter(Instant.now().plusSeconds(60))) {
            throw new ProblemException.Unprocessable("a touch cannot be in the future",
                    List.of(new Problem.Violation("at", "in the future")));
        }
        String type = req == null || req.activityType() == null ? "manual" : req.activityType();
        return visible(id, true).chain(l -> {
            if (!"ASSIGNED".equals(l.status)) {
                throw new ProblemException.Conflict("lead " + id + " is " + l.status + ", not waiting for a first touch");
            }
            return Panache.getSession().chain(s -> sla.firstTouch(s, l, l.ownerUsername, at, "manual", type))
                    .map(ok -> LeadView.of(l, Instant.now()));
        });
    }

    @POST
    @Path("/{id}/reassign")
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    @RolesAllowed({Roles.SALES_MANAGER, Roles.REVOPS_ADMIN})
    @Operation(summary = "Reassign a lead to a named rep, with a reason (audited; starts a new SLA clock)")
    @APIResponse(responseCode = "200", description = "Reassigned; the lead")
    @APIResponse(responseCode = "404", description = "No such lead, or not in the manager's teams")
    @APIResponse(responseCode = "409", description = "Already owned by that rep")
    @APIResponse(responseCode = "422", description = "Missing reason or unknown rep")
    public Uni<LeadView> reassign(@PathParam("id") UUID id, ReassignRequest req) {
        if (req == null || req.toUsername() == null || req.toUsername().isBlank()) {
            throw new ProblemException.Unprocessable("a reassignment names the new owner",
                    List.of(new Problem.Violation("toUsername", "required")));
        }
        return visible(id, true).chain(l -> routing.assignManually(l, req.toUsername(), identity.getPrincipal()
                .getName(), req.reason()).map(d -> LeadView.of(l, Instant.now())));
    }

    @GET
    @Path("/{id}/routing-trace")
    @WithSession
    @Operation(summary = "Why this rep (every decision with its trace); with ?rep=X, why not rep X")
    @APIResponse(responseCode = "200", description = "The routing history")
    @APIResponse(responseCode = "404", description = "No such lead, or not one the caller may see")
    public Uni<TraceView> trace(@PathParam("id") UUID id, @QueryParam("rep") String rep) {
        return visible(id, false).chain(l -> Panache.getSession().chain(s -> s.createSelectionQuery(
                "from RoutingDecision where leadId = :l order by decidedAt desc", RoutingDecision.class)
                .setParameter("l", id).getResultList()).map(decisions -> {
                    List<DecisionView> views = decisions.stream().map(d -> new DecisionView(d.id, d.decidedAt,
                            d.trigger, d.reason, d.ruleSetVersion, d.ruleName, d.chosenUsername, d.queue,
                            d.decidedBy, d.comment, read(d.trace))).toList();
                    String whyNot = rep == null || views.isEmpty() ? null : views.get(0).trace().whyNot(rep);
                    return new TraceView(id, l.ownerUsername, whyNot, views);
                }));
    }

    private Trace read(String trace) {
        try {
            return json.readValue(trace, Trace.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The lead if the caller may see it (locked when {@code forUpdate}), else 404. */
    private Uni<Lead> visible(UUID id, boolean forUpdate) {
        Viewer v = Viewer.of(identity);
        Uni<Lead> lead = forUpdate ? RoutingService.lockLead(id)
                : Panache.getSession().chain(s -> s.find(Lead.class, id));
        return lead.chain(l -> {
            ProblemException notFound = new ProblemException.NotFound("lead " + id + " does not exist");
            if (l == null) {
                throw notFound;
            }
            if (v.admin()) {
                return Uni.createFrom().item(l);
            }
            if (v.sdrOnly()) {
                if (!v.username().equals(l.ownerUsername)) {
                    throw notFound;
                }
                return Uni.createFrom().item(l);
            }
            return Panache.getSession().chain(s -> s.createSelectionQuery(
                    "select count(*) from SalesTeam t where t.keycloakGroup in :g and (t.id = :team or exists ("
                            + "select 1 from TeamMembership m where m.teamId = t.id and m.username = :owner))",
                    Long.class).setParameter("g", v.teams().isEmpty() ? Set.of("") : v.teams())
                    .setParameter("team", l.teamId == null ? UUID.randomUUID() : l.teamId)
                    .setParameter("owner", l.ownerUsername == null ? "" : l.ownerUsername).getSingleResult())
                    .map(n -> {
                        if (n == 0 && !v.username().equals(l.ownerUsername)) {
                            throw notFound;
                        }
                        return l;
                    });
        });
    }
}

package com.revops.routing.sla;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.revops.platform.security.Roles;
import com.revops.platform.web.Problem;
import com.revops.platform.web.ProblemException;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** SLA policies: which leads get which first-touch target, on which clock, and what happens at the deadline. */
@Path("/admin/sla-policies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "SLA")
@SecurityRequirement(name = "bearer")
@RolesAllowed(Roles.REVOPS_ADMIN)
public class SlaPolicyResource {

    /** A policy; null intentTier/channel match any lead. */
    public record PolicyView(String name, int priority, String intentTier, String channel, int targetSeconds,
            String clock, BigDecimal warningRatio, int maxReassignments, String fallbackQueue, boolean active) {
        static PolicyView of(SlaPolicy p) {
            return new PolicyView(p.name, p.priority, p.intentTier, p.channel, p.targetSeconds, p.clock,
                    p.warningRatio, p.maxReassignments, p.fallbackQueue, p.active);
        }
    }

    @GET
    @WithSession
    @RolesAllowed({Roles.REVOPS_ADMIN, Roles.SALES_MANAGER})
    @Operation(summary = "Policies in the order they are tried")
    @APIResponse(responseCode = "200", description = "Policies")
    public Uni<List<PolicyView>> list() {
        return Panache.getSession().chain(s -> s.createSelectionQuery("from SlaPolicy order by priority, name",
                SlaPolicy.class).getResultList()).map(l -> l.stream().map(PolicyView::of).toList());
    }

    @PUT
    @Path("/{name}")
    @WithTransaction
    @Operation(summary = "Create or replace a policy (applies to clocks started from now on)")
    @APIResponse(responseCode = "200", description = "The policy")
    @APIResponse(responseCode = "422", description = "Invalid target, clock, ratio or reassignment cap")
    public Uni<PolicyView> put(@PathParam("name") String name, PolicyView req) {
        if (req == null) {
            throw new ProblemException.BadRequest("a JSON body is required");
        }
        List<Problem.Violation> v = new ArrayList<>();
        if (!name.matches("[A-Za-z0-9._-]{1,80}")) {
            v.add(new Problem.Violation("name", "1-80 letters, digits, . _ -"));
        }
        if (req.targetSeconds() <= 0) {
            v.add(new Problem.Violation("targetSeconds", "must be positive"));
        }
        if (!"WALL".equals(req.clock()) && !"BUSINESS".equals(req.clock())) {
            v.add(new Problem.Violation("clock", "WALL or BUSINESS"));
        }
        BigDecimal ratio = req.warningRatio() == null ? new BigDecimal("0.75") : req.warningRatio();
        if (ratio.signum() <= 0 || ratio.compareTo(BigDecimal.ONE) >= 0) {
            v.add(new Problem.Violation("warningRatio", "between 0 and 1, exclusive"));
        }
        if (req.maxReassignments() < 0 || req.maxReassignments() > 20) {
            v.add(new Problem.Violation("maxReassignments", "between 0 and 20"));
        }
        if (!v.isEmpty()) {
            throw new ProblemException.Unprocessable("the SLA policy is not valid", v);
        }
        return Panache.getSession().chain(s -> s.createSelectionQuery("from SlaPolicy where name = :n",
                SlaPolicy.class).setParameter("n", name).getSingleResultOrNull().chain(existing -> {
                    SlaPolicy p = existing != null ? existing : new SlaPolicy();
                    if (existing == null) {
                        p.id = UUID.randomUUID();
                        p.name = name;
                    }
                    p.priority = req.priority();
                    p.intentTier = blank(req.intentTier());
                    p.channel = blank(req.channel());
                    p.targetSeconds = req.targetSeconds();
                    p.clock = req.clock();
                    p.warningRatio = ratio;
                    p.maxReassignments = req.maxReassignments();
                    p.fallbackQueue = req.fallbackQueue() == null || req.fallbackQueue().isBlank()
                            ? "sla-escalations" : req.fallbackQueue();
                    p.active = req.active();
                    p.updatedAt = Instant.now();
                    return (existing == null ? s.persist(p) : Uni.createFrom().voidItem()).map(x -> PolicyView.of(p));
                }));
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

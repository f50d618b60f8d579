package com.revops.routing.leads;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.revops.platform.security.Roles;
import com.revops.platform.web.ProblemException;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Leads, as the people who work them see them: an SDR sees only their own. */
@Path("/leads")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Leads")
@SecurityRequirement(name = "bearer")
@RolesAllowed({Roles.SDR, Roles.SALES_MANAGER, Roles.REVOPS_ADMIN})
public class LeadResource {

    private final LeadRepository leads;
    private final SecurityIdentity identity;

    public LeadResource(LeadRepository leads, SecurityIdentity identity) {
        this.leads = leads;
        this.identity = identity;
    }

    /** One lead in an answer. */
    public record LeadView(UUID id, String crm, String crmId, String email, String company, String country,
            String source, String channel, String intentTier, String owner, java.time.Instant receivedAt) {
        static LeadView of(Lead l) {
            return new LeadView(l.id, l.crm, l.crmId, l.email, l.company, l.country, l.source, l.channel,
                    l.intentTier, l.ownerUsername, l.receivedAt);
        }
    }

    /** A page of leads. */
    public record LeadPage(List<LeadView> items, int page, int size, long total) {
    }

    @GET
    @WithSession
    @Operation(summary = "List leads, newest first (an SDR gets only their own)")
    @APIResponse(responseCode = "200", description = "A page of leads")
    @APIResponse(responseCode = "400", description = "Invalid paging or filter")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<LeadPage> list(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size,
            @QueryParam("channel") String channel,
            @QueryParam("owner") String owner) {
        StringBuilder q = new StringBuilder("1 = 1");
        io.quarkus.panache.common.Parameters params = new io.quarkus.panache.common.Parameters();
        if (isOnlySdr()) {
            q.append(" and ownerUsername = :me");
            params.and("me", identity.getPrincipal().getName());
        } else if (owner != null && !owner.isBlank()) {
            q.append(" and ownerUsername = :owner");
            params.and("owner", owner);
        }
        if (channel != null && !channel.isBlank()) {
            q.append(" and channel = :channel");
            params.and("channel", channel);
        }
        var query = leads.find(q.toString(), Sort.descending("receivedAt").and("id"), params)
                .page(Page.of(page, size));
        return query.list().chain(items -> query.count()
                .map(total -> new LeadPage(items.stream().map(LeadView::of).toList(), page, size, total)));
    }

    @GET
    @Path("/{id}")
    @WithSession
    @Operation(summary = "One lead")
    @APIResponse(responseCode = "200", description = "The lead")
    @APIResponse(responseCode = "404", description = "No such lead, or not yours")
    public Uni<LeadView> get(@PathParam("id") UUID id) {
        return leads.findById(id).map(l -> {
            if (l == null || (isOnlySdr() && !identity.getPrincipal().getName().equals(l.ownerUsername))) {
                throw new ProblemException.NotFound("lead " + id + " does not exist");
            }
            return LeadView.of(l);
        });
    }

    private boolean isOnlySdr() {
        return identity.hasRole(Roles.SDR) && !identity.hasRole(Roles.SALES_MANAGER)
                && !identity.hasRole(Roles.REVOPS_ADMIN);
    }
}

package com.revops.attribution.touchpoints;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import com.revops.platform.security.Roles;
import com.revops.platform.web.ProblemException;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** Touchpoints for marketing ops and leaders, filterable by channel, campaign and period. */
@Path("/touchpoints")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Touchpoints")
@SecurityRequirement(name = "bearer")
@RolesAllowed({Roles.MARKETING_OPS, Roles.SALES_MANAGER, Roles.REVOPS_ADMIN})
public class TouchpointResource {

    private final TouchpointRepository touchpoints;
    private final TouchpointService service;

    public TouchpointResource(TouchpointRepository touchpoints, TouchpointService service) {
        this.touchpoints = touchpoints;
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.MARKETING_OPS, Roles.REVOPS_ADMIN, Roles.SERVICE})
    @Operation(summary = "Import a touchpoint (offline events, partner reports, backfills)")
    @APIResponse(responseCode = "201", description = "Stored; the deals of its person and account are queued")
    @APIResponse(responseCode = "400", description = "Malformed body")
    @APIResponse(responseCode = "409", description = "A touchpoint with this id exists")
    @APIResponse(responseCode = "422", description = "No time, no type, unknown team... (violations listed); "
            + "nothing stored")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<RestResponse<TouchpointView>> importTouch(TouchpointImport body) {
        if (body == null) {
            throw new ProblemException.BadRequest("a touchpoint body is required");
        }
        return service.importTouch(body).map(t -> RestResponse.ResponseBuilder
                .<TouchpointView>created(URI.create("/touchpoints/" + t.id)).entity(TouchpointView.of(t)).build());
    }

    /** One touchpoint in an answer. */
    public record TouchpointView(UUID id, String crm, String personEmail, UUID leadId, String accountDomain,
            Instant occurredAt, String type, String channel, String source, String campaign, String team) {
        static TouchpointView of(Touchpoint t) {
            return new TouchpointView(t.id, t.crm, t.personEmail, t.leadId, t.accountDomain, t.occurredAt,
                    t.touchType, t.channel, t.source, t.campaign, t.team);
        }
    }

    /** A page of touchpoints. */
    public record TouchpointPage(List<TouchpointView> items, int page, int size, long total) {
    }

    @GET
    @WithSession
    @Operation(summary = "List touchpoints, newest first")
    @APIResponse(responseCode = "200", description = "A page of touchpoints")
    @APIResponse(responseCode = "400", description = "Invalid paging or filter")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<TouchpointPage> list(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size,
            @QueryParam("channel") String channel,
            @QueryParam("campaign") String campaign,
            @QueryParam("from") Instant from,
            @QueryParam("to") Instant to) {
        StringBuilder q = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (channel != null && !channel.isBlank()) {
            q.append(" and channel = :channel");
            params.and("channel", channel);
        }
        if (campaign != null && !campaign.isBlank()) {
            q.append(" and campaign = :campaign");
            params.and("campaign", campaign);
        }
        if (from != null) {
            q.append(" and occurredAt >= :from");
            params.and("from", from);
        }
        if (to != null) {
            q.append(" and occurredAt < :to");
            params.and("to", to);
        }
        var query = touchpoints.find(q.toString(), Sort.descending("occurredAt").and("id"), params)
                .page(Page.of(page, size));
        return query.list().chain(items -> query.count()
                .map(total -> new TouchpointPage(items.stream().map(TouchpointView::of).toList(), page, size, total)));
    }
}

package com.revops.routing.assignment;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import com.revops.platform.security.Roles;
import com.revops.routing.leads.Viewer;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** A live stream of new assignments: an SDR's own, a manager's teams', an admin's all. */
@Path("/leads/stream")
@Tag(name = "Leads")
@SecurityRequirement(name = "bearer")
@RolesAllowed({Roles.SDR, Roles.SALES_MANAGER, Roles.REVOPS_ADMIN})
public class AssignmentStreamResource {

    private final AssignmentFeed feed;
    private final SecurityIdentity identity;

    public AssignmentStreamResource(AssignmentFeed feed, SecurityIdentity identity) {
        this.feed = feed;
        this.identity = identity;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Server-sent events: one per new assignment the caller may see")
    @APIResponse(responseCode = "200", description = "An event stream (text/event-stream)")
    public Multi<AssignmentFeed.Assignment> stream() {
        Viewer v = Viewer.of(identity);
        Uni<Set<UUID>> teams = v.admin() || v.sdrOnly() ? Uni.createFrom().item(Set.of())
                : Panache.withSession(() -> Panache.getSession().chain(s -> s.createSelectionQuery(
                        "select id from SalesTeam where keycloakGroup in :g", UUID.class)
                        .setParameter("g", v.teams().isEmpty() ? Set.of("") : v.teams()).getResultList()))
                        .map(Set::copyOf);
        return teams.onItem().transformToMulti(managed -> feed.stream().filter(a -> v.admin()
                || (v.sdrOnly() ? v.username().equals(a.username()) : a.teamId() != null
                        && managed.contains(a.teamId()))))
                // keep proxies from closing an idle stream: the element type stays JSON, so no comment frames
                .ifNoItem().after(Duration.ofHours(12)).recoverWithCompletion();
    }
}

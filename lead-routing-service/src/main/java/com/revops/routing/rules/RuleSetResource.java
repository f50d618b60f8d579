package com.revops.routing.rules;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.revops.platform.security.Roles;
import com.revops.platform.web.ProblemException;
import com.revops.routing.rules.RuleSetService.RuleSetView;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Versioned routing rules: draft, validate, publish, roll back; the history is kept. */
@Path("/routing/rule-sets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Routing rules")
@SecurityRequirement(name = "bearer")
@RolesAllowed(Roles.REVOPS_ADMIN)
public class RuleSetResource {

    /** A draft: its description and its definition (see {@link RuleSetCodec} for the format). */
    public record DraftRequest(String description, JsonNode definition) {
    }

    private final RuleSetService service;
    private final SecurityIdentity identity;

    public RuleSetResource(RuleSetService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a draft rule set (the next version)")
    @APIResponse(responseCode = "201", description = "The draft")
    @APIResponse(responseCode = "400", description = "No definition object")
    public Uni<RestResponse<RuleSetView>> create(DraftRequest req) {
        if (req == null) {
            throw new ProblemException.BadRequest("a JSON body is required");
        }
        return service.createDraft(req.definition(), req.description(), identity.getPrincipal().getName())
                .map(v -> RestResponse.ResponseBuilder.<RuleSetView>created(
                        URI.create("/routing/rule-sets/" + v.version())).entity(v).build());
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("/{version}")
    @Operation(summary = "Replace a draft's definition (a validated draft goes back to draft)")
    @APIResponse(responseCode = "200", description = "The draft")
    @APIResponse(responseCode = "404", description = "No such version")
    @APIResponse(responseCode = "409", description = "Published or retired versions never change")
    public Uni<RuleSetView> update(@PathParam("version") int version, DraftRequest req) {
        if (req == null) {
            throw new ProblemException.BadRequest("a JSON body is required");
        }
        return service.updateDraft(version, req.definition(), req.description());
    }

    @POST
    @Path("/{version}/validate")
    @Operation(summary = "Validate a draft against the routing model")
    @APIResponse(responseCode = "200", description = "Validated")
    @APIResponse(responseCode = "404", description = "No such version")
    @APIResponse(responseCode = "422", description = "Not valid; every reason in violations")
    public Uni<RuleSetView> validate(@PathParam("version") int version) {
        return service.validate(version);
    }

    @POST
    @Path("/{version}/publish")
    @Operation(summary = "Publish a validated version; the previous one is retired")
    @APIResponse(responseCode = "200", description = "Published")
    @APIResponse(responseCode = "404", description = "No such version")
    @APIResponse(responseCode = "422", description = "Not validated, or no longer valid")
    public Uni<RuleSetView> publish(@PathParam("version") int version) {
        return service.publish(version, identity.getPrincipal().getName());
    }

    @POST
    @Path("/{version}/rollback")
    @Operation(summary = "Publish an earlier version's definition again, as a new version")
    @APIResponse(responseCode = "200", description = "The new published version")
    @APIResponse(responseCode = "404", description = "No such version")
    @APIResponse(responseCode = "422", description = "That definition is no longer valid")
    public Uni<RuleSetView> rollback(@PathParam("version") int version) {
        return service.rollbackTo(version, identity.getPrincipal().getName());
    }

    @GET
    @WithSession
    @RolesAllowed({Roles.REVOPS_ADMIN, Roles.SALES_MANAGER})
    @Operation(summary = "Every version, newest first")
    @APIResponse(responseCode = "200", description = "History")
    public Uni<List<RuleSetView>> history() {
        return Panache.getSession().chain(s -> s.createSelectionQuery("from RuleSetVersion order by version desc",
                RuleSetVersion.class).getResultList()).map(l -> l.stream().map(service::view).toList());
    }

    @GET
    @Path("/{version}")
    @WithSession
    @RolesAllowed({Roles.REVOPS_ADMIN, Roles.SALES_MANAGER})
    @Operation(summary = "One version")
    @APIResponse(responseCode = "200", description = "The version")
    @APIResponse(responseCode = "404", description = "No such version")
    public Uni<RuleSetView> get(@PathParam("version") int version) {
        return service.find(version, false).map(service::view);
    }
}

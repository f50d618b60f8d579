package com.revops.attribution.definitions;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
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
import org.jboss.resteasy.reactive.RestResponse;

import com.revops.platform.security.Roles;
import com.revops.platform.web.ProblemException;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Versioned revenue-model definitions: revops-admin drafts, one sales-manager and one marketing-ops approve. */
@Path("/definitions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Definitions")
@SecurityRequirement(name = "bearer")
public class DefinitionResource {

    private final DefinitionService definitions;
    private final SecurityIdentity identity;

    public DefinitionResource(DefinitionService definitions, SecurityIdentity identity) {
        this.definitions = definitions;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({Roles.MARKETING_OPS, Roles.SALES_MANAGER, Roles.REVOPS_ADMIN})
    @Operation(summary = "Every definition version, newest first, with its sign-off state")
    @APIResponse(responseCode = "200", description = "Definitions")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<List<Definition>> list() {
        return definitions.list();
    }

    @GET
    @Path("/active")
    @RolesAllowed({Roles.MARKETING_OPS, Roles.SALES_MANAGER, Roles.REVOPS_ADMIN, Roles.SERVICE})
    @Operation(summary = "The definition in effect (version 0 = built-in default, not signed)")
    @APIResponse(responseCode = "200", description = "The active definition")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<Definition> active() {
        return definitions.active();
    }

    @GET
    @Path("/{version}")
    @RolesAllowed({Roles.MARKETING_OPS, Roles.SALES_MANAGER, Roles.REVOPS_ADMIN})
    @Operation(summary = "One definition version")
    @APIResponse(responseCode = "200", description = "The definition")
    @APIResponse(responseCode = "404", description = "No such version")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<Definition> get(@PathParam("version") int version) {
        return definitions.get(version);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.REVOPS_ADMIN)
    @Operation(summary = "Draft a new definition version (takes effect only once both sides approve)")
    @APIResponse(responseCode = "201", description = "Drafted")
    @APIResponse(responseCode = "400", description = "Malformed body")
    @APIResponse(responseCode = "422", description = "Invalid definition (violations listed)")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Only revops-admin drafts")
    public Uni<RestResponse<Definition>> draft(DefinitionBody body) {
        if (body == null) {
            throw new ProblemException.BadRequest("a definition body is required");
        }
        return definitions.draft(body, identity.getPrincipal().getName())
                .map(d -> RestResponse.ResponseBuilder.<Definition>created(URI.create("/definitions/" + d.version()))
                        .entity(d)
                        .build());
    }

    @POST
    @Path("/{version}/approvals")
    @RolesAllowed({Roles.SALES_MANAGER, Roles.MARKETING_OPS})
    @Operation(summary = "Approve a draft for your side (sales-manager: SALES, marketing-ops: MARKETING); "
            + "it takes effect when both sides have approved")
    @APIResponse(responseCode = "200", description = "Approval recorded; status ACTIVE when both sides signed")
    @APIResponse(responseCode = "404", description = "No such version")
    @APIResponse(responseCode = "409", description = "Not a draft, side already signed, or same person on both sides")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed for that side")
    public Uni<Definition> approve(@PathParam("version") int version, @QueryParam("side") String side) {
        return definitions.approve(version, identity.getPrincipal().getName(), identity.getRoles(), side);
    }
}

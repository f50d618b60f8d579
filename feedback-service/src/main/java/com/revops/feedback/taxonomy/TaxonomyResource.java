package com.revops.feedback.taxonomy;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.feedback.taxonomy.TaxonomyService.CodeRequest;
import com.revops.feedback.taxonomy.TaxonomyService.CodeView;
import com.revops.feedback.taxonomy.TaxonomyService.MappingRequest;
import com.revops.feedback.taxonomy.TaxonomyService.MappingView;
import com.revops.feedback.taxonomy.TaxonomyService.TaxonomyView;
import com.revops.feedback.web.Caller;
import com.revops.platform.security.Roles;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** The reason taxonomy: readable by everyone, governed by RevOps admins. */
@Path("/taxonomy")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Taxonomy", description = "Governed disqualification reasons and their CRM value mappings")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", description = "No valid bearer token (problem+json)")
@APIResponse(responseCode = "403", description = "Role (or team) not allowed (problem+json)")
public class TaxonomyResource {

    private final TaxonomyService service;
    private final SecurityIdentity identity;
    private final ObjectMapper mapper;

    public TaxonomyResource(TaxonomyService service, SecurityIdentity identity, ObjectMapper mapper) {
        this.service = service;
        this.identity = identity;
        this.mapper = mapper;
    }

    /** One version of the taxonomy. */
    public record VersionView(int version, java.time.Instant changedAt, String changedBy, String change,
            JsonNode snapshot) {
    }

    @GET
    @RolesAllowed({Roles.REVOPS_ADMIN, Roles.SALES_MANAGER, Roles.SDR, Roles.MARKETING_OPS, Roles.SERVICE})
    @Operation(summary = "The current taxonomy: reason codes and CRM value mappings")
    @APIResponse(responseCode = "200", description = "The taxonomy")
    @APIResponse(responseCode = "401", description = "No valid token")
    public Uni<TaxonomyView> get() {
        return service.current();
    }

    @GET
    @Path("/versions")
    @RolesAllowed({Roles.REVOPS_ADMIN, Roles.SALES_MANAGER, Roles.SDR, Roles.MARKETING_OPS, Roles.SERVICE})
    @Operation(summary = "Every version of the taxonomy, newest first (without snapshots)")
    @APIResponse(responseCode = "200", description = "The versions")
    public Uni<List<VersionView>> versions() {
        return service.versions().map(vs -> vs.stream()
                .map(v -> new VersionView(v.version, v.changedAt, v.changedBy, v.change, null)).toList());
    }

    @GET
    @Path("/versions/{version}")
    @RolesAllowed({Roles.REVOPS_ADMIN, Roles.SALES_MANAGER, Roles.SDR, Roles.MARKETING_OPS, Roles.SERVICE})
    @Operation(summary = "One version of the taxonomy with its snapshot")
    @APIResponse(responseCode = "200", description = "The version")
    @APIResponse(responseCode = "404", description = "No such version")
    public Uni<VersionView> version(@PathParam("version") int version) {
        return service.version(version).map(v -> {
            try {
                return new VersionView(v.version, v.changedAt, v.changedBy, v.change,
                        v.snapshot == null ? null : mapper.readTree(v.snapshot));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @POST
    @Path("/codes")
    @RolesAllowed(Roles.REVOPS_ADMIN)
    @Operation(summary = "Create a reason code (a new taxonomy version)")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "403", description = "Not a RevOps admin")
    @APIResponse(responseCode = "409", description = "The code exists")
    @APIResponse(responseCode = "422", description = "Invalid code, category or recycling rule")
    public Uni<RestResponse<CodeView>> createCode(CodeRequest request) {
        return service.createCode(request, Caller.of(identity).username())
                .map(c -> RestResponse.ResponseBuilder.<CodeView>created(URI.create("/taxonomy/codes/" + c.code()))
                        .entity(c).build());
    }

    @PUT
    @Path("/codes/{code}")
    @RolesAllowed(Roles.REVOPS_ADMIN)
    @Operation(summary = "Change a reason code: label, category, note rule, recycling, active (a new taxonomy version)")
    @APIResponse(responseCode = "200", description = "Changed")
    @APIResponse(responseCode = "404", description = "No such code")
    @APIResponse(responseCode = "422", description = "Invalid change")
    public Uni<CodeView> updateCode(@PathParam("code") String code, CodeRequest request) {
        return service.updateCode(code, request, Caller.of(identity).username());
    }

    @POST
    @Path("/mappings")
    @RolesAllowed(Roles.REVOPS_ADMIN)
    @Operation(summary = "Map a CRM value to a reason code (a new taxonomy version)")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "409", description = "The CRM value is already mapped")
    @APIResponse(responseCode = "422", description = "Unknown CRM or reason code")
    public Uni<RestResponse<MappingView>> addMapping(MappingRequest request) {
        return service.addMapping(request, Caller.of(identity).username())
                .map(m -> RestResponse.ResponseBuilder.<MappingView>created(URI.create("/taxonomy/mappings/" + m.id()))
                        .entity(m).build());
    }

    @DELETE
    @Path("/mappings/{id}")
    @RolesAllowed(Roles.REVOPS_ADMIN)
    @Operation(summary = "Remove a CRM value mapping (a new taxonomy version)")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "No such mapping")
    public Uni<RestResponse<Void>> deleteMapping(@PathParam("id") UUID id) {
        return service.deleteMapping(id, Caller.of(identity).username()).map(x -> RestResponse.noContent());
    }
}

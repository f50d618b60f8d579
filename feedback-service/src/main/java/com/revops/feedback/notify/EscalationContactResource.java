package com.revops.feedback.notify;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

import com.revops.feedback.notify.EscalationContactService.ContactRequest;
import com.revops.feedback.web.Caller;
import com.revops.platform.security.Roles;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Who the manager of a team is for escalations: name, e-mail, CRM owner ids (a CRM task is created for them) and an
 * optional webhook URL overriding the service-wide one. Teams without a contact use the configured default.
 */
@Path("/escalation-contacts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Escalation contacts", description = "The manager of each team, told when a reason stays missing")
@SecurityRequirement(name = "bearer")
@RolesAllowed(Roles.REVOPS_ADMIN)
@APIResponse(responseCode = "401", description = "No valid bearer token (problem+json)")
@APIResponse(responseCode = "403", description = "Not a RevOps admin (problem+json)")
public class EscalationContactResource {

    private final EscalationContactService service;
    private final SecurityIdentity identity;

    public EscalationContactResource(EscalationContactService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    /**
     * A contact as returned: the webhook URL is shown as scheme and host only (incoming-webhook URLs carry their
     * secret in the path).
     */
    public record ContactView(String teamName, String managerName, String managerEmail,
            Map<String, String> crmOwnerIds, boolean webhookConfigured, String webhookHost, String updatedBy,
            Instant updatedAt) {
        static ContactView of(EscalationContact c) {
            Map<String, String> ids = new LinkedHashMap<>();
            if (c.hubspotOwnerId != null) {
                ids.put("hubspot", c.hubspotOwnerId);
            }
            if (c.salesforceOwnerId != null) {
                ids.put("salesforce", c.salesforceOwnerId);
            }
            String host = null;
            if (c.webhookUrl != null) {
                URI u = URI.create(c.webhookUrl);
                host = u.getScheme() + "://" + u.getHost();
            }
            return new ContactView(c.teamName, c.managerName, c.managerEmail, ids, c.webhookUrl != null, host,
                    c.updatedBy, c.updatedAt);
        }
    }

    @GET
    @Operation(summary = "Every team's escalation contact")
    @APIResponse(responseCode = "200", description = "The contacts, by team")
    public Uni<List<ContactView>> list() {
        return service.list().map(list -> list.stream().map(ContactView::of).toList());
    }

    @GET
    @Path("/{team}")
    @Operation(summary = "One team's escalation contact")
    @APIResponse(responseCode = "200", description = "The contact")
    @APIResponse(responseCode = "404", description = "No contact for this team (the default applies)")
    public Uni<ContactView> get(@PathParam("team") String team) {
        return service.get(team).map(ContactView::of);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Name the manager of a team",
            description = "Body: teamName, managerName, managerEmail, crmOwnerIds {hubspot, salesforce}, webhookUrl.")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "409", description = "The team has a contact already")
    @APIResponse(responseCode = "422", description = "Invalid contact (violations); nothing stored")
    public Uni<RestResponse<ContactView>> create(ContactRequest request) {
        return service.create(request, Caller.of(identity).username())
                .map(c -> RestResponse.ResponseBuilder.<ContactView>created(URI.create("/escalation-contacts/"
                        + URLEncoder.encode(c.teamName, StandardCharsets.UTF_8).replace("+", "%20")))
                        .entity(ContactView.of(c)).build());
    }

    @PUT
    @Path("/{team}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a team's escalation contact")
    @APIResponse(responseCode = "200", description = "Replaced")
    @APIResponse(responseCode = "404", description = "No contact for this team")
    @APIResponse(responseCode = "422", description = "Invalid contact (violations); nothing stored")
    public Uni<ContactView> replace(@PathParam("team") String team, ContactRequest request) {
        return service.replace(team, request, Caller.of(identity).username()).map(ContactView::of);
    }

    @DELETE
    @Path("/{team}")
    @Operation(summary = "Remove a team's escalation contact (the default applies again)")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "No contact for this team")
    public Uni<RestResponse<Void>> delete(@PathParam("team") String team) {
        return service.delete(team).map(v -> RestResponse.noContent());
    }
}

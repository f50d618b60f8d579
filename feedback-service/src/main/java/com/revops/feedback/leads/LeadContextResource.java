package com.revops.feedback.leads;

import java.time.Instant;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.revops.platform.security.Roles;
import com.revops.platform.web.ProblemException;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** The source and segment context feedback holds for a lead. */
@Path("/leads/{leadId}/context")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Lead context")
@SecurityRequirement(name = "bearer")
@RolesAllowed({Roles.MARKETING_OPS, Roles.SALES_MANAGER, Roles.REVOPS_ADMIN})
public class LeadContextResource {

    private final LeadContextRepository contexts;

    public LeadContextResource(LeadContextRepository contexts) {
        this.contexts = contexts;
    }

    /** The context of one lead. */
    public record LeadContextView(UUID leadId, String crm, String crmId, String email, String company,
            String country, String companySize, String industry, String source, String channel, String campaign,
            String intentTier, Instant crmCreatedAt, String crmStatus, String ownerUsername, String ownerCrmId,
            String teamName, String routingRule, Instant routedAt, Instant firstTouchedAt, Long ttftSeconds,
            Instant contactAttemptedAt) {
    }

    @GET
    @WithSession
    @Operation(summary = "Source and segment context of a lead")
    @APIResponse(responseCode = "200", description = "The context")
    @APIResponse(responseCode = "404", description = "Lead unknown to feedback")
    public Uni<LeadContextView> get(@PathParam("leadId") UUID leadId) {
        return contexts.findById(leadId).map(c -> {
            if (c == null) {
                throw new ProblemException.NotFound("lead " + leadId + " is unknown");
            }
            return new LeadContextView(c.leadId, c.crm, c.crmId, c.email, c.company, c.country, c.companySize,
                    c.industry, c.source, c.channel, c.campaign, c.intentTier, c.crmCreatedAt, c.crmStatus, c.ownerUsername,
                    c.ownerCrmId, c.teamName, c.routingRule, c.routedAt, c.firstTouchedAt, c.ttftSeconds,
                    c.contactAttemptedAt);
        });
    }
}

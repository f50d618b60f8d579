package com.revops.routing.leads;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.platform.events.MalformedEventException;

import io.smallrye.mutiny.Uni;

/** Keeps the lead table in step with the gateway's lead events. Runs inside the consumer's transaction. */
@ApplicationScoped
public class LeadIntakeService {

    private final LeadRepository leads;
    private final com.revops.routing.RoutingConfig config;

    public LeadIntakeService(LeadRepository leads, com.revops.routing.RoutingConfig config) {
        this.leads = leads;
        this.config = config;
    }

    /** Creates the lead, or (for a CRM that re-announces a lead) refreshes its attributes. */
    public Uni<Lead> register(LeadCreated event) {
        if (event.leadId() == null || event.crm() == null || event.crmId() == null) {
            throw new MalformedEventException("lead.created without leadId, crm or crmId");
        }
        // one person is one lead across both CRMs: the gateway gives a HubSpot contact and a Salesforce lead with the
        // same email the same leadId, so a lead known by either key is the same lead
        // one query for both keys; our id wins over the CRM key when they name different rows
        return leads.find("id = ?1 or (crm = ?2 and crmId = ?3) order by case when id = ?1 then 0 else 1 end",
                event.leadId(), event.crm(), event.crmId()).firstResult()
                .chain(existing -> {
                    Instant now = Instant.now();
                    if (existing != null) {
                        apply(existing, event);
                        existing.updatedAt = now;
                        existing.revision++;
                        return Uni.createFrom().item(existing);
                    }
                    Lead lead = new Lead();
                    lead.id = event.leadId();
                    lead.crm = event.crm();
                    lead.crmId = event.crmId();
                    apply(lead, event);
                    lead.receivedAt = now;
                    lead.updatedAt = now;
                    lead.revision = 1;
                    if (lead.crmCreatedAt != null && lead.crmCreatedAt.isBefore(now.minus(config.maxLeadAge()))) {
                        lead.status = "HISTORIC"; // known, but not routed: see RoutingConfig#maxLeadAge
                    }
                    return leads.persist(lead);
                });
    }

    private static void apply(Lead lead, LeadCreated event) {
        lead.email = event.email() == null ? null : event.email().trim().toLowerCase();
        lead.firstName = event.firstName();
        lead.lastName = event.lastName();
        lead.company = event.company();
        lead.country = event.country();
        lead.source = event.source();
        lead.channel = event.channel();
        lead.intentTier = event.intentTier();
        lead.crmCreatedAt = event.createdAt();
        lead.companySize = companySize(event.companySize());
        lead.industry = event.industry();
        lead.region = event.region();
        lead.language = event.language();
        lead.score = event.score();
        lead.campaign = event.campaign();
        if (event.customFields() != null && !event.customFields().isEmpty()) {
            try {
                lead.customFields = JSON.writeValueAsString(event.customFields());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new MalformedEventException("customFields is not JSON-serialisable");
            }
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * Company size as a number rules can compare: "250" is 250, a band like "51-200" is its lower bound 51, "1000+"
     * is 1000; anything else is unknown.
     */
    static Integer companySize(String raw) {
        if (raw == null) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*(\\d{1,9})").matcher(raw.replace(",", ""));
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }
}

package com.revops.routing.leads;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.platform.events.MalformedEventException;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Keeps the lead table in step with the gateway's lead events. Runs inside the consumer's transaction.
 *
 * <p>Every new lead passes through here, at hundreds a second, so the whole intake is one SQL statement instead of
 * an ORM lookup followed by an entity insert: one round trip less per lead, and none of the ORM's per-entity work
 * (query translation, persistence context, dirty checking, flush), which a profile of the load benchmark showed as a
 * large share of the service's CPU. The event's fields go as one JSON object expanded by {@code jsonb_to_record},
 * so PostgreSQL types every value (nulls included) the same way for the update and the insert.
 */
@ApplicationScoped
public class LeadIntakeService {

    /**
     * The lead known by our id or, failing that, by its CRM key is refreshed (our id wins when they name different
     * rows); otherwise the lead is inserted. Custom fields are only replaced when the event carries some.
     */
    private static final String UPSERT = """
            WITH e AS (
              SELECT * FROM jsonb_to_record(cast(cast(:event as text) as jsonb)) AS x(
                id uuid, crm text, crm_id text, email text, first_name text, last_name text, company text,
                country text, source text, channel text, intent_tier text, crm_created_at timestamptz,
                company_size integer, industry text, region text, language text, score numeric, campaign text,
                custom_fields jsonb, status text, now timestamptz)
            ), existing AS (
              SELECT l.id FROM lead l, e
               WHERE l.id = e.id OR (l.crm = e.crm AND l.crm_id = e.crm_id)
               ORDER BY CASE WHEN l.id = e.id THEN 0 ELSE 1 END LIMIT 1
            ), refreshed AS (
              UPDATE lead l SET email = e.email, first_name = e.first_name, last_name = e.last_name,
                     company = e.company, country = e.country, source = e.source, channel = e.channel,
                     intent_tier = e.intent_tier, crm_created_at = e.crm_created_at, company_size = e.company_size,
                     industry = e.industry, region = e.region, language = e.language, score = e.score,
                     campaign = e.campaign, custom_fields = coalesce(e.custom_fields, l.custom_fields),
                     updated_at = e.now, revision = l.revision + 1
                FROM e WHERE l.id = (SELECT id FROM existing)
              RETURNING 1
            )
            INSERT INTO lead (id, crm, crm_id, email, first_name, last_name, company, country, source, channel,
                              intent_tier, crm_created_at, company_size, industry, region, language, score, campaign,
                              custom_fields, status, received_at, updated_at, revision, reassignment_count)
            SELECT id, crm, crm_id, email, first_name, last_name, company, country, source, channel, intent_tier,
                   crm_created_at, company_size, industry, region, language, score, campaign, custom_fields, status,
                   now, now, 1, 0
              FROM e WHERE NOT EXISTS (SELECT 1 FROM existing)""";

    private final com.revops.routing.RoutingConfig config;

    public LeadIntakeService(com.revops.routing.RoutingConfig config) {
        this.config = config;
    }

    /** Creates the lead, or (for a CRM that re-announces a lead) refreshes its attributes. */
    public Uni<Void> register(LeadCreated event) {
        if (event.leadId() == null || event.crm() == null || event.crmId() == null) {
            throw new MalformedEventException("lead.created without leadId, crm or crmId");
        }
        // one person is one lead across both CRMs: the gateway gives a HubSpot contact and a Salesforce lead with the
        // same email the same leadId, so a lead known by either key is the same lead
        Instant now = Instant.now();
        Map<String, Object> row = new HashMap<>();
        row.put("id", event.leadId().toString());
        row.put("crm", event.crm());
        row.put("crm_id", event.crmId());
        row.put("email", event.email() == null ? null : event.email().trim().toLowerCase());
        row.put("first_name", event.firstName());
        row.put("last_name", event.lastName());
        row.put("company", event.company());
        row.put("country", event.country());
        row.put("source", event.source());
        row.put("channel", event.channel());
        row.put("intent_tier", event.intentTier());
        row.put("crm_created_at", event.createdAt() == null ? null : timestamp(event.createdAt()));
        row.put("company_size", companySize(event.companySize()));
        row.put("industry", event.industry());
        row.put("region", event.region());
        row.put("language", event.language());
        row.put("score", event.score());
        row.put("campaign", event.campaign());
        row.put("custom_fields", event.customFields() == null || event.customFields().isEmpty() ? null
                : event.customFields());
        // a new lead created in the CRM long before it reached us is known, but not routed: see
        // RoutingConfig#maxLeadAge
        boolean historic = event.createdAt() != null && event.createdAt().isBefore(now.minus(config.maxLeadAge()));
        row.put("status", historic ? "HISTORIC" : "NEW");
        row.put("now", timestamp(now));
        String json;
        try {
            json = JSON.writeValueAsString(row);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new MalformedEventException("customFields is not JSON-serialisable");
        }
        return Panache.getSession().chain(s -> s.createNativeQuery(UPSERT).setParameter("event", json)
                .executeUpdate()).replaceWithVoid();
    }

    /**
     * Microseconds, cut the way the ORM cuts an instant when it writes one (PostgreSQL would round the nanoseconds
     * of an ISO string instead).
     */
    private static String timestamp(Instant at) {
        return at.truncatedTo(java.time.temporal.ChronoUnit.MICROS).toString();
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

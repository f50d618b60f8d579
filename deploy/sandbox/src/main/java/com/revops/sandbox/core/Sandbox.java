package com.revops.sandbox.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The simulated CRMs as one object: both stores, their limits, tokens and faults, the write journal, the deliveries
 * to the gateway, and the driving operations of a scenario. A driving operation changes the CRM the way a person or a
 * form would, then queues the webhook events or outbound-message notifications the real CRM would send for that
 * change. Plain Java; the HTTP layer only translates.
 */
public final class Sandbox {

    /** The subscription ids of the simulated app, one per subscription type (HubSpot numbers them per app). */
    private static final Map<String, Integer> SUBSCRIPTIONS = Map.of("contact.creation", 1001,
            "contact.propertyChange", 1002, "deal.creation", 1003, "deal.propertyChange", 1004,
            "object.creation", 1005, "contact.associationChange", 1006, "deal.associationChange", 1007,
            "object.propertyChange", 1008, "company.creation", 1009, "company.propertyChange", 1010);
    private static final Map<String, String> OBJECT_TYPE_IDS = Map.of("calls", "0-48", "emails", "0-49",
            "meetings", "0-47", "tasks", "0-27", "notes", "0-46");

    /** Identity of the simulated HubSpot app and Salesforce org. */
    public record Identity(long portalId, long appId, String orgId, String apiVersion, String instanceUrl) {
    }

    private final Identity identity;
    private final HubSpotStore hubspot;
    private final SalesforceStore salesforce;
    private final HubSpotRateLimits hubspotLimits;
    private final SalesforceAllocation allocation;
    private final Tokens tokens = new Tokens();
    private final Faults faults = new Faults();
    private final WriteJournal journal;
    private final Stats stats;
    private final Deliveries deliveries;
    private final QueryCursors cursors;
    private final Seeder.Org org;
    private final LongSupplier clock;
    private final AtomicLong eventIds = new AtomicLong();
    private final AtomicLong notificationIds = new AtomicLong();
    private final SalesforceIds notificationIdMaker = new SalesforceIds("SB");

    /**
     * Moves the outbound-message Notification ids on by {@code n}: the gateway deduplicates on them, so a restarted
     * simulator must not hand out the ids of an earlier run.
     */
    public void advanceNotificationIds(long n) {
        notificationIdMaker.advance(n);
    }

    public Sandbox(Identity identity, HubSpotStore hubspot, SalesforceStore salesforce, HubSpotRateLimits limits,
            SalesforceAllocation allocation, WriteJournal journal, Stats stats, Deliveries deliveries,
            QueryCursors cursors, Seeder.Org org, LongSupplier clock) {
        this.identity = identity;
        this.hubspot = hubspot;
        this.salesforce = salesforce;
        this.hubspotLimits = limits;
        this.allocation = allocation;
        this.journal = journal;
        this.stats = stats;
        this.deliveries = deliveries;
        this.cursors = cursors;
        this.org = org;
        this.clock = clock;
        this.eventIds.set(identity.portalId() * 1000);
    }

    public Identity identity() {
        return identity;
    }

    public HubSpotStore hubspot() {
        return hubspot;
    }

    public SalesforceStore salesforce() {
        return salesforce;
    }

    public HubSpotRateLimits hubspotLimits() {
        return hubspotLimits;
    }

    public SalesforceAllocation allocation() {
        return allocation;
    }

    public Tokens tokens() {
        return tokens;
    }

    public Faults faults() {
        return faults;
    }

    public WriteJournal journal() {
        return journal;
    }

    public Stats stats() {
        return stats;
    }

    public Deliveries deliveries() {
        return deliveries;
    }

    public QueryCursors cursors() {
        return cursors;
    }

    public Seeder.Org org() {
        return org;
    }

    public long now() {
        return clock.getAsLong();
    }

    // ------------------------------------------------------------------------------------------------ driving API

    /** A new lead: a form fill in HubSpot (a contact) or a web-to-lead in Salesforce (a Lead). */
    public record LeadInput(String crm, String email, String firstName, String lastName, String company,
            String country, Integer companySize, String source, String channel, String campaign, String intentTier,
            String ownerId) {
    }

    /** An activity by an owner on a person (and optionally a deal). */
    public record ActivityInput(String crm, String type, String personId, String ownerId, String outcome,
            String direction, String subject, String dealId) {
    }

    /** A new deal / opportunity. */
    public record DealInput(String crm, String name, String personId, String companyId, String stage, Double amount,
            String closeDate, String ownerId, String campaignId) {
    }

    /** A change of a deal's stage, amount or close date. */
    public record DealChange(String stage, Double amount, String closeDate) {
    }

    /** A campaign response: a member in Salesforce, a conversion on the contact in HubSpot. */
    public record MemberInput(String crm, String campaignId, String campaign, String personId, String status,
            Boolean responded) {
    }

    public Map<String, Object> createLead(LeadInput in) {
        String crm = crm(in.crm());
        require(in.email(), "email");
        if (!in.email().matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw new IllegalArgumentException("email is not an email address: " + in.email());
        }
        long now = now();
        Seeder.Campaign campaign = campaign(in.campaign());
        String channel = in.channel() != null ? in.channel() : campaign == null ? "organic" : campaign.channel();
        String tier = in.intentTier() == null ? "MEDIUM" : in.intentTier().toUpperCase(Locale.ROOT);
        if (!Set.of("HIGH", "MEDIUM", "LOW").contains(tier)) {
            throw new IllegalArgumentException("intentTier must be HIGH, MEDIUM or LOW");
        }
        if ("hubspot".equals(crm)) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("email", in.email());
            put(p, "firstname", in.firstName());
            p.put("lastname", in.lastName() == null ? "Unknown" : in.lastName());
            put(p, "company", in.company());
            put(p, "country", in.country());
            put(p, "numemployees", in.companySize() == null ? null : in.companySize().toString());
            p.put("hs_analytics_source", in.source() != null ? in.source()
                    : campaign != null ? campaign.hubspotSource() : "DIRECT_TRAFFIC");
            p.put("hs_analytics_source_data_1", channel);
            String campaignName = campaign != null ? campaign.name() : in.campaign();
            put(p, "hs_analytics_first_touch_converting_campaign", campaignName);
            put(p, "hs_analytics_last_touch_converting_campaign", campaignName);
            p.put("recent_conversion_date", Long.toString(now));
            p.put("recent_conversion_event_name", campaignName == null ? "Contact form" : campaignName);
            p.put("first_conversion_date", Long.toString(now));
            p.put("first_conversion_event_name", campaignName == null ? "Contact form" : campaignName);
            p.put("intent_tier", tier);
            p.put("lifecyclestage", "lead");
            p.put("hs_lead_status", "NEW");
            put(p, "hubspot_owner_id", in.ownerId());
            HubSpotStore.SimObject c = hubspotWrite(() -> hubspot.create("contacts", p, List.of(), "FORM", now));
            // associated with the company of its email domain, as HubSpot's auto-association does
            String domain = in.email().substring(in.email().indexOf('@') + 1).toLowerCase(Locale.ROOT);
            HubSpotStore.SimObject company = hubspot.findBy("companies", "domain", domain);
            if (company != null) {
                hubspot.associate("contacts", c.id(), "companies", company.id());
            }
            hubspotEvent("contact.creation", c.id(), "FORM", null, null, null);
            stats.increment("driver.leads.hubspot");
            return ordered("crm", crm, "id", c.id(), "properties", c.properties());
        }
        Map<String, Object> f = new LinkedHashMap<>();
        put(f, "FirstName", in.firstName());
        f.put("LastName", in.lastName() == null ? "Unknown" : in.lastName());
        f.put("Email", in.email());
        f.put("Company", in.company() == null ? "[not provided]" : in.company());
        put(f, "Country", in.country());
        put(f, "NumberOfEmployees", in.companySize() == null ? null : in.companySize().doubleValue());
        f.put("LeadSource", in.source() != null ? in.source() : campaign != null ? campaign.type() : "Web");
        f.put("Channel__c", channel);
        put(f, "Campaign__c", campaign != null ? campaign.name() : in.campaign());
        f.put("Intent_Tier__c", tier);
        put(f, "OwnerId", in.ownerId() != null ? in.ownerId() : org.leadQueueId());
        String id = salesforceWrite(() -> salesforce.create("Lead", f, marketingUser(), now));
        notifySalesforce("Lead", id);
        stats.increment("driver.leads.salesforce");
        return ordered("crm", crm, "id", id, "fields", salesforce.find("Lead", id));
    }

    public Map<String, Object> logActivity(ActivityInput in) {
        String crm = crm(in.crm());
        require(in.personId(), "personId");
        require(in.ownerId(), "ownerId");
        String type = in.type() == null ? "" : in.type().toLowerCase(Locale.ROOT);
        if (!Set.of("call", "email", "meeting").contains(type)) {
            throw new IllegalArgumentException("type must be call, email or meeting");
        }
        boolean inbound = "inbound".equalsIgnoreCase(in.direction());
        long now = now();
        if ("hubspot".equals(crm)) {
            if (hubspot.find("contacts", in.personId()) == null) {
                throw new NoSuchElementException("no HubSpot contact " + in.personId());
            }
            if (!hubspot.isOwner(in.ownerId())) {
                throw new IllegalArgumentException("no HubSpot owner " + in.ownerId());
            }
            Map<String, String> p = new LinkedHashMap<>();
            p.put("hs_timestamp", Long.toString(now));
            p.put("hubspot_owner_id", in.ownerId());
            String objects = type + "s";
            switch (type) {
                case "call" -> {
                    p.put("hs_call_direction", inbound ? "INBOUND" : "OUTBOUND");
                    p.put("hs_call_status", "COMPLETED");
                    p.put("hs_call_disposition", disposition(in.outcome()));
                    p.put("hs_call_title", in.subject() == null ? "Call" : in.subject());
                }
                case "email" -> {
                    p.put("hs_email_direction", inbound ? "INCOMING_EMAIL" : "EMAIL");
                    p.put("hs_email_status", in.outcome() == null ? "SENT" : in.outcome().toUpperCase(Locale.ROOT));
                    p.put("hs_email_subject", in.subject() == null ? "Following up" : in.subject());
                }
                default -> {
                    p.put("hs_meeting_outcome", in.outcome() == null ? "COMPLETED"
                            : in.outcome().toUpperCase(Locale.ROOT));
                    p.put("hs_meeting_title", in.subject() == null ? "Discovery meeting" : in.subject());
                    p.put("hs_meeting_start_time", Long.toString(now));
                    p.put("hs_meeting_end_time", Long.toString(now + 1_800_000));
                    p.put("hs_meeting_source", inbound ? "MEETINGS_PUBLIC" : "CRM_UI");
                }
            }
            List<long[]> assoc = new ArrayList<>();
            assoc.add(new long[] {HubSpotStore.ASSOCIATION_TYPES.get(objects + ">contacts"),
                Long.parseLong(in.personId())});
            if (in.dealId() != null && HubSpotStore.ASSOCIATION_TYPES.containsKey(objects + ">deals")) {
                assoc.add(new long[] {HubSpotStore.ASSOCIATION_TYPES.get(objects + ">deals"),
                    parseLong(in.dealId(), "dealId")});
            }
            HubSpotStore.SimObject o = hubspotWrite(() -> hubspot.create(objects, p, assoc, "CRM_UI", now));
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("objectTypeId", OBJECT_TYPE_IDS.get(objects));
            hubspotEvent("object.creation", o.id(), "CRM_UI", null, null, extra);
            stats.increment("driver.activities.hubspot");
            return ordered("crm", crm, "id", o.id(), "objectType", objects, "properties", o.properties());
        }
        String sobject = "meeting".equals(type) ? "Event" : "Task";
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("WhoId", in.personId());
        f.put("OwnerId", in.ownerId());
        put(f, "WhatId", in.dealId());
        String day = Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC).toLocalDate().toString();
        if ("Event".equals(sobject)) {
            f.put("Subject", in.subject() == null ? "Discovery meeting" : in.subject());
            f.put("Type", "Meeting");
            f.put("EventSubtype", "Event");
            f.put("ActivityDateTime", SalesforceStore.datetime(now));
            f.put("StartDateTime", SalesforceStore.datetime(now));
            f.put("EndDateTime", SalesforceStore.datetime(now + 1_800_000));
            f.put("DurationInMinutes", 30.0);
        } else {
            boolean call = "call".equals(type);
            f.put("Subject", in.subject() != null ? in.subject() : call ? "Call" : "Email: Following up");
            f.put("TaskSubtype", call ? "Call" : "Email");
            f.put("Type", call ? "Call" : "Email");
            f.put("Status", "Completed");
            f.put("ActivityDate", day);
            if (call) {
                f.put("CallType", inbound ? "Inbound" : "Outbound");
                f.put("CallDisposition", in.outcome() == null ? "Connected" : in.outcome());
                f.put("CallDurationInSeconds", 240.0);
            }
        }
        String id = salesforceWrite(() -> salesforce.create(sobject, f, in.ownerId(), now));
        notifySalesforce(sobject, id);
        stats.increment("driver.activities.salesforce");
        return ordered("crm", crm, "id", id, "objectType", sobject, "fields", salesforce.find(sobject, id));
    }

    public Map<String, Object> setLeadStatus(String crmName, String id, String status, String reason, String byOwner) {
        String crm = crm(crmName);
        require(status, "status");
        long now = now();
        if ("hubspot".equals(crm)) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("hs_lead_status", status);
            if (reason != null) {
                p.put("disqualification_reason", reason);
            }
            Map<String, String> changed = hubspotWrite(() -> hubspot.update("contacts", id, p, "CRM_UI", now));
            changed.forEach((k, v) -> hubspotEvent("contact.propertyChange", id, "CRM_UI", k, v, null));
            stats.increment("driver.statuses.hubspot");
            return ordered("crm", crm, "id", id, "changed", changed);
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Status", status);
        if (reason != null) {
            f.put("Disqualification_Reason__c", reason);
        }
        Map<String, Object> changed = salesforceWrite(() -> salesforce.update("Lead", id, f,
                actor("Lead", id, byOwner), now));
        notifySalesforce("Lead", id);
        stats.increment("driver.statuses.salesforce");
        return ordered("crm", crm, "id", id, "changed", changed);
    }

    /** A person reassigns a lead in the CRM (not the gateway). */
    public Map<String, Object> setOwner(String crmName, String id, String ownerId) {
        String crm = crm(crmName);
        require(ownerId, "ownerId");
        long now = now();
        if ("hubspot".equals(crm)) {
            Map<String, String> changed = hubspotWrite(() -> hubspot.update("contacts", id,
                    Map.of("hubspot_owner_id", ownerId), "CRM_UI", now));
            changed.forEach((k, v) -> hubspotEvent("contact.propertyChange", id, "CRM_UI", k, v, null));
            return ordered("crm", crm, "id", id, "changed", changed);
        }
        Map<String, Object> changed = salesforceWrite(() -> salesforce.update("Lead", id, Map.of("OwnerId", ownerId),
                marketingUser(), now));
        notifySalesforce("Lead", id);
        return ordered("crm", crm, "id", id, "changed", changed);
    }

    public Map<String, Object> createDeal(DealInput in) {
        String crm = crm(in.crm());
        require(in.name(), "name");
        long now = now();
        if ("hubspot".equals(crm)) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("dealname", in.name());
            p.put("pipeline", "default");
            p.put("dealstage", in.stage() == null ? "appointmentscheduled" : in.stage());
            put(p, "amount", in.amount() == null ? null : plain(in.amount()));
            put(p, "closedate", in.closeDate());
            p.put("deal_currency_code", "USD");
            put(p, "hubspot_owner_id", in.ownerId());
            List<long[]> assoc = new ArrayList<>();
            if (in.personId() != null) {
                assoc.add(new long[] {3, parseLong(in.personId(), "personId")});
            }
            String company = in.companyId();
            if (company == null && in.personId() != null) {
                List<String> cos = hubspot.associated("contacts", in.personId(), "companies");
                company = cos.isEmpty() ? null : cos.get(0);
            }
            if (company != null) {
                assoc.add(new long[] {341, parseLong(company, "companyId")});
            }
            HubSpotStore.SimObject d = hubspotWrite(() -> hubspot.create("deals", p, assoc, "CRM_UI", now));
            hubspotEvent("deal.creation", d.id(), "CRM_UI", null, null, null);
            stats.increment("driver.deals.hubspot");
            return ordered("crm", crm, "id", d.id(), "properties", d.properties());
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Name", in.name());
        f.put("StageName", in.stage() == null ? "Prospecting" : in.stage());
        put(f, "Amount", in.amount());
        f.put("CloseDate", in.closeDate() == null ? Instant.ofEpochMilli(now + 30L * 86_400_000)
                .atZone(ZoneOffset.UTC).toLocalDate().toString() : in.closeDate());
        String account = in.companyId();
        if (account == null && in.personId() != null) {
            Map<String, Object> contact = salesforce.find("Contact", in.personId());
            account = contact == null ? null : (String) contact.get("AccountId");
        }
        put(f, "AccountId", account);
        if ("Contact".equals(SalesforceIds.sobjectOf(in.personId()))) {
            f.put("ContactId", in.personId());
        }
        put(f, "OwnerId", in.ownerId());
        put(f, "CampaignId", in.campaignId());
        String owner = in.ownerId() != null ? in.ownerId() : marketingUser();
        String id = salesforceWrite(() -> salesforce.create("Opportunity", f, owner, now));
        notifySalesforce("Opportunity", id);
        stats.increment("driver.deals.salesforce");
        return ordered("crm", crm, "id", id, "fields", salesforce.find("Opportunity", id));
    }

    public Map<String, Object> updateDeal(String crmName, String id, DealChange change) {
        String crm = crm(crmName);
        long now = now();
        if ("hubspot".equals(crm)) {
            Map<String, String> p = new LinkedHashMap<>();
            put(p, "dealstage", change.stage());
            put(p, "amount", change.amount() == null ? null : plain(change.amount()));
            put(p, "closedate", change.closeDate());
            if (p.isEmpty()) {
                throw new IllegalArgumentException("nothing to change: give stage, amount or closeDate");
            }
            Map<String, String> changed = hubspotWrite(() -> hubspot.update("deals", id, p, "CRM_UI", now));
            changed.forEach((k, v) -> hubspotEvent("deal.propertyChange", id, "CRM_UI", k, v, null));
            return ordered("crm", crm, "id", id, "changed", changed);
        }
        Map<String, Object> f = new LinkedHashMap<>();
        put(f, "StageName", change.stage());
        put(f, "Amount", change.amount());
        put(f, "CloseDate", change.closeDate());
        if (f.isEmpty()) {
            throw new IllegalArgumentException("nothing to change: give stage, amount or closeDate");
        }
        Map<String, Object> opp = salesforce.find("Opportunity", id);
        String owner = opp == null ? marketingUser() : String.valueOf(opp.get("OwnerId"));
        Map<String, Object> changed = salesforceWrite(() -> salesforce.update("Opportunity", id, f, owner, now));
        notifySalesforce("Opportunity", id);
        return ordered("crm", crm, "id", id, "changed", changed);
    }

    public Map<String, Object> addCampaignMember(MemberInput in) {
        String crm = crm(in.crm());
        require(in.personId(), "personId");
        long now = now();
        boolean responded = in.responded() == null || in.responded();
        if ("hubspot".equals(crm)) {
            Seeder.Campaign c = campaign(in.campaign() != null ? in.campaign() : in.campaignId());
            String name = c != null ? c.name() : in.campaign();
            require(name, "campaign");
            Map<String, String> p = new LinkedHashMap<>();
            p.put("recent_conversion_date", Long.toString(now));
            p.put("recent_conversion_event_name", name);
            p.put("hs_analytics_last_touch_converting_campaign", name);
            p.put("hs_latest_source", c != null ? c.hubspotSource() : "OTHER_CAMPAIGNS");
            p.put("hs_latest_source_data_1", c != null ? c.channel() : name);
            Map<String, String> changed = hubspotWrite(() -> hubspot.update("contacts", in.personId(), p, "FORM",
                    now));
            changed.forEach((k, v) -> hubspotEvent("contact.propertyChange", in.personId(), "FORM", k, v, null));
            return ordered("crm", crm, "id", in.personId(), "changed", changed);
        }
        Seeder.Campaign c = campaign(in.campaignId() != null ? in.campaignId() : in.campaign());
        String campaignId = c != null ? c.salesforceId() : in.campaignId();
        require(campaignId, "campaignId");
        String person = in.personId();
        String personType = SalesforceIds.sobjectOf(person);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("CampaignId", campaignId);
        f.put("Contact".equals(personType) ? "ContactId" : "LeadId", person);
        f.put("Status", in.status() != null ? in.status() : responded ? "Responded" : "Sent");
        f.put("HasResponded", responded);
        if (responded) {
            f.put("FirstRespondedDate", Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC).toLocalDate().toString());
        }
        String id = salesforceWrite(() -> salesforce.create("CampaignMember", f, marketingUser(), now));
        notifySalesforce("CampaignMember", id);
        return ordered("crm", crm, "id", id, "fields", salesforce.find("CampaignMember", id));
    }

    /** Queues an outbound message for a record the gateway wrote, when the org's rules also fire on API writes. */
    public void notifySalesforce(String sobject, String id) {
        Map<String, Object> record = salesforce.find(sobject, id);
        if (record == null) {
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        record.forEach((k, v) -> {
            if (!"IsDeleted".equals(k) || v != null) {
                fields.put(k, v);
            }
        });
        notificationIds.incrementAndGet();
        deliveries.salesforce(new OutboundMessages.Notification(notificationIdMaker.next("Notification"), sobject,
                fields));
    }

    /**
     * Queues the webhook events HubSpot sends for a change of an object: {@code <object>.creation}, or one
     * {@code <object>.propertyChange} per changed property; engagements use the generic {@code object.*}
     * subscriptions with their objectTypeId.
     */
    public void hubspotChanged(String type, String id, Map<String, String> changed, boolean created, String source,
            String sourceId) {
        String typeId = OBJECT_TYPE_IDS.get(type);
        String prefix = typeId != null ? "object" : "companies".equals(type) ? "company"
                : type.substring(0, type.length() - 1);
        Map<String, Object> extra = new LinkedHashMap<>();
        if (typeId != null) {
            extra.put("objectTypeId", typeId);
        }
        if (sourceId != null) {
            extra.put("sourceId", sourceId);
        }
        if (created) {
            hubspotEvent(prefix + ".creation", id, source, null, null, extra);
            return;
        }
        changed.forEach((k, v) -> hubspotEvent(prefix + ".propertyChange", id, source, k, v, extra));
    }

    private void hubspotEvent(String type, String objectId, String source, String property, String value,
            Map<String, Object> extra) {
        long now = now();
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", eventIds.incrementAndGet());
        e.put("subscriptionId", SUBSCRIPTIONS.get(type));
        e.put("portalId", identity.portalId());
        e.put("appId", identity.appId());
        e.put("occurredAt", now);
        e.put("subscriptionType", type);
        e.put("objectId", Long.parseLong(objectId));
        if (property != null) {
            e.put("propertyName", property);
            e.put("propertyValue", value == null ? "" : value);
        }
        e.put("changeSource", source);
        if (type.endsWith(".creation")) {
            e.put("changeFlag", "CREATED");
        }
        if (extra != null) {
            e.putAll(extra);
        }
        deliveries.hubspot(e);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private String actor(String sobject, String id, String byOwner) {
        if (byOwner != null) {
            return byOwner;
        }
        Map<String, Object> r = salesforce.find(sobject, id);
        Object owner = r == null ? null : r.get("OwnerId");
        return owner != null && String.valueOf(owner).startsWith("005") ? String.valueOf(owner) : marketingUser();
    }

    private String marketingUser() {
        return org.owners().stream().filter(p -> "9003".equals(p.teamId())).map(Seeder.Person::salesforceUserId)
                .findFirst().orElse(org.integrationUserId());
    }

    /** A seeded campaign by name or Salesforce id, or null. */
    public Seeder.Campaign campaign(String nameOrId) {
        if (nameOrId == null) {
            return null;
        }
        return org.campaigns().stream().filter(c -> c.name().equalsIgnoreCase(nameOrId)
                || SalesforceIds.same(c.salesforceId(), nameOrId)).findFirst().orElse(null);
    }

    private static String crm(String crm) {
        String c = crm == null ? "hubspot" : crm.toLowerCase(Locale.ROOT);
        if (!"hubspot".equals(c) && !"salesforce".equals(c)) {
            throw new IllegalArgumentException("crm must be hubspot or salesforce");
        }
        return c;
    }

    private static void require(String v, String name) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }

    private static long parseLong(String v, String name) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a HubSpot id (a number)");
        }
    }

    private static String plain(Double d) {
        return d == Math.rint(d) ? Long.toString(d.longValue()) : d.toString();
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    private static <K, V> void put(Map<K, V> m, K k, V v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    private static String disposition(String outcome) {
        if (outcome == null) {
            return "f240bbac-87c9-4f6e-bf70-924b57d47db7";
        }
        return switch (outcome.toLowerCase(Locale.ROOT)) {
            case "connected" -> "f240bbac-87c9-4f6e-bf70-924b57d47db7";
            case "no-answer", "no_answer" -> "73a0d17f-1163-4015-bdd5-ec830791da20";
            case "left-voicemail", "voicemail" -> "b2cf5968-551e-4856-9783-52b3da59a7d0";
            case "busy" -> "9d9162e7-6cf3-4944-bf63-4dff82258764";
            case "wrong-number" -> "17b47fee-58de-441e-a44c-c6300d46f273";
            default -> outcome;
        };
    }

    /** Turns a store refusal of a driving call into a driving-API error (400 / 404 / 409). */
    private static <T> T hubspotWrite(java.util.function.Supplier<T> write) {
        try {
            return write.get();
        } catch (ApiException e) {
            throw DriverException.of(e);
        }
    }

    private static <T> T salesforceWrite(java.util.function.Supplier<T> write) {
        try {
            return write.get();
        } catch (SalesforceErrors.FieldError e) {
            throw new IllegalArgumentException(e.getMessage());
        } catch (ApiException e) {
            throw DriverException.of(e);
        }
    }

    /** A driving call the simulated CRM refused; carries the CRM's status. */
    public static final class DriverException extends RuntimeException {
        private final int status;

        DriverException(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        static DriverException of(ApiException e) {
            Object body = e.body();
            String message = body instanceof Map<?, ?> m ? String.valueOf(m.get("message"))
                    : body instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map<?, ?> m0
                            ? String.valueOf(m0.get("message")) : String.valueOf(body);
            return new DriverException(e.status(), message);
        }

        public int status() {
            return status;
        }
    }
}

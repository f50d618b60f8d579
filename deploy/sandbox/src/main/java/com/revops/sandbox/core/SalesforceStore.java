package com.revops.sandbox.core;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The simulated Salesforce org: sObjects with the fields, picklists, required fields and references the gateway
 * touches, audit fields kept by the platform ({@code CreatedDate}, {@code LastModifiedDate}, {@code SystemModstamp},
 * {@code LastModifiedById}), opportunity stage history, unique campaign membership, external-id upserts and sObject
 * Collections with per-record results. Custom fields ({@code __c}) of the org are accepted on every object. Plain
 * Java; public methods are synchronised.
 */
public final class SalesforceStore {

    public static final int COLLECTION_LIMIT = 200;
    static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private static final List<String> AUDIT = List.of("Id", "IsDeleted", "CreatedDate", "CreatedById",
            "LastModifiedDate", "LastModifiedById", "SystemModstamp");
    private static final Map<String, List<String>> FIELDS = Map.of(
            "Lead", List.of("FirstName", "LastName", "Name", "Email", "Company", "Website", "Country",
                    "NumberOfEmployees", "Industry", "LeadSource", "Status", "OwnerId", "IsConverted", "Title",
                    "Phone"),
            "Contact", List.of("FirstName", "LastName", "Name", "Email", "AccountId", "OwnerId", "LeadSource",
                    "Title", "Phone", "MailingCountry"),
            "Account", List.of("Name", "Website", "Industry", "NumberOfEmployees", "BillingCountry", "OwnerId",
                    "Type"),
            "Opportunity", List.of("Name", "StageName", "Amount", "CloseDate", "AccountId", "ContactId", "OwnerId",
                    "IsWon", "IsClosed", "Probability", "LeadSource", "CampaignId", "Type"),
            "Task", List.of("Subject", "Description", "WhoId", "WhatId", "OwnerId", "Status", "Priority",
                    "ActivityDate", "Type", "TaskSubtype", "CallType", "CallDisposition", "CallDurationInSeconds",
                    "IsClosed", "CompletedDateTime"),
            "Event", List.of("Subject", "Description", "WhoId", "WhatId", "OwnerId", "ActivityDateTime",
                    "ActivityDate", "StartDateTime", "EndDateTime", "DurationInMinutes", "Type", "EventSubtype"),
            "Campaign", List.of("Name", "Type", "Status", "StartDate", "EndDate", "IsActive", "BudgetedCost",
                    "ActualCost", "OwnerId"),
            "CampaignMember", List.of("CampaignId", "LeadId", "ContactId", "Email", "Status", "HasResponded",
                    "FirstRespondedDate"),
            "User", List.of("Username", "Email", "FirstName", "LastName", "Name", "IsActive", "Department", "Title"),
            "OpportunityHistory", List.of("OpportunityId", "StageName", "Amount", "CloseDate", "Probability"));
    private static final Map<String, List<String>> REQUIRED = Map.of("Lead", List.of("LastName", "Company"),
            "Contact", List.of("LastName"), "Account", List.of("Name"),
            "Opportunity", List.of("Name", "StageName", "CloseDate"), "Campaign", List.of("Name"),
            "CampaignMember", List.of("CampaignId"), "User", List.of("Username", "LastName"));
    /** Fields the platform computes: writing them is refused. */
    private static final Set<String> COMPUTED = Set.of("Id", "IsDeleted", "CreatedDate", "CreatedById",
            "LastModifiedDate", "LastModifiedById", "SystemModstamp", "Name", "IsWon", "IsClosed", "IsConverted");
    /** Objects whose Name is computed from FirstName and LastName; elsewhere Name is an ordinary field. */
    private static final Set<String> PERSON_NAMES = Set.of("Lead", "Contact", "User");
    private static final Map<String, List<String>> REFERENCES = Map.of("OwnerId", List.of("User", "Group"),
            "AccountId", List.of("Account"), "WhoId", List.of("Lead", "Contact"),
            "WhatId", List.of("Opportunity", "Account", "Campaign"), "CampaignId", List.of("Campaign"),
            "LeadId", List.of("Lead"), "ContactId", List.of("Contact"), "OpportunityId", List.of("Opportunity"));
    private static final Set<String> NUMBERS = Set.of("NumberOfEmployees", "Amount", "Probability",
            "CallDurationInSeconds", "DurationInMinutes", "BudgetedCost", "ActualCost");
    private static final Set<String> DATES = Set.of("CloseDate", "ActivityDate", "StartDate", "EndDate",
            "FirstRespondedDate");
    private static final Set<String> BOOLEANS = Set.of("IsActive", "HasResponded");

    public static final List<String> STAGES = List.of("Prospecting", "Qualification", "Needs Analysis",
            "Value Proposition", "Id. Decision Makers", "Perception Analysis", "Proposal/Price Quote",
            "Negotiation/Review", "Closed Won", "Closed Lost");
    private static final Map<String, Integer> PROBABILITY = Map.of("Prospecting", 10, "Qualification", 10,
            "Needs Analysis", 20, "Value Proposition", 50, "Id. Decision Makers", 60, "Perception Analysis", 70,
            "Proposal/Price Quote", 75, "Negotiation/Review", 90, "Closed Won", 100, "Closed Lost", 0);

    /** The outcome of an upsert by external id. */
    public record Upserted(String id, boolean created) {
    }

    private final SalesforceIds ids;
    private final String apiVersion;
    private final Map<String, Set<String>> picklists = new HashMap<>();
    private final Map<String, LinkedHashMap<String, Map<String, Object>>> records = new HashMap<>();

    /** See {@link SalesforceIds#advance}. */
    public void advanceIds(long n) {
        ids.advance(n);
    }

    public SalesforceStore(SalesforceIds ids, String apiVersion, Collection<String> leadStatuses) {
        this.ids = ids;
        this.apiVersion = apiVersion;
        picklists.put("Lead.Status", new LinkedHashSet<>(leadStatuses));
        picklists.put("Opportunity.StageName", new LinkedHashSet<>(STAGES));
        picklists.put("Task.Status", Set.of("Not Started", "In Progress", "Completed", "Waiting on someone else",
                "Deferred"));
        picklists.put("Task.Priority", Set.of("High", "Normal", "Low"));
        for (String type : FIELDS.keySet()) {
            records.put(type, new LinkedHashMap<>());
        }
        records.put("Group", new LinkedHashMap<>());
    }

    public static boolean knownObject(String sobject) {
        return FIELDS.containsKey(sobject) || "Group".equals(sobject);
    }

    /** Whether {@code field} exists on {@code sobject} (custom fields exist on every object). */
    public static boolean hasField(String sobject, String field) {
        return AUDIT.contains(field) || FIELDS.getOrDefault(sobject, List.of("Name", "Type")).contains(field)
                || field.endsWith("__c");
    }

    /** Every standard field of an object (for outbound messages and field-less reads). */
    public static List<String> fields(String sobject) {
        List<String> out = new ArrayList<>(AUDIT);
        out.addAll(FIELDS.getOrDefault(sobject, List.of("Name", "Type")));
        return out;
    }

    public Set<String> leadStatuses() {
        return picklists.get("Lead.Status");
    }

    // ---------------------------------------------------------------------------------------------------- reads

    public synchronized Map<String, Object> find(String sobject, String id) {
        if (id == null || id.length() != 15 && id.length() != 18) {
            return null;
        }
        Map<String, Object> r = records.getOrDefault(sobject, new LinkedHashMap<>()).get(SalesforceIds.to18(id));
        return r == null ? null : new LinkedHashMap<>(r);
    }

    /** All records of an object, copies, in creation order. */
    public synchronized List<Map<String, Object>> all(String sobject) {
        List<Map<String, Object>> out = new ArrayList<>();
        records.getOrDefault(sobject, new LinkedHashMap<>()).values().forEach(r -> out.add(new LinkedHashMap<>(r)));
        return out;
    }

    public synchronized int count(String sobject) {
        return records.getOrDefault(sobject, new LinkedHashMap<>()).size();
    }

    /** A record as the REST API returns it: {@code attributes} first, then the fields asked (or all). */
    public Map<String, Object> render(String sobject, Map<String, Object> record, List<String> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("attributes", attributes(sobject, String.valueOf(record.get("Id"))));
        List<String> wanted = fields == null || fields.isEmpty() ? new ArrayList<>(record.keySet()) : fields;
        if (fields == null || fields.isEmpty()) {
            for (String f : fields(sobject)) {
                if (!wanted.contains(f)) {
                    wanted.add(f);
                }
            }
        }
        for (String f : wanted) {
            out.put(f, record.get(f));
        }
        return out;
    }

    public Map<String, Object> attributes(String sobject, String id) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("type", sobject);
        a.put("url", "/services/data/" + apiVersion + "/sobjects/" + sobject + "/" + id);
        return a;
    }

    // ---------------------------------------------------------------------------------------------------- writes

    /**
     * Creates a record as {@code userId}.
     *
     * @throws SalesforceErrors.FieldError on a missing required field, unknown field, bad value or reference
     */
    public synchronized String create(String sobject, Map<String, ?> fields, String userId, long now) {
        requireObject(sobject);
        Map<String, Object> values = validate(sobject, fields, null);
        for (String req : REQUIRED.getOrDefault(sobject, List.of())) {
            if (values.get(req) == null || String.valueOf(values.get(req)).isBlank()) {
                throw new SalesforceErrors.FieldError("REQUIRED_FIELD_MISSING", "Required fields are missing: ["
                        + req + "]", List.of(req));
            }
        }
        if ("CampaignMember".equals(sobject)) {
            if (values.get("LeadId") == null && values.get("ContactId") == null) {
                throw new SalesforceErrors.FieldError("REQUIRED_FIELD_MISSING",
                        "Required fields are missing: [LeadId or ContactId]", List.of("LeadId", "ContactId"));
            }
            for (Map<String, Object> m : records.get("CampaignMember").values()) {
                if (Objects.equals(m.get("CampaignId"), values.get("CampaignId"))
                        && (values.get("LeadId") != null && Objects.equals(m.get("LeadId"), values.get("LeadId"))
                                || values.get("ContactId") != null
                                        && Objects.equals(m.get("ContactId"), values.get("ContactId")))) {
                    throw new SalesforceErrors.FieldError("DUPLICATE_VALUE",
                            "Already a campaign member.", List.of());
                }
            }
        }
        String id = ids.next(sobject);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("Id", id);
        r.put("IsDeleted", false);
        String at = datetime(now);
        r.put("CreatedDate", at);
        r.put("CreatedById", userId);
        for (String f : FIELDS.getOrDefault(sobject, List.of())) {
            r.put(f, null);
        }
        defaults(sobject, r, userId);
        r.putAll(values);
        derive(sobject, r);
        if ("CampaignMember".equals(sobject)) {
            // the member's email is the lead's or contact's, as Salesforce fills it
            Map<String, Object> person = values.get("LeadId") != null
                    ? records.get("Lead").get(String.valueOf(values.get("LeadId")))
                    : records.get("Contact").get(String.valueOf(values.get("ContactId")));
            r.put("Email", person == null ? null : person.get("Email"));
        }
        if ("Event".equals(sobject) && r.get("ActivityDateTime") != null) {
            Instant start = instant(String.valueOf(r.get("ActivityDateTime")));
            r.put("ActivityDate", start == null ? null : start.atZone(ZoneOffset.UTC).toLocalDate().toString());
        }
        touch(r, userId, now);
        records.get(sobject).put(id, r);
        if ("Opportunity".equals(sobject)) {
            history(r, userId, now);
        }
        return id;
    }

    /** Updates a record as {@code userId}; answers the fields whose value changed. */
    public synchronized Map<String, Object> update(String sobject, String id, Map<String, ?> fields, String userId,
            long now) {
        requireObject(sobject);
        Map<String, Object> r = id == null || id.length() != 15 && id.length() != 18 ? null
                : records.get(sobject).get(SalesforceIds.to18(id));
        if (r == null) {
            throw SalesforceErrors.error(404, "NOT_FOUND", "The requested resource does not exist");
        }
        Map<String, Object> values = validate(sobject, fields, r);
        Map<String, Object> changed = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (!Objects.equals(r.get(k), v)) {
                changed.put(k, v);
            }
        });
        r.putAll(values);
        derive(sobject, r);
        touch(r, userId, now);
        if ("Opportunity".equals(sobject) && (changed.containsKey("StageName") || changed.containsKey("Amount")
                || changed.containsKey("CloseDate"))) {
            history(r, userId, now);
        }
        return changed;
    }

    /** {@code PATCH /sobjects/{type}/{field}/{value}}: creates or updates; 300 with the candidates' URLs if several. */
    public synchronized Upserted upsert(String sobject, String extField, String value, Map<String, ?> fields,
            String userId, long now) {
        requireObject(sobject);
        if (!"Id".equals(extField) && !extField.endsWith("External_Id__c")) {
            throw SalesforceErrors.error(404, "NOT_FOUND", "Provided external ID field does not exist or is not "
                    + "accessible: " + extField);
        }
        if (fields.containsKey(extField)) {
            throw SalesforceErrors.error(400, "INVALID_FIELD", "The field " + extField + " is specified in the URL "
                    + "and cannot be set in the body.", extField);
        }
        List<String> matches = new ArrayList<>();
        for (Map<String, Object> r : records.get(sobject).values()) {
            Object v = r.get(extField);
            if (v != null && ("Id".equals(extField) ? SalesforceIds.same(value, String.valueOf(v))
                    : value.equals(String.valueOf(v)))) {
                matches.add(String.valueOf(r.get("Id")));
            }
        }
        if (matches.size() > 1) {
            List<String> urls = matches.stream().map(id -> (String) attributes(sobject, id).get("url")).toList();
            throw new ApiException(300, urls);
        }
        if (matches.size() == 1) {
            update(sobject, matches.get(0), fields, userId, now);
            return new Upserted(matches.get(0), false);
        }
        if ("Id".equals(extField)) {
            throw SalesforceErrors.error(404, "NOT_FOUND", "The requested resource does not exist");
        }
        Map<String, Object> withKey = new LinkedHashMap<>(fields);
        withKey.put(extField, value);
        return new Upserted(create(sobject, withKey, userId, now), true);
    }

    // ---------------------------------------------------------------------------------------------------- rules

    private Map<String, Object> validate(String sobject, Map<String, ?> fields, Map<String, Object> existing) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            String f = e.getKey();
            Object v = e.getValue();
            if ("attributes".equals(f) || existing != null && "Id".equals(f)) {
                continue;
            }
            if (!hasField(sobject, f)) {
                throw new SalesforceErrors.FieldError("INVALID_FIELD", "No such column '" + f + "' on sobject of "
                        + "type " + sobject, List.of(f));
            }
            if (COMPUTED.contains(f) && (!"Name".equals(f) || PERSON_NAMES.contains(sobject))) {
                throw new SalesforceErrors.FieldError("INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update "
                        + "fields: " + f + ". Please check the security settings of this field and verify that it is "
                        + "read/write for your profile or permission set.", List.of(f));
            }
            Set<String> picklist = picklists.get(sobject + "." + f);
            if (picklist != null && v != null && !picklist.contains(String.valueOf(v))) {
                throw new SalesforceErrors.FieldError("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                        f + ": bad value for restricted picklist field: " + v, List.of(f));
            }
            if (v != null && REFERENCES.containsKey(f)) {
                String ref = String.valueOf(v);
                String target = SalesforceIds.sobjectOf(ref);
                if (ref.length() != 15 && ref.length() != 18 || target == null
                        || !REFERENCES.get(f).contains(target)) {
                    throw new SalesforceErrors.FieldError("MALFORMED_ID", f + ": id value of incorrect type: " + ref,
                            List.of(f));
                }
                Map<String, Object> referenced = records.get(target).get(SalesforceIds.to18(ref));
                if (referenced == null || "User".equals(target) && Boolean.FALSE.equals(referenced.get("IsActive"))) {
                    throw new SalesforceErrors.FieldError("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id",
                            List.of(f));
                }
                v = SalesforceIds.to18(ref);
            }
            if (v != null && NUMBERS.contains(f)) {
                try {
                    v = v instanceof Number ? v : Double.valueOf(String.valueOf(v));
                } catch (NumberFormatException bad) {
                    throw new SalesforceErrors.FieldError("JSON_PARSER_ERROR", "Cannot deserialize instance of "
                            + "double from VALUE_STRING value " + v, List.of(f));
                }
            }
            if (v != null && DATES.contains(f)) {
                try {
                    v = LocalDate.parse(String.valueOf(v)).toString();
                } catch (DateTimeParseException bad) {
                    throw new SalesforceErrors.FieldError("JSON_PARSER_ERROR", "Cannot deserialize value of type "
                            + "`date` from String \"" + v + "\"", List.of(f));
                }
            }
            if (v != null && BOOLEANS.contains(f) && !(v instanceof Boolean)) {
                v = Boolean.valueOf(String.valueOf(v));
            }
            out.put(f, v);
        }
        return out;
    }

    private void defaults(String sobject, Map<String, Object> r, String userId) {
        switch (sobject) {
            case "Lead" -> {
                r.put("Status", picklists.get("Lead.Status").iterator().next());
                r.put("IsConverted", false);
                r.put("OwnerId", userId);
            }
            case "Task" -> {
                r.put("Status", "Not Started");
                r.put("Priority", "Normal");
                r.put("OwnerId", userId);
                r.put("TaskSubtype", "Task");
            }
            case "Contact", "Account", "Opportunity", "Event", "Campaign" -> r.put("OwnerId", userId);
            case "CampaignMember" -> {
                r.put("Status", "Sent");
                r.put("HasResponded", false);
            }
            default -> {
            }
        }
    }

    private static void derive(String sobject, Map<String, Object> r) {
        if (PERSON_NAMES.contains(sobject)) {
            String name = ((r.get("FirstName") == null ? "" : r.get("FirstName") + " ")
                    + (r.get("LastName") == null ? "" : r.get("LastName"))).trim();
            r.put("Name", name);
        }
        if ("Opportunity".equals(sobject)) {
            String stage = String.valueOf(r.get("StageName"));
            r.put("IsClosed", stage.startsWith("Closed"));
            r.put("IsWon", "Closed Won".equals(stage));
            r.put("Probability", PROBABILITY.getOrDefault(stage, 10).doubleValue());
        }
        if ("Task".equals(sobject)) {
            r.put("IsClosed", "Completed".equals(r.get("Status")));
        }
    }

    private static void touch(Map<String, Object> r, String userId, long now) {
        String at = datetime(now);
        r.put("LastModifiedDate", at);
        r.put("LastModifiedById", userId);
        r.put("SystemModstamp", at);
    }

    private void history(Map<String, Object> opp, String userId, long now) {
        String id = ids.next("OpportunityHistory");
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("Id", id);
        h.put("IsDeleted", false);
        h.put("OpportunityId", opp.get("Id"));
        h.put("StageName", opp.get("StageName"));
        h.put("Amount", opp.get("Amount"));
        h.put("CloseDate", opp.get("CloseDate"));
        h.put("Probability", opp.get("Probability"));
        h.put("CreatedDate", datetime(now));
        h.put("CreatedById", userId);
        h.put("LastModifiedDate", datetime(now));
        h.put("LastModifiedById", userId);
        h.put("SystemModstamp", datetime(now));
        records.get("OpportunityHistory").put(id, h);
    }

    /** Adds a queue ({@code Group} of type Queue) that can own leads. */
    public synchronized String addQueue(String name, long now) {
        String id = ids.next("Group");
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("Id", id);
        g.put("Name", name);
        g.put("Type", "Queue");
        g.put("CreatedDate", datetime(now));
        records.get("Group").put(id, g);
        return id;
    }

    private static void requireObject(String sobject) {
        if (!FIELDS.containsKey(sobject) || "OpportunityHistory".equals(sobject)) {
            throw SalesforceErrors.error(404, "NOT_FOUND", "The requested resource does not exist");
        }
    }

    /** Salesforce's REST datetime format, e.g. {@code 2026-11-24T00:50:04.000+0000}. */
    public static String datetime(long millis) {
        return DATETIME.format(Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC));
    }

    /** Parses a Salesforce or ISO datetime; null when it is neither. */
    public static Instant instant(String v) {
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v, DATETIME).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(v).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}

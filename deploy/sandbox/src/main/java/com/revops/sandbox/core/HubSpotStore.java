package com.revops.sandbox.core;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The simulated HubSpot portal: CRM objects with their properties and property history, associations, owners and
 * teams, and the behaviour of CRM v3 / associations v4 around them (batch limits with 207 partial answers, property
 * validation, unique email, search with its filter operators, page size and 10,000-result cap). Plain Java; every
 * public method is synchronised, so HTTP threads and the driver share one consistent portal.
 */
public final class HubSpotStore {

    public static final int BATCH_LIMIT = 100;
    public static final int ASSOCIATION_BATCH_LIMIT = 1000;
    public static final int SEARCH_PAGE_LIMIT = 200;
    public static final int SEARCH_RESULT_CAP = 10_000;

    /** objectTypeId -> the object path; the path names are accepted as they are too. */
    public static final Map<String, String> TYPE_IDS = Map.of("0-1", "contacts", "0-2", "companies", "0-3", "deals",
            "0-48", "calls", "0-49", "emails", "0-47", "meetings", "0-27", "tasks", "0-46", "notes");
    public static final Set<String> ENGAGEMENTS = Set.of("calls", "emails", "meetings", "tasks", "notes");

    /** HUBSPOT_DEFINED association type ids, from -> to. */
    static final Map<String, Integer> ASSOCIATION_TYPES = Map.ofEntries(
            Map.entry("contacts>companies", 279), Map.entry("companies>contacts", 280),
            Map.entry("deals>contacts", 3), Map.entry("contacts>deals", 4),
            Map.entry("deals>companies", 341), Map.entry("companies>deals", 342),
            Map.entry("calls>contacts", 194), Map.entry("contacts>calls", 193),
            Map.entry("emails>contacts", 198), Map.entry("contacts>emails", 197),
            Map.entry("meetings>contacts", 200), Map.entry("contacts>meetings", 199),
            Map.entry("tasks>contacts", 204), Map.entry("contacts>tasks", 203),
            Map.entry("notes>contacts", 202), Map.entry("contacts>notes", 201),
            Map.entry("calls>deals", 206), Map.entry("deals>calls", 205),
            Map.entry("tasks>deals", 216), Map.entry("deals>tasks", 215));

    public static final List<String> LEAD_STATUSES = List.of("NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL",
            "UNQUALIFIED", "ATTEMPTED_TO_CONTACT", "CONNECTED", "BAD_TIMING");
    public static final List<String> DEAL_STAGES = List.of("appointmentscheduled", "qualifiedtobuy",
            "presentationscheduled", "decisionmakerboughtin", "contractsent", "closedwon", "closedlost");

    static final Map<String, Set<String>> ENUMS = Map.ofEntries(
            Map.entry("hs_lead_status", Set.copyOf(LEAD_STATUSES)),
            Map.entry("lifecyclestage", Set.of("subscriber", "lead", "marketingqualifiedlead",
                    "salesqualifiedlead", "opportunity", "customer", "evangelist", "other")),
            Map.entry("dealstage", Set.copyOf(DEAL_STAGES)),
            Map.entry("hs_task_status", Set.of("NOT_STARTED", "IN_PROGRESS", "WAITING", "COMPLETED", "DEFERRED")),
            Map.entry("hs_task_priority", Set.of("NONE", "LOW", "MEDIUM", "HIGH")),
            Map.entry("hs_call_direction", Set.of("INBOUND", "OUTBOUND")),
            Map.entry("hs_email_direction", Set.of("EMAIL", "INCOMING_EMAIL", "FORWARDED_EMAIL")),
            Map.entry("hs_meeting_outcome", Set.of("SCHEDULED", "COMPLETED", "RESCHEDULED", "NO_SHOW", "CANCELED")));

    static final Set<String> DATES = Set.of("createdate", "lastmodifieddate", "hs_lastmodifieddate", "hs_createdate",
            "closedate", "hs_timestamp", "recent_conversion_date", "first_conversion_date", "hs_meeting_start_time",
            "hs_meeting_end_time", "hs_task_completion_date");
    static final Set<String> NUMBERS = Set.of("amount", "numemployees", "numberofemployees", "hubspotscore",
            "feedback_score_adjustment", "hs_call_duration", "annualrevenue");
    static final Set<String> READ_ONLY = Set.of("hs_object_id", "lastmodifieddate", "hs_lastmodifieddate");

    private static final List<String> ENGAGEMENT_COMMON = List.of("hs_timestamp", "hubspot_owner_id", "hs_createdate",
            "hs_lastmodifieddate", "hs_object_id");
    private static final Map<String, List<String>> SCHEMA = Map.of(
            "contacts", List.of("email", "firstname", "lastname", "company", "website", "country", "city", "phone",
                    "jobtitle", "numemployees", "industry", "hs_analytics_source", "hs_analytics_source_data_1",
                    "hs_analytics_source_data_2", "hs_analytics_first_touch_converting_campaign",
                    "hs_analytics_last_touch_converting_campaign", "hs_latest_source", "hs_latest_source_data_1",
                    "recent_conversion_date", "recent_conversion_event_name", "first_conversion_date",
                    "first_conversion_event_name", "hubspotscore", "hs_lead_status", "lifecyclestage",
                    "hubspot_owner_id", "createdate", "lastmodifieddate", "hs_object_id", "associatedcompanyid",
                    "hs_email_domain"),
            "companies", List.of("name", "domain", "industry", "numberofemployees", "country", "city",
                    "annualrevenue", "hubspot_owner_id", "lifecyclestage", "createdate", "hs_lastmodifieddate",
                    "hs_object_id"),
            "deals", List.of("dealname", "dealstage", "pipeline", "amount", "deal_currency_code", "closedate",
                    "dealtype", "hubspot_owner_id", "hs_is_closed", "hs_is_closed_won", "hs_analytics_source",
                    "createdate", "hs_lastmodifieddate", "hs_object_id"),
            "calls", List.of("hs_call_direction", "hs_call_disposition", "hs_call_status", "hs_call_title",
                    "hs_call_body", "hs_call_duration"),
            "emails", List.of("hs_email_direction", "hs_email_status", "hs_email_subject", "hs_email_text"),
            "meetings", List.of("hs_meeting_outcome", "hs_meeting_title", "hs_meeting_start_time",
                    "hs_meeting_end_time", "hs_meeting_source", "hs_meeting_body"),
            "tasks", List.of("hs_task_status", "hs_task_subject", "hs_task_body", "hs_task_type", "hs_task_priority",
                    "hs_task_completion_date"),
            "notes", List.of("hs_note_body"));
    private static final Map<String, List<String>> DEFAULT_PROPERTIES = Map.of(
            "contacts", List.of("createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"),
            "companies", List.of("createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"),
            "deals", List.of("amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate",
                    "hs_object_id", "pipeline"));

    /** One property value as it was set. */
    public record History(String value, long timestamp, String sourceType) {
    }

    /** A HubSpot owner (a user who can own records) and its teams. */
    public record Owner(String id, String email, String firstName, String lastName, long userId, List<Team> teams,
            long createdAt) {
    }

    /** A team of owners. */
    public record Team(String id, String name, boolean primary) {
    }

    /** One CRM object. Mutable only through the store. */
    public static final class SimObject {
        final String type;
        final long id;
        final Map<String, String> props = new LinkedHashMap<>();
        final Map<String, List<History>> history = new HashMap<>();
        long createdAt;
        long updatedAt;

        SimObject(String type, long id) {
            this.type = type;
            this.id = id;
        }

        public String id() {
            return Long.toString(id);
        }

        public String type() {
            return type;
        }

        public String get(String property) {
            return props.get(property);
        }

        public Map<String, String> properties() {
            return Map.copyOf(new HashMap<>(props));
        }
    }

    /** One input of a batch update or upsert. */
    public record Input(String id, String idProperty, Map<String, String> properties) {
    }

    /** A record a batch wrote, with the properties whose value changed. */
    public record Written(SimObject object, Map<String, String> changed) {
    }

    /** A batch answer: the records done and the 207 errors. */
    public record Batch(List<Map<String, Object>> results, List<Map<String, Object>> errors) {
    }

    /** A search filter as HubSpot takes it. */
    public record Filter(String propertyName, String operator, String value, String highValue, List<String> values) {
    }

    /** A search request; {@code filterGroups} are ORed, the filters of a group ANDed. */
    public record Search(List<List<Filter>> filterGroups, String sortProperty, boolean descending,
            List<String> properties, int limit, int after) {
    }

    /** A search answer. */
    public record SearchPage(long total, List<Map<String, Object>> results, String nextAfter) {
    }

    private final Map<String, TreeMap<Long, SimObject>> objects = new HashMap<>();
    private final Map<String, Set<Long>> associations = new HashMap<>();
    private final Map<String, Long> emailIndex = new HashMap<>();
    private final Map<String, Long> counters = new HashMap<>();
    private final Map<String, Owner> owners = new LinkedHashMap<>();
    private final Map<String, Set<String>> schema = new HashMap<>();

    /** @param customProperties the portal's custom properties per object type (e.g. contacts -> intent_tier) */
    public HubSpotStore(Map<String, List<String>> customProperties) {
        for (String type : SCHEMA.keySet()) {
            Set<String> props = new LinkedHashSet<>(SCHEMA.get(type));
            if (ENGAGEMENTS.contains(type)) {
                props.addAll(ENGAGEMENT_COMMON);
            }
            props.addAll(customProperties.getOrDefault(type, List.of()));
            schema.put(type, props);
            objects.put(type, new TreeMap<>());
        }
        counters.put("contacts", 100_000L);
        counters.put("companies", 200_000L);
        counters.put("deals", 300_000L);
        counters.put("engagements", 400_000L);
    }

    /** Moves every id counter on by {@code n}: the records created from now on get ids no earlier run gave out. */
    public synchronized void advanceIds(long n) {
        counters.replaceAll((type, last) -> last + n);
    }

    /** The object path for a path segment ({@code contacts} or {@code 0-1}); 400 as HubSpot answers otherwise. */
    public static String objectType(String segment) {
        String type = TYPE_IDS.getOrDefault(segment, segment == null ? "" : segment.toLowerCase(Locale.ROOT));
        if (!SCHEMA.containsKey(type)) {
            throw HubSpotErrors.error(400, "VALIDATION_ERROR", "Unable to infer object type from: " + segment);
        }
        return type;
    }

    /** The date property that tracks modification: contacts differ from every other object. */
    public static String modifiedProperty(String type) {
        return "contacts".equals(type) ? "lastmodifieddate" : "hs_lastmodifieddate";
    }

    static String createdProperty(String type) {
        return ENGAGEMENTS.contains(type) ? "hs_createdate" : "createdate";
    }

    // ---------------------------------------------------------------------------------------------------- owners

    public synchronized void addOwner(Owner owner) {
        owners.put(owner.id(), owner);
    }

    public synchronized List<Owner> owners() {
        return List.copyOf(owners.values());
    }

    public synchronized boolean isOwner(String id) {
        return owners.containsKey(id);
    }

    // ---------------------------------------------------------------------------------------------------- reads

    public synchronized SimObject find(String type, String id) {
        Long n = parseId(id);
        return n == null ? null : objects.get(type).get(n);
    }

    public synchronized SimObject findByEmail(String email) {
        Long id = email == null ? null : emailIndex.get(email.toLowerCase(Locale.ROOT));
        return id == null ? null : objects.get("contacts").get(id);
    }

    /** The first object whose property equals {@code value} (without case), or null. */
    public synchronized SimObject findBy(String type, String property, String value) {
        return objects.get(type).values().stream().filter(o -> value != null && value.equalsIgnoreCase(o.props
                .get(property))).findFirst().orElse(null);
    }

    public synchronized int count(String type) {
        return objects.get(type).size();
    }

    public synchronized Map<String, Object> get(String type, String id, List<String> properties,
            List<String> withHistory, String idProperty) {
        SimObject o = "email".equals(idProperty) ? findByEmail(id) : find(type, id);
        if (idProperty != null && !"email".equals(idProperty) && !"hs_object_id".equals(idProperty)) {
            throw HubSpotErrors.validation("Property " + idProperty + " is not a unique identifier of " + type);
        }
        if (o == null) {
            throw HubSpotErrors.notFound("resource not found");
        }
        return render(o, properties, withHistory);
    }

    public synchronized Batch batchRead(String type, List<String> ids, List<String> properties,
            List<String> withHistory, String idProperty) {
        limit(ids.size(), BATCH_LIMIT);
        List<Map<String, Object>> results = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String id : new LinkedHashSet<>(ids)) {
            SimObject o = "email".equals(idProperty) ? findByEmail(id) : find(type, id);
            if (o == null) {
                missing.add(id);
            } else {
                results.add(render(o, properties, withHistory));
            }
        }
        List<Map<String, Object>> errors = missing.isEmpty() ? List.of()
                : List.of(HubSpotErrors.batchError("OBJECT_NOT_FOUND", "Could not get some " + singular(type)
                        + " objects, they may be deleted or not exist. Check that ids are valid.", missing));
        return new Batch(results, errors);
    }

    // ---------------------------------------------------------------------------------------------------- writes

    /**
     * Creates an object. {@code associations} are (typeId, toId) pairs of HUBSPOT_DEFINED types.
     *
     * @throws ApiException 400 on invalid properties or associations, 409 on a duplicate contact email
     */
    public synchronized SimObject create(String type, Map<String, String> properties, List<long[]> associations,
            String sourceType, long now) {
        validate(type, properties, true);
        String email = "contacts".equals(type) ? lower(properties.get("email")) : null;
        if (email != null && emailIndex.containsKey(email)) {
            throw HubSpotErrors.error(409, "CONFLICT", "Contact already exists. Existing ID: " + emailIndex.get(email));
        }
        List<String[]> targets = new ArrayList<>();
        for (long[] a : associations) {
            String toType = associationTarget(type, (int) a[0]);
            if (toType == null || !objects.get(toType).containsKey(a[1])) {
                throw HubSpotErrors.validation("One or more associations are invalid: type " + a[0] + " to "
                        + a[1]);
            }
            targets.add(new String[] {toType, Long.toString(a[1])});
        }
        String counter = ENGAGEMENTS.contains(type) ? "engagements" : type;
        long id = counters.merge(counter, 1L, Long::sum);
        SimObject o = new SimObject(type, id);
        o.createdAt = now;
        String created = iso(now);
        o.props.put(createdProperty(type), created);
        o.props.put("hs_object_id", Long.toString(id));
        apply(o, properties, sourceType, now);
        objects.get(type).put(id, o);
        if (email != null) {
            emailIndex.put(email, id);
        }
        for (String[] t : targets) {
            associate(type, o.id(), t[0], t[1]);
        }
        return o;
    }

    /**
     * Sets properties of an existing object.
     *
     * @return the properties whose value changed (new values)
     */
    public synchronized Map<String, String> update(String type, String id, Map<String, String> properties,
            String sourceType, long now) {
        SimObject o = find(type, id);
        if (o == null) {
            throw HubSpotErrors.notFound("resource not found");
        }
        validate(type, properties, false);
        String email = "contacts".equals(type) ? lower(properties.get("email")) : null;
        if (email != null && emailIndex.containsKey(email) && emailIndex.get(email) != o.id) {
            throw HubSpotErrors.error(409, "CONFLICT", "Contact already exists. Existing ID: " + emailIndex.get(email));
        }
        String oldEmail = lower(o.props.get("email"));
        Map<String, String> changed = apply(o, properties, sourceType, now);
        if (email != null) {
            if (oldEmail != null) {
                emailIndex.remove(oldEmail);
            }
            emailIndex.put(email, o.id);
        }
        return changed;
    }

    /** Batch update: invalid or missing records become 207 errors, the others are written. */
    public synchronized Batch batchUpdate(String type, List<Input> inputs, String sourceType, long now,
            List<Written> written) {
        limit(inputs.size(), BATCH_LIMIT);
        List<Map<String, Object>> results = new ArrayList<>();
        List<Map<String, Object>> errors = new ArrayList<>();
        for (Input in : inputs) {
            try {
                if (in.id() == null || find(type, in.id()) == null) {
                    throw HubSpotErrors.notFound("Object " + in.id() + " does not exist");
                }
                Map<String, String> changed = update(type, in.id(), in.properties(), sourceType, now);
                SimObject o = find(type, in.id());
                written.add(new Written(o, changed));
                results.add(render(o, new ArrayList<>(in.properties().keySet()), List.of()));
            } catch (ApiException e) {
                errors.add(toBatchError(e, in.id()));
            }
        }
        return new Batch(results, errors);
    }

    /** Batch upsert by a unique property (contacts: email): creates or updates each record; {@code new} says which. */
    public synchronized Batch batchUpsert(String type, List<Input> inputs, String sourceType, long now,
            List<SimObject> created, List<Written> updated) {
        limit(inputs.size(), BATCH_LIMIT);
        List<Map<String, Object>> results = new ArrayList<>();
        List<Map<String, Object>> errors = new ArrayList<>();
        for (Input in : inputs) {
            if (!"contacts".equals(type) || !"email".equals(in.idProperty())) {
                if (!"hs_object_id".equals(in.idProperty())) {
                    throw HubSpotErrors.validation("idProperty " + in.idProperty() + " is not a unique property of "
                            + type);
                }
            }
            try {
                if (in.id() == null || in.id().isBlank()) {
                    throw HubSpotErrors.validation("Upsert input without an id");
                }
                SimObject existing = "email".equals(in.idProperty()) ? findByEmail(in.id()) : find(type, in.id());
                SimObject o;
                boolean isNew = existing == null;
                if (isNew) {
                    if ("hs_object_id".equals(in.idProperty())) {
                        throw HubSpotErrors.notFound("Object " + in.id() + " does not exist");
                    }
                    Map<String, String> props = new LinkedHashMap<>(in.properties());
                    props.put("email", in.id());
                    o = create(type, props, List.of(), sourceType, now);
                    created.add(o);
                } else {
                    Map<String, String> changed = update(type, existing.id(), in.properties(), sourceType, now);
                    o = existing;
                    updated.add(new Written(o, changed));
                }
                Map<String, Object> r = render(o, new ArrayList<>(in.properties().keySet()), List.of());
                r.put("new", isNew);
                results.add(r);
            } catch (ApiException e) {
                errors.add(toBatchError(e, in.id()));
            }
        }
        return new Batch(results, errors);
    }

    // ---------------------------------------------------------------------------------------------------- search

    /** CRM search: filters, one sort, paging by offset, at most 200 per page and 10,000 results per query. */
    public synchronized SearchPage search(String type, Search s) {
        if (s.limit() > SEARCH_PAGE_LIMIT || s.limit() < 0) {
            throw HubSpotErrors.validation("limit must be between 0 and " + SEARCH_PAGE_LIMIT + ", was " + s.limit());
        }
        if (s.after() + Math.max(1, s.limit()) > SEARCH_RESULT_CAP || s.after() < 0) {
            throw HubSpotErrors.validation("Search results are limited to " + SEARCH_RESULT_CAP
                    + " records in total; after=" + s.after() + " pages beyond that. Narrow the query instead.");
        }
        int total = 0;
        if (s.filterGroups().size() > 5) {
            throw HubSpotErrors.validation("At most 5 filterGroups are allowed");
        }
        for (List<Filter> g : s.filterGroups()) {
            if (g.size() > 10) {
                throw HubSpotErrors.validation("At most 10 filters per filterGroup are allowed");
            }
            total += g.size();
        }
        if (total > 25) {
            throw HubSpotErrors.validation("At most 25 filters in total are allowed");
        }
        List<Predicate<SimObject>> groups = new ArrayList<>();
        for (List<Filter> g : s.filterGroups()) {
            List<Predicate<SimObject>> all = g.stream().map(HubSpotStore::predicate).toList();
            groups.add(o -> all.stream().allMatch(p -> p.test(o)));
        }
        List<SimObject> matching = objects.get(type).values().stream()
                .filter(o -> groups.isEmpty() || groups.stream().anyMatch(p -> p.test(o)))
                .sorted(order(s.sortProperty(), s.descending())).toList();
        int from = Math.min(s.after(), matching.size());
        int to = Math.min(matching.size(), from + s.limit());
        List<Map<String, Object>> results = new ArrayList<>();
        List<String> props = s.properties().isEmpty() ? List.of() : s.properties();
        for (SimObject o : matching.subList(from, to)) {
            results.add(render(o, props, List.of()));
        }
        String next = to < matching.size() ? Integer.toString(to) : null;
        return new SearchPage(matching.size(), results, next);
    }

    private static Comparator<SimObject> order(String property, boolean descending) {
        Comparator<SimObject> byId = Comparator.comparingLong(o -> o.id);
        if (property == null || "hs_object_id".equals(property)) {
            return descending ? byId.reversed() : byId;
        }
        Comparator<SimObject> byValue = (a, b) -> compareValues(a.props.get(property), b.props.get(property));
        return (descending ? byValue.reversed() : byValue).thenComparing(byId);
    }

    private static Predicate<SimObject> predicate(Filter f) {
        String op = f.operator() == null ? "EQ" : f.operator().toUpperCase(Locale.ROOT);
        String name = f.propertyName();
        if (name == null) {
            throw HubSpotErrors.validation("A filter needs a propertyName");
        }
        return switch (op) {
            case "EQ" -> o -> compareValues(value(o, name), f.value()) == 0 && value(o, name) != null;
            case "NEQ" -> o -> value(o, name) == null || compareValues(value(o, name), f.value()) != 0;
            case "LT" -> o -> value(o, name) != null && compareValues(value(o, name), f.value()) < 0;
            case "LTE" -> o -> value(o, name) != null && compareValues(value(o, name), f.value()) <= 0;
            case "GT" -> o -> value(o, name) != null && compareValues(value(o, name), f.value()) > 0;
            case "GTE" -> o -> value(o, name) != null && compareValues(value(o, name), f.value()) >= 0;
            case "BETWEEN" -> o -> value(o, name) != null && compareValues(value(o, name), f.value()) >= 0
                    && compareValues(value(o, name), f.highValue()) <= 0;
            case "IN" -> o -> f.values() != null && f.values().stream()
                    .anyMatch(v -> compareValues(value(o, name), v) == 0 && value(o, name) != null);
            case "NOT_IN" -> o -> f.values() == null || f.values().stream()
                    .noneMatch(v -> compareValues(value(o, name), v) == 0);
            case "HAS_PROPERTY" -> o -> value(o, name) != null && !value(o, name).isEmpty();
            case "NOT_HAS_PROPERTY" -> o -> value(o, name) == null || value(o, name).isEmpty();
            case "CONTAINS_TOKEN" -> o -> value(o, name) != null && f.value() != null
                    && value(o, name).toLowerCase(Locale.ROOT).contains(f.value().replace("*", "")
                            .toLowerCase(Locale.ROOT));
            default -> throw HubSpotErrors.validation("Unknown filter operator " + f.operator());
        };
    }

    private static String value(SimObject o, String property) {
        return "hs_object_id".equals(property) ? Long.toString(o.id) : o.props.get(property);
    }

    /** Numbers and dates (ISO or epoch ms) compare as numbers, anything else as case-insensitive text. */
    static int compareValues(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        Double x = number(a);
        Double y = number(b);
        if (x != null && y != null) {
            return Double.compare(x, y);
        }
        return a.compareToIgnoreCase(b);
    }

    private static Double number(String v) {
        try {
            return Double.valueOf(v);
        } catch (NumberFormatException e) {
            Long ms = epochMillis(v);
            return ms == null ? null : ms.doubleValue();
        }
    }

    // ---------------------------------------------------------------------------------------------------- associations

    public synchronized void associate(String fromType, String fromId, String toType, String toId) {
        associations.computeIfAbsent(fromType + ">" + toType + ":" + fromId, k -> new TreeSet<>())
                .add(Long.parseLong(toId));
        associations.computeIfAbsent(toType + ">" + fromType + ":" + toId, k -> new TreeSet<>())
                .add(Long.parseLong(fromId));
    }

    public synchronized List<String> associated(String fromType, String fromId, String toType) {
        return associations.getOrDefault(fromType + ">" + toType + ":" + fromId, Set.of()).stream()
                .map(String::valueOf).toList();
    }

    /** Associations v4 batch read: ids with associations in results, the others as 207 errors. */
    public synchronized Batch associationsBatch(String fromType, String toType, List<String> ids) {
        limit(ids.size(), ASSOCIATION_BATCH_LIMIT);
        Integer typeId = ASSOCIATION_TYPES.get(fromType + ">" + toType);
        List<Map<String, Object>> results = new ArrayList<>();
        List<String> none = new ArrayList<>();
        for (String id : new LinkedHashSet<>(ids)) {
            Set<Long> to = associations.getOrDefault(fromType + ">" + toType + ":" + id, Set.of());
            if (to.isEmpty()) {
                none.add(id);
                continue;
            }
            List<Map<String, Object>> targets = new ArrayList<>();
            for (Long t : to) {
                Map<String, Object> type = new LinkedHashMap<>();
                type.put("category", "HUBSPOT_DEFINED");
                type.put("typeId", typeId);
                type.put("label", null);
                targets.add(Map.of("toObjectId", t, "associationTypes", List.of(type)));
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("from", Map.of("id", id));
            r.put("to", targets);
            results.add(r);
        }
        List<Map<String, Object>> errors = new ArrayList<>();
        if (!none.isEmpty()) {
            Map<String, Object> e = HubSpotErrors.batchError("OBJECT_NOT_FOUND", "No " + singular(toType)
                    + " is associated with " + singular(fromType) + " " + String.join(", ", none), none);
            e.put("subCategory", "crm.associations.NO_ASSOCIATIONS_FOUND");
            errors.add(e);
        }
        return new Batch(results, errors);
    }

    static String associationTarget(String fromType, int typeId) {
        return ASSOCIATION_TYPES.entrySet().stream()
                .filter(e -> e.getValue() == typeId && e.getKey().startsWith(fromType + ">"))
                .map(e -> e.getKey().substring(e.getKey().indexOf('>') + 1)).findFirst().orElse(null);
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    public synchronized Map<String, Object> render(SimObject o, List<String> properties, List<String> withHistory) {
        List<String> wanted = properties == null || properties.isEmpty()
                ? DEFAULT_PROPERTIES.getOrDefault(o.type, List.of(createdProperty(o.type),
                        modifiedProperty(o.type), "hs_object_id"))
                : properties;
        Map<String, Object> props = new TreeMap<>();
        Set<String> known = schema.get(o.type);
        for (String p : wanted) {
            if (known.contains(p)) {
                props.put(p, value(o, p));
            }
        }
        // HubSpot always returns these three, whatever was asked
        props.put("hs_object_id", o.id());
        props.put(createdProperty(o.type), o.props.get(createdProperty(o.type)));
        props.put(modifiedProperty(o.type), o.props.get(modifiedProperty(o.type)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", o.id());
        out.put("properties", props);
        if (withHistory != null && !withHistory.isEmpty()) {
            Map<String, Object> history = new TreeMap<>();
            for (String p : withHistory) {
                List<Map<String, Object>> versions = new ArrayList<>();
                for (History h : o.history.getOrDefault(p, List.of())) {
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("value", h.value());
                    v.put("timestamp", iso(h.timestamp()));
                    v.put("sourceType", h.sourceType());
                    versions.add(v);
                }
                if (known.contains(p)) {
                    history.put(p, versions);
                }
            }
            out.put("propertiesWithHistory", history);
        }
        out.put("createdAt", iso(o.createdAt));
        out.put("updatedAt", iso(o.updatedAt));
        out.put("archived", false);
        return out;
    }

    /** Validates property names and values the way HubSpot does, all problems in one 400. */
    private void validate(String type, Map<String, String> properties, boolean creating) {
        List<String> problems = new ArrayList<>();
        Set<String> known = schema.get(type);
        for (Map.Entry<String, String> e : properties.entrySet()) {
            String name = e.getKey();
            String v = e.getValue();
            if (!known.contains(name)) {
                problems.add(problem("Property \\\"" + name + "\\\" does not exist", "PROPERTY_DOESNT_EXIST", name));
            } else if (READ_ONLY.contains(name)) {
                problems.add(problem(name + " is a read only property; its value cannot be set.", "READ_ONLY_VALUE",
                        name));
            } else if (v == null || v.isEmpty()) {
                continue; // clearing a value is allowed
            } else if (ENUMS.containsKey(name) && !ENUMS.get(name).contains(v)) {
                problems.add(problem(v + " was not one of the allowed options: " + new TreeSet<>(ENUMS.get(name)),
                        "INVALID_OPTION", name));
            } else if ("hubspot_owner_id".equals(name) && !owners.containsKey(v)) {
                problems.add(problem(v + " is not a valid owner id", "INVALID_OWNER_ID", name));
            } else if (NUMBERS.contains(name) && number(v) == null) {
                problems.add(problem(v + " was not a valid number", "INVALID_INTEGER", name));
            } else if (DATES.contains(name) && epochMillis(v) == null) {
                problems.add(problem(v + " was not a valid long or date", "INVALID_DATE", name));
            } else if ("email".equals(name) && !v.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
                problems.add(problem("Email address " + v + " is invalid", "INVALID_EMAIL", name));
            }
        }
        if (!problems.isEmpty()) {
            throw HubSpotErrors.validation("Property values were not valid: [" + String.join(",", problems) + "]");
        }
    }

    private static String problem(String message, String error, String name) {
        return "{\"isValid\":false,\"message\":\"" + message + "\",\"error\":\"" + error + "\",\"name\":\"" + name
                + "\"}";
    }

    private Map<String, String> apply(SimObject o, Map<String, String> properties, String sourceType, long now) {
        Map<String, String> changed = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : properties.entrySet()) {
            String v = e.getValue() == null || e.getValue().isEmpty() ? null
                    : DATES.contains(e.getKey()) ? iso(epochMillis(e.getValue())) : e.getValue();
            String old = v == null ? o.props.remove(e.getKey()) : o.props.put(e.getKey(), v);
            if (!java.util.Objects.equals(old, v)) {
                changed.put(e.getKey(), v);
                o.history.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(0,
                        new History(v, now, sourceType));
            }
        }
        if ("contacts".equals(o.type) && changed.containsKey("email") && changed.get("email") != null) {
            String email = changed.get("email");
            o.props.put("hs_email_domain", email.substring(email.indexOf('@') + 1).toLowerCase(Locale.ROOT));
        }
        if ("deals".equals(o.type) && changed.containsKey("dealstage")) {
            String stage = o.props.get("dealstage");
            o.props.put("hs_is_closed", Boolean.toString("closedwon".equals(stage) || "closedlost".equals(stage)));
            o.props.put("hs_is_closed_won", Boolean.toString("closedwon".equals(stage)));
        }
        o.updatedAt = now;
        o.props.put(modifiedProperty(o.type), iso(now));
        return changed;
    }

    private static Map<String, Object> toBatchError(ApiException e, String id) {
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) e.body();
        return HubSpotErrors.batchError(String.valueOf(body.get("category")), String.valueOf(body.get("message")),
                List.of(String.valueOf(id)));
    }

    private static void limit(int size, int max) {
        if (size > max) {
            throw HubSpotErrors.validation("Too many inputs: " + size + ". The maximum is " + max + ".");
        }
    }

    static String singular(String type) {
        return switch (type) {
            case "companies" -> "COMPANY";
            default -> type.substring(0, type.length() - 1).toUpperCase(Locale.ROOT);
        };
    }

    private static Long parseId(String id) {
        try {
            return id == null ? null : Long.valueOf(id.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String lower(String v) {
        return v == null || v.isBlank() ? null : v.trim().toLowerCase(Locale.ROOT);
    }

    /** HubSpot writes datetimes as ISO-8601 with milliseconds. */
    public static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString().replaceFirst("(\\d\\d:\\d\\d:\\d\\d)Z$", "$1.000Z");
    }

    /** Epoch ms from epoch ms, an ISO instant, or a date (midnight UTC); null when none of these. */
    public static Long epochMillis(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            try {
                return Instant.parse(v.trim()).toEpochMilli();
            } catch (DateTimeParseException notInstant) {
                try {
                    return LocalDate.parse(v.trim()).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
                } catch (DateTimeParseException notDate) {
                    return null;
                }
            }
        }
    }
}

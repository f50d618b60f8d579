package com.revops.gateway.normalise;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.gateway.config.GatewayConfig;
import com.revops.gateway.crm.SalesforceClientProducer;
import com.revops.gateway.crm.hubspot.HubSpotClient;
import com.revops.gateway.crm.hubspot.HubSpotModels.BatchResult;
import com.revops.gateway.crm.hubspot.HubSpotModels.CrmObject;
import com.revops.platform.events.EventEnvelope;
import com.revops.platform.events.Exchanges;
import com.revops.platform.outbox.Outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Turns stored webhook events into canonical events: people (lead events), deals, activities
 * ({@code activity.logged}) and touchpoints ({@code touchpoint.recorded}). Webhooks carry ids, not records, so the
 * normaliser claims a batch of pending events, reads the records they name in batches from the CRM (outside any
 * database transaction), and then, in one transaction: compares each record with its last known state, derives the
 * canonical events, writes them to the outbox, stores the new state and marks the webhook events done.
 *
 * <p>Claims are leases ({@code FOR UPDATE SKIP LOCKED}, then a lease time), so several replicas share the work and
 * a replica that dies mid-round only delays its batch. A CRM that fails (429 beyond the retries, 5xx, time-outs)
 * sends the batch back with a growing delay; nothing is lost and, since events come from comparing states, nothing
 * is published twice.
 */
@ApplicationScoped
public class Normaliser {

    /** Subscription types handled today; others stay PENDING (kept, not lost) until their normaliser exists. */
    static final Set<String> HANDLED = Set.of("contact.creation", "contact.propertyChange", "contact.restore",
            "contact.deletion", "contact.privacyDeletion", "contact.merge", "outbound.Lead",
            "deal.creation", "deal.propertyChange", "deal.deletion", "deal.associationChange", "sync.contact",
            "object.creation", "object.propertyChange", "object.deletion", "object.restore",
            "outbound.Task", "outbound.Event", "outbound.CampaignMember", "outbound.Contact", "outbound.Account",
            "outbound.Opportunity", "sync.company", "sync.deal", "sync.call", "sync.email", "sync.meeting",
            "sync.task", "sync.Lead", "sync.Contact", "sync.Account", "sync.Opportunity", "sync.Task", "sync.Event",
            "sync.CampaignMember", "cdc.Lead", "cdc.Contact", "cdc.Lead.deletion", "cdc.Contact.deletion",
            "sync.Lead.deletion", "sync.Contact.deletion");

    /**
     * Change Data Capture changes carry only what changed: the normaliser reads the whole record from Salesforce's API
     * first, so without it they wait, kept. Deletions need no read.
     */
    static final Set<String> CDC_ENRICHED = Set.of("cdc.Lead", "cdc.Contact");

    /** Campaign members need the campaign's name and type from Salesforce's API: without it they wait, kept. */
    static final Set<String> CAMPAIGN_MEMBER = Set.of("outbound.CampaignMember", "sync.CampaignMember");

    private static final java.util.regex.Pattern SALESFORCE_ID = java.util.regex.Pattern.compile(
            "[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?");

    static final Set<String> FREE_MAIL = Set.of("gmail.com", "googlemail.com", "yahoo.com", "hotmail.com",
            "outlook.com", "live.com", "msn.com", "icloud.com", "me.com", "aol.com", "gmx.de", "gmx.net", "web.de",
            "proton.me", "protonmail.com", "mail.ru", "yandex.ru", "qq.com", "163.com", "t-online.de");

    private static final String CLAIM = """
            UPDATE webhook_event SET lease_until = now() + interval '2 minutes', attempts = attempts + 1
             WHERE id IN (SELECT id FROM webhook_event
                           WHERE status = 'PENDING' AND crm = ANY($3) AND subscription_type = ANY($2)
                             AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
                           ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
            RETURNING id, crm, subscription_type, object_type, object_id, occurred_at, payload::text AS payload,
                      attempts""";

    private final Pool pool;
    private final HubSpotClient hubspot;
    private final Outbox outbox;
    private final GatewayConfig config;
    private final ObjectMapper mapper;
    private final FieldMapping hubspotMapping;
    private final FieldMapping salesforceMapping;
    private final MeterRegistry registry;
    private final SalesforceClientProducer.Connection salesforce;
    private final OwnerRoles ownerRoles;
    private final Map<String, String> callOutcomes;
    private final com.revops.gateway.wakeup.Coalescer rounds = new com.revops.gateway.wakeup.Coalescer();
    private final com.revops.gateway.crm.hubspot.BudgetPacer pacer;
    /** HubSpot owner id -> team ids, with the time it was read; only kept when roles are given by team. */
    private volatile OwnerTeams ownerTeams = new OwnerTeams(Map.of(), Instant.EPOCH);

    public Normaliser(Pool pool, HubSpotClient hubspot, Outbox outbox, GatewayConfig config, ObjectMapper mapper,
            MeterRegistry registry, SalesforceClientProducer.Connection salesforce) {
        this.pool = pool;
        this.pacer = new com.revops.gateway.crm.hubspot.BudgetPacer(config.normaliser().hubspotShare());
        this.salesforce = salesforce;
        this.ownerRoles = OwnerRoles.parse(config.touchpoints().ownerRoles(), config.touchpoints().hubspotTeamRoles());
        this.callOutcomes = ActivityDeriver.dispositions(config.hubspot().callOutcomes());
        this.hubspot = hubspot;
        this.outbox = outbox;
        this.config = config;
        this.mapper = mapper;
        this.registry = registry;
        this.hubspotMapping = config.mapping().of("hubspot");
        this.salesforceMapping = config.mapping().of("salesforce");
    }

    @Scheduled(every = "${gateway.normaliser.poll-interval:1s}", identity = "normaliser",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        wakeUp();
    }

    /**
     * Drains the due events now, unless a drain is running: then that drain goes round once more when it ends. Called
     * by the poll and by the LISTEN/NOTIFY wake-up of committed webhook events.
     */
    public void wakeUp() {
        if (rounds.request()) {
            drainCoalesced();
        }
    }

    private void drainCoalesced() {
        drain().subscribe().with(n -> {
            if (rounds.finished()) {
                drainCoalesced();
            }
        }, e -> {
            Log.warnf("normaliser round failed: %s", e.getMessage());
            rounds.release(); // the next poll tries again; no hot loop against a failing database
        });
    }

    /** Rounds until the queue of due events is empty; answers how many webhook events were handled. */
    public Uni<Integer> drain() {
        return runOnce().chain(n -> n >= config.normaliser().batchSize() ? drain().map(m -> n + m)
                : Uni.createFrom().item(n));
    }

    /**
     * One round. With HubSpot connected, the round first waits for its turn on HubSpot's budget
     * ({@link com.revops.gateway.crm.hubspot.BudgetPacer}, {@code gateway.normaliser.hubspot-share} of it) and claims
     * after the wait, so the events that arrived meanwhile join its one batch read.
     */
    public Uni<Integer> runOnce() {
        return (config.hubspot().connected() ? hubspot.awaitTurn(pacer) : Uni.createFrom().voidItem())
                .chain(this::claimAndProcess);
    }

    private Uni<Integer> claimAndProcess() {
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.of(config.normaliser().batchSize(), handledTypes(), connectedCrms()))
                .chain(rows -> {
                    List<Claimed> claimed = new ArrayList<>();
                    for (Row r : rows) {
                        claimed.add(new Claimed(r.getUUID("id"), r.getString("crm"), r.getString("subscription_type"),
                                r.getString("object_type"), r.getString("object_id"),
                                r.getOffsetDateTime("occurred_at"), r.getString("payload"), r.getInteger("attempts")));
                    }
                    if (claimed.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    hubspot.roundStarted(pacer); // an empty round spends no call, and so no turn
                    return process(claimed).replaceWith(claimed.size());
                });
    }

    /**
     * HubSpot events need the API to be enriched: without credentials they wait (stored, PENDING) instead of
     * calling an unconfigured CRM. Salesforce outbound messages carry their record and need no call.
     */
    private String[] handledTypes() {
        return HANDLED.stream().filter(t -> salesforce.connected()
                || !CAMPAIGN_MEMBER.contains(t) && !CDC_ENRICHED.contains(t))
                .toArray(String[]::new);
    }

    private String[] connectedCrms() {
        return config.hubspot().connected() ? new String[] {"hubspot", "salesforce"} : new String[] {"salesforce"};
    }

    private Uni<Void> process(List<Claimed> received) {
        return enrichChanges(received).chain(this::processEnriched)
                .onFailure().recoverWithUni(e -> retryLater(received, e));
    }

    /**
     * Change Data Capture events with the whole record read from Salesforce (one SOQL query per sObject of the round),
     * in place of the changed fields they carry, so the rest of the round treats them like outbound messages. A record
     * the query no longer finds was deleted since its change: the event counts as a deletion (announced once; the
     * DELETE event that follows finds it deleted already).
     */
    private Uni<List<Claimed>> enrichChanges(List<Claimed> claimed) {
        Map<String, List<String>> idsByType = new LinkedHashMap<>();
        for (Claimed c : claimed) {
            if (CDC_ENRICHED.contains(c.type) && c.objectId != null && SALESFORCE_ID.matcher(c.objectId).matches()) {
                idsByType.computeIfAbsent(c.objectType, k -> new ArrayList<>()).add(c.objectId);
            }
        }
        if (idsByType.isEmpty() || !salesforce.connected()) {
            return Uni.createFrom().item(claimed);
        }
        return Uni.createFrom().item(() -> {
            Map<String, Map<String, Object>> found = new HashMap<>();
            idsByType.forEach((type, ids) -> {
                com.revops.gateway.sync.SalesforceSync.SyncObject o = com.revops.gateway.sync.SalesforceSync
                        .bySobject(type, salesforceMapping.crmFields());
                String soql = "SELECT " + String.join(", ", o.fields()) + " FROM " + type + " WHERE Id IN ('"
                        + String.join("','", ids.stream().distinct().toList()) + "')";
                for (Map<String, Object> row : salesforce.client().query(soql)) {
                    found.put(type + "|" + id15(String.valueOf(row.get("Id"))),
                            com.revops.gateway.sync.SalesforceSync.fields(row));
                }
            });
            List<Claimed> out = new ArrayList<>();
            for (Claimed c : claimed) {
                if (!CDC_ENRICHED.contains(c.type) || c.objectId == null || !SALESFORCE_ID.matcher(c.objectId)
                        .matches()) {
                    out.add(c);
                    continue;
                }
                Map<String, Object> record = found.get(c.objectType + "|" + id15(c.objectId));
                if (record == null) {
                    out.add(new Claimed(c.id, c.crm, c.type + ".deletion", c.objectType, c.objectId, c.occurredAt,
                            c.payload, c.attempts));
                    continue;
                }
                com.fasterxml.jackson.databind.node.ObjectNode p = (com.fasterxml.jackson.databind.node.ObjectNode)
                        parse(c.payload);
                p.set("fields", mapper.valueToTree(record));
                out.add(new Claimed(c.id, c.crm, c.type, c.objectType, c.objectId, c.occurredAt, p.toString(),
                        c.attempts));
            }
            return out;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private Uni<Void> processEnriched(List<Claimed> claimed) {
        List<Claimed> hubspotReads = claimed.stream().filter(c -> "hubspot".equals(c.crm)
                && !c.type.endsWith(".deletion") && !c.type.endsWith(".privacyDeletion") && !c.type.endsWith(".merge")
                && !c.type.startsWith("sync."))
                .toList();
        // contacts whose only news is our own property writes coming back need no read (see echoedValues)
        Map<String, List<Claimed>> contactEvents = new HashMap<>();
        hubspotReads.stream().filter(c -> "contact".equals(c.objectType))
                .forEach(c -> contactEvents.computeIfAbsent(c.objectId, k -> new ArrayList<>()).add(c));
        List<String> ids = contactEvents.entrySet().stream().filter(e -> !echoedPropertiesOnly(e.getValue()))
                .map(Map.Entry::getKey).toList();
        List<Claimed> activityReads = hubspotReads.stream()
                .filter(c -> ActivityDeriver.HUBSPOT_OBJECTS.containsKey(c.objectType)).toList();
        List<String> dealIds = hubspotReads.stream().filter(c -> "deal".equals(c.objectType)).map(c -> c.objectId)
                .distinct().toList();
        // read once: both the contact read (for the activities' people) and the transaction use the result
        List<Claimed> synced = claimed.stream().filter(c -> "hubspot".equals(c.crm) && c.type.startsWith("sync."))
                .toList();
        boolean syncedActivities = synced.stream().anyMatch(c -> ActivityDeriver.HUBSPOT_OBJECTS.containsKey(
                c.objectType));
        Uni<Activities> activities = ownerTeams(!activityReads.isEmpty() || syncedActivities)
                .chain(() -> readActivities(activityReads)).map(acts -> withSynced(acts, synced))
                .memoize().indefinitely();
        // the contacts named by webhooks, and the people of this round's activities (for their email)
        Uni<Map<String, CrmObject>> records = activities.chain(acts -> {
            List<String> all = java.util.stream.Stream.concat(ids.stream(), acts.person().values().stream())
                    .distinct().toList();
            return all.isEmpty() ? Uni.createFrom().item(Map.<String, CrmObject>of())
                    : hubspot.batchRead("contacts", all, contactProperties()).map(Normaliser::byId);
        });
        Uni<Map<String, Map<String, Object>>> campaigns = readCampaigns(claimed);
        Uni<Deals> deals = (dealIds.isEmpty() ? Uni.createFrom().item(new Deals(Map.of(), Map.of(), Map.of()))
                : hubspot.batchRead("deals", dealIds, List.copyOf(DealEventDeriver.HUBSPOT_FIELDS.values()))
                        .map(Normaliser::byId)
                        .chain(found -> hubspot.associations("deals", "contacts", dealIds)
                                .chain(contacts -> hubspot.associations("deals", "companies", dealIds)
                                        .map(companies -> new Deals(found, contacts, companies)))))
                .map(d -> withSynced(d, synced));
        return records
                .chain(read -> deals.chain(d -> activities.chain(acts -> campaigns.chain(camps -> pool
                        .withTransaction(conn -> apply(conn, claimed, new Reads(read, d, acts, camps)))))))
                .invoke(() -> registry.counter("normaliser.webhook_events", "outcome", "done")
                        .increment(claimed.size()))
                .onFailure().recoverWithUni(e -> retryLater(claimed, e));
    }

    /**
     * Engagements a sync run stored with their record and contacts: added to the round's reads unless a webhook of
     * the same round had them read fresh.
     */
    private Activities withSynced(Activities acts, List<Claimed> synced) {
        for (Claimed c : synced) {
            if (!ActivityDeriver.HUBSPOT_OBJECTS.containsKey(c.objectType)) {
                continue;
            }
            String key = c.objectType + "|" + c.objectId;
            if (acts.found().putIfAbsent(key, syncedObject(c)) == null) {
                syncedAssociations(c, "contacts").stream().min(Normaliser::byNumericId)
                        .ifPresent(p -> acts.person().put(key, p));
            }
        }
        return acts;
    }

    /** Deals a sync run stored with their record, contacts and companies (a fresh read of the round wins). */
    private Deals withSynced(Deals deals, List<Claimed> synced) {
        List<Claimed> syncedDeals = synced.stream().filter(c -> "deal".equals(c.objectType)).toList();
        if (syncedDeals.isEmpty()) {
            return deals;
        }
        Deals out = new Deals(new HashMap<>(deals.found()), new HashMap<>(deals.contacts()),
                new HashMap<>(deals.companies()));
        for (Claimed c : syncedDeals) {
            if (out.found().putIfAbsent(c.objectId, syncedObject(c)) == null) {
                out.contacts().put(c.objectId, syncedAssociations(c, "contacts"));
                out.companies().put(c.objectId, syncedAssociations(c, "companies"));
            }
        }
        return out;
    }

    private CrmObject syncedObject(Claimed c) {
        JsonNode p = parse(c.payload);
        Map<String, String> props = new HashMap<>();
        p.path("properties").fields().forEachRemaining(f -> props.put(f.getKey(),
                f.getValue().isNull() ? null : f.getValue().asText()));
        return new CrmObject(c.objectId, props, p.path("createdAt").asText(null), p.path("updatedAt").asText(null),
                false);
    }

    private List<String> syncedAssociations(Claimed c, String to) {
        List<String> ids = new ArrayList<>();
        parse(c.payload).path("associations").path(to).forEach(id -> ids.add(id.asText()));
        return ids;
    }

    private List<String> contactProperties() {
        List<String> props = new ArrayList<>(hubspotMapping.crmFields());
        TouchpointDeriver.HUBSPOT_CONVERSION_PROPERTIES.stream().filter(p -> !props.contains(p)).forEach(props::add);
        return props;
    }

    /**
     * Engagements named by this round's webhooks, read per type in batches, with their associated contacts. The
     * activity's person is its associated contact with the lowest id (a meeting may have several attendees).
     */
    private Uni<Activities> readActivities(List<Claimed> reads) {
        Map<String, List<String>> byType = new LinkedHashMap<>();
        reads.stream().filter(c -> !c.type.endsWith(".deletion"))
                .forEach(c -> byType.computeIfAbsent(c.objectType, k -> new ArrayList<>()).add(c.objectId));
        Activities acc = new Activities(new HashMap<>(), new HashMap<>());
        Uni<Activities> chain = Uni.createFrom().item(acc);
        for (Map.Entry<String, List<String>> e : byType.entrySet()) {
            String type = e.getKey();
            String objects = ActivityDeriver.HUBSPOT_OBJECTS.get(type);
            List<String> ids = e.getValue().stream().distinct().toList();
            chain = chain.chain(a -> hubspot.batchRead(objects, ids, ActivityDeriver.hubspotProperties(type))
                    .chain(found -> hubspot.associations(objects, "contacts", ids).map(contacts -> {
                        found.results().forEach(o -> a.found().put(type + "|" + o.id(), o));
                        contacts.forEach((id, to) -> to.stream().min(Normaliser::byNumericId)
                                .ifPresent(p -> a.person().put(type + "|" + id, p)));
                        return a;
                    })));
        }
        return chain;
    }

    /**
     * Refreshes the owners' HubSpot teams when roles are configured by team and the cached list is older than its
     * time to live. A failure fails the round (retried), so a touch is never typed without the role it should have.
     */
    private Uni<Void> ownerTeams(boolean needed) {
        OwnerTeams known = ownerTeams;
        if (!needed || !ownerRoles.usesHubSpotTeams()
                || known.readAt().plus(config.touchpoints().ownerTeamsTtl()).isAfter(Instant.now())) {
            return Uni.createFrom().voidItem();
        }
        return hubspot.owners().invoke(owners -> {
            Map<String, List<String>> teams = new HashMap<>();
            owners.forEach(o -> teams.put(o.id(), List.copyOf(o.teamIds())));
            ownerTeams = new OwnerTeams(Map.copyOf(teams), Instant.now());
        }).replaceWithVoid();
    }

    /** What HubSpot's owners API said about the owners' teams, and when. */
    private record OwnerTeams(Map<String, List<String>> teams, Instant readAt) {
    }

    /** The owner's role by id, or for HubSpot by its teams. */
    private String role(String crm, String ownerId) {
        return ownerRoles.role(crm, ownerId, "hubspot".equals(crm) && ownerId != null
                ? ownerTeams.teams().getOrDefault(ownerId, List.of()) : List.of());
    }

    private static int byNumericId(String a, String b) {
        try {
            return Long.compare(Long.parseLong(a), Long.parseLong(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    /**
     * The campaigns of this round's campaign members (outbound messages carry CampaignId only), by their
     * 15-character id. The OkHttp client blocks, so the query runs on the worker pool.
     */
    private Uni<Map<String, Map<String, Object>>> readCampaigns(List<Claimed> claimed) {
        List<String> ids = claimed.stream().filter(c -> CAMPAIGN_MEMBER.contains(c.type))
                .map(c -> parse(c.payload).path("fields").path("CampaignId").asText(""))
                .filter(id -> SALESFORCE_ID.matcher(id).matches()).distinct().toList();
        if (ids.isEmpty() || !salesforce.connected()) {
            return Uni.createFrom().item(Map.of());
        }
        String soql = "SELECT Id, Name, Type FROM Campaign WHERE Id IN ('" + String.join("','", ids) + "')";
        return Uni.createFrom().item(() -> {
            Map<String, Map<String, Object>> out = new HashMap<>();
            for (Map<String, Object> row : salesforce.client().query(soql)) {
                out.put(id15(String.valueOf(row.get("Id"))), row);
            }
            return out;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    static String id15(String id) {
        return id != null && id.length() == 18 ? id.substring(0, 15) : id;
    }

    private static Map<String, CrmObject> byId(BatchResult result) {
        Map<String, CrmObject> out = new HashMap<>();
        result.results().forEach(o -> out.put(o.id(), o));
        // ids in result.errors() (207: deleted meanwhile) have no record: a deletion event follows from HubSpot
        return out;
    }

    /** Everything of one round that must commit together. */
    private Uni<Void> apply(SqlConnection conn, List<Claimed> claimed, Reads reads) {
        // one state comparison per object, however many webhook events named it in this round
        Map<String, List<Claimed>> byObject = new LinkedHashMap<>();
        for (Claimed c : claimed) {
            byObject.computeIfAbsent(c.crm + "|" + c.objectType + "|" + c.objectId, k -> new ArrayList<>()).add(c);
        }
        // people first: an activity or campaign response of the same round then finds its person's lead id
        List<List<Claimed>> groups = new ArrayList<>(byObject.values());
        groups.sort(java.util.Comparator.comparingInt(g -> rank(g.get(0))));
        List<EventEnvelope> events = new ArrayList<>();
        return Multi.createFrom().iterable(groups)
                .onItem().transformToUniAndConcatenate(group -> switch (rank(group.get(0))) {
                    case -1 -> applyAccount(conn, group);
                    case 1 -> "salesforce".equals(group.get(0).crm) ? applySalesforceDeal(conn, group, events)
                            : applyDeal(conn, group, reads.deals(), events);
                    case 2 -> applyActivity(conn, group, reads, events);
                    case 3 -> applyCampaignMember(conn, group, reads.campaigns(), events);
                    default -> applyObject(conn, group, reads.contacts(), events);
                })
                .collect().last()
                .chain(() -> outbox.enqueueOn(conn, Exchanges.CRM_EVENTS, events))
                .chain(() -> conn.preparedQuery("""
                        UPDATE webhook_event SET status = 'DONE', processed_at = now(), lease_until = NULL,
                               last_error = NULL WHERE id = ANY($1)""")
                        .execute(Tuple.of((Object) claimed.stream().map(c -> c.id).toArray(UUID[]::new))))
                .invoke(() -> events.forEach(e -> registry.counter("normaliser.events", "type", e.type()).increment()))
                .replaceWithVoid();
    }

    /** Order of processing within a round: -1 companies, 0 people, 1 deals, 2 activities, 3 campaign members. */
    private static int rank(Claimed c) {
        if ("company".equals(c.objectType) && "hubspot".equals(c.crm)
                || "Account".equals(c.objectType) && "salesforce".equals(c.crm)) {
            return -1;
        }
        if ("deal".equals(c.objectType) || "Opportunity".equals(c.objectType) && "salesforce".equals(c.crm)) {
            return 1;
        }
        if ("hubspot".equals(c.crm) ? ActivityDeriver.HUBSPOT_OBJECTS.containsKey(c.objectType)
                : ActivityDeriver.SALESFORCE_OBJECTS.contains(c.objectType)) {
            return 2;
        }
        return "CampaignMember".equals(c.objectType) && "salesforce".equals(c.crm) ? 3 : 0;
    }

    private Uni<Void> applyObject(SqlConnection conn, List<Claimed> group, Map<String, CrmObject> read,
            List<EventEnvelope> events) {
        Claimed first = group.get(0);
        String objectType = "hubspot".equals(first.crm) ? "contact" : first.objectType;
        return conn.preparedQuery("""
                SELECT entity_id, snapshot::text AS snapshot, modified_at, deleted FROM crm_object_state
                 WHERE crm = $1 AND object_type = $2 AND object_id = $3 FOR UPDATE""")
                .execute(Tuple.of(first.crm, objectType, first.objectId))
                .chain(rows -> {
                    State state = null;
                    for (Row r : rows) {
                        state = new State(r.getUUID("entity_id"), parseMap(r.getString("snapshot")),
                                r.getOffsetDateTime("modified_at"), r.getBoolean("deleted"));
                    }
                    Claimed merge = group.stream().filter(c -> c.type.endsWith(".merge")).findFirst().orElse(null);
                    if (merge != null) {
                        return merged(conn, merge, state, events);
                    }
                    boolean deletion = group.stream().anyMatch(c -> c.type.endsWith("eletion"));
                    if (deletion) {
                        return deleted(conn, first, objectType, state, events);
                    }
                    if ("hubspot".equals(first.crm) && !read.containsKey(first.objectId)
                            && echoedPropertiesOnly(group)) {
                        return echoed(conn, first, objectType, state, group);
                    }
                    Current current = current(first, group, read);
                    if (current == null) {
                        return Uni.createFrom().voidItem();
                    }
                    return changed(conn, first, group, objectType, state, current, echoOnly(group), events);
                });
    }

    /** HubSpot deal events: the deal read with the round (or stored by a sync run) against its last known state. */
    private Uni<Void> applyDeal(SqlConnection conn, List<Claimed> group, Deals deals, List<EventEnvelope> events) {
        Claimed first = group.get(0);
        boolean deletion = group.stream().anyMatch(c -> c.type.endsWith("deletion"));
        CrmObject deal = deals.found().get(first.objectId);
        if (deletion || deal == null) {
            return dealState(conn, "hubspot", "deal", first.objectId, null, null, List.of(), events);
        }
        Instant modified = instant(deal.property("hs_lastmodifieddate"), deal.updatedAt());
        Map<String, String> after = new LinkedHashMap<>();
        DealEventDeriver.HUBSPOT_FIELDS.forEach((field, property) -> after.put(field,
                blankToNull(deal.property(property))));
        after.put("contacts", joinSorted(deals.contacts().get(first.objectId)));
        after.put("companies", joinSorted(deals.companies().get(first.objectId)));
        return dealState(conn, "hubspot", "deal", first.objectId, after, modified,
                deals.contacts().getOrDefault(first.objectId, List.of()), events);
    }

    /**
     * Salesforce Opportunities (outbound message or sync record; the latest of the round carries the freshest
     * fields): contacts from {@code ContactId}, company from {@code AccountId}.
     */
    private Uni<Void> applySalesforceDeal(SqlConnection conn, List<Claimed> group, List<EventEnvelope> events) {
        Claimed first = group.get(0);
        Map<String, String> f = fields(group.get(group.size() - 1));
        Map<String, String> after = DealEventDeriver.fromSalesforce(f);
        after.computeIfPresent("createdAt", (k, v) -> {
            Instant at = instant(v, null);
            return at == null ? v : at.toString();
        });
        String contact = blankToNull(f.get("ContactId"));
        return dealState(conn, "salesforce", "Opportunity", first.objectId, after,
                instant(f.get("LastModifiedDate"), f.get("SystemModstamp")),
                contact == null ? List.of() : List.of(contact), events);
    }

    /**
     * Compares a deal with its last known state and publishes {@code deal.changed} when something moved.
     *
     * @param after the deal now, null when it is gone (deleted, or not found by the read)
     */
    private Uni<Void> dealState(SqlConnection conn, String crm, String objectType, String crmId,
            Map<String, String> after, Instant modified, List<String> contactIds, List<EventEnvelope> events) {
        UUID dealId = UUID.nameUUIDFromBytes((crm + ":deal:" + crmId).getBytes(StandardCharsets.UTF_8));
        return conn.preparedQuery("""
                SELECT snapshot::text AS snapshot, modified_at, deleted FROM crm_object_state
                 WHERE crm = $1 AND object_type = $2 AND object_id = $3 FOR UPDATE""")
                .execute(Tuple.of(crm, objectType, crmId))
                .chain(rows -> {
                    Map<String, String> before = null;
                    OffsetDateTime knownAt = null;
                    boolean wasDeleted = false;
                    for (Row r : rows) {
                        before = parseMap(r.getString("snapshot"));
                        knownAt = r.getOffsetDateTime("modified_at");
                        wasDeleted = r.getBoolean("deleted");
                    }
                    if (after == null) {
                        if (before == null || wasDeleted) {
                            return Uni.createFrom().voidItem();
                        }
                        Map<String, Object> data = new LinkedHashMap<>(before);
                        data.put("dealId", dealId);
                        data.put("crm", crm);
                        data.put("crmId", crmId);
                        data.put("deleted", true);
                        events.add(outbox.envelope("deal.changed", 1, "deal/" + dealId, data));
                        return conn.preparedQuery("UPDATE crm_object_state SET deleted = true, updated_at = now() "
                                + "WHERE crm = $1 AND object_type = $2 AND object_id = $3")
                                .execute(Tuple.of(crm, objectType, crmId)).replaceWithVoid();
                    }
                    if (knownAt != null && modified != null && modified.isBefore(knownAt.toInstant())) {
                        return Uni.createFrom().voidItem();
                    }
                    Map<String, Object> data = DealEventDeriver.derive(wasDeleted ? null : before, after);
                    Uni<Void> publish = Uni.createFrom().voidItem();
                    if (data != null) {
                        data.put("dealId", dealId);
                        data.put("crm", crm);
                        data.put("crmId", crmId);
                        data.put("modifiedAt", modified);
                        boolean salesforceIds = "salesforce".equals(crm);
                        List<String> lookup = new ArrayList<>(contactIds);
                        if (salesforceIds) {
                            contactIds.forEach(id -> lookup.add(id15(id)));
                        }
                        publish = conn.preparedQuery("""
                                SELECT object_id, entity_id FROM crm_object_state
                                 WHERE crm = $1 AND object_type = $2 AND object_id = ANY($3)""")
                                .execute(Tuple.of(crm, salesforceIds ? "Contact" : "contact",
                                        lookup.toArray(new String[0])))
                                .invoke(found -> {
                                    Map<String, String> leads = new LinkedHashMap<>();
                                    found.forEach(r -> contactIds.stream()
                                            .filter(id -> id.equals(r.getString("object_id"))
                                                    || salesforceIds && id15(id).equals(id15(r.getString("object_id"))))
                                            .forEach(id -> leads.put(id, r.getUUID("entity_id").toString())));
                                    data.put("contactLeadIds", leads);
                                    events.add(outbox.envelope("deal.changed", 1, "deal/" + dealId, data));
                                })
                                .replaceWithVoid();
                    }
                    return publish.chain(() -> conn.preparedQuery("""
                            INSERT INTO crm_object_state (crm, object_type, object_id, entity_id, snapshot, modified_at,
                                                          deleted, updated_at)
                            VALUES ($1, $2, $3, $4, $5::text::jsonb, $6, false, now())
                            ON CONFLICT (crm, object_type, object_id) DO UPDATE
                               SET snapshot = EXCLUDED.snapshot, modified_at = EXCLUDED.modified_at, deleted = false,
                                   updated_at = now()""")
                            .execute(Tuple.from(List.of(crm, objectType, crmId, dealId, json(after)))
                                    .addValue(modified == null ? null
                                            : OffsetDateTime.ofInstant(modified, java.time.ZoneOffset.UTC)))
                            .replaceWithVoid());
                });
    }

    /**
     * Companies (HubSpot) and Accounts (Salesforce): their state and one account identity per domain, so that people
     * and deals of the same company meet. The event contract has no account event, so nothing is published.
     */
    private Uni<Void> applyAccount(SqlConnection conn, List<Claimed> group) {
        Claimed first = group.get(0);
        Claimed latest = group.get(group.size() - 1);
        boolean deletion = group.stream().anyMatch(c -> c.type.endsWith("deletion"));
        Map<String, String> snapshot = new LinkedHashMap<>();
        Instant modified;
        if ("hubspot".equals(first.crm)) {
            if (!latest.type.startsWith("sync.") || deletion) {
                return Uni.createFrom().voidItem(); // company webhooks are not subscribed to; sync brings the record
            }
            CrmObject o = syncedObject(latest);
            snapshot.put("name", blankToNull(o.property("name")));
            snapshot.put("website", blankToNull(o.property("website") != null ? o.property("website")
                    : o.property("domain")));
            snapshot.put("owner", blankToNull(o.property("hubspot_owner_id")));
            snapshot.put("industry", blankToNull(o.property("industry")));
            modified = instant(o.property("hs_lastmodifieddate"), o.updatedAt());
        } else {
            Map<String, String> f = fields(latest);
            snapshot.put("name", blankToNull(f.get("Name")));
            snapshot.put("website", blankToNull(f.get("Website")));
            snapshot.put("owner", blankToNull(f.get("OwnerId")));
            snapshot.put("industry", blankToNull(f.get("Industry")));
            modified = instant(f.get("LastModifiedDate"), f.get("SystemModstamp"));
        }
        String domain = accountDomain(null, snapshot.get("website"));
        snapshot.put("domain", domain);
        Uni<UUID> accountId = domain != null ? identity(conn, "account_identity", "domain", "account_id", domain)
                : Uni.createFrom().item(UUID.nameUUIDFromBytes((first.crm + ":" + first.objectType + ":"
                        + first.objectId).getBytes(StandardCharsets.UTF_8)));
        return accountId.chain(id -> conn.preparedQuery("""
                INSERT INTO crm_object_state (crm, object_type, object_id, entity_id, snapshot, modified_at, deleted,
                                              updated_at)
                VALUES ($1, $2, $3, $4, $5::text::jsonb, $6, false, now())
                ON CONFLICT (crm, object_type, object_id) DO UPDATE
                   SET entity_id = EXCLUDED.entity_id, snapshot = EXCLUDED.snapshot, modified_at = EXCLUDED.modified_at,
                       deleted = false, updated_at = now()
                 WHERE crm_object_state.modified_at IS NULL OR EXCLUDED.modified_at IS NULL
                    OR crm_object_state.modified_at <= EXCLUDED.modified_at""")
                .execute(Tuple.from(List.of(first.crm, first.objectType, first.objectId, id, json(snapshot)))
                        .addValue(modified == null ? null
                                : OffsetDateTime.ofInstant(modified, java.time.ZoneOffset.UTC)))
                .replaceWithVoid());
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static String joinSorted(List<String> ids) {
        return ids == null || ids.isEmpty() ? null : String.join(",", ids.stream().sorted().toList());
    }

    /** Engagements read in a round ("type|id" -> object) and the person chosen for each ("type|id" -> contact). */
    private record Activities(Map<String, CrmObject> found, Map<String, String> person) {
    }

    /** Everything read from the CRMs for one round. */
    private record Reads(Map<String, CrmObject> contacts, Deals deals, Activities activities,
            Map<String, Map<String, Object>> campaigns) {
    }

    /** Deals read in a round, with their associated contact and company ids. */
    private record Deals(Map<String, CrmObject> found, Map<String, List<String>> contacts,
            Map<String, List<String>> companies) {
    }

    /** The record a sync run stored with its event (the freshest of the round), if any. */
    private CrmObject synced(List<Claimed> group) {
        for (int i = group.size() - 1; i >= 0; i--) {
            Claimed c = group.get(i);
            if (c.type.startsWith("sync.")) {
                JsonNode p = parse(c.payload);
                Map<String, String> props = new HashMap<>();
                p.path("properties").fields().forEachRemaining(f -> props.put(f.getKey(),
                        f.getValue().isNull() ? null : f.getValue().asText()));
                return new CrmObject(c.objectId, props, p.path("createdAt").asText(null),
                        p.path("updatedAt").asText(null), false);
            }
        }
        return null;
    }

    /** The record as it is now: read from HubSpot, or carried by the Salesforce outbound message itself. */
    private Current current(Claimed first, List<Claimed> group, Map<String, CrmObject> read) {
        if ("hubspot".equals(first.crm)) {
            CrmObject o = read.get(first.objectId);
            if (o == null) {
                o = synced(group);
            }
            if (o == null) {
                return null;
            }
            Map<String, String> props = new HashMap<>(o.properties());
            return new Current(hubspotMapping.canonical(props), instant(props.get("lastmodifieddate"), o.updatedAt()),
                    instant(props.get("createdate"), o.createdAt()), props);
        }
        // Salesforce: the latest notification of the round carries the freshest fields
        Claimed latest = group.get(group.size() - 1);
        JsonNode payload = parse(latest.payload);
        Map<String, String> fields = new HashMap<>();
        payload.path("fields").fields().forEachRemaining(f -> fields.put(f.getKey(),
                f.getValue().isNull() ? null : f.getValue().asText()));
        return new Current(salesforceMapping.canonical(fields),
                instant(fields.get("LastModifiedDate"), fields.get("SystemModstamp")),
                instant(fields.get("CreatedDate"), null), null);
    }

    private Uni<Void> changed(SqlConnection conn, Claimed first, List<Claimed> group, String objectType, State state,
            Current current, boolean echoOnly, List<EventEnvelope> events) {
        if (state != null && state.modifiedAt != null && current.modifiedAt != null
                && current.modifiedAt.isBefore(state.modifiedAt.toInstant())) {
            return Uni.createFrom().voidItem(); // an older read than what we already know
        }
        String email = current.fields.get("email");
        String domain = accountDomain(email, current.fields.get("website"));
        Uni<UUID> leadId = state != null ? Uni.createFrom().item(state.entityId)
                : email != null ? identity(conn, "person_identity", "email", "lead_id", email)
                        : Uni.createFrom().item(UUID.nameUUIDFromBytes((first.crm + ":" + objectType + ":"
                                + first.objectId).getBytes(StandardCharsets.UTF_8)));
        Uni<UUID> accountId = domain == null ? Uni.createFrom().nullItem()
                : identity(conn, "account_identity", "domain", "account_id", domain);
        Map<String, String> before = state == null || state.deleted ? null : state.snapshot;
        // a Salesforce Contact is a person of an account, not a lead to route: kept as state and identity (so that
        // its activities and campaign responses find their leadId), announced as nothing
        boolean announce = !echoOnly && !("salesforce".equals(first.crm) && "Contact".equals(objectType));
        Uni<Boolean> ownerEcho = announce && before != null && "salesforce".equals(first.crm)
                && !java.util.Objects.equals(before.get("owner"), current.fields.get("owner"))
                        ? salesforceOwnerEcho(conn, first.objectId, current.fields.get("owner"),
                                fields(group.get(group.size() - 1)).get("LastModifiedById"))
                        : Uni.createFrom().item(false);
        return leadId.chain(lead -> accountId.chain(account -> ownerEcho.chain(ownersEcho -> {
            if (announce) {
                for (LeadEventDeriver.Derived d : LeadEventDeriver.derive(first.crm, first.objectId, lead, account,
                        before, current.fields, current.modifiedAt, current.createdAt)) {
                    if (ownersEcho && "lead.owner-changed".equals(d.type())) {
                        registry.counter("normaliser.echoes", "type", d.type()).increment();
                        continue; // our own owner.assign coming back
                    }
                    Map<String, Object> data = new LinkedHashMap<>(d.data());
                    data.put("accountDomain", domain);
                    events.add(outbox.envelope(d.type(), 1, "lead/" + lead, data));
                }
            }
            // form submissions: derived whatever else changed; the ledger publishes each once
            List<TouchpointDeriver.Touchpoint> touchpoints = current.raw == null ? List.of()
                    : TouchpointDeriver.fromHubSpotContact(first.objectId, email, current.raw, conversions(group));
            return conn.preparedQuery("""
                    INSERT INTO crm_object_state (crm, object_type, object_id, entity_id, snapshot, modified_at,
                                                  deleted, updated_at)
                    VALUES ($1, $2, $3, $4, $5::text::jsonb, $6, false, now())
                    ON CONFLICT (crm, object_type, object_id) DO UPDATE
                       SET snapshot = EXCLUDED.snapshot, modified_at = EXCLUDED.modified_at, deleted = false,
                           updated_at = now()""")
                    .execute(Tuple.from(List.of(first.crm, objectType, first.objectId, lead, json(current.fields))
                            ).addValue(current.modifiedAt == null ? null
                                    : OffsetDateTime.ofInstant(current.modifiedAt, java.time.ZoneOffset.UTC)))
                    .chain(() -> recordTouchpoints(conn, touchpoints, lead, domain, events));
        })));
    }

    /**
     * Whether a Salesforce record's new owner is the echo of our own write ({@link OwnerEcho}): the owners our
     * commands recorded for the record in the last day, and who saved it last. A recorded write that matches is
     * consumed, so that a person who later sets the same owner again is announced.
     */
    private Uni<Boolean> salesforceOwnerEcho(SqlConnection conn, String objectId, String newOwner,
            String lastModifiedById) {
        String integrationUser = config.salesforce().integrationUserId().orElse(null);
        return conn.preparedQuery("""
                SELECT id, value FROM crm_own_write
                 WHERE crm = 'salesforce' AND object_id = $1 AND field = 'owner'
                   AND written_at > now() - interval '1 day'""")
                .execute(Tuple.of(id15(objectId)))
                .chain(rows -> {
                    List<String> owners = new ArrayList<>();
                    List<Long> matching = new ArrayList<>();
                    for (Row r : rows) {
                        owners.add(r.getString("value"));
                        if (OwnerEcho.sameId(r.getString("value"), newOwner)) {
                            matching.add(r.getLong("id"));
                        }
                    }
                    boolean echo = OwnerEcho.isEcho(newOwner, lastModifiedById, integrationUser, owners);
                    if (!echo || matching.isEmpty()) {
                        return Uni.createFrom().item(echo);
                    }
                    return conn.preparedQuery("DELETE FROM crm_own_write WHERE id = ANY($1)")
                            .execute(Tuple.of((Object) matching.toArray(new Long[0]))).replaceWith(echo);
                });
    }

    /**
     * Conversions told by this round's webhooks ({@code recent_conversion_date} property changes), named by the
     * {@code recent_conversion_event_name} change of the same moment when there is one.
     */
    private List<TouchpointDeriver.Conversion> conversions(List<Claimed> group) {
        Map<Long, String> names = new HashMap<>();
        List<JsonNode> dates = new ArrayList<>();
        for (Claimed c : group) {
            if (!c.type.endsWith(".propertyChange")) {
                continue;
            }
            JsonNode p = parse(c.payload);
            String property = p.path("propertyName").asText();
            if ("recent_conversion_event_name".equals(property)) {
                names.put(p.path("occurredAt").asLong(), p.path("propertyValue").asText(null));
            } else if ("recent_conversion_date".equals(property)) {
                dates.add(p);
            }
        }
        List<TouchpointDeriver.Conversion> out = new ArrayList<>();
        for (JsonNode p : dates) {
            Instant at = ActivityDeriver.instant(p.path("propertyValue").asText(null));
            if (at != null) {
                out.add(new TouchpointDeriver.Conversion(at, names.get(p.path("occurredAt").asLong())));
            }
        }
        return out;
    }

    /**
     * Publishes the touchpoints not published before: each id goes into the ledger in this transaction, and only
     * an id that was not there yet becomes a {@code touchpoint.recorded}.
     */
    private Uni<Void> recordTouchpoints(SqlConnection conn, List<TouchpointDeriver.Touchpoint> touchpoints,
            UUID leadId, String accountDomain, List<EventEnvelope> events) {
        if (touchpoints.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(touchpoints)
                .onItem().transformToUniAndConcatenate(t -> conn.preparedQuery("""
                        INSERT INTO touchpoint_ledger (touchpoint_id, crm, touch_type, crm_person_id, occurred_at)
                        VALUES ($1, $2, $3, $4, $5) ON CONFLICT (touchpoint_id) DO NOTHING RETURNING touchpoint_id""")
                        .execute(Tuple.of(t.touchpointId(), t.crm(), t.type(), t.crmPersonId(),
                                OffsetDateTime.ofInstant(t.occurredAt(), java.time.ZoneOffset.UTC)))
                        .invoke(rows -> {
                            if (rows.rowCount() == 0) {
                                return; // published before: a replay or a repeated delivery
                            }
                            Map<String, Object> data = new LinkedHashMap<>();
                            data.put("touchpointId", t.touchpointId());
                            data.put("crm", t.crm());
                            data.put("personEmail", t.personEmail());
                            data.put("crmPersonId", t.crmPersonId());
                            data.put("leadId", leadId);
                            data.put("accountDomain", accountDomain != null ? accountDomain
                                    : accountDomain(t.personEmail(), null));
                            data.put("occurredAt", t.occurredAt());
                            data.put("type", t.type());
                            data.put("channel", t.channel());
                            data.put("source", t.source());
                            data.put("campaign", t.campaign());
                            data.put("team", t.team());
                            data.put("detail", t.detail());
                            data.put("activityId", t.activityId());
                            String subject = t.personEmail() != null ? "person/" + t.personEmail()
                                    : "person/" + t.crm() + ":" + t.crmPersonId();
                            events.add(outbox.envelope("touchpoint.recorded", 1, subject, data));
                        }))
                .collect().last().replaceWithVoid();
    }

    /**
     * Calls, emails, meetings and tasks: compare with the last known state of the activity; publish
     * {@code activity.logged} when it is new to us or one of its fields changed, unless the change is an echo of our
     * own write; derive the sales touch, if it is one.
     */
    private Uni<Void> applyActivity(SqlConnection conn, List<Claimed> group, Reads reads,
            List<EventEnvelope> events) {
        Claimed first = group.get(0);
        boolean hubspotActivity = "hubspot".equals(first.crm);
        String kind = first.objectType;
        boolean deletion = group.stream().anyMatch(c -> c.type.endsWith(".deletion"));
        ActivityDeriver.Activity activity;
        boolean echo;
        if (hubspotActivity) {
            CrmObject o = reads.activities().found().get(kind + "|" + first.objectId);
            if (deletion || o == null) {
                // deleted (or gone before we read it): forget it; activity.logged has no retraction
                return conn.preparedQuery("UPDATE crm_object_state SET deleted = true, updated_at = now() "
                        + "WHERE crm = 'hubspot' AND object_type = $1 AND object_id = $2")
                        .execute(Tuple.of(kind, first.objectId)).replaceWithVoid();
            }
            Map<String, String> props = new HashMap<>(o.properties());
            if (props.get("hs_lastmodifieddate") == null && o.updatedAt() != null) {
                props.put("hs_lastmodifieddate", o.updatedAt());
            }
            activity = ActivityDeriver.fromHubSpot(kind, first.objectId, props,
                    reads.activities().person().get(kind + "|" + first.objectId), callOutcomes);
            echo = echoOnly(group);
        } else {
            // the latest notification of the round carries the freshest fields
            Map<String, String> fields = fields(group.get(group.size() - 1));
            activity = ActivityDeriver.fromSalesforce(kind, fields);
            echo = salesforceEcho(fields);
        }
        UUID activityId = activity.activityId();
        return conn.preparedQuery("""
                SELECT snapshot::text AS snapshot, modified_at, deleted FROM crm_object_state
                 WHERE crm = $1 AND object_type = $2 AND object_id = $3 FOR UPDATE""")
                .execute(Tuple.of(first.crm, kind, first.objectId))
                .chain(rows -> {
                    Map<String, String> before = null;
                    OffsetDateTime knownAt = null;
                    boolean wasDeleted = false;
                    for (Row r : rows) {
                        before = parseMap(r.getString("snapshot"));
                        knownAt = r.getOffsetDateTime("modified_at");
                        wasDeleted = r.getBoolean("deleted");
                    }
                    if (knownAt != null && activity.modifiedAt() != null
                            && activity.modifiedAt().isBefore(knownAt.toInstant())) {
                        return Uni.createFrom().voidItem(); // an older version than what we already know
                    }
                    boolean changed = ActivityDeriver.changed(before, wasDeleted, activity);
                    boolean isNew = before == null;
                    Uni<Void> store = conn.preparedQuery("""
                            INSERT INTO crm_object_state (crm, object_type, object_id, entity_id, snapshot,
                                                          modified_at, deleted, updated_at)
                            VALUES ($1, $2, $3, $4, $5::text::jsonb, $6, false, now())
                            ON CONFLICT (crm, object_type, object_id) DO UPDATE
                               SET snapshot = EXCLUDED.snapshot, modified_at = EXCLUDED.modified_at, deleted = false,
                                   updated_at = now()""")
                            .execute(Tuple.from(List.of(first.crm, kind, first.objectId, activityId,
                                    json(ActivityDeriver.snapshot(activity)))).addValue(activity.modifiedAt() == null
                                            ? null
                                            : OffsetDateTime.ofInstant(activity.modifiedAt(),
                                                    java.time.ZoneOffset.UTC)))
                            .replaceWithVoid();
                    if (!changed || echo) {
                        return store;
                    }
                    return store.chain(() -> person(conn, activity.crm(), activity.crmPersonId(), reads.contacts()))
                            .chain(person -> {
                                Map<String, Object> data = new LinkedHashMap<>();
                                data.put("activityId", activityId);
                                data.put("crm", activity.crm());
                                data.put("crmId", activity.crmId());
                                data.put("type", activity.type());
                                data.put("direction", activity.direction());
                                data.put("ownerId", activity.ownerId());
                                data.put("leadId", person.leadId());
                                data.put("crmPersonId", activity.crmPersonId());
                                data.put("personEmail", person.email());
                                data.put("occurredAt", activity.occurredAt());
                                data.put("outcome", activity.outcome());
                                data.put("subject", activity.subject());
                                data.put("isNew", isNew);
                                data.put("modifiedAt", activity.modifiedAt());
                                events.add(outbox.envelope("activity.logged", 1, "activity/" + activityId, data));
                                TouchpointDeriver.Touchpoint touch = TouchpointDeriver.fromActivity(activity,
                                        role(activity.crm(), activity.ownerId()), person.email());
                                return recordTouchpoints(conn, touch == null ? List.of() : List.of(touch),
                                        person.leadId(), null, events);
                            });
                });
    }

    /** Salesforce campaign responses become touchpoints (once per member, through the ledger). */
    private Uni<Void> applyCampaignMember(SqlConnection conn, List<Claimed> group,
            Map<String, Map<String, Object>> campaigns, List<EventEnvelope> events) {
        // any notification of the round that says "responded" is enough: a response is never taken back
        Map<String, String> fields = null;
        for (Claimed c : group) {
            Map<String, String> f = fields(c);
            if (fields == null || "true".equalsIgnoreCase(f.get("HasResponded"))) {
                fields = f;
            }
        }
        Map<String, String> member = fields;
        if (!"true".equalsIgnoreCase(member.get("HasResponded"))) {
            return Uni.createFrom().voidItem();
        }
        Map<String, Object> campaign = campaigns.getOrDefault(id15(member.get("CampaignId")), Map.of());
        String personId = member.get("LeadId") != null ? member.get("LeadId") : member.get("ContactId");
        return person(conn, "salesforce", personId, Map.of()).chain(person -> {
            String email = member.get("Email") != null && !member.get("Email").isBlank()
                    ? member.get("Email").trim().toLowerCase() : person.email();
            TouchpointDeriver.Touchpoint touch = TouchpointDeriver.fromCampaignMember(member,
                    campaign.get("Name") == null ? null : String.valueOf(campaign.get("Name")),
                    campaign.get("Type") == null ? null : String.valueOf(campaign.get("Type")), email);
            Uni<UUID> leadId = person.leadId() != null || email == null ? Uni.createFrom().item(person.leadId())
                    : identityOf(conn, email);
            return leadId.chain(lead -> recordTouchpoints(conn, touch == null ? List.of() : List.of(touch), lead,
                    null, events));
        });
    }

    /** Who an activity or a campaign response is about: the lead id and email, when the gateway knows them. */
    private record Person(UUID leadId, String email) {
    }

    /**
     * The person from what the normaliser already knows (the contact's or lead's state), else, for HubSpot, the
     * email read with the round and the identity that email already has. Never creates an identity: that stays the
     * job of the person's own events.
     */
    private Uni<Person> person(SqlConnection conn, String crm, String crmPersonId, Map<String, CrmObject> contacts) {
        if (crmPersonId == null) {
            return Uni.createFrom().item(new Person(null, null));
        }
        String objectType = "hubspot".equals(crm) ? "contact" : crmPersonId.startsWith("00Q") ? "Lead"
                : crmPersonId.startsWith("003") ? "Contact" : null;
        if (objectType == null) {
            return Uni.createFrom().item(new Person(null, null));
        }
        return conn.preparedQuery("""
                SELECT entity_id, snapshot->>'email' AS email FROM crm_object_state
                 WHERE crm = $1 AND object_type = $2 AND object_id = ANY($3) AND NOT deleted""")
                .execute(Tuple.of(crm, objectType, "salesforce".equals(crm)
                        ? new String[] {crmPersonId, id15(crmPersonId)} : new String[] {crmPersonId}))
                .chain(rows -> {
                    for (Row r : rows) {
                        return Uni.createFrom().item(new Person(r.getUUID("entity_id"), r.getString("email")));
                    }
                    CrmObject contact = contacts.get(crmPersonId);
                    String email = contact == null ? null : blankToNull(contact.property("email"));
                    if (email == null) {
                        return Uni.createFrom().item(new Person(null, null));
                    }
                    String normalised = email.toLowerCase();
                    return identityOf(conn, normalised).map(id -> new Person(id, normalised));
                });
    }

    private Uni<UUID> identityOf(SqlConnection conn, String email) {
        return conn.preparedQuery("SELECT lead_id FROM person_identity WHERE email = $1")
                .execute(Tuple.of(email.toLowerCase()))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getUUID(0) : null);
    }

    /** Last modified by our integration user: an echo of our own write (e.g. the Task of a task.create). */
    private boolean salesforceEcho(Map<String, String> fields) {
        String ours = config.salesforce().integrationUserId().map(Normaliser::id15).orElse(null);
        if (ours == null) {
            return false;
        }
        String by = fields.get("LastModifiedById") != null ? fields.get("LastModifiedById") : fields.get("CreatedById");
        return by != null && ours.equals(id15(by.trim()));
    }

    private Map<String, String> fields(Claimed c) {
        Map<String, String> fields = new HashMap<>();
        parse(c.payload).path("fields").fields().forEachRemaining(f -> fields.put(f.getKey(),
                f.getValue().isNull() ? null : f.getValue().asText()));
        return fields;
    }

    private Uni<Void> deleted(SqlConnection conn, Claimed first, String objectType, State state,
            List<EventEnvelope> events) {
        if (state == null || state.deleted) {
            return Uni.createFrom().voidItem(); // never known, or already deleted: nothing to announce
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("leadId", state.entityId);
        data.put("crm", first.crm);
        data.put("crmId", first.objectId);
        data.put("deletedAt", first.occurredAt == null ? null : first.occurredAt.toInstant());
        events.add(outbox.envelope("contact.deleted", 1, "lead/" + state.entityId, data));
        return conn.preparedQuery("UPDATE crm_object_state SET deleted = true, updated_at = now() "
                + "WHERE crm = $1 AND object_type = $2 AND object_id = $3")
                .execute(Tuple.of(first.crm, objectType, first.objectId)).replaceWithVoid();
    }

    private Uni<Void> merged(SqlConnection conn, Claimed merge, State state, List<EventEnvelope> events) {
        JsonNode payload = parse(merge.payload);
        String primary = payload.path("primaryObjectId").asText(merge.objectId);
        List<String> mergedIds = new ArrayList<>();
        payload.path("mergedObjectIds").forEach(id -> mergedIds.add(id.asText()));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("leadId", state == null ? null : state.entityId);
        data.put("crm", merge.crm);
        data.put("primaryCrmId", primary);
        data.put("mergedCrmIds", mergedIds);
        data.put("newCrmId", payload.path("newObjectId").asText(primary));
        data.put("mergedAt", merge.occurredAt == null ? null : merge.occurredAt.toInstant());
        events.add(outbox.envelope("contact.merged", 1, "lead/" + (state == null ? primary : state.entityId), data));
        return conn.preparedQuery("UPDATE crm_object_state SET deleted = true, updated_at = now() "
                + "WHERE crm = $1 AND object_type = 'contact' AND object_id = ANY($2) AND object_id <> $3")
                .execute(Tuple.of(merge.crm, mergedIds.toArray(new String[0]), primary)).replaceWithVoid();
    }

    /** One id per email or domain across both CRMs; concurrent replicas agree through the unique key. */
    private Uni<UUID> identity(SqlConnection conn, String table, String keyColumn, String idColumn, String key) {
        return conn.preparedQuery("INSERT INTO " + table + " (" + keyColumn + ", " + idColumn + ") VALUES ($1, $2) "
                + "ON CONFLICT (" + keyColumn + ") DO NOTHING")
                .execute(Tuple.of(key, UUID.randomUUID()))
                .chain(() -> conn.preparedQuery("SELECT " + idColumn + " FROM " + table + " WHERE " + keyColumn
                        + " = $1").execute(Tuple.of(key)))
                .map(rows -> rows.iterator().next().getUUID(0));
    }

    /**
     * Whether every event of a HubSpot contact in this round is our own app's property write coming back (an
     * {@code owner.assign} or {@code lead.status.set} we executed): such a round announces nothing, and the values
     * the webhooks carry are all it needs, so the contact is not read from HubSpot. That halves the reads of the
     * routing flow (every routed lead's owner write comes back as one), which is HubSpot API budget.
     */
    private boolean echoedPropertiesOnly(List<Claimed> group) {
        for (Claimed c : group) {
            if (!"contact.propertyChange".equals(c.type) || !parse(c.payload).hasNonNull("propertyName")) {
                return false;
            }
        }
        return echoOnly(group);
    }

    /**
     * Our own writes of a contact's properties, from the webhooks' values: the known state takes them, so that the
     * next real change is compared with what the CRM holds, and nothing is announced. A webhook older than the state's
     * last read (a delivery late or repeated) changes nothing; without a known state there is nothing to keep in step.
     * The state's modification time stays the CRM's, from the last read: a webhook's time is not compared with it
     * later, so the next read is never mistaken for an older one.
     */
    private Uni<Void> echoed(SqlConnection conn, Claimed first, String objectType, State state, List<Claimed> group) {
        if (state == null || state.deleted) {
            return Uni.createFrom().voidItem();
        }
        Map<String, String> values = new LinkedHashMap<>();
        List<Claimed> inOrder = new ArrayList<>(group);
        inOrder.sort(java.util.Comparator.comparing(c -> c.occurredAt == null ? OffsetDateTime.MIN : c.occurredAt));
        for (Claimed c : inOrder) {
            if (c.occurredAt == null || state.modifiedAt != null && !c.occurredAt.isAfter(state.modifiedAt)) {
                continue;
            }
            JsonNode p = parse(c.payload);
            String field = hubspotMapping.canonicalOf(p.path("propertyName").asText());
            if (field == null) {
                continue;
            }
            String value = blankToNull(p.path("propertyValue").isNull() ? null : p.path("propertyValue").asText());
            if ("source".equals(field)) {
                values.put("crmSource", value);
                value = hubspotMapping.source(value);
            }
            values.put(field, value);
        }
        if (values.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        registry.counter("normaliser.echoes.unread").increment(group.size());
        return conn.preparedQuery("""
                UPDATE crm_object_state SET snapshot = snapshot || $4::text::jsonb, updated_at = now()
                 WHERE crm = $1 AND object_type = $2 AND object_id = $3""")
                .execute(Tuple.of(first.crm, objectType, first.objectId, json(values)))
                .replaceWithVoid();
    }

    /** A round in which every webhook event of an object is an echo of our own app's write publishes nothing. */
    private boolean echoOnly(List<Claimed> group) {
        String appId = config.hubspot().appId().orElse(null);
        for (Claimed c : group) {
            JsonNode p = parse(c.payload);
            // a CDC change whose origin is our client or whose committer is our integration user: our own write
            boolean ours = "cdc".equals(p.path("source").asText()) ? p.path("ownWrite").asBoolean(false)
                    : appId != null && "INTEGRATION".equalsIgnoreCase(p.path("changeSource").asText())
                            && appId.equals(p.path("sourceId").asText().replaceFirst("^\\D*", ""));
            if (!ours) {
                return false;
            }
        }
        return true;
    }

    static String accountDomain(String email, String website) {
        String domain = null;
        if (website != null && !website.isBlank()) {
            domain = website.toLowerCase().replaceFirst("^https?://", "").replaceFirst("^www\\.", "")
                    .replaceFirst("[/:?#].*$", "");
        } else if (email != null && email.contains("@")) {
            domain = email.substring(email.indexOf('@') + 1).toLowerCase();
        }
        return domain == null || domain.isBlank() || FREE_MAIL.contains(domain) ? null : domain;
    }

    private Uni<Void> retryLater(List<Claimed> claimed, Throwable e) {
        int attempts = claimed.stream().mapToInt(c -> c.attempts).max().orElse(1);
        long delay = Math.min(600_000L, config.normaliser().initialBackoff().toMillis() * (1L << Math.min(attempts - 1,
                18)));
        String error = String.valueOf(e.getMessage());
        Log.warnf("normaliser: %d webhook events wait %d ms after: %s", claimed.size(), delay, error);
        registry.counter("normaliser.webhook_events", "outcome", "retry").increment(claimed.size());
        return pool.preparedQuery("""
                UPDATE webhook_event SET lease_until = NULL, last_error = $2,
                       next_attempt_at = now() + ($3 * interval '1 millisecond'),
                       status = CASE WHEN attempts >= $4 THEN 'FAILED' ELSE 'PENDING' END
                 WHERE id = ANY($1)""")
                .execute(Tuple.of(claimed.stream().map(c -> c.id).toArray(UUID[]::new),
                        error.length() > 1000 ? error.substring(0, 1000) : error, delay,
                        config.normaliser().maxAttempts()))
                .replaceWithVoid();
    }

    private static Instant instant(String value, String fallback) {
        String v = value != null && !value.isBlank() ? value : fallback;
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Instant.ofEpochMilli(Long.parseLong(v));
        } catch (NumberFormatException e) {
            try {
                return OffsetDateTime.parse(v.replaceFirst("\\+0000$", "Z")).toInstant();
            } catch (Exception ignored) {
                return null;
            }
        }
    }

    private Map<String, String> parseMap(String json) {
        try {
            return mapper.readValue(json, new TypeReference<LinkedHashMap<String, String>>() {
            });
        } catch (Exception e) {
            return new LinkedHashMap<>();
        }
    }

    private JsonNode parse(String json) {
        try {
            return mapper.readTree(json);
        } catch (Exception e) {
            return mapper.createObjectNode();
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private record Claimed(UUID id, String crm, String type, String objectType, String objectId,
            OffsetDateTime occurredAt, String payload, int attempts) {
    }

    private record State(UUID entityId, Map<String, String> snapshot, OffsetDateTime modifiedAt, boolean deleted) {
    }

    private record Current(Map<String, String> fields, Instant modifiedAt, Instant createdAt,
            Map<String, String> raw) {
    }
}

package com.revops.gateway.normalise;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Derives canonical lead events by comparing the last known state of a lead with its current state. Comparing
 * states (rather than replaying webhook deltas) is what makes repeated and out-of-order deliveries harmless: a
 * delivery that brings nothing new derives nothing. Plain Java.
 */
public final class LeadEventDeriver {

    /** An event to publish: its type and data. */
    public record Derived(String type, Map<String, Object> data) {
    }

    /** Fields whose change has its own event and so is not repeated in {@code lead.updated}. */
    static final Set<String> OWN_EVENTS = Set.of("status", "owner", "disqualificationReason");

    private LeadEventDeriver() {
    }

    /**
     * @param before the last known canonical state, null when the lead is new to us
     * @param after  the current canonical state
     */
    public static List<Derived> derive(String crm, String crmId, UUID leadId, UUID accountId,
            Map<String, String> before, Map<String, String> after, Instant modifiedAt, Instant createdAt) {
        List<Derived> out = new ArrayList<>();
        if (before == null) {
            Map<String, Object> data = base(crm, crmId, leadId);
            after.forEach(data::put);
            data.put("accountId", accountId);
            data.put("createdAt", createdAt);
            out.add(new Derived("lead.created", data));
            return out;
        }
        if (!Objects.equals(before.get("status"), after.get("status"))) {
            Map<String, Object> data = base(crm, crmId, leadId);
            data.put("from", before.get("status"));
            data.put("to", after.get("status"));
            data.put("disqualificationReason", after.get("disqualificationReason"));
            data.put("changedAt", modifiedAt);
            out.add(new Derived("lead.status-changed", data));
        } else if (!Objects.equals(before.get("disqualificationReason"), after.get("disqualificationReason"))) {
            // a reason given after the status change: the feedback loop is waiting for exactly this
            Map<String, Object> data = base(crm, crmId, leadId);
            data.put("from", before.get("status"));
            data.put("to", after.get("status"));
            data.put("disqualificationReason", after.get("disqualificationReason"));
            data.put("changedAt", modifiedAt);
            data.put("reasonOnly", true);
            out.add(new Derived("lead.status-changed", data));
        }
        if (!Objects.equals(before.get("owner"), after.get("owner"))) {
            Map<String, Object> data = base(crm, crmId, leadId);
            data.put("fromOwner", before.get("owner"));
            data.put("toOwner", after.get("owner"));
            data.put("changedAt", modifiedAt);
            out.add(new Derived("lead.owner-changed", data));
        }
        Map<String, Object> changes = new LinkedHashMap<>();
        for (String field : FieldMapping.FIELDS) {
            if (!OWN_EVENTS.contains(field) && !Objects.equals(before.get(field), after.get(field))) {
                Map<String, Object> change = new LinkedHashMap<>();
                change.put("from", before.get(field));
                change.put("to", after.get(field));
                changes.put(field, change);
            }
        }
        if (!changes.isEmpty()) {
            Map<String, Object> data = base(crm, crmId, leadId);
            data.put("changes", changes);
            data.put("changedAt", modifiedAt);
            out.add(new Derived("lead.updated", data));
        }
        return out;
    }

    private static Map<String, Object> base(String crm, String crmId, UUID leadId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("leadId", leadId);
        data.put("crm", crm);
        data.put("crmId", crmId);
        return data;
    }
}

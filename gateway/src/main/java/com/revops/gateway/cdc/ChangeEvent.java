package com.revops.gateway.cdc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.revops.gateway.normalise.OwnerEcho;
import com.revops.gateway.webhooks.IncomingEvent;

/**
 * One Change Data Capture event, read from its Avro payload with the writer schema: the {@code ChangeEventHeader}
 * (entity, record ids, change type, origin, transaction position, commit time and user) and the field values it
 * carries (changed fields of an update, all set fields of a create; compound fields such as {@code Name} flattened to
 * their REST names). The changed-field bitmaps are not decoded: the normaliser reads the whole record anyway. Plain
 * Java.
 */
public record ChangeEvent(String entityName, List<String> recordIds, String changeType, String changeOrigin,
        String transactionKey, int sequenceNumber, Instant commitTimestamp, String commitUser,
        Map<String, Object> fields) {

    /** The entities whose changes the normaliser turns into canonical events; others are stored as IGNORED. */
    public static final Set<String> HANDLED_ENTITIES = Set.of("Lead", "Contact");

    private static final Set<String> CHANGES = Set.of("CREATE", "UPDATE", "DELETE", "UNDELETE");

    /** Reads a payload written with {@code schema} (Avro binary, as the Pub/Sub API delivers it). */
    public static ChangeEvent decode(Schema schema, byte[] payload) throws IOException {
        GenericRecord record = new GenericDatumReader<GenericRecord>(schema)
                .read(null, DecoderFactory.get().binaryDecoder(payload, null));
        GenericRecord header = (GenericRecord) record.get("ChangeEventHeader");
        if (header == null) {
            throw new IOException("not a change event: no ChangeEventHeader");
        }
        List<String> ids = new ArrayList<>();
        Object recordIds = header.get("recordIds");
        if (recordIds instanceof List<?> list) {
            list.forEach(id -> ids.add(String.valueOf(id)));
        }
        Object commit = header.get("commitTimestamp");
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Schema.Field f : record.getSchema().getFields()) {
            if ("ChangeEventHeader".equals(f.name())) {
                continue;
            }
            Object v = record.get(f.name());
            if (v instanceof GenericRecord compound) {
                String prefix = f.name().endsWith("Address") ? f.name().substring(0, f.name().length() - 7) : "";
                for (Schema.Field sub : compound.getSchema().getFields()) {
                    Object sv = plain(compound.get(sub.name()));
                    if (sv != null) {
                        fields.put(prefix + sub.name(), sv);
                    }
                }
            } else if (v != null) {
                fields.put(f.name(), plain(v));
            }
        }
        Object seq = header.get("sequenceNumber");
        return new ChangeEvent(str(header.get("entityName")), ids, str(header.get("changeType")),
                str(header.get("changeOrigin")), str(header.get("transactionKey")),
                seq instanceof Number n ? n.intValue() : 0,
                commit instanceof Number n ? Instant.ofEpochMilli(n.longValue()) : null,
                str(header.get("commitUser")), fields);
    }

    /** {@code GAP_CREATE}, {@code GAP_UPDATE}, ..., {@code GAP_OVERFLOW}: the change is known, its values are not. */
    public boolean gap() {
        return changeType != null && changeType.startsWith("GAP_");
    }

    /**
     * Our own write coming back: {@code changeOrigin} names our client ({@code ...;client=<name>}, from the
     * {@code Sforce-Call-Options} header we send), or the integration user committed it.
     */
    public boolean ownWrite(String clientName, String integrationUserId) {
        if (clientName != null && changeOrigin != null) {
            for (String part : changeOrigin.split(";")) {
                String p = part.trim();
                if (p.startsWith("client=") && p.substring(7).trim().equals(clientName)) {
                    return true;
                }
            }
        }
        return integrationUserId != null && commitUser != null && OwnerEcho.sameId(commitUser, integrationUserId);
    }

    /**
     * The events to store, one per record id, deduplicated on (entity, transaction, sequence, record): a replayed or
     * redelivered change is stored once. Deletions are {@code cdc.<Entity>.deletion}, other changes
     * {@code cdc.<Entity>}; entities or change types the normaliser does not handle are stored IGNORED, for audit.
     */
    public List<IncomingEvent> incoming(String orgId, byte[] replayId, boolean ownWrite, ObjectMapper mapper) {
        boolean delete = "DELETE".equals(changeType);
        boolean known = HANDLED_ENTITIES.contains(entityName) && CHANGES.contains(changeType);
        String type = "cdc." + entityName + (delete ? ".deletion" : "");
        List<IncomingEvent> out = new ArrayList<>();
        for (String id : recordIds) {
            ObjectNode payload = mapper.createObjectNode();
            payload.put("source", "cdc");
            payload.put("sObjectType", entityName);
            payload.put("changeType", changeType);
            payload.put("changeOrigin", changeOrigin);
            payload.put("commitUser", commitUser);
            payload.put("commitTimestamp", commitTimestamp == null ? null : commitTimestamp.toString());
            payload.put("transactionKey", transactionKey);
            payload.put("sequenceNumber", sequenceNumber);
            payload.put("replayId", replayId == null ? null : HexFormat.of().formatHex(replayId));
            payload.put("ownWrite", ownWrite);
            payload.set("fields", mapper.valueToTree(fields));
            String key = "cdc:" + entityName + ":" + transactionKey + ":" + sequenceNumber + ":" + id;
            out.add(new IncomingEvent("salesforce", key, orgId == null ? "cdc" : orgId, type, entityName, id,
                    commitTimestamp, null, payload.toString(), known));
        }
        return out;
    }

    private static Object plain(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof CharSequence || v instanceof GenericData.EnumSymbol) {
            return v.toString();
        }
        if (v instanceof ByteBuffer b) {
            byte[] bytes = new byte[b.remaining()];
            b.duplicate().get(bytes);
            return HexFormat.of().formatHex(bytes);
        }
        if (v instanceof List<?> list) {
            return list.stream().map(ChangeEvent::plain).toList();
        }
        return v instanceof Number || v instanceof Boolean ? v : v.toString();
    }

    private static String str(Object v) {
        return v == null ? null : v.toString();
    }
}

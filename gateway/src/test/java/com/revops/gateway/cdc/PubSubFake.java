package com.revops.gateway.cdc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import com.revops.gateway.cdc.PubSubApi.ConsumerEvent;
import com.revops.gateway.cdc.PubSubApi.FetchRequest;
import com.revops.gateway.cdc.PubSubApi.FetchResponse;
import com.revops.gateway.cdc.PubSubApi.SchemaInfo;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

/**
 * A Pub/Sub API server that behaves as Salesforce documents it: calls without a valid {@code accesstoken}, an
 * {@code instanceurl} and the org's {@code tenantid} fail UNAUTHENTICATED; {@code GetSchema} serves the Avro schema by
 * id; {@code Subscribe} starts at LATEST, EARLIEST or after a CUSTOM replay id (an unknown one fails with the
 * documented corrupted-replay-id error), sends Avro-encoded change events never beyond the events requested
 * ({@code num_requested} adds up), and keepalives without events that carry the latest replay id.
 */
final class PubSubFake implements AutoCloseable {

    /** A Lead change event schema in the shape Salesforce publishes (header, compound Name, plain fields). */
    static final String LEAD_SCHEMA = """
            {"type":"record","name":"LeadChangeEvent","namespace":"com.sforce.eventbus","fields":[
             {"name":"ChangeEventHeader","type":{"type":"record","name":"ChangeEventHeader","fields":[
               {"name":"entityName","type":"string"},
               {"name":"recordIds","type":{"type":"array","items":"string"}},
               {"name":"changeType","type":{"type":"enum","name":"ChangeType","symbols":["CREATE","UPDATE","DELETE",
                 "UNDELETE","GAP_CREATE","GAP_UPDATE","GAP_DELETE","GAP_UNDELETE","GAP_OVERFLOW"]}},
               {"name":"changeOrigin","type":"string"},
               {"name":"transactionKey","type":"string"},
               {"name":"sequenceNumber","type":"int"},
               {"name":"commitTimestamp","type":"long"},
               {"name":"commitNumber","type":"long"},
               {"name":"commitUser","type":"string"},
               {"name":"nulledFields","type":{"type":"array","items":"string"}},
               {"name":"diffFields","type":{"type":"array","items":"string"}},
               {"name":"changedFields","type":{"type":"array","items":"string"}}]}},
             {"name":"Name","type":["null",{"type":"record","name":"Switchable_PersonName","fields":[
               {"name":"Salutation","type":["null","string"],"default":null},
               {"name":"FirstName","type":["null","string"],"default":null},
               {"name":"LastName","type":["null","string"],"default":null}]}],"default":null},
             {"name":"Email","type":["null","string"],"default":null},
             {"name":"Company","type":["null","string"],"default":null},
             {"name":"Status","type":["null","string"],"default":null},
             {"name":"OwnerId","type":["null","string"],"default":null},
             {"name":"LastModifiedDate","type":["null","long"],"default":null}]}""";

    static final String LEAD_SCHEMA_ID = "lead-schema-1";

    private final String org;
    private final Predicate<String> validToken;
    private final String name = "pubsub-fake-" + UUID.randomUUID();
    private final Server server;
    private final Map<String, String> schemas = new ConcurrentHashMap<>(Map.of(LEAD_SCHEMA_ID, LEAD_SCHEMA));
    /** topic -> events in replay order; a replay id is the 8-byte big-endian position + 1000. */
    private final Map<String, List<ConsumerEvent>> topics = new ConcurrentHashMap<>();
    private final List<Subscription> live = new CopyOnWriteArrayList<>();
    final List<FetchRequest> fetchRequests = new CopyOnWriteArrayList<>();
    final AtomicInteger unauthenticated = new AtomicInteger();
    /** The access tokens of the calls let through, in order. */
    final List<String> acceptedTokens = new CopyOnWriteArrayList<>();
    /** Refuse the next call's token, as Salesforce does once a session has expired or was revoked. */
    final java.util.concurrent.atomic.AtomicBoolean refuseNextToken = new java.util.concurrent.atomic.AtomicBoolean();
    final AtomicInteger schemaCalls = new AtomicInteger();
    /** Set when an event was ever sent beyond what the subscriber asked for (must stay 0). */
    final AtomicInteger overSent = new AtomicInteger();

    PubSubFake(String org, Predicate<String> validToken) throws IOException {
        this.org = org;
        this.validToken = validToken;
        ServerServiceDefinition service = ServerServiceDefinition.builder(PubSubApi.SERVICE)
                .addMethod(PubSubApi.SUBSCRIBE, ServerCalls.asyncBidiStreamingCall(this::subscribe))
                .addMethod(PubSubApi.GET_SCHEMA, ServerCalls.asyncUnaryCall((request, out) -> {
                    schemaCalls.incrementAndGet();
                    String json = schemas.get(request.schemaId());
                    if (json == null) {
                        out.onError(Status.NOT_FOUND.withDescription("no schema " + request.schemaId())
                                .asRuntimeException());
                        return;
                    }
                    out.onNext(new SchemaInfo(json, request.schemaId()));
                    out.onCompleted();
                }))
                .build();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(ServerInterceptors.intercept(service, new Auth())).build().start();
    }

    ManagedChannel channel() {
        return InProcessChannelBuilder.forName(name).build();
    }

    /** The headers Salesforce requires on every call. */
    private final class Auth implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            String token = headers.get(PubSubApi.ACCESS_TOKEN);
            boolean revoked = refuseNextToken.getAndSet(false);
            if (revoked || !validToken.test(token) || headers.get(PubSubApi.INSTANCE_URL) == null
                    || !org.equals(headers.get(PubSubApi.TENANT_ID))) {
                unauthenticated.incrementAndGet();
                call.close(Status.UNAUTHENTICATED.withDescription("Invalid access token or tenant"), new Metadata());
                return new ServerCall.Listener<>() {
                };
            }
            acceptedTokens.add(token);
            return next.startCall(call, headers);
        }
    }

    // --------------------------------------------------------------------------------------------------- publishing

    /** Appends a change event to the topic and delivers it to subscribers that have requested events. */
    byte[] publish(String topic, GenericRecord event) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(event.getSchema()).write(event, encoder);
        encoder.flush();
        List<ConsumerEvent> log = topics.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>());
        byte[] replayId;
        synchronized (log) {
            replayId = replayId(log.size());
            log.add(new ConsumerEvent(UUID.randomUUID().toString(), LEAD_SCHEMA_ID, bytes.toByteArray(), replayId));
        }
        live.forEach(Subscription::pump);
        return replayId;
    }

    /** Sends a keepalive (no events, the latest replay id) on every open stream. */
    void keepalive() {
        live.forEach(Subscription::keepalive);
    }

    /** Ends every open stream with an error, as a server restart would. */
    void dropStreams() {
        live.forEach(s -> s.fail(Status.UNAVAILABLE.withDescription("connection reset")));
    }

    int liveStreams() {
        return live.size();
    }

    /** A Lead change event with the given header values. */
    static GenericRecord leadChange(String changeType, String recordId, String origin, String commitUser,
            long commitMillis, Map<String, Object> fields) {
        Schema schema = new Schema.Parser().parse(LEAD_SCHEMA);
        Schema headerSchema = schema.getField("ChangeEventHeader").schema();
        GenericRecord header = new GenericData.Record(headerSchema);
        header.put("entityName", "Lead");
        header.put("recordIds", recordId == null ? List.of() : List.of(recordId));
        header.put("changeType", new GenericData.EnumSymbol(headerSchema.getField("changeType").schema(),
                changeType));
        header.put("changeOrigin", origin);
        header.put("transactionKey", UUID.randomUUID().toString());
        header.put("sequenceNumber", 1);
        header.put("commitTimestamp", commitMillis);
        header.put("commitNumber", commitMillis);
        header.put("commitUser", commitUser);
        header.put("nulledFields", List.of());
        header.put("diffFields", List.of());
        header.put("changedFields", List.of());
        GenericRecord event = new GenericData.Record(schema);
        event.put("ChangeEventHeader", header);
        Object last = fields.get("LastName");
        if (last != null) {
            Schema nameSchema = schema.getField("Name").schema().getTypes().get(1);
            GenericRecord name = new GenericData.Record(nameSchema);
            name.put("LastName", last);
            event.put("Name", name);
        }
        fields.forEach((k, v) -> {
            if (!"LastName".equals(k)) {
                event.put(k, v);
            }
        });
        return event;
    }

    static byte[] replayId(int position) {
        return ByteBuffer.allocate(8).putLong(position + 1000L).array();
    }

    static int position(byte[] replayId) {
        if (replayId == null || replayId.length != 8) {
            return -1;
        }
        return (int) (ByteBuffer.wrap(replayId).getLong() - 1000L);
    }

    // -------------------------------------------------------------------------------------------------- streams

    private StreamObserver<FetchRequest> subscribe(StreamObserver<FetchResponse> out) {
        Subscription s = new Subscription(out);
        return new StreamObserver<>() {
            @Override
            public void onNext(FetchRequest request) {
                fetchRequests.add(request);
                s.request(request);
            }

            @Override
            public void onError(Throwable t) {
                live.remove(s);
            }

            @Override
            public void onCompleted() {
                live.remove(s);
                s.complete();
            }
        };
    }

    private final class Subscription {
        private final StreamObserver<FetchResponse> out;
        private String topic;
        private int next = -1;
        private int credits;
        private boolean closed;

        Subscription(StreamObserver<FetchResponse> out) {
            this.out = out;
        }

        synchronized void request(FetchRequest request) {
            if (closed) {
                return;
            }
            if (topic == null) {
                topic = request.topicName();
                List<ConsumerEvent> log = topics.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>());
                switch (request.replayPreset()) {
                    case EARLIEST -> next = 0;
                    case LATEST -> next = log.size();
                    case CUSTOM -> {
                        int p = position(request.replayId());
                        if (p < 0 || p >= log.size()) {
                            Metadata trailers = new Metadata();
                            trailers.put(PubSubApi.ERROR_CODE, PubSubApi.REPLAY_ID_CORRUPTED);
                            closed = true;
                            out.onError(Status.INVALID_ARGUMENT.withDescription("The Replay ID validation failed.")
                                    .asRuntimeException(trailers));
                            return;
                        }
                        next = p + 1;
                    }
                }
                live.add(this);
            }
            credits += request.numRequested();
            pumpLocked();
        }

        synchronized void pump() {
            pumpLocked();
        }

        private void pumpLocked() {
            if (closed || topic == null) {
                return;
            }
            List<ConsumerEvent> log = topics.get(topic);
            List<ConsumerEvent> batch = new ArrayList<>();
            while (credits > 0 && next < log.size()) {
                batch.add(log.get(next++));
                credits--;
            }
            if (credits < 0) {
                overSent.incrementAndGet();
            }
            if (!batch.isEmpty()) {
                out.onNext(new FetchResponse(batch, batch.get(batch.size() - 1).replayId(), "rpc-" + UUID.randomUUID(),
                        credits));
            }
        }

        synchronized void keepalive() {
            if (closed || topic == null) {
                return;
            }
            // the last event this stream delivered: a server without events for us names what we already have
            List<ConsumerEvent> log = topics.get(topic);
            byte[] latest = next <= 0 ? null : log.get(next - 1).replayId();
            out.onNext(new FetchResponse(List.of(), latest, "rpc-keepalive", credits));
        }

        synchronized void fail(Status status) {
            if (!closed) {
                closed = true;
                live.remove(this);
                out.onError(status.asRuntimeException());
            }
        }

        synchronized void complete() {
            if (!closed) {
                closed = true;
                out.onCompleted();
            }
        }
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}

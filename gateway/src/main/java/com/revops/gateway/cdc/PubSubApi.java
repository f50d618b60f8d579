package com.revops.gateway.cdc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

/**
 * The part of Salesforce's Pub/Sub API ({@code eventbus.v1.PubSub}, pubsub_api.proto) the gateway uses: the
 * {@code Subscribe} bidirectional stream and {@code GetSchema}. The messages are written and read with protobuf's wire
 * coding by hand (field numbers as in the published proto), so the build needs no protoc step. Each message can be
 * written and read both ways, so the test fake speaks the same protocol. Unknown fields are skipped, as protobuf
 * requires. Plain Java.
 */
public final class PubSubApi {

    public static final String SERVICE = "eventbus.v1.PubSub";

    /** Authentication headers every call carries. */
    public static final Metadata.Key<String> ACCESS_TOKEN = Metadata.Key.of("accesstoken",
            Metadata.ASCII_STRING_MARSHALLER);
    public static final Metadata.Key<String> INSTANCE_URL = Metadata.Key.of("instanceurl",
            Metadata.ASCII_STRING_MARSHALLER);
    public static final Metadata.Key<String> TENANT_ID = Metadata.Key.of("tenantid", Metadata.ASCII_STRING_MARSHALLER);

    /** Error code Salesforce puts in the status of a stream whose replay id it cannot use. */
    public static final String REPLAY_ID_CORRUPTED = "sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted";
    public static final String REPLAY_ID_INVALID = "sfdc.platform.eventbus.grpc.subscription.fetch.replayid.invalid";
    /** Trailer that carries Salesforce's error code. */
    public static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of("error-code",
            Metadata.ASCII_STRING_MARSHALLER);

    private PubSubApi() {
    }

    /** {@code ReplayPreset}: where a subscription starts. */
    public enum ReplayPreset {
        LATEST, EARLIEST, CUSTOM
    }

    /** {@code FetchRequest}: 1 topic_name, 2 replay_preset, 3 replay_id, 4 num_requested, 5 auth_refresh. */
    public record FetchRequest(String topicName, ReplayPreset replayPreset, byte[] replayId, int numRequested) {

        byte[] write() throws IOException {
            return encode(out -> {
                writeString(out, 1, topicName);
                if (replayPreset != null && replayPreset != ReplayPreset.LATEST) {
                    out.writeEnum(2, replayPreset.ordinal());
                }
                writeBytes(out, 3, replayId);
                if (numRequested != 0) {
                    out.writeInt32(4, numRequested);
                }
            });
        }

        static FetchRequest read(CodedInputStream in) throws IOException {
            String topic = null;
            ReplayPreset preset = ReplayPreset.LATEST;
            byte[] replayId = null;
            int n = 0;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> topic = in.readString();
                    case 2 -> {
                        int v = in.readEnum();
                        preset = v >= 0 && v < ReplayPreset.values().length ? ReplayPreset.values()[v] : null;
                    }
                    case 3 -> replayId = in.readByteArray();
                    case 4 -> n = in.readInt32();
                    default -> in.skipField(tag);
                }
            }
            return new FetchRequest(topic, preset, replayId, n);
        }
    }

    /** {@code ConsumerEvent} with its {@code ProducerEvent}: id, schema_id, Avro payload, replay_id. */
    public record ConsumerEvent(String id, String schemaId, byte[] payload, byte[] replayId) {

        void write(CodedOutputStream out, int field) throws IOException {
            byte[] producer = encode(p -> {
                writeString(p, 1, id);
                writeString(p, 2, schemaId);
                writeBytes(p, 3, payload);
            });
            byte[] consumer = encode(c -> {
                c.writeByteArray(1, producer);
                writeBytes(c, 2, replayId);
            });
            out.writeByteArray(field, consumer);
        }

        static ConsumerEvent read(byte[] bytes) throws IOException {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            String id = null;
            String schemaId = null;
            byte[] payload = null;
            byte[] replayId = null;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> {
                        CodedInputStream p = CodedInputStream.newInstance(in.readByteArray());
                        for (int t = p.readTag(); t != 0; t = p.readTag()) {
                            switch (WireFormat.getTagFieldNumber(t)) {
                                case 1 -> id = p.readString();
                                case 2 -> schemaId = p.readString();
                                case 3 -> payload = p.readByteArray();
                                default -> p.skipField(t);
                            }
                        }
                    }
                    case 2 -> replayId = in.readByteArray();
                    default -> in.skipField(tag);
                }
            }
            return new ConsumerEvent(id, schemaId, payload, replayId);
        }
    }

    /**
     * {@code FetchResponse}: 1 events, 2 latest_replay_id, 3 rpc_id, 4 pending_num_requested. A response without
     * events is a keepalive; its latest_replay_id may be stored to stay within the retention window.
     */
    public record FetchResponse(List<ConsumerEvent> events, byte[] latestReplayId, String rpcId,
            int pendingNumRequested) {

        byte[] write() throws IOException {
            return encode(out -> {
                for (ConsumerEvent e : events) {
                    e.write(out, 1);
                }
                writeBytes(out, 2, latestReplayId);
                writeString(out, 3, rpcId);
                if (pendingNumRequested != 0) {
                    out.writeInt32(4, pendingNumRequested);
                }
            });
        }

        static FetchResponse read(CodedInputStream in) throws IOException {
            List<ConsumerEvent> events = new ArrayList<>();
            byte[] latest = null;
            String rpcId = null;
            int pending = 0;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> events.add(ConsumerEvent.read(in.readByteArray()));
                    case 2 -> latest = in.readByteArray();
                    case 3 -> rpcId = in.readString();
                    case 4 -> pending = in.readInt32();
                    default -> in.skipField(tag);
                }
            }
            return new FetchResponse(events, latest, rpcId, pending);
        }
    }

    /** {@code SchemaRequest}: 1 schema_id. */
    public record SchemaRequest(String schemaId) {

        byte[] write() throws IOException {
            return encode(out -> writeString(out, 1, schemaId));
        }

        static SchemaRequest read(CodedInputStream in) throws IOException {
            String id = null;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == 1) {
                    id = in.readString();
                } else {
                    in.skipField(tag);
                }
            }
            return new SchemaRequest(id);
        }
    }

    /** {@code SchemaInfo}: 1 schema_json (Avro), 2 schema_id, 3 rpc_id. */
    public record SchemaInfo(String schemaJson, String schemaId) {

        byte[] write() throws IOException {
            return encode(out -> {
                writeString(out, 1, schemaJson);
                writeString(out, 2, schemaId);
            });
        }

        static SchemaInfo read(CodedInputStream in) throws IOException {
            String json = null;
            String id = null;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> json = in.readString();
                    case 2 -> id = in.readString();
                    default -> in.skipField(tag);
                }
            }
            return new SchemaInfo(json, id);
        }
    }

    public static final MethodDescriptor<FetchRequest, FetchResponse> SUBSCRIBE = MethodDescriptor
            .<FetchRequest, FetchResponse>newBuilder()
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Subscribe"))
            .setRequestMarshaller(marshaller(FetchRequest::write, FetchRequest::read))
            .setResponseMarshaller(marshaller(FetchResponse::write, FetchResponse::read))
            .build();

    public static final MethodDescriptor<SchemaRequest, SchemaInfo> GET_SCHEMA = MethodDescriptor
            .<SchemaRequest, SchemaInfo>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "GetSchema"))
            .setRequestMarshaller(marshaller(SchemaRequest::write, SchemaRequest::read))
            .setResponseMarshaller(marshaller(SchemaInfo::write, SchemaInfo::read))
            .build();

    // ------------------------------------------------------------------------------------------------ wire coding

    private interface Writer<T> {
        byte[] write(T value) throws IOException;
    }

    private interface Reader<T> {
        T read(CodedInputStream in) throws IOException;
    }

    private interface Body {
        void write(CodedOutputStream out) throws IOException;
    }

    private static <T> MethodDescriptor.Marshaller<T> marshaller(Writer<T> writer, Reader<T> reader) {
        return new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(T value) {
                try {
                    return new ByteArrayInputStream(writer.write(value));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public T parse(InputStream stream) {
                try {
                    return reader.read(CodedInputStream.newInstance(stream.readAllBytes()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    private static byte[] encode(Body body) throws IOException {
        ByteString.Output buffer = ByteString.newOutput();
        CodedOutputStream out = CodedOutputStream.newInstance(buffer);
        body.write(out);
        out.flush();
        return buffer.toByteString().toByteArray();
    }

    private static void writeString(CodedOutputStream out, int field, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            out.writeString(field, value);
        }
    }

    private static void writeBytes(CodedOutputStream out, int field, byte[] value) throws IOException {
        if (value != null && value.length > 0) {
            out.writeByteArray(field, value);
        }
    }
}

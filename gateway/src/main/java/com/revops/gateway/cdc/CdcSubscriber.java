package com.revops.gateway.cdc;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.apache.avro.Schema;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.revops.gateway.cdc.PubSubApi.ConsumerEvent;
import com.revops.gateway.cdc.PubSubApi.FetchRequest;
import com.revops.gateway.cdc.PubSubApi.FetchResponse;
import com.revops.gateway.cdc.PubSubApi.ReplayPreset;
import com.revops.gateway.crm.salesforce.SalesforceClient;
import com.revops.gateway.webhooks.IncomingEvent;
import com.revops.gateway.webhooks.WebhookStore;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * One channel's Change Data Capture subscription ({@code Subscribe} of the Pub/Sub API). The loop:
 * <ol>
 * <li>take the channel's lease row (one replica subscribes; the others stand by and retry), read the stored replay
 * id;</li>
 * <li>authenticate with the Salesforce REST session (access token, instance URL, org id as headers) and subscribe:
 * CUSTOM after the stored replay id, else the initial preset; ask for {@code batchSize} events;</li>
 * <li>for every response: decode the events (Avro, writer schema fetched by id and cached), store them in the webhook
 * store (deduplicated; the normaliser publishes the canonical events), then move the stored replay id, then ask for as
 * many events as were consumed. A crash between storing and moving the replay id replays events the store drops as
 * duplicates;</li>
 * <li>on UNAUTHENTICATED drop the session and resubscribe once at once; on a refused replay id forget it, start at the
 * fallback preset and run an incremental sync for the gap; on GAP events run an incremental sync of the object; on
 * anything else resubscribe after an exponential back-off.</li>
 * </ol>
 * Responses are handled one after the other on the Mutiny pipeline; the blocking parts (token, schema) run on the
 * worker pool, never on the event loop or a gRPC thread.
 */
public final class CdcSubscriber {

    /** Where the subscription is. */
    public enum State {
        STOPPED, STANDBY, CONNECTING, STREAMING, BACKOFF
    }

    /** What {@code /admin/cdc} and the health check show of a subscription on this replica. */
    public record Snapshot(String topic, State state, long eventsReceived, long eventsStored, long echoes,
            long reconnects, int consecutiveFailures, Instant lastResponseAt, Instant lastCommitAt, String lastError) {
    }

    /** What a subscriber needs around it; shared by the subscribers of one service. */
    public record Context(Pool pool, WebhookStore store, ObjectMapper mapper, MeterRegistry registry,
            Supplier<SalesforceClient> salesforce, String orgId, String clientName, String integrationUserId,
            ScheduledExecutorService scheduler, GapSyncs gaps, Map<String, Schema> schemas, String holder,
            int batchSize, ReplayPreset initialPreset, ReplayPreset fallbackPreset, Duration initialBackoff,
            Duration maxBackoff, Duration lease) {
    }

    private final String topic;
    private final Channel channel;
    private final Context ctx;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong echoes = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();

    // guarded by this
    private State state = State.STOPPED;
    private boolean stopped = true;
    private Cancellable stream;
    private StreamObserver<FetchRequest> requests;
    private SalesforceClient.Session session;
    private boolean sessionRenewed;
    private boolean useFallback;
    private int failures;
    private int outstanding;
    private ScheduledFuture<?> renewal;
    private ScheduledFuture<?> next;
    /** Which stream is current: callbacks of an earlier stream (late failures, its lease renewal) are ignored. */
    private int generation;
    private Instant lastResponseAt;
    private Instant lastCommitAt;
    private String lastError;

    public CdcSubscriber(String topic, Channel channel, Context ctx) {
        this.topic = topic;
        this.channel = channel;
        this.ctx = ctx;
    }

    public String topic() {
        return topic;
    }

    public synchronized void start() {
        if (!stopped) {
            return;
        }
        stopped = false;
        schedule(Duration.ZERO);
    }

    /** Ends the stream and gives the lease back, so another replica takes over at once. */
    public Uni<Void> stop() {
        synchronized (this) {
            stopped = true;
            state = State.STOPPED;
            cancelStream();
            if (next != null) {
                next.cancel(false);
            }
        }
        return ctx.pool().preparedQuery("""
                UPDATE cdc_subscription SET lease_owner = NULL, lease_until = NULL, updated_at = now()
                 WHERE topic = $1 AND lease_owner = $2""").execute(Tuple.of(topic, ctx.holder())).replaceWithVoid();
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(topic, state, received.get(), stored.get(), echoes.get(), reconnects.get(), failures,
                lastResponseAt, lastCommitAt, lastError);
    }

    // ------------------------------------------------------------------------------------------------- connecting

    private synchronized void schedule(Duration delay) {
        if (stopped) {
            return;
        }
        next = ctx.scheduler().schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private record Position(byte[] replayId, OffsetDateTime replayedAt) {
    }

    private void connect() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            state = State.CONNECTING;
        }
        claim().subscribe().with(position -> {
            if (position == null) {
                synchronized (this) {
                    state = stopped ? State.STOPPED : State.STANDBY;
                }
                schedule(ctx.lease().dividedBy(2)); // another replica holds it: try again when its lease may lapse
                return;
            }
            Uni.createFrom().item(() -> ctx.salesforce().get().session())
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .subscribe().with(s -> open(s, position), t -> failed(t, -1));
        }, t -> failed(t, -1));
    }

    /** The channel's row, held by us: its stored replay position; null when another replica holds it. */
    private Uni<Position> claim() {
        return ctx.pool().preparedQuery("INSERT INTO cdc_subscription (topic) VALUES ($1) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(topic))
                .chain(() -> ctx.pool().preparedQuery("""
                        UPDATE cdc_subscription SET lease_owner = $2, lease_until = now() + ($3 * interval '1 millisecond'),
                               updated_at = now()
                         WHERE topic = $1 AND (lease_owner = $2 OR lease_owner IS NULL OR lease_until < now())
                        RETURNING replay_id, replayed_at""")
                        .execute(Tuple.of(topic, ctx.holder(), ctx.lease().toMillis())))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    Object replay = r.getValue("replay_id");
                    byte[] id = replay instanceof io.vertx.core.buffer.Buffer b ? b.getBytes()
                            : replay instanceof io.vertx.mutiny.core.buffer.Buffer b ? b.getBytes() : null;
                    return new Position(id, r.getOffsetDateTime("replayed_at"));
                });
    }

    private void open(SalesforceClient.Session s, Position position) {
        Metadata headers = new Metadata();
        headers.put(PubSubApi.ACCESS_TOKEN, s.accessToken());
        headers.put(PubSubApi.INSTANCE_URL, s.instanceUrl());
        headers.put(PubSubApi.TENANT_ID, ctx.orgId());
        Channel authed = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
        FetchRequest first;
        int gen;
        synchronized (this) {
            if (stopped) {
                return;
            }
            session = s;
            if (useFallback) {
                first = new FetchRequest(topic, ctx.fallbackPreset(), null, ctx.batchSize());
            } else if (position.replayId() != null) {
                first = new FetchRequest(topic, ReplayPreset.CUSTOM, position.replayId(), ctx.batchSize());
            } else {
                first = new FetchRequest(topic, ctx.initialPreset(), null, ctx.batchSize());
            }
            outstanding = ctx.batchSize();
            state = State.STREAMING;
            gen = ++generation;
        }
        Log.infof("CDC %s: subscribing (%s)", topic, first.replayPreset());
        Multi<FetchResponse> responses = Multi.createFrom().emitter(emitter -> {
            StreamObserver<FetchRequest> out = ClientCalls.asyncBidiStreamingCall(
                    authed.newCall(PubSubApi.SUBSCRIBE, CallOptions.DEFAULT), new StreamObserver<>() {
                        @Override
                        public void onNext(FetchResponse value) {
                            emitter.emit(value);
                        }

                        @Override
                        public void onError(Throwable t) {
                            emitter.fail(t);
                        }

                        @Override
                        public void onCompleted() {
                            emitter.complete();
                        }
                    });
            // cancels the call when the pipeline ends (stop, failure, lost lease); a no-op once the call is over
            emitter.onTermination(() -> ((io.grpc.stub.ClientCallStreamObserver<FetchRequest>) out)
                    .cancel("subscriber stopped", null));
            synchronized (this) {
                requests = out;
                out.onNext(first);
            }
        }, BackPressureStrategy.BUFFER);
        Cancellable subscription = responses.onItem().transformToUniAndConcatenate(r -> handle(authed, r))
                .subscribe().with(x -> {
                }, t -> failed(t, gen), () -> failed(Status.UNAVAILABLE.withDescription("stream ended")
                        .asRuntimeException(), gen));
        synchronized (this) {
            if (generation != gen || state != State.STREAMING) {
                subscription.cancel(); // it failed (or was stopped) while being opened
                return;
            }
            stream = subscription;
            renewal = ctx.scheduler().scheduleAtFixedRate(() -> renewLease(gen), ctx.lease().toMillis() / 3,
                    ctx.lease().toMillis() / 3, TimeUnit.MILLISECONDS);
        }
    }

    private void renewLease(int gen) {
        ctx.pool().preparedQuery("""
                UPDATE cdc_subscription SET lease_until = now() + ($3 * interval '1 millisecond'), updated_at = now()
                 WHERE topic = $1 AND lease_owner = $2""")
                .execute(Tuple.of(topic, ctx.holder(), ctx.lease().toMillis()))
                .subscribe().with(rows -> {
                    if (rows.rowCount() == 0) {
                        failed(new LeaseLost(), gen);
                    }
                }, e -> Log.warnf("CDC %s: lease not renewed: %s", topic, e.getMessage()));
    }

    /** Another replica took the subscription over (our lease lapsed). */
    static final class LeaseLost extends RuntimeException {
        LeaseLost() {
            super("lease lost to another replica", null, false, false);
        }
    }

    private synchronized void cancelStream() {
        if (renewal != null) {
            renewal.cancel(false);
            renewal = null;
        }
        if (stream != null) {
            stream.cancel();
            stream = null;
        }
        requests = null;
    }

    // ------------------------------------------------------------------------------------------------- responses

    private record Decoded(ConsumerEvent raw, ChangeEvent event) {
    }

    private Uni<Void> handle(Channel authed, FetchResponse response) {
        synchronized (this) {
            lastResponseAt = Instant.now();
        }
        if (response.events().isEmpty()) {
            // keepalive: its latest replay id keeps a quiet subscription inside the retention window
            return saveReplay(response.latestReplayId(), null, 0).invoke(this::healthy);
        }
        int n = response.events().size();
        received.addAndGet(n);
        ctx.registry().counter("cdc.events.received", "topic", topic).increment(n);
        return Uni.createFrom().item(() -> decode(authed, response.events()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(decoded -> {
                    List<IncomingEvent> incoming = new ArrayList<>();
                    List<ChangeEvent> gaps = new ArrayList<>();
                    List<String> body = new ArrayList<>();
                    Instant lastCommit = null;
                    for (Decoded d : decoded) {
                        ChangeEvent e = d.event();
                        if (e == null) {
                            continue;
                        }
                        lastCommit = e.commitTimestamp() != null ? e.commitTimestamp() : lastCommit;
                        if (e.gap()) {
                            gaps.add(e);
                            continue;
                        }
                        boolean own = e.ownWrite(ctx.clientName(), ctx.integrationUserId());
                        if (own) {
                            echoes.incrementAndGet();
                            ctx.registry().counter("cdc.echoes", "topic", topic).increment();
                        }
                        for (IncomingEvent in : e.incoming(ctx.orgId(), d.raw().replayId(), own, ctx.mapper())) {
                            incoming.add(in);
                            body.add(in.payloadJson());
                        }
                    }
                    Instant commit = lastCommit;
                    ObjectNode delivery = ctx.mapper().createObjectNode().put("topic", topic)
                            .put("rpcId", response.rpcId());
                    String deliveryJson = delivery.toString().replaceFirst("}$", ",\"events\":["
                            + String.join(",", body) + "]}");
                    Uni<Void> storedUni = incoming.isEmpty() ? Uni.createFrom().voidItem()
                            : ctx.store().store("salesforce", "{\"source\":\"cdc\",\"topic\":\"" + topic + "\"}",
                                    deliveryJson, incoming)
                                    .invoke(receipt -> stored.addAndGet(receipt.stored()))
                                    .replaceWithVoid();
                    Uni<Void> gapSyncs = gaps.isEmpty() ? Uni.createFrom().voidItem()
                            : Multi.createFrom().iterable(gaps)
                                    .onItem().transformToUniAndConcatenate(gap -> ctx.gaps().request(
                                            gap.entityName(), gap.commitTimestamp() == null ? null
                                                    : gap.commitTimestamp().minusSeconds(60),
                                            "CDC " + gap.changeType() + " on " + topic))
                                    .collect().last().replaceWithVoid();
                    byte[] last = response.events().get(n - 1).replayId();
                    return storedUni.chain(() -> gapSyncs).chain(() -> saveReplay(last, commit, n))
                            .invoke(() -> {
                                if (commit != null) {
                                    ctx.registry().timer("cdc.lag", "topic", topic)
                                            .record(Duration.between(commit, Instant.now()).abs());
                                }
                            });
                })
                .invoke(this::healthy)
                .invoke(() -> consumed(n));
    }

    /** Decodes each event with its writer schema; one that cannot be read is logged, counted and passed over. */
    private List<Decoded> decode(Channel authed, List<ConsumerEvent> events) {
        List<Decoded> out = new ArrayList<>();
        for (ConsumerEvent raw : events) {
            try {
                Schema schema = ctx.schemas().get(raw.schemaId());
                if (schema == null) {
                    PubSubApi.SchemaInfo info = ClientCalls.blockingUnaryCall(authed, PubSubApi.GET_SCHEMA,
                            CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                            new PubSubApi.SchemaRequest(raw.schemaId()));
                    schema = new Schema.Parser().parse(info.schemaJson());
                    ctx.schemas().put(raw.schemaId(), schema);
                }
                out.add(new Decoded(raw, ChangeEvent.decode(schema, raw.payload())));
            } catch (io.grpc.StatusRuntimeException e) {
                throw e; // the stream's failure handling decides (e.g. UNAUTHENTICATED)
            } catch (Exception e) {
                Log.errorf("CDC %s: event %s (replay %s) could not be decoded and is skipped: %s", topic, raw.id(),
                        raw.replayId() == null ? "-" : HexFormat.of().formatHex(raw.replayId()), e.getMessage());
                ctx.registry().counter("cdc.events.undecodable", "topic", topic).increment();
                out.add(new Decoded(raw, null));
            }
        }
        return out;
    }

    /** Moves the stored replay id, only while we hold the lease. */
    private Uni<Void> saveReplay(byte[] replayId, Instant commit, int events) {
        if (replayId == null || replayId.length == 0) {
            return Uni.createFrom().voidItem();
        }
        return ctx.pool().preparedQuery("""
                UPDATE cdc_subscription SET replay_id = $3, replayed_at = coalesce($4, replayed_at),
                       events = events + $5, last_error = NULL, updated_at = now(),
                       lease_until = now() + ($6 * interval '1 millisecond')
                 WHERE topic = $1 AND lease_owner = $2""")
                .execute(Tuple.from(java.util.Arrays.asList(topic, ctx.holder(),
                        io.vertx.core.buffer.Buffer.buffer(replayId),
                        commit == null ? null : commit.atOffset(ZoneOffset.UTC), events, ctx.lease().toMillis())))
                .invoke(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new LeaseLost();
                    }
                })
                .replaceWithVoid();
    }

    private synchronized void healthy() {
        failures = 0;
        sessionRenewed = false;
        useFallback = false;
        lastError = null;
    }

    /** Flow control: once half the requested events are consumed, ask for as many again. */
    private synchronized void consumed(int n) {
        outstanding -= n;
        if (requests != null && outstanding <= ctx.batchSize() / 2) {
            int more = ctx.batchSize() - Math.max(0, outstanding);
            requests.onNext(new FetchRequest(topic, null, null, more));
            outstanding += more;
        }
    }

    // ------------------------------------------------------------------------------------------------- failures

    /** @param gen the stream that failed; -1 when no stream was open yet (claim or token failed) */
    private void failed(Throwable t, int gen) {
        Status status = Status.fromThrowable(t);
        String detail = status.getDescription() == null ? String.valueOf(t.getMessage()) : status.getDescription();
        Metadata trailers = Status.trailersFromThrowable(t);
        String errorCode = trailers == null ? null : trailers.get(PubSubApi.ERROR_CODE);
        Duration delay;
        boolean replayRejected;
        SalesforceClient.Session stale;
        synchronized (this) {
            if (stopped || gen != -1 && gen != generation) {
                return;
            }
            generation++;
            cancelStream();
            // printable only: a description may quote binary (a replay id), which a text column refuses
            lastError = (status.getCode() + ": " + detail + (errorCode == null ? "" : " (" + errorCode + ")"))
                    .replaceAll("[^\\x20-\\x7E]", "?");
            if (lastError.length() > 500) {
                lastError = lastError.substring(0, 500);
            }
            stale = session;
            replayRejected = replayRejected(status, errorCode, detail);
            if (t instanceof LeaseLost) {
                state = State.STANDBY;
                delay = ctx.lease().dividedBy(2);
            } else if (status.getCode() == Status.Code.UNAUTHENTICATED && !sessionRenewed) {
                sessionRenewed = true; // once, as for INVALID_SESSION_ID on REST; a second refusal backs off
                delay = Duration.ZERO;
                state = State.CONNECTING;
            } else if (replayRejected && !useFallback) {
                useFallback = true;
                delay = Duration.ZERO;
                state = State.CONNECTING;
            } else {
                failures++;
                long millis = Math.min(ctx.maxBackoff().toMillis(),
                        ctx.initialBackoff().toMillis() * (1L << Math.min(failures - 1, 20)));
                delay = Duration.ofMillis(millis);
                state = State.BACKOFF;
            }
        }
        reconnects.incrementAndGet();
        ctx.registry().counter("cdc.reconnects", "topic", topic).increment();
        Log.warnf("CDC %s: stream ended (%s); subscribing again in %d ms", topic, lastError, delay.toMillis());
        if (status.getCode() == Status.Code.UNAUTHENTICATED && stale != null) {
            ctx.salesforce().get().invalidate(stale);
        }
        Uni<Void> before = Uni.createFrom().voidItem();
        if (replayRejected) {
            // the stored position is useless: forget it, and read what we may have missed with an incremental sync
            before = ctx.pool().preparedQuery("""
                    UPDATE cdc_subscription SET replay_id = NULL, last_error = $2, updated_at = now()
                     WHERE topic = $1 RETURNING replayed_at""").execute(Tuple.of(topic, lastError))
                    .chain(rows -> {
                        OffsetDateTime at = rows.size() == 0 ? null : rows.iterator().next()
                                .getOffsetDateTime("replayed_at");
                        return ctx.gaps().requestForTopic(topic, at == null ? null : at.toInstant().minusSeconds(60),
                                "replay id refused on " + topic);
                    });
        } else {
            String error = lastError;
            before = ctx.pool().preparedQuery("UPDATE cdc_subscription SET last_error = $2 WHERE topic = $1")
                    .execute(Tuple.of(topic, error)).replaceWithVoid();
        }
        before.subscribe().with(x -> schedule(delay), e -> {
            Log.warnf("CDC %s: %s", topic, e.getMessage());
            schedule(delay);
        });
    }

    static boolean replayRejected(Status status, String errorCode, String detail) {
        String text = (errorCode == null ? "" : errorCode) + " " + (detail == null ? "" : detail);
        return text.contains("replayid.corrupted") || text.contains("replayid.invalid")
                || status.getCode() == Status.Code.INVALID_ARGUMENT && text.toLowerCase().contains("replay");
    }

    /** Exposed for tests: the schemas cached so far. */
    Map<String, Schema> schemas() {
        return ctx.schemas() instanceof ConcurrentHashMap<String, Schema> m ? m : Map.copyOf(ctx.schemas());
    }
}

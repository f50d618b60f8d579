package com.revops.gateway.commands;

import com.revops.gateway.wakeup.WakeUps;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.revops.platform.events.EventEnvelope;
import com.revops.platform.events.MalformedEventException;
import com.revops.platform.inbox.IdempotentConsumer;

import io.smallrye.mutiny.Uni;

/**
 * Takes commands from {@code crm.commands} (queue {@code gateway.crm-commands}) and records each exactly once;
 * the executor applies recorded commands to the CRMs.
 */
@ApplicationScoped
public class CrmCommandsConsumer {

    /** The command types of the contract (see asyncapi.yaml of the issuing services). */
    static final Set<String> KNOWN = Set.of("owner.assign", "lead.status.set", "task.create", "record.fields.set");
    static final String CONSUMER = "gateway.crm-commands";

    private final IdempotentConsumer inbox;
    private final CrmCommandRepository commands;
    private final WakeUps wakeUps;

    public CrmCommandsConsumer(IdempotentConsumer inbox, CrmCommandRepository commands, WakeUps wakeUps) {
        this.inbox = inbox;
        this.commands = commands;
        this.wakeUps = wakeUps;
    }

    @Incoming("crm-commands")
    public Uni<Void> onMessage(Message<?> message) {
        // after the consumer's transaction: the executors are woken for a committed command only
        return inbox.consume(CONSUMER, message, this::record).invoke(() -> wakeUps.signal(WakeUps.COMMANDS));
    }

    Uni<Void> record(EventEnvelope envelope) {
        if (!KNOWN.contains(envelope.type())) {
            throw new MalformedEventException("unknown command type " + envelope.type());
        }
        CrmCommand command = new CrmCommand();
        command.id = UUID.fromString(envelope.id());
        command.commandType = envelope.type();
        command.issuedBy = envelope.source();
        command.subject = envelope.subject();
        command.payload = envelope.data().toString();
        command.status = "RECEIVED";
        command.receivedAt = Instant.now();
        return commands.persist(command).replaceWithVoid();
    }
}

package com.revops.gateway.commands;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.revops.platform.testing.RabbitTestClient;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Commands published by the services on {@code crm.commands} are recorded once each. */
@QuarkusTest
class CrmCommandsConsumerTest {

    static final String DLQ = "gateway-test.crm-commands.dlq";
    static RabbitTestClient rabbit;

    @Inject
    Pool pool;

    @BeforeAll
    static void connect() {
        rabbit = new RabbitTestClient();
    }

    @AfterAll
    static void disconnect() throws Exception {
        rabbit.close();
    }

    static String command(String id, String type) {
        return """
                {"specversion":"1.0","id":"%s","type":"%s","source":"/lead-routing-service","subject":"lead/7",
                 "data":{"crm":"hubspot","objectType":"contact","objectId":"701","ownerId":"55"}}"""
                .formatted(id, type);
    }

    long count(String sql, Object arg) {
        return pool.preparedQuery(sql).execute(Tuple.of(arg))
                .map(rows -> rows.iterator().next().getLong(0)).await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void commandDeliveredTwiceIsRecordedOnce() throws Exception {
        String id = UUID.randomUUID().toString();
        rabbit.publish("crm.commands", "owner.assign", id, command(id, "owner.assign"));
        rabbit.publish("crm.commands", "owner.assign", id, command(id, "owner.assign"));
        String marker = UUID.randomUUID().toString();
        rabbit.publish("crm.commands", "task.create", marker, command(marker, "task.create"));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM crm_command WHERE id = $1", UUID.fromString(marker)) == 1);
        assertEquals(1, count("SELECT count(*) FROM crm_command WHERE id = $1", UUID.fromString(id)));
        assertEquals(1, count("SELECT count(*) FROM crm_command WHERE id = $1 AND issued_by = '/lead-routing-service'"
                + " AND payload->>'ownerId' = '55'", UUID.fromString(id)));
    }

    @Test
    void unknownCommandTypeIsDeadLetteredAndNothingRecorded() throws Exception {
        rabbit.purge(DLQ);
        String id = UUID.randomUUID().toString();
        rabbit.publish("crm.commands", "lead.delete", id, command(id, "lead.delete"));
        await().atMost(Duration.ofSeconds(10)).until(() -> rabbit.messageCount(DLQ) == 1);
        assertEquals(0, count("SELECT count(*) FROM crm_command WHERE id = $1", UUID.fromString(id)));
    }
}

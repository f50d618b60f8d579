package com.revops.platform.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * What every service must show about its foundation, run by each service's test suite against the real
 * PostgreSQL, RabbitMQ and Keycloak: readiness over database and broker, API docs, metrics, problem+json security
 * answers with real Keycloak tokens, and a schema built by migrations from an empty database.
 */
public abstract class PlatformContractTest {

    /** The Flyway versions the service's migrations must have applied, e.g. {@code 0.1}, {@code 1}. */
    protected abstract List<String> expectedMigrations();

    @Test
    void readinessIsUpWithDatabaseAndBrokerChecks() {
        given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("rabbitmq-publisher"))
                .body("checks.name", hasItem(containsString("PostgreSQL")));
    }

    @Test
    void openApiAndSwaggerUiAreServed() {
        given().when().get("/q/openapi?format=json").then().statusCode(200).body("openapi", notNullValue());
        given().when().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }

    @Test
    void prometheusMetricsAreExposed() {
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("outbox_published"));
    }

    @Test
    void adminEndpointWithoutTokenIs401Problem() {
        given().when().get("/admin/outbox").then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("status", equalTo(401));
    }

    @Test
    void sdrTokenFromKeycloakIsForbiddenOnAdminEndpoint() {
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.SDR_1))
                .when().get("/admin/outbox").then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("title", equalTo("Forbidden"));
    }

    @Test
    void adminTokenFromKeycloakReadsOutboxAndDeadLetters() {
        String token = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        given().auth().oauth2(token).when().get("/admin/outbox").then()
                .statusCode(200).body("pending", notNullValue());
        given().auth().oauth2(token).when().get("/admin/dead-letters").then().statusCode(200);
        given().auth().oauth2(token).when().get("/admin/dead-letters/no-such-queue").then()
                .statusCode(404).contentType("application/problem+json");
    }

    @Test
    void forgedTokenIsRejected() {
        String forged = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4IiwicmVhbG1fYWNjZXNzIjp7InJvbGVzIjpbInJldm9wcy1hZG1pbiJdfX0."
                + "c2lnbmF0dXJl";
        given().auth().oauth2(forged).when().get("/admin/outbox").then().statusCode(401);
    }

    @Test
    void migrationsBuiltTheSchemaFromAnEmptyDatabase() throws Exception {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        String database = ConfigProvider.getConfig().getValue("test.database.name", String.class);
        assertTrue(url.endsWith("/" + database), "tests run on the fresh database " + database);
        List<String> applied = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL "
                                + "ORDER BY installed_rank")) {
            while (rs.next()) {
                assertTrue(rs.getBoolean("success"), "migration " + rs.getString("version") + " succeeded");
                applied.add(rs.getString("version"));
            }
        }
        assertEquals(expectedMigrations(), applied);
    }
}

package com.revops.gateway.crm.salesforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The error-body parser, the limit header parser and config validation: everything optional, nothing crashes. */
class SalesforceErrorsTest {

    static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void restErrorArrayKeepsEveryEntry() {
        List<SalesforceError> errors = SalesforceErrors.parse(MAPPER, """
                [{"message":"Required fields are missing: [LastName]","errorCode":"REQUIRED_FIELD_MISSING",
                  "fields":["LastName"]},
                 {"message":"bad value","errorCode":"INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST","fields":["Status"]}]
                """);

        assertEquals(List.of(
                new SalesforceError("REQUIRED_FIELD_MISSING", "Required fields are missing: [LastName]",
                        List.of("LastName")),
                new SalesforceError("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "bad value", List.of("Status"))),
                errors);
    }

    @Test
    void everyFieldIsOptional() {
        assertEquals(List.of(new SalesforceError(null, null, List.of())), SalesforceErrors.parse(MAPPER, "[{}]"));
        assertEquals(List.of(new SalesforceError("X", null, List.of())),
                SalesforceErrors.parse(MAPPER, "[{\"errorCode\":\"X\",\"message\":null,\"fields\":null}]"));
        assertEquals(List.of(new SalesforceError(null, "m", List.of("Status"))),
                SalesforceErrors.parse(MAPPER, "[{\"message\":\"m\",\"fields\":\"Status\"}]"));
        assertEquals(List.of(), SalesforceErrors.parse(MAPPER, "[]"));
        assertEquals(List.of(), SalesforceErrors.parse(MAPPER, ""));
        assertEquals(List.of(), SalesforceErrors.parse(MAPPER, null));
        assertEquals(List.of(), SalesforceErrors.parse(MAPPER, "null"));
    }

    @Test
    void oauthErrorObjectIsRead() {
        assertEquals(List.of(new SalesforceError("invalid_grant", "expired access/refresh token", List.of())),
                SalesforceErrors.parse(MAPPER,
                        "{\"error\":\"invalid_grant\",\"error_description\":\"expired access/refresh token\"}"));
    }

    @Test
    void nonJsonBodyBecomesAMessage() {
        List<SalesforceError> errors = SalesforceErrors.parse(MAPPER, "<html>\n  <h1>502 Bad Gateway</h1>\n</html>");
        assertEquals(1, errors.size());
        assertNull(errors.get(0).errorCode());
        assertEquals("<html> <h1>502 Bad Gateway</h1> </html>", errors.get(0).message());

        String huge = "x".repeat(10_000);
        assertTrue(SalesforceErrors.parse(MAPPER, huge).get(0).message().length() < 300);
        assertEquals("oops", SalesforceErrors.parse(MAPPER, "[\"oops\"]").get(0).message());
        assertEquals("{", SalesforceErrors.parse(MAPPER, "{").get(0).message());
    }

    @Test
    void exceptionCarriesTheFirstError() {
        SalesforceException e = new SalesforceException(400, SalesforceErrors.parse(MAPPER,
                "[{\"message\":\"No such column 'Foo' on sobject of type Lead\",\"errorCode\":\"INVALID_FIELD\"}]"));
        assertEquals("INVALID_FIELD", e.errorCode());
        assertEquals(List.of(), e.fields());
        assertEquals("HTTP 400 INVALID_FIELD: No such column 'Foo' on sobject of type Lead", e.getMessage());
        assertNull(new SalesforceException(500, List.of()).errorCode());
    }

    @Test
    void limitHeaderIsParsed() {
        assertEquals(new ApiUsage(18, 15000), ApiUsage.parse("api-usage=18/15000"));
        assertEquals(new ApiUsage(18, 15000),
                ApiUsage.parse("api-usage=18/15000; per-app-api-usage=17/250(appName=sample-app)"));
        assertEquals(new ApiUsage(18, 15000),
                ApiUsage.parse("per-app-api-usage=17/250(appName=sample-app); api-usage=18/15000"));
        assertNull(ApiUsage.parse("per-app-api-usage=17/250(appName=sample-app)"));
        assertNull(ApiUsage.parse("garbage"));
        assertNull(ApiUsage.parse(null));
        assertNull(ApiUsage.parse("api-usage=99999999999999999999/1"));
        assertEquals(0.8, new ApiUsage(80, 100).share());
        assertEquals(1.0, new ApiUsage(0, 0).share());
    }

    @Test
    void configIsValidatedUpFront() {
        SalesforceConfig config = SalesforceConfig.builder("https://acme.my.salesforce.com/", "key")
                .clientCredentials("secret").build();
        assertEquals("https://acme.my.salesforce.com", config.loginUrl());
        assertEquals("v67.0", config.apiVersion());
        assertEquals(0.8, config.quotaCeiling());
        assertEquals(3, config.maxAttempts());

        assertThrows(IllegalArgumentException.class, () -> SalesforceConfig.builder("https://x", "key")
                .clientCredentials("s").apiVersion("67").build());
        assertThrows(IllegalArgumentException.class, () -> SalesforceConfig.builder("https://x", "key")
                .clientCredentials("s").quotaCeiling(1.5).build());
        assertThrows(IllegalArgumentException.class, () -> SalesforceConfig.builder("https://x", "key")
                .clientCredentials(null).build());
        assertThrows(IllegalArgumentException.class, () -> SalesforceConfig.builder("https://x", "key")
                .jwtBearer("user@x", null).build());
        assertThrows(IllegalArgumentException.class, () -> SalesforceConfig.builder("ftp://x", "key")
                .clientCredentials("s").build());
    }
}

package com.revops.gateway.normalise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When a Salesforce Lead's new owner is the echo of our own owner write, and when it is a person's change. */
class OwnerEchoTest {

    static final String US = "005FAKE000000001AAA";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "our recorded write, saved by us                  | 005B | 005FAKE000000001AAA | 005B      | true",
        "our recorded write, a person saved it since      | 005B | 005PERSON000000AAA  | 005B      | true",
        "15 and 18 character ids of the same owner        | 005000000000BBB | 005PERSON | 005000000000BBBAAA | true",
        "saved by us, nothing recorded (documented signal) | 005C | 005FAKE000000001AAA | -        | true",
        "saved by us, but our writes set another owner    | 005C | 005FAKE000000001AAA | 005B      | false",
        "a person's change, nothing recorded              | 005C | 005PERSON000000AAA  | -         | false",
        "a person's change to another owner than ours     | 005C | 005PERSON000000AAA  | 005B      | false",
        "who saved it unknown, nothing recorded           | 005C | -                   | -         | false",
        "owner removed, saved by a person                 | -    | 005PERSON000000AAA  | 005B      | false"})
    void decides(String name, String newOwner, String lastModifiedBy, String recorded, boolean echo) {
        assertEquals(echo, OwnerEcho.isEcho(newOwner, lastModifiedBy, US,
                recorded == null ? List.of() : List.of(recorded)), name);
    }

    @ParameterizedTest(name = "without an integration user: {0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "recorded write still counts | 005B | 005X | 005B | true",
        "nothing recorded            | 005B | 005X | -    | false"})
    void withoutIntegrationUser(String name, String newOwner, String lastModifiedBy, String recorded, boolean echo) {
        assertEquals(echo, OwnerEcho.isEcho(newOwner, lastModifiedBy, null,
                recorded == null ? List.of() : List.of(recorded)), name);
    }
}

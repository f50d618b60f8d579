package com.revops.routing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class WorkingHoursTest {

    static final WorkingHours BERLIN = WorkingHours.weekdays(ZoneId.of("Europe/Berlin"), LocalTime.of(9, 0),
            LocalTime.of(17, 0));

    @Test
    void isOpenInTheRepsOwnTimeZone() {
        // 2026-11-24 is a Tuesday; Berlin is UTC+1 in November
        assertThat(BERLIN.isOpen(Instant.parse("2026-11-24T08:00:00Z"))).isTrue(); // 09:00 local
        assertThat(BERLIN.isOpen(Instant.parse("2026-11-24T07:59:59Z"))).isFalse();
        assertThat(BERLIN.isOpen(Instant.parse("2026-11-24T16:00:00Z"))).isFalse(); // 17:00 local, end exclusive
        assertThat(BERLIN.isOpen(Instant.parse("2026-11-28T10:00:00Z"))).isFalse(); // Saturday
    }

    @Test
    void businessTimeCarriesOverToTheNextWorkingDay() {
        // routed Tuesday 16:30 local with a 1 h business SLA: 30 min today, 30 min from 09:00 Wednesday
        Instant due = BERLIN.plusBusinessTime(Instant.parse("2026-11-24T15:30:00Z"), Duration.ofHours(1));
        assertThat(due).isEqualTo(Instant.parse("2026-11-25T08:30:00Z"));
    }

    @Test
    void businessTimeSkipsTheWeekend() {
        // Friday 16:00 local + 2 h -> 1 h Friday, 1 h Monday from 09:00 -> Monday 10:00 local
        Instant due = BERLIN.plusBusinessTime(Instant.parse("2026-11-27T15:00:00Z"), Duration.ofHours(2));
        assertThat(due).isEqualTo(Instant.parse("2026-11-30T09:00:00Z"));
    }

    @Test
    void startingBeforeOpeningCountsFromOpening() {
        Instant due = BERLIN.plusBusinessTime(Instant.parse("2026-11-24T05:00:00Z"), Duration.ofMinutes(5));
        assertThat(due).isEqualTo(Instant.parse("2026-11-24T08:05:00Z"));
    }

    @Test
    void alwaysOpenIsWallClock() {
        Instant start = Instant.parse("2026-11-28T03:00:00Z");
        assertThat(WorkingHours.ALWAYS.plusBusinessTime(start, Duration.ofMinutes(5)))
                .isEqualTo(start.plusSeconds(300));
    }
}

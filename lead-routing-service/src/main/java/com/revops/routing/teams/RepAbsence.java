package com.revops.routing.teams;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An out-of-office window of a rep. */
@Entity
@Table(name = "rep_absence")
public class RepAbsence {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String username;

    @Column(name = "starts_at", nullable = false)
    public Instant startsAt;

    @Column(name = "ends_at", nullable = false)
    public Instant endsAt;

    public String reason;
}

package com.revops.routing.teams;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A known account: leads from its email domain go to its owner. */
@Entity
@Table(name = "account")
public class Account {

    @Id
    public String domain;

    public String name;

    @Column(name = "owner_username", nullable = false)
    public String ownerUsername;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}

package com.revops.routing.teams;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A team of reps, the Keycloak group its manager belongs to, and its round-robin virtual time. */
@Entity
@Table(name = "team")
public class SalesTeam {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    @Column(name = "keycloak_group", nullable = false)
    public String keycloakGroup;

    @Column(name = "manager_username")
    public String managerUsername;

    @Column(name = "rr_virtual_time", nullable = false)
    public double rrVirtualTime;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}

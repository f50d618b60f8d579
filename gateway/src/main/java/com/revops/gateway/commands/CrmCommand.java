package com.revops.gateway.commands;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

/** A command to a CRM (assign owner, set status, create task, set fields) and what became of it. */
@Entity
@Table(name = "crm_command")
public class CrmCommand {

    /** The command id: the id of the envelope it arrived in. */
    @Id
    public UUID id;

    @Column(name = "command_type", nullable = false)
    public String commandType;

    /** The service that issued it (the envelope's source). */
    @Column(name = "issued_by", nullable = false)
    public String issuedBy;

    public String subject;

    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::text::jsonb")
    public String payload;

    @Column(nullable = false)
    public String status;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    public String outcome;
}

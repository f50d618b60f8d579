package com.revops.routing.rules;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

/** One version of the routing rules: DRAFT -> VALIDATED -> PUBLISHED -> RETIRED. */
@Entity
@Table(name = "rule_set")
public class RuleSetVersion {

    /** Lifecycle of a version. */
    public enum Status {
        DRAFT, VALIDATED, PUBLISHED, RETIRED
    }

    @Id
    public UUID id;

    @Column(nullable = false)
    public int version;

    @Column(nullable = false)
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    public Status status;

    public String description;

    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(read = "definition::text", write = "?::text::jsonb")
    public String definition;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "validated_at")
    public Instant validatedAt;

    @Column(name = "published_by")
    public String publishedBy;

    @Column(name = "published_at")
    public Instant publishedAt;

    @Column(name = "retired_at")
    public Instant retiredAt;

    @Column(name = "rolled_back_from")
    public Integer rolledBackFrom;
}

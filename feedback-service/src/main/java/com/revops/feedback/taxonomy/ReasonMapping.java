package com.revops.feedback.taxonomy;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A CRM value (HubSpot property value, Salesforce picklist value) that means a reason code. */
@Entity
@Table(name = "reason_mapping")
public class ReasonMapping {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String crm;

    @Column(name = "crm_value", nullable = false)
    public String crmValue;

    @Column(nullable = false)
    public String code;

    @Column(nullable = false)
    public int version;
}

package com.revops.sandbox.core;

import java.util.List;
import java.util.Map;

/**
 * Writes Salesforce outbound messages: SOAP 1.1, namespace {@code http://soap.sforce.com/2005/09/outbound}, a
 * {@code notifications} element with the OrganizationId, ActionId, a nil SessionId, the enterprise and partner URLs,
 * and up to 100 {@code Notification}s, each with its own Id and an {@code sObject} of {@code xsi:type="sf:Lead"}
 * (etc.) carrying the record's fields. One message carries one action, hence one object type. Plain Java.
 */
public final class OutboundMessages {

    public static final String NAMESPACE = "http://soap.sforce.com/2005/09/outbound";

    /** One notification: its id and the record as it was when the rule fired. */
    public record Notification(String id, String sobject, Map<String, Object> fields) {
    }

    private OutboundMessages() {
    }

    public static String envelope(String orgId, String actionId, String instanceUrl, String apiVersion,
            List<Notification> notifications) {
        String version = apiVersion.startsWith("v") ? apiVersion.substring(1) : apiVersion;
        StringBuilder b = new StringBuilder(1024);
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" ")
                .append("xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" ")
                .append("xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n")
                .append(" <soapenv:Body>\n")
                .append("  <notifications xmlns=\"").append(NAMESPACE).append("\">\n")
                .append("   <OrganizationId>").append(xml(orgId)).append("</OrganizationId>\n")
                .append("   <ActionId>").append(xml(actionId)).append("</ActionId>\n")
                .append("   <SessionId xsi:nil=\"true\"/>\n")
                .append("   <EnterpriseUrl>").append(xml(instanceUrl)).append("/services/Soap/c/").append(version)
                .append('/').append(xml(orgId)).append("</EnterpriseUrl>\n")
                .append("   <PartnerUrl>").append(xml(instanceUrl)).append("/services/Soap/u/").append(version)
                .append('/').append(xml(orgId)).append("</PartnerUrl>\n");
        for (Notification n : notifications) {
            b.append("   <Notification>\n")
                    .append("    <Id>").append(xml(n.id())).append("</Id>\n")
                    .append("    <sObject xsi:type=\"sf:").append(n.sobject())
                    .append("\" xmlns:sf=\"urn:sobject.enterprise.soap.sforce.com\">\n");
            for (Map.Entry<String, Object> f : n.fields().entrySet()) {
                if (f.getValue() == null) {
                    b.append("     <sf:").append(f.getKey()).append(" xsi:nil=\"true\"/>\n");
                } else {
                    b.append("     <sf:").append(f.getKey()).append('>').append(xml(soapValue(f.getValue())))
                            .append("</sf:").append(f.getKey()).append(">\n");
                }
            }
            b.append("    </sObject>\n   </Notification>\n");
        }
        b.append("  </notifications>\n </soapenv:Body>\n</soapenv:Envelope>\n");
        return b.toString();
    }

    /** SOAP writes datetimes in UTC with a Z and numbers without a trailing .0 for integers. */
    private static String soapValue(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
            return Long.toString(d.longValue());
        }
        String s = String.valueOf(v);
        if (s.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000")) {
            return s.substring(0, s.length() - 5) + "Z";
        }
        return s;
    }

    static String xml(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&apos;");
    }
}

package com.revops.gateway.webhooks;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads a Salesforce outbound message (SOAP 1.1, namespace {@code http://soap.sforce.com/2005/09/outbound}) into
 * {@link IncomingEvent}s, one per {@code Notification}. DTDs and external entities are refused. Plain Java.
 */
public final class SalesforceOutboundParser {

    static final String NS = "http://soap.sforce.com/2005/09/outbound";
    static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";

    /** The header of the message and its notifications. */
    public record Parsed(String organizationId, String actionId, List<IncomingEvent> events) {
    }

    /** A body that is not a valid outbound message. */
    public static final class Rejected extends Exception {
        Rejected(String message) {
            super(message, null, false, false);
        }
    }

    private static final XMLInputFactory FACTORY = XMLInputFactory.newFactory();

    static {
        FACTORY.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        FACTORY.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        FACTORY.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    }

    private final ObjectMapper mapper;
    private final int maxNotifications;

    public SalesforceOutboundParser(ObjectMapper mapper, int maxNotifications) {
        this.mapper = mapper;
        this.maxNotifications = maxNotifications;
    }

    public Parsed parse(byte[] body) throws Rejected {
        String orgId = null;
        String actionId = null;
        List<Map<String, String>> notifications = new ArrayList<>();
        try {
            XMLStreamReader r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
            boolean inNotifications = false;
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.DTD) {
                    throw new Rejected("DTDs are not accepted");
                }
                if (ev != XMLStreamConstants.START_ELEMENT) {
                    continue;
                }
                String name = r.getLocalName();
                if ("notifications".equals(name) && NS.equals(r.getNamespaceURI())) {
                    inNotifications = true;
                } else if (inNotifications && "OrganizationId".equals(name)) {
                    orgId = r.getElementText().trim();
                } else if (inNotifications && "ActionId".equals(name)) {
                    actionId = r.getElementText().trim();
                } else if (inNotifications && "Notification".equals(name)) {
                    notifications.add(readNotification(r));
                    if (notifications.size() > maxNotifications) {
                        throw new Rejected("at most " + maxNotifications + " notifications per message");
                    }
                }
            }
        } catch (XMLStreamException e) {
            throw new Rejected("not a well-formed SOAP message");
        }
        if (orgId == null) {
            throw new Rejected("no notifications/OrganizationId in the message");
        }
        List<IncomingEvent> events = new ArrayList<>();
        for (Map<String, String> n : notifications) {
            String id = n.remove("@notificationId");
            String type = n.remove("@sObjectType");
            if (id == null || type == null) {
                throw new Rejected("a Notification needs an Id and an sObject");
            }
            ObjectNode payload = mapper.createObjectNode();
            payload.put("notificationId", id);
            payload.put("organizationId", orgId);
            payload.put("actionId", actionId);
            payload.put("sObjectType", type);
            ObjectNode fields = payload.putObject("fields");
            n.forEach(fields::put);
            events.add(new IncomingEvent("salesforce", orgId + ":" + id, orgId, "outbound." + type, type,
                    n.get("Id"), null, null, payload.toString(), true));
        }
        return new Parsed(orgId, actionId, events);
    }

    private static Map<String, String> readNotification(XMLStreamReader r) throws XMLStreamException {
        Map<String, String> out = new LinkedHashMap<>();
        int depth = 1;
        boolean inObject = false;
        while (r.hasNext() && depth > 0) {
            int ev = r.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                depth++;
                String name = r.getLocalName();
                if (depth == 2 && "Id".equals(name)) {
                    out.put("@notificationId", r.getElementText().trim());
                    depth--;
                } else if (depth == 2 && "sObject".equals(name)) {
                    inObject = true;
                    String xsiType = r.getAttributeValue(XSI, "type");
                    if (xsiType != null) {
                        out.put("@sObjectType", xsiType.contains(":") ? xsiType.substring(xsiType.indexOf(':') + 1)
                                : xsiType);
                    }
                } else if (inObject && depth == 3) {
                    String nil = r.getAttributeValue(XSI, "nil");
                    String value = r.getElementText();
                    out.put(name, "true".equals(nil) ? null : value);
                    depth--;
                }
            } else if (ev == XMLStreamConstants.END_ELEMENT) {
                depth--;
                if (depth == 1) {
                    inObject = false;
                }
            }
        }
        return out;
    }

    /** The SOAP answer Salesforce waits for. */
    public static String ack(boolean ack) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
                  <soapenv:Body>
                    <notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound">
                      <Ack>%s</Ack>
                    </notificationsResponse>
                  </soapenv:Body>
                </soapenv:Envelope>
                """.formatted(ack);
    }
}

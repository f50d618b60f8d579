-- Run once by the postgres image on first start (empty data volume): one database per service.
CREATE DATABASE gateway;
CREATE DATABASE lead_routing;
CREATE DATABASE attribution;
CREATE DATABASE feedback;

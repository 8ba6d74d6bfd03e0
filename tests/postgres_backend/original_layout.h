// The tables the original Python application's ORM (SQLAlchemy, its
// models.py) creates on PostgreSQL, statement by statement: SERIAL ids,
// VARCHAR(n) for String(n), TEXT, BYTEA, INTEGER, TIMESTAMP WITHOUT TIME
// ZONE, BOOLEAN DEFAULT '1' NOT NULL for the enabled flags, and
// ix_<table>_<column> indexes (UNIQUE for unique columns). The tests make
// a database "as the original made it" with these.
#ifndef VIEWER_TESTS_POSTGRES_BACKEND_ORIGINAL_LAYOUT_H_
#define VIEWER_TESTS_POSTGRES_BACKEND_ORIGINAL_LAYOUT_H_

namespace viewer::testing {

inline constexpr char kOriginalLayout[] = R"sql(
CREATE TABLE cid (
  id SERIAL NOT NULL,
  path VARCHAR(255) NOT NULL,
  file_data BYTEA NOT NULL,
  file_size INTEGER,
  created_at TIMESTAMP WITHOUT TIME ZONE,
  PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_cid_path ON cid (path);
CREATE TABLE page_view (
  id SERIAL NOT NULL,
  path VARCHAR(255) NOT NULL,
  method VARCHAR(10),
  user_agent VARCHAR(500),
  ip_address VARCHAR(45),
  viewed_at TIMESTAMP WITHOUT TIME ZONE,
  PRIMARY KEY (id)
);
CREATE INDEX ix_page_view_viewed_at ON page_view (viewed_at);
CREATE TABLE server (
  id SERIAL NOT NULL,
  name VARCHAR(100) NOT NULL,
  definition TEXT NOT NULL,
  definition_cid VARCHAR(255),
  created_at TIMESTAMP WITHOUT TIME ZONE,
  updated_at TIMESTAMP WITHOUT TIME ZONE,
  enabled BOOLEAN DEFAULT '1' NOT NULL,
  PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_server_name ON server (name);
CREATE INDEX ix_server_definition_cid ON server (definition_cid);
CREATE TABLE alias (
  id SERIAL NOT NULL,
  name VARCHAR(100) NOT NULL,
  definition TEXT,
  created_at TIMESTAMP WITHOUT TIME ZONE,
  updated_at TIMESTAMP WITHOUT TIME ZONE,
  enabled BOOLEAN DEFAULT '1' NOT NULL,
  PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_alias_name ON alias (name);
CREATE TABLE entity_interactions (
  id SERIAL NOT NULL,
  entity_type VARCHAR(50) NOT NULL,
  entity_name VARCHAR(255) NOT NULL,
  action VARCHAR(20) NOT NULL,
  message VARCHAR(500),
  content TEXT NOT NULL,
  created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL,
  PRIMARY KEY (id)
);
CREATE INDEX ix_entity_interactions_entity_type
  ON entity_interactions (entity_type);
CREATE INDEX ix_entity_interactions_entity_name
  ON entity_interactions (entity_name);
CREATE INDEX ix_entity_interactions_created_at
  ON entity_interactions (created_at);
CREATE TABLE variable (
  id SERIAL NOT NULL,
  name VARCHAR(100) NOT NULL,
  definition TEXT NOT NULL,
  created_at TIMESTAMP WITHOUT TIME ZONE,
  updated_at TIMESTAMP WITHOUT TIME ZONE,
  enabled BOOLEAN DEFAULT '1' NOT NULL,
  PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_variable_name ON variable (name);
CREATE TABLE secret (
  id SERIAL NOT NULL,
  name VARCHAR(100) NOT NULL,
  definition TEXT NOT NULL,
  created_at TIMESTAMP WITHOUT TIME ZONE,
  updated_at TIMESTAMP WITHOUT TIME ZONE,
  enabled BOOLEAN DEFAULT '1' NOT NULL,
  PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_secret_name ON secret (name);
CREATE TABLE server_invocation (
  id SERIAL NOT NULL,
  server_name VARCHAR(100) NOT NULL,
  result_cid VARCHAR(255) NOT NULL,
  servers_cid VARCHAR(255),
  variables_cid VARCHAR(255),
  secrets_cid VARCHAR(255),
  request_details_cid VARCHAR(255),
  invocation_cid VARCHAR(255),
  external_calls_cid VARCHAR(255),
  invoked_at TIMESTAMP WITHOUT TIME ZONE,
  PRIMARY KEY (id)
);
CREATE INDEX ix_server_invocation_result_cid
  ON server_invocation (result_cid);
CREATE INDEX ix_server_invocation_invocation_cid
  ON server_invocation (invocation_cid);
CREATE INDEX ix_server_invocation_invoked_at
  ON server_invocation (invoked_at);
CREATE TABLE export (
  id SERIAL NOT NULL,
  cid VARCHAR(255) NOT NULL,
  created_at TIMESTAMP WITHOUT TIME ZONE,
  PRIMARY KEY (id)
);
CREATE INDEX ix_export_cid ON export (cid);
CREATE INDEX ix_export_created_at ON export (created_at);
)sql";

}  // namespace viewer::testing

#endif  // VIEWER_TESTS_POSTGRES_BACKEND_ORIGINAL_LAYOUT_H_

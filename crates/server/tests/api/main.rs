//! Integration tests of the HTTP API against the real local database
//! (`MONGODB_URI`, started by `tools/test-server.sh`). One binary, one
//! module per proof point of the server issue.

mod common;
mod contract;
#[path = "../../../models/tests/support/vectors.rs"]
mod vector_files;

mod access_bypass;
mod account_security;
mod adversarial;
mod auth;
mod bad_input;
mod crud;
mod duplicates;
mod interop;
mod messages;
mod openapi;
mod outage;
mod policy;
mod review_server;
mod secrets;
mod stats;
mod vectors;

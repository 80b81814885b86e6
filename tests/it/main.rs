//! All integration tests, in one binary for link time.

mod api;
mod cli;
mod common;
mod corpus;
mod extract;
mod guard;
mod ingest;
mod properties;
mod realworld;
mod search;
mod security;

//! The customer resource: every member of the response schema, rendered with
//! `null` for unset nullable members and never the payment token; read back with every rule.

mod context;
mod links;
mod resource;
mod upsert;

pub use context::{
    DEFAULT_BASE_URL, InstrumentLookup, RefuseAllTokens, TokenResolver, UpsertContext,
};
pub use links::{BaseUrl, Link, LinkRel};
pub use resource::{Customer, Money};
pub use upsert::{UpsertOutcome, WritePlan};

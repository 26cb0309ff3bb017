//! The guides and reference pages behind the front page: each is a page of these API docs and a
//! Markdown file under `docs/` in the repository. Their code examples run as doctests.

#[doc = include_str!("../docs/command.md")]
pub mod command {}

#[doc = include_str!("../docs/servers.md")]
pub mod servers {}

#[doc = include_str!("../docs/clients.md")]
pub mod clients {}

#[doc = include_str!("../docs/generators.md")]
pub mod generators {}

#[doc = include_str!("../docs/revisions.md")]
pub mod revisions {}

#[doc = include_str!("../docs/rules.md")]
pub mod rules {}

#[doc = include_str!("../docs/deviations.md")]
pub mod deviations {}

#[doc = include_str!("../docs/performance.md")]
pub mod performance {}

#[doc = include_str!("../docs/design.md")]
pub mod design {}

#[doc = include_str!("../docs/tests.md")]
pub mod tests {}

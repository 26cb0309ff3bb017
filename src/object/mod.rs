//! One description per JSON object: each object the crate reads or writes is declared once, as
//! rows `(Member, "key", flags)`, by [`json_object!`]. The rows give the member enum the reader
//! matches on (`RequestMember::WebsiteId`, never a position), each member's key for the writers,
//! and whether it is required, nullable or read-only for the checks; an exhaustive `match` on the
//! enum makes the compiler find a member that a reader or writer forgot.

#[macro_use]
mod member;
#[macro_use]
mod described;
mod kept;
pub(crate) mod keys;

pub(crate) use described::{Described, Fields, anchor_of, serialize, write, write_array};
pub use kept::OtherMembers;
pub(crate) use kept::{Kept, Named, compact};
pub(crate) use member::{Flags, Member, quote_key};

//! The contact (`primaryAddress`): its members, its lists, its merge patch and its hash.

mod date;
mod email;
mod hash;
mod list;
mod primary_address;
mod text_fields;

pub use date::DateOfBirth;
pub(crate) use email::EmailList;
pub use email::{EMAIL_MAX, EmailAddress, NotificationEmail};
pub use list::{ContactEmail, ContactPhone, ListItem, PrimaryList};
#[cfg(any(feature = "proptest", feature = "arbitrary"))]
pub(crate) use primary_address::contact_table;
pub use primary_address::{Contact, ContactBuilder, ContactPatch};
pub(crate) use primary_address::{ContactInto, ContactMember, ContactShape};
pub use text_fields::{
    AddressLine, City, ContactName, JobTitle, Label, Organization, PhoneNumber, PostalCode, Region,
};

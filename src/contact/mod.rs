//! The contact (`primaryAddress`): its members, its lists, its merge patch and its hash.

mod date;
mod email;
mod hash;
mod list;
mod text_fields;

use serde::de::MapAccess;
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use date::DateOfBirth;
pub(crate) use date::{FULL_DATE, parse_full_date};
pub use email::{EMAIL_MAX, EmailAddress};
pub use list::{ContactEmail, ContactPhone, ListItem, PrimaryList};
pub use text_fields::{
    AddressLine, City, ContactName, JobTitle, Label, Organization, PhoneNumber, PostalCode, Region,
};

use crate::codes::CountryCode;
use crate::de::{self, Collector, Got, Shape, Skip, Text};
use crate::patch::Patch;

/// Declares the contact's scalar members once: the stored struct, the patch struct, the reader,
/// the merge, the renderer and the accessors all come from this one list.
macro_rules! contact_members {
    ($( $field:ident / $setter:ident : $ty:ty = $json:literal ),* $(,)?) => {
        /// A contact: the customer's `primaryAddress`. Every member is optional; the email and
        /// phone lists have at most one primary item each.
        ///
        /// ```
        /// use rebilly_customer::Contact;
        /// let contact: Contact = serde_json::from_str(
        ///     r#"{"firstName": "Zoë", "emails": [{"label": "main", "value": "zoe@Example.com"}]}"#,
        /// ).unwrap();
        /// assert_eq!(contact.first_name().unwrap().as_str(), "Zoë");
        /// assert_eq!(contact.emails().items()[0].value().as_str(), "zoe@example.com");
        /// assert_eq!(contact.hash().len(), 40);
        /// ```
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
        pub struct Contact {
            $( $field: Option<$ty>, )*
            phone_numbers: PrimaryList<PhoneNumber>,
            emails: PrimaryList<EmailAddress>,
        }

        /// A merge patch for a contact, as read from a request's `primaryAddress`: each scalar
        /// member absent, `null` or a value; each list absent or a whole new list.
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
        pub struct ContactPatch {
            $( $field: Patch<$ty>, )*
            phone_numbers: Option<PrimaryList<PhoneNumber>>,
            emails: Option<PrimaryList<EmailAddress>>,
        }

        impl Contact {
            $(
                #[doc = concat!("`", $json, "`, if set.")]
                #[must_use]
                pub fn $field(&self) -> Option<&$ty> {
                    self.$field.as_ref()
                }
            )*

            $(
                #[doc = concat!("Sets or clears `", $json, "`.")]
                pub fn $setter(&mut self, value: Option<$ty>) {
                    self.$field = value;
                }
            )*

            /// Sets or clears scalar members through a patch, and replaces the lists it carries:
            /// RFC 7396 on the contact.
            pub fn apply_patch(&mut self, patch: ContactPatch) {
                self.apply_patch_changes(patch);
            }

            /// Applies a patch as [`Contact::apply_patch`] does and returns the JSON names of
            /// the members whose value changed, in schema order (the phone and email lists
            /// last). Setting a member to the value it has is no change.
            pub fn apply_patch_changes(&mut self, patch: ContactPatch) -> Vec<&'static str> {
                let mut changed = Vec::new();
                $(
                    match patch.$field {
                        Patch::Absent => {}
                        Patch::Null => {
                            if self.$field.take().is_some() {
                                changed.push($json);
                            }
                        }
                        Patch::Value(value) => {
                            if self.$field.as_ref() != Some(&value) {
                                changed.push($json);
                                self.$field = Some(value);
                            }
                        }
                    }
                )*
                if let Some(list) = patch.phone_numbers {
                    if list != self.phone_numbers {
                        changed.push("phoneNumbers");
                        self.phone_numbers = list;
                    }
                }
                if let Some(list) = patch.emails {
                    if list != self.emails {
                        changed.push("emails");
                        self.emails = list;
                    }
                }
                changed
            }

            /// The JSON names of the members that differ between two contacts, in schema order.
            pub fn changed_members(&self, other: &Contact) -> Vec<&'static str> {
                let mut changed = Vec::new();
                $( if self.$field != other.$field { changed.push($json); } )*
                if self.phone_numbers != other.phone_numbers {
                    changed.push("phoneNumbers");
                }
                if self.emails != other.emails {
                    changed.push("emails");
                }
                changed
            }
        }

        impl ContactPatch {
            $(
                #[doc = concat!("Sets what the patch does to `", $json, "`.")]
                pub fn $setter(&mut self, value: Patch<$ty>) {
                    self.$field = value;
                }
            )*

            $(
                #[doc = concat!("What the patch does to `", $json, "`.")]
                #[must_use]
                pub fn $field(&self) -> &Patch<$ty> {
                    &self.$field
                }
            )*
        }

        impl Contact {
            /// Writes the resource form, as `Serialize` does, with the fast writer.
            pub(crate) fn write_json(&self, out: &mut crate::json::JsonOut) {
                let mut first = true;
                out.raw(b"{");
                $(
                    if !std::mem::take(&mut first) {
                        out.raw(b",");
                    }
                    out.raw(concat!("\"", $json, "\":").as_bytes());
                    crate::json::WriteJson::write_json(&self.$field, out);
                )*
                out.raw(b",\"phoneNumbers\":");
                list::write_list(&self.phone_numbers, out);
                out.raw(b",\"emails\":");
                list::write_list(&self.emails, out);
                out.raw(b",\"hash\":");
                out.string(&self.hash());
                out.raw(b"}");
            }
        }

        /// Every member from its own generator, in schema order.
        #[cfg(any(feature = "proptest", feature = "arbitrary"))]
        impl crate::generate::Generate for Contact {
            fn generate(e: &mut dyn crate::generate::Entropy) -> Self {
                use crate::generate::Generate;
                Contact {
                    $( $field: Generate::generate(e), )*
                    phone_numbers: Generate::generate(e),
                    emails: Generate::generate(e),
                }
            }
        }

        /// Each member absent, `null` or a value; each list kept or replaced.
        #[cfg(any(feature = "proptest", feature = "arbitrary"))]
        impl crate::generate::Generate for ContactPatch {
            fn generate(e: &mut dyn crate::generate::Entropy) -> Self {
                use crate::generate::Generate;
                ContactPatch {
                    $( $field: Generate::generate(e), )*
                    phone_numbers: Generate::generate(e),
                    emails: Generate::generate(e),
                }
            }
        }

        impl Serialize for Contact {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut object = serializer.serialize_struct("Contact", 16)?;
                $( object.serialize_field($json, &self.$field)?; )*
                object.serialize_field("phoneNumbers", &self.phone_numbers)?;
                object.serialize_field("emails", &self.emails)?;
                object.serialize_field("hash", &self.hash())?;
                object.end()
            }
        }

        /// Renders only what the patch does: absent members are left out, `null` clears.
        impl Serialize for ContactPatch {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut object = serializer.serialize_map(None)?;
                $(
                    match &self.$field {
                        Patch::Absent => {}
                        Patch::Null => object.serialize_entry($json, &())?,
                        Patch::Value(value) => object.serialize_entry($json, value)?,
                    }
                )*
                if let Some(list) = &self.phone_numbers {
                    object.serialize_entry("phoneNumbers", list)?;
                }
                if let Some(list) = &self.emails {
                    object.serialize_entry("emails", list)?;
                }
                object.end()
            }
        }

        impl<'de> Shape<'de> for ContactInto<'_> {
            type Out = ();
            const EXPECTED: &'static str = "an object";

            fn on_map<A: MapAccess<'de>>(self, c: &mut Collector, map: A) -> Result<Got<()>, A::Error> {
                let mark = c.mark();
                let patch = self.0;
                // By position: the scalar members in the order listed, then the lists and the
                // read-only hash.
                member_positions!(fn position = [$( $json, )* "phoneNumbers", "emails", "hash"]);
                de::known_members(c, map, position, |c, index, map| {
                    // The scalar members first, each at the next position.
                    let mut next = 0;
                    $(
                        if index == next {
                            patch.$field = Patch::from_got(c.member(map, $json, Text::<$ty>::new(), true)?);
                            return Ok(());
                        }
                        next += 1;
                    )*
                    match index - next {
                        0 => {
                            patch.phone_numbers = c.member(map, "phoneNumbers", list::ListShape::new(), false)?.value();
                        }
                        1 => {
                            patch.emails = c.member(map, "emails", list::ListShape::new(), false)?.value();
                        }
                        // Read-only: recomputed from the other members.
                        _ => {
                            map.next_value_seed(de::Seed::new(c, Skip, true))?;
                        }
                    }
                    Ok(())
                })?;
                Ok(if c.clean_since(mark) { Got::Value(()) } else { Got::Invalid })
            }
        }
    };
}

contact_members! {
    first_name / set_first_name: ContactName = "firstName",
    last_name / set_last_name: ContactName = "lastName",
    organization / set_organization: Organization = "organization",
    address / set_address: AddressLine = "address",
    address2 / set_address2: AddressLine = "address2",
    city / set_city: City = "city",
    region / set_region: Region = "region",
    country / set_country: CountryCode = "country",
    postal_code / set_postal_code: PostalCode = "postalCode",
    dob / set_dob: DateOfBirth = "dob",
    job_title / set_job_title: JobTitle = "jobTitle",
}

/// Reads a contact object into a [`ContactPatch`].
pub(crate) struct ContactShape;

/// Reads a contact object into the members of a [`ContactPatch`] in place (where the patch
/// lives in a larger value, so that it is not moved up the walk).
pub(crate) struct ContactInto<'p>(pub(crate) &'p mut ContactPatch);

impl<'de> Shape<'de> for ContactShape {
    type Out = ContactPatch;
    const EXPECTED: &'static str = "an object";

    fn on_map<A: MapAccess<'de>>(
        self,
        c: &mut Collector,
        map: A,
    ) -> Result<Got<ContactPatch>, A::Error> {
        let mut patch = ContactPatch::default();
        Ok(match ContactInto(&mut patch).on_map(c, map)? {
            Got::Value(()) => Got::Value(patch),
            _ => Got::Invalid,
        })
    }
}

impl Contact {
    /// An empty contact: every member unset.
    #[must_use]
    pub fn new() -> Self {
        Contact::default()
    }

    /// The phone numbers.
    #[must_use]
    pub fn phone_numbers(&self) -> &PrimaryList<PhoneNumber> {
        &self.phone_numbers
    }

    /// The email addresses.
    #[must_use]
    pub fn emails(&self) -> &PrimaryList<EmailAddress> {
        &self.emails
    }

    /// Replaces the phone numbers.
    pub fn set_phone_numbers(&mut self, list: PrimaryList<PhoneNumber>) {
        self.phone_numbers = list;
    }

    /// Replaces the email addresses.
    pub fn set_emails(&mut self, list: PrimaryList<EmailAddress>) {
        self.emails = list;
    }

    /// The contact's hash: SHA-1 of the RFC 8785 canonical JSON of its attributes (see
    /// [the contact hash](crate#the-rules)), 40 lowercase hex digits.
    #[must_use]
    pub fn hash(&self) -> String {
        hash::contact_hash(self)
    }
}

impl ContactPatch {
    /// The new phone list, if the patch replaces it.
    #[must_use]
    pub fn phone_numbers(&self) -> Option<&PrimaryList<PhoneNumber>> {
        self.phone_numbers.as_ref()
    }

    /// The new email list, if the patch replaces it.
    #[must_use]
    pub fn emails(&self) -> Option<&PrimaryList<EmailAddress>> {
        self.emails.as_ref()
    }

    /// Makes the patch replace the phone list (`None`: keep it).
    pub fn set_phone_numbers(&mut self, list: Option<PrimaryList<PhoneNumber>>) {
        self.phone_numbers = list;
    }

    /// Makes the patch replace the email list (`None`: keep it).
    pub fn set_emails(&mut self, list: Option<PrimaryList<EmailAddress>>) {
        self.emails = list;
    }
}

impl From<ContactPatch> for Contact {
    fn from(patch: ContactPatch) -> Self {
        let mut contact = Contact::default();
        contact.apply_patch(patch);
        contact
    }
}

json_door!(
    Contact,
    "a contact (the resource form; `hash` is ignored)",
    ContactShape,
    Contact::from
);
json_door!(
    ContactPatch,
    "a request's `primaryAddress`",
    ContactShape,
    |patch| patch
);

/// Reads the resource form; `null` and absent members are unset, `hash` is ignored (derived).
impl<'de> Deserialize<'de> for Contact {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        de::deserialize_shape(deserializer, ContactShape).map(Contact::from)
    }
}

/// Reads a request's `primaryAddress` with every rule applied.
impl<'de> Deserialize<'de> for ContactPatch {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        de::deserialize_shape(deserializer, ContactShape)
    }
}

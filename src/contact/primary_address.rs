//! The contact object (`primaryAddress`): its member table, the contact and the patch of one
//! built from it, the reader, the writers and the builder.

use serde::de::MapAccess;
use serde::{Deserialize, Deserializer};

use super::date::DateOfBirth;
use super::email::EmailAddress;
use super::list::{ContactEmail, ContactPhone, ListItem, PrimaryList};
use super::text_fields::{
    AddressLine, City, ContactName, JobTitle, Organization, PhoneNumber, PostalCode, Region,
};
use crate::codes::CountryCode;
use crate::de::{self, Collector, Got, Shape, Skip, Text};
use crate::error::ValidationError;
use crate::object::{Described, Fields, Member, OtherMembers};
use crate::patch::Patch;

json_object! {
    /// The members of a contact (`primaryAddress`), in the order it is rendered.
    pub(crate) enum ContactMember {
        FirstName = "firstName", nullable;
        LastName = "lastName", nullable;
        Organization = "organization", nullable;
        Address = "address", nullable;
        Address2 = "address2", nullable;
        City = "city", nullable;
        Region = "region", nullable;
        Country = "country", nullable;
        PostalCode = "postalCode", nullable;
        Dob = "dob", nullable;
        JobTitle = "jobTitle", nullable;
        PhoneNumbers = "phoneNumbers";
        Emails = "emails";
        /// Derived from the others (SHA-1 of their canonical JSON); ignored when read.
        Hash = "hash", read_only;
    }
}

/// A contact: the customer's `primaryAddress`. Every member is optional; the email and
/// phone lists have at most one primary item each.
///
/// ```
/// use rebilly_customer::Contact;
/// let contact = Contact::parse(
///     r#"{"firstName": "Zoë", "emails": [{"label": "main", "value": "zoe@Example.com"}]}"#
///         .as_bytes(),
/// )
/// .unwrap();
/// assert_eq!(contact.first_name().unwrap().as_str(), "Zoë");
/// assert_eq!(contact.emails().items()[0].value().as_str(), "zoe@example.com");
/// assert_eq!(contact.hash().len(), 40);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Contact {
    pub(crate) first_name: Option<ContactName>,
    pub(crate) last_name: Option<ContactName>,
    pub(crate) organization: Option<Organization>,
    pub(crate) address: Option<AddressLine>,
    pub(crate) address2: Option<AddressLine>,
    pub(crate) city: Option<City>,
    pub(crate) region: Option<Region>,
    pub(crate) country: Option<CountryCode>,
    pub(crate) postal_code: Option<PostalCode>,
    pub(crate) dob: Option<DateOfBirth>,
    pub(crate) job_title: Option<JobTitle>,
    pub(crate) phone_numbers: PrimaryList<PhoneNumber>,
    pub(crate) emails: PrimaryList<EmailAddress>,
    pub(crate) others: OtherMembers,
}

/// A merge patch for a contact, as read from a request's `primaryAddress`: each scalar
/// member absent, `null` or a value; each list absent or a whole new list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ContactPatch {
    pub(crate) first_name: Patch<ContactName>,
    pub(crate) last_name: Patch<ContactName>,
    pub(crate) organization: Patch<Organization>,
    pub(crate) address: Patch<AddressLine>,
    pub(crate) address2: Patch<AddressLine>,
    pub(crate) city: Patch<City>,
    pub(crate) region: Patch<Region>,
    pub(crate) country: Patch<CountryCode>,
    pub(crate) postal_code: Patch<PostalCode>,
    pub(crate) dob: Patch<DateOfBirth>,
    pub(crate) job_title: Patch<JobTitle>,
    pub(crate) phone_numbers: Option<PrimaryList<PhoneNumber>>,
    pub(crate) emails: Option<PrimaryList<EmailAddress>>,
    /// What a stored contact held beyond its description; a request's is empty, and a
    /// merge leaves the contact's own as they are.
    pub(crate) others: OtherMembers,
}

/// What the contact does with each row of [`contact_table!`]: accessors and setters, the merge,
/// the members that changed, the scalar writer for the hash, the writers, the builder's
/// setters and the reader. Each `match` on [`ContactMember`] is exhaustive, so a member left
/// out is a compile error.
macro_rules! contact_impls {
    ($( $field:ident / $setter:ident : $ty:ty = $member:ident ),* $(,)?) => {
        impl Contact {
            $(
                #[doc = concat!("The `", stringify!($field), "` member, if set.")]
                #[must_use]
                pub fn $field(&self) -> Option<&$ty> {
                    self.$field.as_ref()
                }
            )*

            $(
                #[doc = concat!("Sets or clears the `", stringify!($field), "` member.")]
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
            /// the members whose value changed, in the order the contact is rendered. Setting a
            /// member to the value it has is no change.
            pub fn apply_patch_changes(&mut self, patch: ContactPatch) -> Vec<&'static str> {
                let mut changed = Vec::new();
                $(
                    match patch.$field {
                        Patch::Absent => {}
                        Patch::Null => {
                            if self.$field.take().is_some() {
                                changed.push(ContactMember::$member.key());
                            }
                        }
                        Patch::Value(value) => {
                            if self.$field.as_ref() != Some(&value) {
                                changed.push(ContactMember::$member.key());
                                self.$field = Some(value);
                            }
                        }
                    }
                )*
                if let Some(list) = patch.phone_numbers {
                    if list != self.phone_numbers {
                        changed.push(ContactMember::PhoneNumbers.key());
                        self.phone_numbers = list;
                    }
                }
                if let Some(list) = patch.emails {
                    if list != self.emails {
                        changed.push(ContactMember::Emails.key());
                        self.emails = list;
                    }
                }
                changed
            }

            /// The JSON names of the members that differ between two contacts, in the order
            /// the contact is rendered.
            #[must_use]
            pub fn changed_members(&self, other: &Contact) -> Vec<&'static str> {
                ContactMember::ALL
                    .iter()
                    .filter(|member| match member {
                        $( ContactMember::$member => self.$field != other.$field, )*
                        ContactMember::PhoneNumbers => self.phone_numbers != other.phone_numbers,
                        ContactMember::Emails => self.emails != other.emails,
                        ContactMember::Hash => false,
                    })
                    .map(|member| member.key())
                    .collect()
            }

            /// Writes a scalar member's value as JSON, for the hash; false when it is unset or
            /// not a scalar.
            pub(crate) fn write_scalar(
                &self,
                member: ContactMember,
                out: &mut crate::json::JsonOut,
            ) -> bool {
                use crate::json::WriteJson;
                match member {
                    $( ContactMember::$member => match &self.$field {
                        Some(value) => {
                            value.write_json(out);
                            true
                        }
                        None => false,
                    }, )*
                    ContactMember::PhoneNumbers | ContactMember::Emails | ContactMember::Hash => {
                        false
                    }
                }
            }
        }

        impl ContactPatch {
            $(
                #[doc = concat!("Sets what the patch does to the `", stringify!($field), "` member.")]
                pub fn $setter(&mut self, value: Patch<$ty>) {
                    self.$field = value;
                }
            )*

            $(
                #[doc = concat!("What the patch does to the `", stringify!($field), "` member.")]
                #[must_use]
                pub fn $field(&self) -> &Patch<$ty> {
                    &self.$field
                }
            )*
        }

        /// The resource form: every member, `null` where unset, and the derived hash.
        impl Described for Contact {
            type Member = ContactMember;

            fn fields<F: Fields<ContactMember>>(&self, fields: &mut F) {
                for member in ContactMember::ALL {
                    match member {
                        $( ContactMember::$member => fields.field(*member, &self.$field), )*
                        ContactMember::PhoneNumbers => fields.field(*member, &self.phone_numbers),
                        ContactMember::Emails => fields.field(*member, &self.emails),
                        ContactMember::Hash => fields.field(*member, self.hash().as_str()),
                    }
                }
            }

            fn other_members(&self) -> &OtherMembers {
                &self.others
            }
        }

        /// Only what the patch does: absent members are left out, `null` clears.
        impl Described for ContactPatch {
            type Member = ContactMember;

            fn fields<F: Fields<ContactMember>>(&self, fields: &mut F) {
                for member in ContactMember::ALL {
                    match member {
                        $( ContactMember::$member => match &self.$field {
                            Patch::Absent => {}
                            Patch::Null => fields.field(*member, &None::<$ty>),
                            Patch::Value(value) => fields.field(*member, value),
                        }, )*
                        ContactMember::PhoneNumbers => {
                            if let Some(list) = &self.phone_numbers {
                                fields.field(*member, list);
                            }
                        }
                        ContactMember::Emails => {
                            if let Some(list) = &self.emails {
                                fields.field(*member, list);
                            }
                        }
                        ContactMember::Hash => {}
                    }
                }
            }

            fn other_members(&self) -> &OtherMembers {
                &self.others
            }
        }

        impl ContactBuilder {
            $(
                #[doc = concat!("Sets the `", stringify!($field), "` member from text (NFC first, every rule checked).")]
                pub fn $field(mut self, text: &str) -> Self {
                    match <$ty as crate::de::ParseText>::parse_text(text, self.contract) {
                        Ok(value) => self.patch.$field = Patch::Value(value),
                        Err(error) => self.absorb(&[ContactMember::$member.key().into()], error),
                    }
                    self
                }
            )*

            /// Sends `null` for the member named `name` (`"city"`, `"jobTitle"`, …): the merge
            /// clears it. A name that is no nullable contact member is an `unknown_field`.
            ///
            /// ```
            /// use rebilly_customer::{Contact, Patch};
            /// let patch = Contact::builder().first_name("Ann").null("city").build_patch().unwrap();
            /// assert_eq!(patch.city(), &Patch::Null);
            /// assert!(Contact::builder().null("emails").build_patch().is_err());
            /// ```
            pub fn null(mut self, name: &str) -> Self {
                match ContactMember::from_key(name) {
                    $( Some(ContactMember::$member) => self.patch.$field = Patch::Null, )*
                    _ => self.absorb(
                        &[name.to_owned().into()],
                        ValidationError::single(crate::error::ViolationKind::UnknownField),
                    ),
                }
                self
            }
        }

        /// The patch that sets a contact to exactly this one: every member it has, `null` for
        /// the others, and both lists.
        impl From<&Contact> for ContactPatch {
            fn from(contact: &Contact) -> Self {
                ContactPatch {
                    $( $field: match &contact.$field {
                        Some(value) => Patch::Value(value.clone()),
                        None => Patch::Null,
                    }, )*
                    phone_numbers: Some(contact.phone_numbers.clone()),
                    emails: Some(contact.emails.clone()),
                    // A merge keeps the contact's other members: the patch need not carry them.
                    others: OtherMembers::new(),
                }
            }
        }

        impl<'de> Shape<'de> for ContactInto<'_> {
            type Out = ();
            const EXPECTED: &'static str = "an object";

            fn on_map<A: MapAccess<'de>>(self, c: &mut Collector, map: A) -> Result<Got<()>, A::Error> {
                let mark = c.mark();
                let patch = self.0;
                de::object_members_keeping(c, map, &mut patch.others, |c, member, map| {
                    match member {
                        $( ContactMember::$member => {
                            patch.$field = Patch::from_got(c.read(map, member, Text::<$ty>::new())?);
                        } )*
                        ContactMember::PhoneNumbers => {
                            patch.phone_numbers = c.read(map, member, super::list::ListShape::new())?.value();
                        }
                        ContactMember::Emails => {
                            patch.emails = c.read(map, member, super::list::ListShape::new())?.value();
                        }
                        // Read-only: recomputed from the other members.
                        ContactMember::Hash => {
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

/// The contact's scalar members, one row each: the field, its setter, its type (which holds the
/// member's rule and limit) and its row of [`ContactMember`] (its JSON key, its place in the
/// rendering and in the hash). Each consumer expands the table with a macro of its own, as
/// `http`'s `status_codes!` table does: the accessors, the merge, the reader and the writers
/// here, the generators in `generate`. The structs above are written out; a row without its
/// field, or a field without its row, does not compile.
macro_rules! contact_table {
    ($expand:ident) => {
        $expand! {
            first_name / set_first_name: ContactName = FirstName,
            last_name / set_last_name: ContactName = LastName,
            organization / set_organization: Organization = Organization,
            address / set_address: AddressLine = Address,
            address2 / set_address2: AddressLine = Address2,
            city / set_city: City = City,
            region / set_region: Region = Region,
            country / set_country: CountryCode = Country,
            postal_code / set_postal_code: PostalCode = PostalCode,
            dob / set_dob: DateOfBirth = Dob,
            job_title / set_job_title: JobTitle = JobTitle,
        }
    };
}
#[cfg_attr(
    not(any(feature = "proptest", feature = "arbitrary")),
    allow(unused_imports)
)]
pub(crate) use contact_table;

contact_table!(contact_impls);

serialize_described!(Contact, ContactPatch);

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

/// Builds a contact, or a request's patch of one, from plain text: each member is parsed with
/// its rules, and every violation is kept with its path until [`ContactBuilder::build`] reports
/// them all at once, as the parser does.
///
/// ```
/// use rebilly_customer::{Contact, ErrorCode};
/// let contact = Contact::builder()
///     .first_name("Jose\u{301}")
///     .email("main", "jose@Example.com", true)
///     .phone("work", "+1 555 0100", false)
///     .build()
///     .unwrap();
/// assert_eq!(contact.first_name().unwrap().as_str(), "José");
/// assert_eq!(contact.emails().items()[0].value().as_str(), "jose@example.com");
///
/// let error = Contact::builder()
///     .first_name("A!")
///     .country("gb")
///     .email("main", "not-an-email", true)
///     .email("work", "w@example.com", true)
///     .build()
///     .unwrap_err();
/// let found: Vec<(String, ErrorCode)> =
///     error.violations().iter().map(|v| (v.field().to_string(), v.code())).collect();
/// assert_eq!(found, [
///     ("firstName".to_owned(), ErrorCode::Pattern),
///     ("country".to_owned(), ErrorCode::UnknownCountry),
///     ("emails.0.value".to_owned(), ErrorCode::InvalidEmail),
///     ("emails".to_owned(), ErrorCode::MultiplePrimary),
/// ]);
/// ```
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct ContactBuilder {
    /// The revision whose rules the members are checked by.
    contract: crate::contract::Contract,
    patch: ContactPatch,
    phones: ListBuilder<PhoneNumber>,
    emails: ListBuilder<EmailAddress>,
    violations: Vec<crate::error::Violation>,
}

/// The items of a list being built, and how many said `primary` (valid or not).
#[derive(Clone, Debug)]
struct ListBuilder<V> {
    items: Option<Vec<ListItem<V>>>,
    count: usize,
    primaries: usize,
}

impl<V> ListBuilder<V> {
    /// Adds a parsed item (or its violations, with the path they go at): every item counts
    /// for its index and for `primary`, valid or not, as the parser counts them.
    fn push(
        &mut self,
        member: ContactMember,
        parsed: Result<ListItem<V>, ValidationError>,
        primary: bool,
    ) -> Result<(), ([crate::error::PathSegment; 2], ValidationError)> {
        let at = [member.key().into(), self.count.into()];
        self.count += 1;
        self.primaries += usize::from(primary);
        let items = self.items.get_or_insert_with(Vec::new);
        match parsed {
            Ok(item) => {
                items.push(item);
                Ok(())
            }
            Err(error) => Err((at, error)),
        }
    }
}

impl<V> Default for ListBuilder<V> {
    fn default() -> Self {
        ListBuilder {
            items: None,
            count: 0,
            primaries: 0,
        }
    }
}

impl ContactBuilder {
    /// Adds an item to `emails`.
    pub fn email(mut self, label: &str, value: &str, primary: bool) -> Self {
        let parsed = ContactEmail::parse(label, value, primary);
        if let Err((at, error)) = self.emails.push(ContactMember::Emails, parsed, primary) {
            self.absorb(&at, error);
        }
        self
    }

    /// Adds an item to `phoneNumbers`.
    pub fn phone(mut self, label: &str, value: &str, primary: bool) -> Self {
        let parsed = ContactPhone::parse(label, value, primary);
        if let Err((at, error)) = self
            .phones
            .push(ContactMember::PhoneNumbers, parsed, primary)
        {
            self.absorb(&at, error);
        }
        self
    }

    fn absorb(&mut self, at: &[crate::error::PathSegment], error: ValidationError) {
        self.violations
            .extend(error.into_iter().map(|violation| violation.prefixed(at)));
    }

    /// The patch a request sends: the members set, each list when an item was added.
    ///
    /// # Errors
    /// Every violation of every member, with its path, and `multiple_primary` on a list with
    /// more than one primary item.
    pub fn build_patch(mut self) -> Result<ContactPatch, ValidationError> {
        for (member, primaries) in [
            (ContactMember::PhoneNumbers, self.phones.primaries),
            (ContactMember::Emails, self.emails.primaries),
        ] {
            if primaries > 1 {
                self.violations.push(crate::error::Violation::new(
                    crate::error::FieldPath::root().join(member.key()),
                    crate::error::ViolationKind::MultiplePrimary { count: primaries },
                ));
            }
        }
        if !self.violations.is_empty() {
            return Err(ValidationError::new(self.violations));
        }
        let mut patch = self.patch;
        patch.phone_numbers = self.phones.items.map(PrimaryList);
        patch.emails = self.emails.items.map(PrimaryList);
        Ok(patch)
    }

    /// The contact.
    ///
    /// # Errors
    /// As [`ContactBuilder::build_patch`].
    pub fn build(self) -> Result<Contact, ValidationError> {
        self.build_patch().map(Contact::from)
    }
}

impl Contact {
    /// A builder of a contact from plain text, collecting every violation at once.
    pub fn builder() -> ContactBuilder {
        ContactBuilder::default()
    }

    /// A builder that checks each member with the rules of `contract`.
    ///
    /// ```
    /// use rebilly_customer::{Contact, Contract};
    /// assert!(Contact::builder().first_name("मुरुगन्").build().is_err());
    /// let contact = Contact::builder_for(Contract::Rebilly2026_08)
    ///     .first_name("मुरुगन्")
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(contact.first_name().unwrap().as_str(), "मुरुगन्");
    /// ```
    pub fn builder_for(contract: crate::contract::Contract) -> ContactBuilder {
        ContactBuilder {
            contract,
            ..ContactBuilder::default()
        }
    }

    /// An empty contact: every member unset.
    #[must_use]
    pub fn new() -> Self {
        Contact::default()
    }

    /// The members a newer API added to the contact, kept as read (see
    /// [`OtherMembers`](crate::OtherMembers)). A merge patch leaves them as they are.
    #[must_use]
    pub fn other_members(&self) -> &OtherMembers {
        &self.others
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
    fn from(mut patch: ContactPatch) -> Self {
        let mut contact = Contact {
            others: std::mem::take(&mut patch.others),
            ..Contact::default()
        };
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

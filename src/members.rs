//! The member tables of the operation, per revision: the members a request sets and the
//! members of the customer resource, each in its revision's order, with the bit sets derived
//! from them at compile time. Below both the request and the customer: the request reads the
//! resource's read-only members, and the customer derives which members are the server's.

use crate::contract::{ByContract, Contract};
use crate::object::{Member, keys};

json_object! {
    /// The members a request of any revision sets, in an order that holds each revision's
    /// order ([`REQUEST_MEMBERS`] says which a revision has). The customer's read-only members
    /// are accepted too, and ignored unchecked, so that a client may send back what it read
    /// (see [`CustomerMember`]).
    pub(crate) enum RequestMember {
        /// Compared with the path id, never stored.
        Id = keys::ID, nullable;
        WebsiteId = "websiteId";
        /// Write-only: exchanged by the resolver, never stored or rendered.
        PaymentToken = "paymentToken";
        /// 2023-01 only: writable there, read-only in 2026-08.
        DefaultPaymentInstrument = "defaultPaymentInstrument", nullable;
        /// 2026-08: write-only, looked up in the context's instrument lookup.
        DefaultPaymentInstrumentId = "defaultPaymentInstrumentId", nullable;
        PreferredPayoutInstrumentId = "preferredPayoutInstrumentId", nullable;
        CustomFields = "customFields";
        PrimaryAddress = "primaryAddress", nullable;
        /// 2023-01 only.
        IsEddRequired = "isEddRequired";
        Locale = "locale", nullable;
        TaxNumbers = "taxNumbers", nullable;
        /// Write-only: stored, never rendered in a response.
        LeadSource = "leadSource";
        PersonId = "personId", nullable;
        NotificationEmails = "notificationEmails";
    }
}

/// The members each revision's request sets, in the order the request renders them.
pub(crate) static REQUEST_MEMBERS: ByContract<&[RequestMember]> = ByContract::new(
    &[
        RequestMember::Id,
        RequestMember::WebsiteId,
        RequestMember::PaymentToken,
        RequestMember::DefaultPaymentInstrument,
        RequestMember::CustomFields,
        RequestMember::PrimaryAddress,
        RequestMember::IsEddRequired,
    ],
    &[
        RequestMember::Id,
        RequestMember::WebsiteId,
        RequestMember::PaymentToken,
        RequestMember::DefaultPaymentInstrumentId,
        RequestMember::PreferredPayoutInstrumentId,
        RequestMember::CustomFields,
        RequestMember::PrimaryAddress,
        RequestMember::Locale,
        RequestMember::TaxNumbers,
        RequestMember::LeadSource,
        RequestMember::PersonId,
        RequestMember::NotificationEmails,
    ],
);

/// [`REQUEST_MEMBERS`] as bit sets, derived at compile time.
static REQUEST_BITS: ByContract<u64> = ByContract::new(
    request_bits(REQUEST_MEMBERS.get(Contract::Seed2023_01)),
    request_bits(REQUEST_MEMBERS.get(Contract::Rebilly2026_08)),
);

const fn request_bits(members: &[RequestMember]) -> u64 {
    let mut bits = 0;
    let mut i = 0;
    while i < members.len() {
        bits |= 1u64 << (members[i] as u32);
        i += 1;
    }
    bits
}

impl RequestMember {
    /// Whether the request of `contract` sets the member.
    pub(crate) fn is_set_in(self, contract: Contract) -> bool {
        REQUEST_BITS.get(contract) & self.bit() != 0
    }
}

json_object! {
    /// The members of the customer resource of any revision, in an order that holds each
    /// revision's order ([`CUSTOMER_MEMBERS`] says which a revision has). Members the request
    /// of the revision does not set are read-only there: derived or kept by the server; a
    /// request may send them back, and they are ignored there.
    pub(crate) enum CustomerMember {
        Id = keys::ID, required;
        Email = "email", nullable;
        FirstName = "firstName", nullable;
        LastName = "lastName", nullable;
        WebsiteId = "websiteId", required;
        DefaultPaymentInstrument = "defaultPaymentInstrument", nullable;
        PreferredPayoutInstrumentId = "preferredPayoutInstrumentId", nullable;
        CreatedTime = keys::CREATED_TIME, required;
        UpdatedTime = keys::UPDATED_TIME, required;
        CustomFields = "customFields";
        PrimaryAddress = "primaryAddress", nullable;
        Company = "company", nullable;
        AverageValue = "averageValue";
        PaymentCount = "paymentCount";
        LastPaymentTime = "lastPaymentTime", nullable;
        LifetimeRevenue = "lifetimeRevenue";
        InvoiceCount = "invoiceCount";
        Tags = "tags";
        Revision = "revision", required;
        IsEddRequired = "isEddRequired";
        HasFulfilledKyc = "hasFulfilledKyc";
        OrganizationId = "organizationId", required;
        Locale = "locale", nullable;
        TaxNumbers = "taxNumbers", nullable;
        /// Write-only: in the stored form, never in a response.
        LeadSource = "leadSource", nullable;
        PersonId = "personId", nullable;
        NotificationEmails = "notificationEmails";
        Links = keys::LINKS;
        Embedded = "_embedded";
    }
}

/// The members of each revision's stored form, in the order they are rendered: the response
/// plus the write-only ones a server must keep ([`RESPONSE_OMITS`]).
pub(crate) static CUSTOMER_MEMBERS: ByContract<&[CustomerMember]> = ByContract::new(
    &[
        CustomerMember::Id,
        CustomerMember::Email,
        CustomerMember::FirstName,
        CustomerMember::LastName,
        CustomerMember::WebsiteId,
        CustomerMember::DefaultPaymentInstrument,
        CustomerMember::CreatedTime,
        CustomerMember::UpdatedTime,
        CustomerMember::CustomFields,
        CustomerMember::PrimaryAddress,
        CustomerMember::AverageValue,
        CustomerMember::PaymentCount,
        CustomerMember::LastPaymentTime,
        CustomerMember::LifetimeRevenue,
        CustomerMember::InvoiceCount,
        CustomerMember::Tags,
        CustomerMember::Revision,
        CustomerMember::IsEddRequired,
        CustomerMember::HasFulfilledKyc,
        CustomerMember::OrganizationId,
        CustomerMember::Links,
        CustomerMember::Embedded,
    ],
    &[
        CustomerMember::Id,
        CustomerMember::Email,
        CustomerMember::FirstName,
        CustomerMember::LastName,
        CustomerMember::WebsiteId,
        CustomerMember::DefaultPaymentInstrument,
        CustomerMember::PreferredPayoutInstrumentId,
        CustomerMember::CreatedTime,
        CustomerMember::UpdatedTime,
        CustomerMember::CustomFields,
        CustomerMember::PrimaryAddress,
        CustomerMember::Company,
        CustomerMember::AverageValue,
        CustomerMember::PaymentCount,
        CustomerMember::LastPaymentTime,
        CustomerMember::LifetimeRevenue,
        CustomerMember::InvoiceCount,
        CustomerMember::Tags,
        CustomerMember::Revision,
        CustomerMember::HasFulfilledKyc,
        CustomerMember::OrganizationId,
        CustomerMember::Locale,
        CustomerMember::TaxNumbers,
        CustomerMember::LeadSource,
        CustomerMember::PersonId,
        CustomerMember::NotificationEmails,
        CustomerMember::Links,
        CustomerMember::Embedded,
    ],
);

/// What each revision's response leaves out of the stored form: its described write-only
/// members, and the names of members kept from another revision that are write-only there
/// (a 2023-01 `isEddRequired` read under 2026-08 is stored, never rendered).
pub(crate) static RESPONSE_OMITS: ByContract<(&[CustomerMember], &[&str])> = ByContract::new(
    (&[], &[]),
    (
        &[CustomerMember::LeadSource],
        &[CustomerMember::IsEddRequired.key_const()],
    ),
);

/// A revision's member tables as bit sets, derived at compile time from [`CUSTOMER_MEMBERS`]
/// and [`REQUEST_MEMBERS`], so that a reader asks "has it?" with one test per member.
struct MemberBits {
    /// The members of the revision's stored form.
    resource: u64,
    /// Those of them the revision's request does not set: the server's.
    read_only: u64,
}

static MEMBER_BITS: ByContract<MemberBits> = ByContract::new(
    member_bits(Contract::Seed2023_01),
    member_bits(Contract::Rebilly2026_08),
);

const fn member_bits(contract: Contract) -> MemberBits {
    let members = CUSTOMER_MEMBERS.get(contract);
    let requested = REQUEST_MEMBERS.get(contract);
    let (mut resource, mut read_only) = (0u64, 0u64);
    let mut i = 0;
    while i < members.len() {
        let bit = 1u64 << (members[i] as u32);
        resource |= bit;
        let mut set_by_request = false;
        let mut j = 0;
        while j < requested.len() {
            set_by_request |= same_key(members[i].key_const(), requested[j].key_const());
            j += 1;
        }
        if !set_by_request {
            read_only |= bit;
        }
        i += 1;
    }
    MemberBits {
        resource,
        read_only,
    }
}

/// Whether two keys are spelled the same, in constant contexts.
const fn same_key(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

impl CustomerMember {
    /// Whether the member is the server's under `contract`: the revision's resource has it,
    /// and the revision's request does not set it.
    pub(crate) fn is_read_only_in(self, contract: Contract) -> bool {
        MEMBER_BITS.get(contract).read_only & self.bit() != 0
    }

    /// Whether the revision's resource has the member.
    pub(crate) fn is_member_in(self, contract: Contract) -> bool {
        MEMBER_BITS.get(contract).resource & self.bit() != 0
    }
}
